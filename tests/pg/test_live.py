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
