"""The critic's whole job in the window, and nothing else: a project made from a film, the essay
imported, two characters and their beats, a note kept and a note deleted, two readings with their
evidence, a clip list from a scene and a run of beats exported to clips that start on the right
frame; then desk is quit and started again, and everything is found, in the window and in the file.

Every step goes through what a user touches: menu items (an action's ``trigger`` is what its menu
item does), keys sent to the widget that has the focus, and dialogs answered by typing into the
field that has the focus. The project file is only read, on a connection of its own.
"""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget, QPushButton, QWidget

from desk.media.synth import read_frame_number
from desk.ui.characters_dialog import CharactersDialog
from desk.ui.interchange_menu import ESSAY_ACTION
from desk.ui.main_window import MainWindow
from desk.ui.notes_panel import NotesPanel
from desk.ui.workspace import Workspace
from tests.store.files import in_file
from tests.ui.answers import OK, accepted, answer, file_named, picked, typed
from tests.ui.dialogs import click_button, menu_item
from tests.ui.test_clips_panel import clips_of, shown
from tests.ui.test_layout import on_top
from tests.ui.test_note_editing import press_enter, start_editing
from tests.ui.test_player import shown_frame
from tests.ui.test_readings_editing import column, panel_of, titles

pytestmark = pytest.mark.usefixtures("no_painting_errors")

FRAME_MS = 1000 / 24  # the test film's frame
ESSAY = """\
# What the ring costs

*A close reading of the last scene.*

Igor hands the ring back, and for a moment the film holds its breath.

She climbs onto him as if to pay, and he leans in to kiss her.

She refuses, hits him, and breaks down sobbing on his chest while the snow keeps falling.
"""
PARAGRAPHS = [block.strip() for block in ESSAY.split("\n\n")[2:]]


def ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def frame_on_screen(window: MainWindow) -> int | None:
    """The number burned into the picture the player shows, once it shows one."""
    workspace = window.workspace
    if workspace is None or workspace.player.picture.shown_image() is None:
        return None
    return shown_frame(workspace.player)


def activate(qtbot, window: MainWindow) -> None:
    """Bring the window to the front, as a click on it does: keys reach its shortcuts."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key on whatever has the focus."""
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has the focus"
    qtbot.keyClick(focused, key, modifier)


def go_to(qtbot, window: MainWindow, typed_time: str, film_ms: int) -> None:
    """Ctrl+G, type the time into the go-to field, Enter; wait for that exact frame."""
    workspace = ws(window)
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    field = workspace.player.controls.goto
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=3000)
    qtbot.keyClicks(field, typed_time)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    frame = round(film_ms / FRAME_MS)
    qtbot.waitUntil(lambda: frame_on_screen(window) == frame, timeout=8000)
    assert workspace.transport.position_ms == film_ms
    qtbot.waitUntil(lambda: QApplication.focusWidget() is workspace.player, timeout=8000)


def choose(qtbot, combo: QComboBox, starting: str) -> None:
    """Focus a list to choose from and step to the item whose text starts with ``starting``
    with the arrow keys, as a user does without opening it."""
    texts = [combo.itemText(i) for i in range(combo.count())]
    target = next(i for i, text in enumerate(texts) if text.startswith(starting))
    window = combo.window()
    assert isinstance(window, MainWindow)
    activate(qtbot, window)
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo, timeout=3000)
    for _ in range(combo.count()):
        if combo.currentIndex() == target:
            break
        down = combo.currentIndex() < target
        qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)
    assert combo.currentIndex() == target


def note_rows(panel: NotesPanel) -> list[str]:
    model = panel.model
    return [model.index(row, 3).data() for row in range(model.rowCount())]


def list_texts(frame: QWidget) -> list[list[str]]:
    """The texts of a reading's two lists: what supports it, what contradicts it."""
    return [[w.item(i).text() for i in range(w.count())] for w in frame.findChildren(QListWidget)]


def start_desk(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    activate(qtbot, window)
    return window


def test_the_critic_does_the_whole_job_in_the_window_and_finds_it_all_after_a_restart(
    qtbot, small_film: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ending.desk"
    essay = tmp_path / "ending.md"
    essay.write_text(ESSAY, "utf-8")
    folder = tmp_path / "class"
    folder.mkdir()
    window = start_desk(qtbot)

    # 1. File → New project from a film: the film, then where the project goes.
    answer(file_named(small_film), file_named(path))
    window.window_actions["file.new"].trigger()
    qtbot.waitUntil(lambda: frame_on_screen(window) == 0, timeout=30_000)
    workspace = ws(window)
    activate(qtbot, window)

    # 2. File → Import → Essay…: its paragraphs are the essay panel's rows.
    said: list[str] = []
    answer(file_named(essay), OK, said=said)
    menu_item(window.menus["File"], ESSAY_ACTION).trigger()
    assert said[1] == "Imported ending.md: 3 paragraphs."
    assert workspace.essay.model.title == "What the ring costs"
    essay_rows = workspace.essay.model
    assert [essay_rows.index(r, 0).data() for r in range(essay_rows.rowCount())] == PARAGRAPHS

    # 3. Edit → Characters…: two characters, each named in a dialog whose field has the focus.
    window.window_actions["edit.characters"].trigger()
    (characters,) = window.findChildren(CharactersDialog)
    for name in ("Ani", "Igor"):
        answer(typed(name))
        characters.buttons["Add…"].click()
    assert [characters.list.item(i).text() for i in range(characters.list.count())] == [
        "Ani",
        "Igor",
    ]
    characters.close()
    activate(qtbot, window)  # a click back on the main window

    # 4. Two beats each, chosen in "Beats for": one from the playhead, one on the I/O marks.
    timeline = workspace.panels.get("timeline")
    for name, at, (mark_in, mark_out) in (
        ("Ani", ("0:01", 1_000), (("0:02", 2_000), ("0:03", 3_000))),
        ("Igor", ("0:04", 4_000), (("0:05", 5_000), ("0:06.5", 6_500))),
    ):
        choose(qtbot, timeline.toolbar.character, name)
        go_to(qtbot, window, *at)
        press(qtbot, Qt.Key.Key_B)
        go_to(qtbot, window, *mark_in)
        press(qtbot, Qt.Key.Key_I)
        go_to(qtbot, window, *mark_out)
        press(qtbot, Qt.Key.Key_O)
        press(qtbot, Qt.Key.Key_B)
        assert window.statusBar().currentMessage().endswith("(marks)")
        press(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # Marks → Clear the marks
        assert workspace.transport.marked_range() is None
    beats_in_file = (
        "SELECT b.start_ms, b.end_ms, c.name FROM beat b JOIN beat_character bc "
        "ON bc.beat_id = b.id JOIN character c ON c.id = bc.character_id ORDER BY b.start_ms"
    )
    beats = in_file(path, beats_in_file)
    assert [(start, who) for start, _end, who in beats] == [
        (1_000, "Ani"),
        (2_000, "Ani"),
        (4_000, "Igor"),
        (5_000, "Igor"),
    ]
    assert beats[1][1] == 3_000
    assert beats[3][1] == 6_500
    assert all(end > start for start, end, _who in beats)

    # 5. N, type, Enter: a note at the playhead; F2 in its row changes its text; a second note
    # goes with the Delete key.
    notes = workspace.notes
    go_to(qtbot, window, "0:01.5", 1_500)
    press(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes.entry, timeout=3000)
    qtbot.keyClicks(notes.entry, "The ring comes back")
    qtbot.keyClick(notes.entry, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is workspace.player  # back to the film
    row = note_rows(notes).index("The ring comes back")
    editor = start_editing(qtbot, notes, row, 3)
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, "Igor hands the ring back without a word")
    press_enter(qtbot, notes, editor)
    go_to(qtbot, window, "0:07", 7_000)
    press(qtbot, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes.entry, timeout=3000)
    qtbot.keyClicks(notes.entry, "A second thought, struck out")
    qtbot.keyClick(notes.entry, Qt.Key.Key_Return)
    notes.table.selectRow(note_rows(notes).index("A second thought, struck out"))
    notes.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes.table, timeout=3000)
    press(qtbot, Qt.Key.Key_Delete)
    assert note_rows(notes) == ["Igor hands the ring back without a word"]
    note_in_file = "SELECT n.text, t.start_ms FROM note n JOIN time_link t ON t.note_id = n.id"
    assert in_file(path, note_in_file) == [("Igor hands the ring back without a word", 1_500)]

    # 6. Readings → New reading… twice; evidence chosen from the list and marked either way.
    readings = panel_of(window)
    for title in ("The transactional reading", "The agency reading"):
        answer(typed(title))
        window.window_actions["reading.new"].trigger()
    assert titles(readings) == ["The transactional reading", "The agency reading"]
    choose(qtbot, readings.reading_choice, "The transactional reading")
    choose(qtbot, readings.evidence_choice, "beat 0:05.000")
    supports, contradicts = (
        next(b for b in readings.findChildren(QPushButton) if b.text() == text)
        for text in ("Supports", "Contradicts")
    )
    qtbot.mouseClick(supports, Qt.MouseButton.LeftButton)
    choose(qtbot, readings.reading_choice, "The agency reading")
    choose(qtbot, readings.evidence_choice, "note: Igor hands the ring back")
    qtbot.mouseClick(contradicts, Qt.MouseButton.LeftButton)
    evidence_in_file = (
        "SELECT r.title, e.stance, coalesce(b.start_ms, n.text) FROM evidence e "
        "JOIN reading r ON r.id = e.reading_id LEFT JOIN beat b ON b.id = e.beat_id "
        "LEFT JOIN note n ON n.id = e.note_id ORDER BY r.position"
    )
    evidence = [
        ("The transactional reading", "supports", 5_000),
        ("The agency reading", "contradicts", "Igor hands the ring back without a word"),
    ]
    assert in_file(path, evidence_in_file) == evidence

    # 7. A scene from the I/O marks, in the Scenes panel; then Clips → New clip list…, the scene
    # and a run of beats as clips, and Clips → Export the clip list… into a folder.
    go_to(qtbot, window, "0:04", 4_000)
    press(qtbot, Qt.Key.Key_I)
    go_to(qtbot, window, "0:06", 6_000)
    press(qtbot, Qt.Key.Key_O)
    window.docks["scenes"].raise_()  # its tab, beside the notes
    scene_button = next(
        b for b in workspace.scenes.findChildren(QPushButton) if b.text() == "Scene from I/O marks"
    )
    qtbot.mouseClick(scene_button, Qt.MouseButton.LeftButton)
    press(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert in_file(path, "SELECT name, start_ms, end_ms FROM scene") == [("Scene 1", 4_000, 6_000)]

    clips = clips_of(window)
    answer(typed("Week 3: endings"))
    window.window_actions["clips.new_list"].trigger()
    answer(picked(0))
    window.window_actions["clips.add_scene"].trigger()
    answer(picked(1), picked(1))  # from Ani's beat on the marks to Igor's first
    window.window_actions["clips.add_beats"].trigger()
    assert shown(clips, 1)[0] == "Scene 1"
    assert len(shown(clips, 1)) == 2
    exported: list[str] = []
    answer(accepted, file_named(folder))  # the options as they are; then the folder
    click_button("OK", exported)  # where the files went
    window.window_actions["clips.export"].trigger()
    qtbot.waitUntil(lambda: bool(exported), timeout=60_000)
    assert exported[0] == f"Wrote 2 clips and week-3-endings.xspf to {folder}."
    first_frames = []
    for clip in sorted(folder.glob("*.mp4")):
        with av.open(str(clip)) as film:
            first = next(film.decode(video=0))
            first_frames.append(read_frame_number(first.to_ndarray(format="rgb24")))
    assert first_frames == [96, 48]  # the scene from 4 s, the beats from 2 s, at 24 frames/s

    # 8. The layout as the critic leaves it: the readings on top of the timeline, no scenes panel.
    window.docks["readings"].raise_()
    window.docks["scenes"].close()
    qtbot.waitUntil(lambda: on_top(window, "Readings", "Timeline"))

    # 9. File → Quit; desk again, File → Open recent: everything is there, laid out as it was.
    window.window_actions["file.quit"].trigger()
    assert not window.isVisible()
    window = start_desk(qtbot)
    window.recent_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: frame_on_screen(window) is not None, timeout=30_000)
    qtbot.waitUntil(lambda: on_top(window, "Readings", "Timeline"))
    assert not window.docks["scenes"].isVisible()
    workspace = ws(window)
    essay_rows = workspace.essay.model
    assert [essay_rows.index(r, 0).data() for r in range(essay_rows.rowCount())] == PARAGRAPHS
    timeline = workspace.panels.get("timeline")
    chooser = timeline.toolbar.character
    assert {"Ani", "Igor"} <= {chooser.itemText(i) for i in range(chooser.count())}
    names = {c.id: c.name for c in timeline.beats.characters}
    data = timeline.beats.data
    assert [
        (int(data.starts[row]), [names[c] for c in data.characters_of(row)])
        for row in range(len(data))
    ] == [(1_000, ["Ani"]), (2_000, ["Ani"]), (4_000, ["Igor"]), (5_000, ["Igor"])]
    assert note_rows(workspace.notes) == ["Igor hands the ring back without a word"]
    readings = panel_of(window)
    assert titles(readings) == ["The transactional reading", "The agency reading"]
    transactional = column(readings, "The transactional reading")
    assert list_texts(transactional) == [["0:05.000  beat: Igor"], []]  # unlabelled: whose beat
    assert list_texts(column(readings, "The agency reading")) == [
        [],
        ["0:01.500  note: Igor hands the ring back without a word"],
    ]
    clips = clips_of(window)
    assert clips.list_choice.currentText() == "Week 3: endings"
    assert shown(clips, 1)[0] == "Scene 1"
    assert len(shown(clips, 1)) == 2
    assert in_file(path, beats_in_file) == beats
    assert in_file(path, evidence_in_file) == evidence
    assert in_file(path, note_in_file) == [("Igor hands the ring back without a word", 1_500)]
    assert in_file(path, "SELECT text FROM paragraph ORDER BY position") == [
        (p,) for p in PARAGRAPHS
    ]
    assert in_file(path, "SELECT name FROM character ORDER BY name") == [("Ani",), ("Igor",)]
    assert in_file(
        path,
        "SELECT l.name, c.start_ms FROM clip c JOIN clip_list l ON l.id = c.clip_list_id "
        "ORDER BY c.position",
    ) == [("Week 3: endings", 4_000), ("Week 3: endings", 2_000)]
    window.close()
