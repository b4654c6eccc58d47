"""What a class edit takes on trust to save a wait — a check's earlier answer, ids reserved from
a sequence — never makes it refused wrongly: a refusal that rests on an earlier answer is asked
again, a guard read at any moment is a stale answer, and a reserved id found taken is replaced."""

from __future__ import annotations

import itertools
import os
import selectors
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.errors import InvalidEdit, ProjectError
from desk.interchange.formats import import_file
from desk.store import edits
from desk.store.project import Project
from desk.store.server import ServerConnection, StaleAnswer
from tests.pg.classes import new_class
from tests.pg.server import Server


def _as(where: str, role: str) -> str:
    return where.replace("user=ms_lee", f"user={role}")


def test_a_name_freed_by_a_rename_can_be_given_again(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as teacher:
        anna, _ = edits.add_character(teacher, "Anna")
        with pytest.raises(InvalidEdit, match="already a character named 'Anna'"):
            edits.add_character(teacher, "Anna")  # remembered: there is an Anna
        edits.update_character(teacher, anna, name="Ann")
        again, _ = edits.add_character(teacher, "Anna")
        assert teacher.query(
            "SELECT name FROM character WHERE id IN (?, ?) ORDER BY id", anna, again
        ) == [
            ("Ann",),
            ("Anna",),
        ]
        with pytest.raises(InvalidEdit, match="already a character named 'Anna'"):
            edits.add_character(teacher, "Anna")  # and refused again, now that it holds


def test_a_character_brought_back_by_another_window_s_undo_can_be_named_again(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as one, Project.open(where) as other:
        zed, _ = edits.add_character(other, "Zed")
        edits.add_note(one, "Zed at the door.", character_id=zed)
        edits.delete_character(other, zed, with_uses=True)
        with pytest.raises(InvalidEdit, match=f"no character {zed}"):
            edits.add_note(one, "Zed again.", character_id=zed)  # remembered: no Zed
        other.undo()  # Zed is back
        note, _ = edits.add_note(one, "Zed once more.", character_id=zed)
        assert one.query("SELECT character_id FROM note WHERE id = ?", note) == [(zed,)]


def _answered(conn: ServerConnection) -> None:
    """Wait until the server's answers to what was sent can be read, without reading them."""
    with selectors.DefaultSelector() as selector:
        selector.register(conn.raw.fileno(), selectors.EVENT_READ)
        assert selector.select(10), "the server did not answer"


def test_a_guard_s_refusal_read_as_the_commit_is_sent_is_a_stale_answer(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as one, Project.open(where) as other:
        conn = one.conn
        assert isinstance(conn, ServerConnection)
        question = "SELECT id FROM character WHERE name = ?"
        conn.execute("BEGIN IMMEDIATE")
        assert conn.check(question, ("Yuri",)) is None  # asked, and remembered
        conn.execute("COMMIT")
        edits.add_character(other, "Yuri")
        conn.execute("BEGIN IMMEDIATE")
        assert conn.check(question, ("Yuri",)) is None  # as before: the guard is sent
        _answered(conn)  # its refusal is there to be read when the COMMIT is sent
        with pytest.raises(StaleAnswer):
            conn.execute("COMMIT")
        conn.execute("ROLLBACK")  # as the command layer does after any failure
        assert not conn.in_transaction
        conn.execute("BEGIN IMMEDIATE")
        assert conn.check(question, ("Yuri",)) is not None  # asked anew
        conn.execute("COMMIT")


def _bulk_insert_of_an_earlier_desk(server: Server, class_name: str, ids: list[int]) -> None:
    """What an earlier desk's import did on a class: rows with ids of their own, past the
    table's highest, then the sequence set to the highest (back below ids windows reserved)."""
    rows = ", ".join(f"({n}, 'free', 'imported', '', 'imported-{n}')" for n in ids)
    server.psql(
        f"INSERT INTO {class_name}.note (id, kind, text, created_at, uid) VALUES {rows}; "
        f"SELECT setval(pg_get_serial_sequence('{class_name}.note', 'id'), {ids[0]})",
        role="ms_lee",
    )


@pytest.mark.parametrize("role", ["ms_lee", "ana"])
def test_a_reserved_id_taken_by_an_earlier_desk_is_replaced(
    pg_server: Server, tmp_path: Path, role: str
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    class_name = where.rsplit("class=", 1)[1]
    with Project.open(_as(where, role)) as window:
        first, _ = edits.add_note(window, "Ani looks at the ring.")  # reserves a block
        (top,) = window.query("SELECT max(id) FROM note")[0]
        # the next two of the block taken, and the sequence left behind the second
        _bulk_insert_of_an_earlier_desk(pg_server, class_name, [top + 1, top + 2])
        second, _ = edits.add_note(window, "Ani looks away.")
        third, _ = edits.add_note(window, "Ani leaves.")
        assert second > top + 2
        assert third > second
        assert window.query(
            "SELECT text FROM note WHERE id IN (?, ?) ORDER BY id", second, third
        ) == [
            ("Ani looks away.",),
            ("Ani leaves.",),
        ]
        assert window.undo_labels()[0] == "Add note"
        window.undo()
        assert window.query("SELECT count(*) FROM note WHERE id = ?", third) == [(0,)]


@pytest.fixture
def many_files() -> Iterator[None]:
    """Descriptors 0…1099 taken, so that the next socket is numbered past 1024."""
    taken = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        yield
    finally:
        for fd in taken:
            os.close(fd)


def test_a_connection_numbered_past_1024_is_not_taken_for_lost(
    pg_server: Server, tmp_path: Path, many_files: None
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as teacher:
        conn = teacher.conn
        assert isinstance(conn, ServerConnection)
        assert conn.raw.fileno() >= 1024
        made = 0
        reconnect = conn.reconnect

        def counted() -> None:
            nonlocal made
            made += 1
            reconnect()

        conn.reconnect = counted  # type: ignore[method-assign]
        for n in range(3):
            edits.add_note(teacher, f"Note {n}.")
        assert made == 0


def test_a_sheet_read_as_it_came_is_refused_whole_when_its_ids_were_taken(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    class_name = where.rsplit("class=", 1)[1]
    sheet = tmp_path / "notes.csv"
    sheet.write_text("type,text\n" + "".join(f"note,Plain note {n}\n" for n in range(5)))
    with Project.open(where) as teacher:
        edits.add_note(teacher, "Ani looks at the ring.")
        (top,) = teacher.query("SELECT max(id) FROM note")[0]
        _bulk_insert_of_an_earlier_desk(pg_server, class_name, [top + 1, top + 2])
        # Its notes are inserted as they are read; run again, the command would find them gone.
        with pytest.raises(ProjectError, match="import it again"):
            import_file(teacher, "csv", sheet)
        assert teacher.query("SELECT count(*) FROM note WHERE text LIKE 'Plain note%'") == [(0,)]
        summary = import_file(teacher, "csv", sheet)
        assert summary.added == {"note": 5}
        assert teacher.query("SELECT count(*) FROM note WHERE text LIKE 'Plain note%'") == [(5,)]


def test_windows_taking_runs_of_ids_at_once_each_get_theirs_in_a_row(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    runs: list[range] = []
    failed: list[BaseException] = []

    def take() -> None:
        with Project.open(where) as window:
            conn = window.conn
            assert isinstance(conn, ServerConnection)
            for _ in range(30):
                try:
                    first = conn.reserved_run("note", 2_000)
                except Exception as exc:  # noqa: BLE001 - reported below, from the test's thread
                    failed.append(exc)
                else:
                    runs.append(range(first, first + 2_000))
                conn.reserved_id("note")  # and a block of single ids, taken without waiting

    windows = [threading.Thread(target=take) for _ in range(3)]
    for window in windows:
        window.start()
    for window in windows:
        window.join()
    assert failed == []
    taken = sorted(runs, key=lambda run: run.start)
    assert len(taken) == 90
    assert all(a.stop <= b.start for a, b in itertools.pairwise(taken))
