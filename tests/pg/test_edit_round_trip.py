"""A class edit is sent to the server in one stream of statements (psycopg's pipeline mode) and
waited for only where an answer is needed and at its commit. What a student relies on stays:
an acknowledged edit survives a crash of the server, an edit the server refuses leaves nothing
of itself behind, and the first edit after the server came back goes through by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.errors import InvalidEdit, ProjectError
from desk.store import edits
from desk.store.project import Project
from tests.pg.classes import new_class
from tests.pg.server import Server


def _as(where: str, role: str) -> str:
    return where.replace("user=ms_lee", f"user={role}")


def _statements_waited_for(project: Project, edit: object) -> int:
    """How many times the connection waited for the server during ``edit()``."""
    server = project.conn
    waits = 0
    wait = server.wait  # type: ignore[attr-defined]

    def counted() -> None:
        nonlocal waits
        waits += 1
        wait()

    server.wait = counted  # type: ignore[attr-defined]
    try:
        edit()  # type: ignore[operator]
    finally:
        del server.wait  # type: ignore[attr-defined]
    return waits


def test_a_note_at_a_moment_waits_for_the_server_only_at_its_commit(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(_as(where, "ana")) as ana:
        # The first asks the film's end and reserves ids for notes and links.
        edits.add_note(ana, "Ani looks at the ring.", start_ms=1_000)
        waits = _statements_waited_for(
            ana, lambda: edits.add_note(ana, "Ani looks away.", start_ms=2_000)
        )
        assert waits == 0  # the commit's answer is the only one waited for
        assert ana.query(
            "SELECT l.start_ms FROM note n JOIN time_link l ON l.note_id = n.id "
            "WHERE n.text = 'Ani looks away.'"
        ) == [(2_000,)]
        assert ana.undo_labels()[0] == "Add note"


def test_a_check_answered_as_before_is_asked_again_when_it_no_longer_holds(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as teacher, Project.open(_as(where, "ana")) as ana:
        vanya, _ = edits.add_character(teacher, "Vanya")
        edits.add_beat(ana, start_ms=1_000, label="Vanya hides.", characters=[vanya])
        ana.undo()  # the beat is gone, and with it what held Vanya in the class
        edits.delete_character(teacher, vanya)
        # Vanya's existence was answered before; the server now answers otherwise, and the
        # edit, run again asking, is refused for what it is.
        with pytest.raises(InvalidEdit, match=f"no character {vanya}"):
            edits.add_beat(ana, start_ms=2_000, label="Vanya returns.", characters=[vanya])
        assert ana.query("SELECT count(*) FROM beat WHERE label LIKE 'Vanya%'") == [(0,)]
        assert ana.undo_labels() == (None, "Add beat")
        beat_id, _ = edits.add_beat(ana, start_ms=3_000, label="Ani alone.")
        assert ana.query("SELECT label FROM beat WHERE id = ?", beat_id) == [("Ani alone.",)]


def test_an_edit_the_server_refuses_leaves_nothing_half_done(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    with Project.open(_as(where, "ana")) as ana:
        note_id, _ = edits.add_note(ana, "Ani looks away from the ring.", start_ms=2_000)
    with Project.open(_as(where, "ben")) as ben:
        edits.add_note(ben, "Igor waits.")
        # The refused update is answered only at the commit, after the journal's statements.
        with pytest.raises(ProjectError, match="refused the edit"):
            edits.update_note(ben, note_id, text="Ani is relieved.")
        assert ben.undo_labels()[0] == "Add note"  # no journal entry of the refused edit
        assert ben.query("SELECT count(*) FROM journal") == [(1,)]
        edits.add_note(ben, "Snow keeps falling.")  # the connection carries on
        ben.undo()
        ben.undo()
        assert ben.query("SELECT count(*) FROM note WHERE owner = 'ben'") == [(0,)]
    with Project.open(where) as teacher:
        assert teacher.query("SELECT text FROM note WHERE id = ?", note_id) == [
            ("Ani looks away from the ring.",)
        ]
        assert teacher.query("SELECT start_ms FROM time_link WHERE note_id = ?", note_id) == [
            (2_000,)
        ]


def test_the_first_edit_after_a_restart_goes_through_once(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(_as(where, "ana")) as ana:
        edits.add_note(ana, "Before the restart.")
        pg_server.kill()
        pg_server.start()
        # The window's connection died with the server unnoticed; the edit's first statements
        # find it lost and are sent again on a new one.
        note_id, _ = edits.add_note(ana, "After the restart.", start_ms=1_000)
        assert ana.undo_labels()[0] == "Add note"
    with Project.open(where) as teacher:
        assert teacher.query("SELECT id FROM note WHERE text = 'After the restart.'") == [
            (note_id,)
        ]
        assert teacher.query("SELECT count(*) FROM time_link WHERE note_id = ?", note_id) == [(1,)]


def test_an_edit_acknowledged_in_a_stream_survives_a_crash(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(_as(where, "ana")) as ana:
        ani = ana.query("SELECT id FROM character ORDER BY id LIMIT 1")[0][0]
        beat_id, _ = edits.add_beat(ana, start_ms=5_000, label="She refuses.", characters=[ani])
        pg_server.kill()  # no checkpoint: the beat is only in the server's write-ahead log
        pg_server.start()
    with Project.open(where) as teacher:
        assert teacher.query("SELECT label, owner FROM beat WHERE id = ?", beat_id) == [
            ("She refuses.", "ana")
        ]
        assert teacher.query(
            "SELECT character_id FROM beat_character WHERE beat_id = ?", beat_id
        ) == [(ani,)]
