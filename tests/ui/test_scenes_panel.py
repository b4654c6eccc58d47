"""The scenes panel: a dragged scene is saved where it was dropped; frame-exact marks stay exact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from desk.store import edits
from desk.store.project import Project
from desk.ui.main_window import MainWindow
from desk.ui.scenes_panel import ScenesPanel

DRIVE, FINAL, CREDITS = "Drive through the snow", "The final scene", "End credits"


@pytest.fixture
def open_window(qtbot: QtBot, sample_copy: Path) -> Iterator[Callable[[], MainWindow]]:
    """Opens the sample project in a window, as the critic does; closes it after the test."""
    windows: list[MainWindow] = []

    def open_() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        assert window.open_project(sample_copy, trusted_media=True)
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.close_project()


def scenes_panel(window: MainWindow) -> ScenesPanel:
    assert window.workspace is not None
    return window.workspace.scenes


def saved_order(window: MainWindow) -> list[str]:
    assert window.session is not None
    return [r[0] for r in window.session.project.query("SELECT name FROM scene ORDER BY position")]


def listed_order(panel: ScenesPanel) -> list[str]:
    return [panel.list.item(row).text() for row in range(panel.list.count())]


def test_a_scene_dragged_down_two_rows_is_saved_there_and_undo_puts_it_back(
    open_window: Callable[[], MainWindow],
) -> None:
    window = open_window()
    panel = scenes_panel(window)
    assert listed_order(panel) == [DRIVE, FINAL, CREDITS]
    # What dropping the first scene below the last one does to the list's model.
    assert panel.list.model().moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    assert saved_order(window) == [FINAL, CREDITS, DRIVE]
    assert listed_order(panel) == [FINAL, CREDITS, DRIVE]
    window.undo()
    assert saved_order(window) == [DRIVE, FINAL, CREDITS]
    assert listed_order(panel) == [DRIVE, FINAL, CREDITS]


@pytest.mark.parametrize(
    ("fps", "in_ms", "out_ms"),
    [
        (30, 1_000, 2_034),  # frames 30 and 61 (61 starts at 2033.33…, first whole ms 2034)
        (60, 1_000, 2_017),  # frames 60 and 121 (121 starts at 2016.67…, first whole ms 2017)
    ],
)
def test_a_scene_from_marks_on_frame_starts_keeps_those_times_at_30_and_60_fps(
    open_window: Callable[[], MainWindow], sample_copy: Path, fps: int, in_ms: int, out_ms: int
) -> None:
    with Project.open(sample_copy, backup=False) as project:
        (media_id,) = project.query("SELECT id FROM media WHERE is_reference")[0]
        edits.update_media(project, media_id, fps_num=fps, fps_den=1)
    window = open_window()
    assert window.workspace is not None
    window.workspace.transport.set_marks(in_ms, out_ms)
    scene_id = scenes_panel(window).scene_from_marks()
    assert window.session is not None
    assert window.session.project.query(
        "SELECT start_ms, end_ms FROM scene WHERE id = ?", scene_id
    ) == [(in_ms, out_ms)]
