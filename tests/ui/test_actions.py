"""The window's actions, as the critic meets them: each in a menu and on its key, the keys working
wherever focus is except in text being typed, Esc back to the player, marks that show and clear,
and hints that say what N and B will use."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit, QWidget

from desk.actions import ACTIONS
from desk.ui.main_window import MainWindow
from desk.ui.player_controls import MARK_COLOR
from desk.ui.shortcuts import ShortcutSheet, rows
from desk.ui.workspace import Workspace

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(sample_window: MainWindow, qtbot) -> MainWindow:
    """The sample project open, its panels built, the window active (keys reach it)."""
    workspace = sample_window.workspace
    assert workspace is not None
    workspace.panels.build(late=False)
    workspace.panels.build(late=True)
    sample_window.activateWindow()
    qtbot.waitUntil(sample_window.isActiveWindow, timeout=5000)
    return sample_window


def ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        found.append(action)
        if action.menu() is not None:
            found += menu_actions(action.menu())  # type: ignore[arg-type]
    return found


def press(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)
    qtbot.keyClick(widget, key, modifier)


def test_every_action_is_in_a_menu_and_done_by_the_window_or_the_open_project(window) -> None:
    in_menus = {id(a) for menu in window.menus.values() for a in menu_actions(menu)}
    for entry in ACTIONS:
        action = window.window_actions[entry.id]
        assert id(action) in in_menus, entry.id
        if entry.id not in ("edit.undo", "edit.redo"):  # those follow the history
            assert action.isEnabled(), f"{entry.id} does nothing with a project open"
        assert action.shortcut() == QKeySequence(entry.shortcut)
    assert window.window_actions.handled() == {entry.id for entry in ACTIONS}
    titles = [menu.title().replace("&", "") for menu in window.menus.values()]
    assert titles[3:8] == ["Playback", "Marks", "Essay", "Notes", "Timeline"]


def test_the_f1_sheet_lists_the_action_table(qtbot) -> None:
    sheet = ShortcutSheet()
    qtbot.addWidget(sheet)
    table = sheet.table
    shown = [
        tuple(table.item(row, column).text() for column in range(table.columnCount()))
        for row in range(table.rowCount())
    ]
    assert shown == rows()
    assert [(menu, name) for menu, _key, name, _help in shown] == [
        (entry.menu, entry.name) for entry in ACTIONS
    ]
    beat = next(row for row in shown if row[2] == "Beat")
    assert beat[1] == "B"
    assert "2 s when no cut comes within 10 s" in beat[3]


def test_no_two_actions_answer_the_same_key_in_the_same_place() -> None:
    for entry in ACTIONS:
        if entry.shortcut:  # Qt reads every key back as the table writes it
            portable = QKeySequence.SequenceFormat.PortableText
            assert QKeySequence(entry.shortcut).toString(portable) == entry.shortcut
    anywhere = [e.shortcut for e in ACTIONS if e.shortcut and e.context == "anywhere"]
    assert len(anywhere) == len(set(anywhere))
    for context in ("essay", "timeline"):
        own = [e.shortcut for e in ACTIONS if e.context == context]
        assert len(own) == len(set(own))
        assert not set(own) & set(anywhere), context


def test_single_keys_work_from_the_notes_the_essay_and_the_timeline(window, qtbot) -> None:
    workspace = ws(window)
    transport = workspace.transport
    places = [workspace.notes.table, workspace.essay.view, workspace.timeline.view]
    for number, place in enumerate(places):
        workspace.player.seek(2_000 + 3_000 * number)
        qtbot.waitUntil(lambda n=number: transport.position_ms == 2_000 + 3_000 * n, timeout=5000)
        press(qtbot, place, Qt.Key.Key_I)
        assert transport.in_ms == 2_000 + 3_000 * number
        workspace.player.seek(3_000 + 3_000 * number)
        qtbot.waitUntil(lambda n=number: transport.position_ms == 3_000 + 3_000 * n, timeout=5000)
        press(qtbot, place, Qt.Key.Key_O)
        assert transport.marked_range() == (2_000 + 3_000 * number, 3_000 + 3_000 * number)
        beats = beat_count(window)
        press(qtbot, place, Qt.Key.Key_B)
        assert beat_count(window) == beats + 1
        press(qtbot, place, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: transport.playing, timeout=5000)
        press(qtbot, place, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not transport.playing, timeout=5000)


def test_keys_typed_into_a_paragraph_are_text_not_shortcuts(window, qtbot) -> None:
    essay, transport = ws(window).essay, ws(window).transport
    index = essay.model.index(0)
    essay.view.setCurrentIndex(index)
    essay.view.edit(index)
    editor = essay.view.indexWidget(index)
    assert isinstance(editor, QPlainTextEdit)
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=3000)
    beats = beat_count(window)
    qtbot.keyClicks(editor, "I bow ")
    assert editor.toPlainText().startswith("I bow ") or "I bow " in editor.toPlainText()
    assert transport.in_ms is None
    assert beat_count(window) == beats
    assert not transport.playing
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # leaves the editor, its text kept
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ws(window).player, timeout=3000)
    qtbot.waitUntil(lambda: "I bow " in stored_paragraph(window, 0), timeout=3000)


def test_esc_from_the_note_box_and_enter_in_it_return_to_the_player(window, qtbot) -> None:
    workspace = ws(window)
    press(qtbot, workspace.player, Qt.Key.Key_N)
    assert QApplication.focusWidget() is workspace.notes.entry
    qtbot.keyClick(workspace.notes.entry, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is workspace.player
    press(qtbot, workspace.player, Qt.Key.Key_N)
    qtbot.keyClicks(workspace.notes.entry, "Snow, and the wipers.")
    qtbot.keyClick(workspace.notes.entry, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is workspace.player
    texts = [r[0] for r in window.session.project.query("SELECT text FROM note")]  # type: ignore[union-attr]
    assert "Snow, and the wipers." in texts


def test_the_note_box_says_whether_a_note_goes_on_the_marks_or_at_a_moment(window, qtbot) -> None:
    workspace = ws(window)
    entry = workspace.notes.entry
    workspace.player.seek(61_727)
    qtbot.waitUntil(lambda: 61_600 < workspace.transport.position_ms <= 61_727, timeout=5000)
    at = workspace.transport.position_ms  # the start of the frame shown
    press(qtbot, workspace.player, Qt.Key.Key_N)
    assert entry.placeholderText() == f"Note at 1:01.{at - 61_000:03d}… (Enter)"
    told = window.statusBar().currentMessage()
    assert told == f"Note at 1:01.{at - 61_000:03d}: Enter adds it, Esc leaves the box"
    workspace.transport.set_marks(40_000, 55_000)
    assert entry.placeholderText() == "Note on 0:40.000–0:55.000 (marks)… (Enter)"
    qtbot.keyClick(entry, Qt.Key.Key_Escape)
    press(qtbot, workspace.player, Qt.Key.Key_N)
    told = window.statusBar().currentMessage()
    assert told == "Note on 0:40.000–0:55.000 (marks): Enter adds it, Esc leaves the box"
    qtbot.keyClicks(entry, "On the marks")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    spans = window.session.project.query(  # type: ignore[union-attr]
        "SELECT l.start_ms, l.end_ms FROM time_link l JOIN note n ON n.id = l.note_id "
        "WHERE n.text = 'On the marks'"
    )
    assert spans == [(40_000, 55_000)]


def test_the_marks_show_on_the_seek_bar_and_clear_by_key_menu_and_esc(window, qtbot) -> None:
    workspace = ws(window)
    bar, transport = workspace.player.controls.seek_bar, workspace.transport
    marks_menu = window.menus["Marks"]
    for clear in (
        lambda: press(qtbot, workspace.notes.table, Qt.Key.Key_X, ALT),
        lambda: next(a for a in marks_menu.actions() if a.text() == "Clear the marks").trigger(),
        lambda: press(qtbot, workspace.essay.view, Qt.Key.Key_Escape),
    ):
        transport.set_marks(20_000, 60_000)
        assert bar.marks == (20_000, 60_000)
        picture = bar.grab().toImage()
        middle = (bar.mark_x(20_000) + bar.mark_x(60_000)) // 2
        tick = picture.pixelColor(bar.mark_x(20_000), 1)
        assert tick == QColor(MARK_COLOR)
        assert picture.pixelColor(middle, 3) != picture.pixelColor(bar.mark_x(60_000) + 20, 3)
        assert workspace.timeline.overlays.marks[0][2].isVisible()
        clear()
        assert transport.marked_range() is None
        assert bar.marks == (None, None)
        assert not workspace.timeline.overlays.marks[0][2].isVisible()


def test_b_without_marks_makes_a_beat_that_lasts(window, qtbot) -> None:
    workspace = ws(window)
    workspace.player.seek(30_000)
    qtbot.waitUntil(lambda: workspace.transport.position_ms == 30_000, timeout=5000)
    press(qtbot, workspace.notes.table, Qt.Key.Key_B)
    start, end = window.session.project.query(  # type: ignore[union-attr]
        "SELECT start_ms, end_ms FROM beat ORDER BY id DESC LIMIT 1"
    )[0]
    assert start == 30_000
    assert 30_000 < end <= 40_000
    message = window.statusBar().currentMessage()
    assert message.startswith("Beat for ")
    assert message.endswith("(from the playhead)")


def test_a_panel_s_own_keys_stay_in_the_panel(window, qtbot) -> None:
    """Ctrl+L links the essay's paragraph while the essay has focus, and does nothing elsewhere."""
    workspace = ws(window)
    essay = workspace.essay
    essay.view.setCurrentIndex(essay.model.index(0))
    links = link_count(window)
    press(qtbot, workspace.notes.table, Qt.Key.Key_L, CTRL)
    assert link_count(window) == links
    press(qtbot, essay.view, Qt.Key.Key_L, CTRL)
    assert link_count(window) == links + 1


def test_help_opens_the_user_guide_in_the_window(window, qtbot) -> None:
    next(a for a in window.menus["Help"].actions() if a.text() == "User guide").trigger()
    page = window._guide.page
    qtbot.waitUntil(page.isVisible, timeout=3000)
    text = page.toPlainText()
    assert text.startswith("Using desk")
    assert "Space plays and pauses" in text
    assert "Clear the marks" in text  # the key list, as desk keys prints it
    window._guide.close()


def beat_count(window: MainWindow) -> int:
    return int(window.session.project.query("SELECT count(*) FROM beat")[0][0])  # type: ignore[union-attr]


def link_count(window: MainWindow) -> int:
    return int(window.session.project.query("SELECT count(*) FROM time_link")[0][0])  # type: ignore[union-attr]


def stored_paragraph(window: MainWindow, position: int) -> str:
    return str(
        window.session.project.query(  # type: ignore[union-attr]
            "SELECT text FROM paragraph ORDER BY position LIMIT 1 OFFSET ?", position
        )[0][0]
    )
