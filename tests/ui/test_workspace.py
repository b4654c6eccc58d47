"""The critic's desk: link a paragraph, jump to it, follow the film, undo, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from desk.store.project import Project
from desk.ui.essay_model import ACTIVE_ROLE, LINKS_ROLE
from desk.ui.main_window import MainWindow


def essay(sample_window: MainWindow):
    return sample_window.workspace.essay  # type: ignore[union-attr]


def player(sample_window: MainWindow):
    return sample_window.workspace.player  # type: ignore[union-attr]


def test_the_sample_opens_with_film_essay_notes_and_readings(
    sample_window: MainWindow, qtbot
) -> None:
    assert essay(sample_window).model.rowCount() == 10
    assert essay(sample_window).title.text() == "Snow on the Windshield"
    assert sample_window.workspace.notes.model.rowCount() == 8  # type: ignore[union-attr]
    assert sample_window.workspace.readings.reading_choice.count() == 3  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: player(sample_window).picture.pixmap() is not None, timeout=10000)


def test_linking_a_paragraph_to_the_current_frame_and_jumping_back(
    sample_window: MainWindow, qtbot
) -> None:
    panel = essay(sample_window)
    view = panel.view
    view.setCurrentIndex(panel.model.index(0))
    pid = panel.model.paragraph_id(0)
    player(sample_window).seek(3_000)
    qtbot.waitUntil(lambda: sample_window.workspace.transport.position_ms == 3_000, timeout=5000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    links = sample_window.session.project.query(  # type: ignore[union-attr]
        "SELECT start_ms FROM time_link WHERE paragraph_id = ? ORDER BY id", pid
    )
    assert links[-1] == (3_000,)
    player(sample_window).seek(60_000)
    qtbot.waitUntil(lambda: sample_window.workspace.transport.position_ms == 60_000, timeout=5000)
    index = panel.model.index(0)
    chips = panel.delegate.chip_rects(view.visualRect(index), index.data(LINKS_ROLE))
    chip_at_3s = chips[[start for _id, start, _end in index.data(LINKS_ROLE)].index(3_000)]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=chip_at_3s.center())
    qtbot.waitUntil(lambda: sample_window.workspace.transport.position_ms == 3_000, timeout=5000)


def test_the_paragraphs_linked_to_the_playhead_are_highlighted(
    sample_window: MainWindow, qtbot
) -> None:
    transport = sample_window.workspace.transport  # type: ignore[union-attr]
    transport.report_playing(True)
    transport.report_position(69_000)  # "She refuses the kiss" (1:08–1:12)
    model = essay(sample_window).model
    active = [r for r in range(model.rowCount()) if model.index(r).data(ACTIVE_ROLE)]
    texts = [model.index(r).data() for r in active]
    assert [t[:30] for t in texts] == [
        "Her refusal is the turn of the",  # linked to 1:08–1:12
        "That is why the ending does no",  # linked to 0:20, 1:08 and 1:40
    ]
    transport.report_position(125_000)
    assert not any(model.index(r).data(ACTIVE_ROLE) for r in range(model.rowCount()))


def test_edits_are_undone_redone_and_found_after_reopening(
    sample_window: MainWindow, qtbot, sample_copy: Path
) -> None:
    panel = essay(sample_window)
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.move_selected(+1)
    second = panel.model.index(1).data()
    assert second.startswith("For most of its running time")
    sample_window.undo()
    assert panel.model.index(0).data().startswith("For most of its running time")
    sample_window.redo()
    assert panel.model.index(1).data().startswith("For most of its running time")
    sample_window.workspace.notes.add_note("The wipers keep time like a metronome.")  # type: ignore[union-attr]
    sample_window.close_project()
    with Project.open(sample_copy, backup=False) as project:
        texts = [r[0] for r in project.query("SELECT text FROM paragraph ORDER BY position")]
        assert texts[1].startswith("For most of its running time")
        assert project.query("SELECT count(*) FROM note WHERE text LIKE '%metronome%'") == [(1,)]


def test_a_clip_list_is_presented_from_the_file_menu(
    sample_window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from desk.store import clip_lists

    project = sample_window.session.project  # type: ignore[union-attr]
    list_id, _ = clip_lists.add_clip_list(project, "Lecture")
    scene = project.query("SELECT id FROM scene WHERE name = 'The final scene'")[0][0]
    clip_lists.clip_from_scene(project, list_id, scene)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Lecture", True))
    sample_window.present_dialog()
    presentation = sample_window._presentation
    qtbot.addWidget(presentation)
    assert presentation.isVisible()
    presentation.close()


def test_the_default_layout_gives_the_film_the_width_and_a_changed_layout_is_kept(
    sample_window: MainWindow, qtbot, sample_copy: Path
) -> None:
    docks = sample_window.docks
    right, left = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
    assert {sample_window.dockWidgetArea(docks[n]) for n in ("essay", "notes", "scenes")} == {right}
    assert sample_window.tabifiedDockWidgets(docks["notes"]) == [docks["scenes"]]
    below = [docks["readings"], docks["clips"]]
    assert sample_window.tabifiedDockWidgets(docks["timeline"]) == below
    qtbot.waitUntil(lambda: docks["notes"].widget().layout().count() > 0, timeout=10000)
    fronts = {bar.tabText(bar.currentIndex()) for bar in sample_window.findChildren(QTabBar)}
    assert fronts == {"Notes and search", "Timeline"}
    sample_window.addDockWidget(left, docks["scenes"])  # the user's own arrangement
    docks["readings"].close()
    sample_window.close_project()
    assert sample_window.open_project(sample_copy, trusted_media=True)
    docks = sample_window.docks
    assert sample_window.dockWidgetArea(docks["scenes"]) == left
    assert docks["readings"].isHidden()
    assert sample_window.tabifiedDockWidgets(docks["notes"]) == []


def test_leaving_full_screen_brings_back_only_the_panels_that_were_open(
    sample_window: MainWindow, qtbot
) -> None:
    docks = sample_window.docks
    docks["timeline"].close()
    controls = player(sample_window).controls
    open_before = {name for name, dock in docks.items() if dock.isVisible()}
    controls.toggle_full_screen()
    assert not any(dock.isVisible() for dock in docks.values())
    controls.toggle_full_screen()
    assert {name for name, dock in docks.items() if dock.isVisible()} == open_before
    assert not docks["timeline"].isVisible()


def test_a_project_on_a_read_only_disk_opens_for_viewing_and_says_so_on_an_edit(
    qtbot, sample_copy: Path, tmp_path: Path
) -> None:
    from desk.errors import ProjectReadOnly
    from desk.store import edits
    from tests.store.mounts import read_only_view

    course = tmp_path / "course"
    course.mkdir()
    sample_copy.rename(course / sample_copy.name)
    with read_only_view(course, tmp_path / "dvd") as dvd:
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        assert window.open_project(dvd / sample_copy.name, trusted_media=True)
        assert window.windowTitle() == "anora-ending (read-only) — desk"
        assert window.workspace.notes.model.rowCount() == 8  # type: ignore[union-attr]
        assert window.session is not None
        with pytest.raises(ProjectReadOnly, match="open read-only, for viewing and export"):
            window.session.edit(edits.add_note, "Snow keeps falling.")
        window.close_project()


def test_help_about_names_the_version_licence_players_and_folders(
    sample_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk import __version__
    from desk.paths import data_dir
    from desk.ui import messages

    said: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "information", lambda _p, title, text: said.append((title, text)))
    about = next(a for a in sample_window.menuBar().actions() if a.text() == "&Help").menu()
    next(a for a in about.actions() if a.text() == "About desk…").trigger()
    assert [title for title, _ in said] == ["About desk"]
    text = said[0][1]
    assert text.startswith(f"desk {__version__}")
    assert "GNU General Public License, version 3 or later" in text
    assert "libVLC: 3." in text
    assert "PyAV: " in text
    assert f"data folder: {data_dir()}" in text
    assert "settings: " in text


def test_opening_a_project_opens_its_film_for_the_player_stepping_back_and_the_stills(
    qtbot, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame server's opening of the film also tells the player its sound tracks and
    libVLC its format; its second decoder, for the frames behind the playhead, is opened once
    the worker is idle, ready for the first step back. The stills decode on a thread of their
    own, from a file of their own. (The film's frame times, read the first time a copy is
    opened, are kept from before.)"""
    import av

    from desk.media.frame_index import frame_index
    from desk.media.probe import audio_tracks
    from desk.store import queries

    with Project.open(sample_copy, backup=False) as project:
        media = queries.reference_media(project)
        assert media is not None
        film = Path(media.path)
    frame_index(film)  # its frame times read once per copy, as on an earlier opening
    opened: list[str] = []
    real_open = av.open

    def counted(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(av, "open", counted)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(sample_copy, trusted_media=True)
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.player.backend is not None, timeout=10000)
    qtbot.waitUntil(lambda: workspace.thumbnails._server is not None, timeout=10000)
    assert workspace.player.server.wait_idle(10)
    assert opened.count(str(film)) == 3
    monkeypatch.undo()
    assert workspace.player.audio_menu.tracks == audio_tracks(film)
    window.close_project()
