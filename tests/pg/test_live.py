"""A class works live: what one person commits reaches every other open window within a second,
and a server that is killed and restarted loses no edit that desk acknowledged."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest

from desk.errors import ProjectError
from desk.store import edits
from desk.store.changes import Changed, Changes
from desk.store.class_project import ClassProject
from desk.store.commands import KEYS
from desk.store.project import Project
from tests.pg.classes import new_class
from tests.pg.server import Server


def _as(teacher_address: str, role: str) -> str:
    return teacher_address.replace("user=ms_lee", f"user={role}")


def _open(where: str) -> ClassProject:
    project = Project.open(where)
    assert isinstance(project, ClassProject)
    return project


def test_a_second_connection_sees_a_new_beat_within_a_second(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    heard: queue.Queue[Changes] = queue.Queue()
    teacher = _open(where)
    try:
        assert teacher.watch(heard.put, lambda _up: None).listening.wait(5)
        with Project.open(_as(where, "ana")) as ana:
            started = time.monotonic()
            beat_id, _ = edits.add_beat(ana, start_ms=4_000, label="she climbs onto him")
            changes = heard.get(timeout=1.0)
            seen_after_s = time.monotonic() - started
        assert changes.ids(Changed.BEATS) == {beat_id}
        assert seen_after_s < 1.0
        assert teacher.query("SELECT label, owner FROM beat WHERE id = ?", beat_id) == [
            ("she climbs onto him", "ana")
        ]
    finally:
        teacher.close()


def test_a_window_is_not_told_of_its_own_edits_twice(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    heard: queue.Queue[Changes] = queue.Queue()
    ana = _open(_as(where, "ana"))
    try:
        assert ana.watch(heard.put, lambda _up: None).listening.wait(5)
        edits.add_note(ana, "Her own note.")
        with Project.open(_as(where, "ben")) as ben:
            note_id, _ = edits.add_note(ben, "His note.")
        assert heard.get(timeout=1.0).ids(Changed.NOTES) == {note_id}
    finally:
        ana.close()


def test_a_server_killed_and_restarted_loses_no_acknowledged_edit(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    connected: queue.Queue[bool] = queue.Queue()
    ana = _open(_as(where, "ana"))
    acknowledged = []
    try:
        ana.watch(lambda _c: None, connected.put)
        for n in range(20):
            note_id, _ = edits.add_note(ana, f"Before the crash {n}.")
            acknowledged.append(note_id)
        pg_server.kill()
        try:
            with pytest.raises(ProjectError, match="class server"):
                edits.add_note(ana, "While the server is down.")
            assert connected.get(timeout=5) is False  # the window is told
        finally:
            pg_server.start()
        assert connected.get(timeout=5) is True  # and told again once it is back
        note_id, _ = edits.add_note(ana, "After the restart.")  # it reconnected by itself
        acknowledged.append(note_id)
    finally:
        ana.close()
    with Project.open(where) as teacher:
        kept = {r[0] for r in teacher.query("SELECT id FROM note WHERE owner = 'ana'")}
        texts = {r[0] for r in teacher.query("SELECT text FROM note WHERE owner = 'ana'")}
    assert set(acknowledged) <= kept
    assert "While the server is down." not in texts


def test_an_edit_made_by_hand_in_sql_is_announced_as_well_as_desk_s_own(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    class_name = where.rsplit("class=", 1)[1]
    heard: queue.Queue[Changes] = queue.Queue()
    teacher = _open(where)
    try:
        assert teacher.watch(heard.put, lambda _up: None).listening.wait(5)
        pg_server.psql(
            f"INSERT INTO {class_name}.note (kind, text, created_at, uid) "
            "VALUES ('free', 'typed in psql', '', 'by-hand')",
            role="ana",
        )
        by_hand = heard.get(timeout=2.0)
        (note_id,) = teacher.query("SELECT id FROM note WHERE text = 'typed in psql'")[0]
        assert by_hand.ids(Changed.NOTES) == {note_id}
        ana = _open(_as(where, "ana"))
        try:
            assert ana.server.announces  # desk says what it changed; the triggers skip it
            note_id, _ = edits.add_note(ana, "Snow falls.", start_ms=3_000)
        finally:
            ana.close()
        changes = heard.get(timeout=2.0)
        assert changes.ids(Changed.NOTES) == {note_id}
        (link_id,) = teacher.query("SELECT id FROM time_link WHERE note_id = ?", note_id)[0]
        assert changes.ids(Changed.LINKS) == {link_id}
    finally:
        teacher.close()


def test_a_class_whose_triggers_announce_every_edit_is_still_heard(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    class_name = where.rsplit("class=", 1)[1]
    # The triggers as a class shared by an earlier desk has them: for every connection.
    pg_server.psql(
        "; ".join(
            f"DROP TRIGGER notify_change ON {class_name}.{table}; "
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON "
            f"{class_name}.{table} FOR EACH ROW EXECUTE FUNCTION {class_name}.notify_{table}()"
            for table in KEYS
        ),
        role="ms_lee",
    )
    heard: queue.Queue[Changes] = queue.Queue()
    teacher = _open(where)
    try:
        assert teacher.watch(heard.put, lambda _up: None).listening.wait(5)
        ben = _open(_as(where, "ben"))
        try:
            assert not ben.server.announces
            beat_id, _ = edits.add_beat(ben, start_ms=4_000, label="he leans in")
        finally:
            ben.close()
        assert heard.get(timeout=2.0).ids(Changed.BEATS) == {beat_id}
    finally:
        teacher.close()
