"""The teacher opens the class in the window and the timeline overlays the students' arcs, one
per annotator, growing as the students mark beats."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.store import edits
from desk.store.project import Project
from desk.ui.main_window import MainWindow
from tests.pg.classes import new_class
from tests.pg.server import Server

#: Two students' readings of Ani through the final scene (ms, valence): one hears hope, one not.
ARCS = {
    "ana": [(30_000, 0.6), (60_000, 0.2), (90_000, -0.4)],
    "ben": [(30_000, -0.2), (60_000, -0.6), (90_000, -0.9)],
}


def _as(teacher_address: str, role: str) -> str:
    return teacher_address.replace("user=ms_lee", f"user={role}")


def _mark(where: str, role: str, beats: list[tuple[int, float]]) -> None:
    with Project.open(_as(where, role)) as student:
        ani = student.query("SELECT id FROM character WHERE name = 'Ani'")[0][0]
        for start_ms, valence in beats:
            edits.add_beat(
                student, start_ms=start_ms, label=f"{role}: Ani", valence=valence,
                intensity=0.6, characters=[ani],
            )  # fmt: skip


def _annotators_drawn(window: MainWindow) -> set[str]:
    assert window.workspace is not None
    timeline = window.workspace.timeline
    return set(timeline.beats.data.annotators)


def test_the_window_overlays_the_class_arcs_and_follows_them_live(
    qtbot, pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    _mark(where, "ana", ARCS["ana"])
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    try:
        window.open_sent(where)  # as ``desk open ADDRESS`` hands it to the window
        assert window.session is not None
        assert window.windowTitle().startswith(where.rsplit("class=", 1)[1])
        qtbot.waitUntil(lambda: window.workspace.panels.is_built("timeline"), timeout=10_000)
        timeline = window.workspace.timeline
        assert {"", "ana"} <= _annotators_drawn(window)
        before = len(timeline.arc.curves)
        _mark(where, "ben", ARCS["ben"])  # while the teacher's window is open
        qtbot.waitUntil(lambda: "ben" in _annotators_drawn(window), timeout=1_000)
        assert len(timeline.arc.curves) > before  # Ani's arc as ben reads it joins hers
    finally:
        window.close_project()


@pytest.mark.slow  # a server killed and restarted under a window: 5–10 s
def test_the_window_shows_a_lost_server_and_carries_on_when_it_is_back(
    qtbot, pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    try:
        window.open_sent(where)
        qtbot.waitUntil(lambda: window.workspace.panels.is_built("timeline"), timeout=10_000)
        status = window.statusBar()
        pg_server.kill()
        try:
            qtbot.waitUntil(lambda: "cannot be reached" in status.currentMessage(), timeout=5_000)
        finally:
            pg_server.start()
        qtbot.waitUntil(lambda: "answers again" in status.currentMessage(), timeout=5_000)
        _mark(where, "cy", [(50_000, 0.3)])  # and others' edits reach it again
        qtbot.waitUntil(lambda: "cy" in _annotators_drawn(window), timeout=1_000)
    finally:
        window.close_project()
