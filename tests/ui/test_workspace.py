"""The critic's desk: link a paragraph, jump to it, follow the film, undo, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from desk.store.project import Project
from desk.ui.essay_model import ACTIVE_ROLE, LINKS_ROLE
from desk.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, sample_copy: Path):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(sample_copy, trusted_media=True)
    yield win
    win.close_project()


def essay(window: MainWindow):
    return window.workspace.essay  # type: ignore[union-attr]


def player(window: MainWindow):
    return window.workspace.player  # type: ignore[union-attr]


def test_the_sample_opens_with_film_essay_notes_and_readings(window: MainWindow, qtbot) -> None:
    assert essay(window).model.rowCount() == 10
    assert essay(window).title.text() == "Snow on the Windshield"
    assert window.workspace.notes.model.rowCount() == 8  # type: ignore[union-attr]
    assert window.workspace.readings.reading_choice.count() == 3  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: player(window).picture.pixmap() is not None, timeout=10000)


def test_linking_a_paragraph_to_the_current_frame_and_jumping_back(
    window: MainWindow, qtbot
) -> None:
    panel = essay(window)
    view = panel.view
    view.setCurrentIndex(panel.model.index(0))
    pid = panel.model.paragraph_id(0)
    player(window).seek(3_000)
    qtbot.waitUntil(lambda: window.workspace.transport.position_ms == 3_000, timeout=5000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    links = window.session.project.query(  # type: ignore[union-attr]
        "SELECT start_ms FROM time_link WHERE paragraph_id = ? ORDER BY id", pid
    )
    assert links[-1] == (3_000,)
    player(window).seek(60_000)
    qtbot.waitUntil(lambda: window.workspace.transport.position_ms == 60_000, timeout=5000)
    index = panel.model.index(0)
    chips = panel.delegate.chip_rects(view.visualRect(index), index.data(LINKS_ROLE))
    chip_at_3s = chips[[start for _id, start, _end in index.data(LINKS_ROLE)].index(3_000)]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=chip_at_3s.center())
    qtbot.waitUntil(lambda: window.workspace.transport.position_ms == 3_000, timeout=5000)


def test_the_paragraphs_linked_to_the_playhead_are_highlighted(window: MainWindow, qtbot) -> None:
    transport = window.workspace.transport  # type: ignore[union-attr]
    transport.report_playing(True)
    transport.report_position(69_000)  # "She refuses the kiss" (1:08–1:12)
    model = essay(window).model
    active = [r for r in range(model.rowCount()) if model.index(r).data(ACTIVE_ROLE)]
    texts = [model.index(r).data() for r in active]
    assert [t[:30] for t in texts] == [
        "Her refusal is the turn of the",  # linked to 1:08–1:12
        "That is why the ending does no",  # linked to 0:20, 1:08 and 1:40
    ]
    transport.report_position(125_000)
    assert not any(model.index(r).data(ACTIVE_ROLE) for r in range(model.rowCount()))


def test_edits_are_undone_redone_and_found_after_reopening(
    window: MainWindow, qtbot, sample_copy: Path
) -> None:
    panel = essay(window)
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.move_selected(+1)
    second = panel.model.index(1).data()
    assert second.startswith("For most of its running time")
    window.undo()
    assert panel.model.index(0).data().startswith("For most of its running time")
    window.redo()
    assert panel.model.index(1).data().startswith("For most of its running time")
    window.workspace.notes.add_note("The wipers keep time like a metronome.")  # type: ignore[union-attr]
    window.close_project()
    with Project.open(sample_copy, backup=False) as project:
        texts = [r[0] for r in project.query("SELECT text FROM paragraph ORDER BY position")]
        assert texts[1].startswith("For most of its running time")
        assert project.query("SELECT count(*) FROM note WHERE text LIKE '%metronome%'") == [(1,)]


def test_a_clip_list_is_presented_from_the_file_menu(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from desk.store import clip_lists

    project = window.session.project  # type: ignore[union-attr]
    list_id, _ = clip_lists.add_clip_list(project, "Lecture")
    scene = project.query("SELECT id FROM scene WHERE name = 'The final scene'")[0][0]
    clip_lists.clip_from_scene(project, list_id, scene)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Lecture", True))
    window.present_dialog()
    presentation = window._presentation
    qtbot.addWidget(presentation)
    assert presentation.isVisible()
    presentation.close()


def test_the_default_layout_gives_the_film_the_width_and_a_changed_layout_is_kept(
    window: MainWindow, qtbot, sample_copy: Path
) -> None:
    docks = window.docks
    right, left = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
    assert {window.dockWidgetArea(docks[n]) for n in ("essay", "notes", "scenes")} == {right}
    assert window.tabifiedDockWidgets(docks["notes"]) == [docks["scenes"]]
    assert window.tabifiedDockWidgets(docks["timeline"]) == [docks["readings"]]
    qtbot.waitUntil(lambda: docks["notes"].widget().layout().count() > 0, timeout=10000)
    fronts = {bar.tabText(bar.currentIndex()) for bar in window.findChildren(QTabBar)}
    assert fronts == {"Notes and search", "Timeline"}
    window.addDockWidget(left, docks["scenes"])  # the user's own arrangement
    docks["readings"].close()
    window.close_project()
    assert window.open_project(sample_copy, trusted_media=True)
    docks = window.docks
    assert window.dockWidgetArea(docks["scenes"]) == left
    assert docks["readings"].isHidden()
    assert window.tabifiedDockWidgets(docks["notes"]) == []


def test_leaving_full_screen_brings_back_only_the_panels_that_were_open(
    window: MainWindow, qtbot
) -> None:
    docks = window.docks
    docks["timeline"].close()
    controls = player(window).controls
    open_before = {name for name, dock in docks.items() if dock.isVisible()}
    controls.toggle_full_screen()
    assert not any(dock.isVisible() for dock in docks.values())
    controls.toggle_full_screen()
    assert {name for name, dock in docks.items() if dock.isVisible()} == open_before
    assert not docks["timeline"].isVisible()
