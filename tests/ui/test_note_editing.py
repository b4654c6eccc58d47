"""The critic edits notes where they are listed: text, kind, character and time in the table's
cells, the whole note in its editor, a paragraph to link it to, and Delete; each one undo step,
each saved in the project file at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit, QWidget

from desk.ui.main_window import MainWindow
from desk.ui.note_editor import NoteEditor, ParagraphChooser
from desk.ui.notes_panel import NotesPanel
from desk.ui.session import Session
from desk.ui.transport import Transport
from tests.ui.dialogs import click_button, when_modal


@pytest.fixture
def notes(session: Session, qtbot) -> NotesPanel:
    panel = NotesPanel(session, Transport())
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def in_file(session: Session, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read the project file on its own connection, as another program would."""
    path = Path(session.project.path)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(sql, args).fetchall()


def start_editing(qtbot, panel: NotesPanel, row: int, column: int) -> QWidget:
    """Go to a cell and press F2, as the critic does; returns the cell's editor."""
    index = panel.model.index(row, column)
    panel.table.setCurrentIndex(index)
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    viewport = panel.table.viewport()
    found = [w for w in viewport.findChildren(QWidget) if isinstance(w, QLineEdit | QComboBox)]
    found = [w for w in found if w.isVisible()]
    assert found, "no editor opened"
    return found[0]


def press_enter(qtbot, panel: NotesPanel, editor: QWidget) -> None:
    """Enter, and wait for the cell's editor to close and its edit to be applied."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.table.state() != QAbstractItemView.State.EditingState)
    QApplication.processEvents()


def type_into(qtbot, panel: NotesPanel, editor: QWidget, text: str) -> None:
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    press_enter(qtbot, panel, editor)


def test_a_notes_text_is_changed_in_its_cell_and_undone_in_one_step(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    note_id = notes.model.note_at(0)[0]
    (before,) = in_file(session, "SELECT text FROM note WHERE id = ?", note_id)
    type_into(
        qtbot, notes, start_editing(qtbot, notes, 0, 3), "She keeps the ring a moment too long"
    )
    assert notes.model.index(0, 3).data() == "She keeps the ring a moment too long"
    assert in_file(session, "SELECT text FROM note WHERE id = ?", note_id) == [
        ("She keeps the ring a moment too long",)
    ]
    session.undo()
    assert in_file(session, "SELECT text FROM note WHERE id = ?", note_id) == [before]


def test_a_notes_kind_and_character_are_chosen_from_lists(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    note_id = notes.model.note_at(0)[0]
    kind = start_editing(qtbot, notes, 0, 1)
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData("question"))
    press_enter(qtbot, notes, kind)
    who = start_editing(qtbot, notes, 0, 2)
    assert isinstance(who, QComboBox)
    who.setCurrentIndex(who.findText("Igor"))
    press_enter(qtbot, notes, who)
    kind_and_who = (
        "SELECT n.kind, c.name FROM note n JOIN character c ON c.id = n.character_id WHERE n.id = ?"
    )
    assert in_file(session, kind_and_who, note_id) == [("question", "Igor")]
    row = [r for r in range(notes.model.rowCount()) if notes.model.note_at(r)[0] == note_id][0]
    assert notes.model.index(row, 2).data() == "Igor"


def test_a_range_typed_in_the_time_cell_moves_the_note(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    note_id = notes.model.note_at(0)[0]
    type_into(qtbot, notes, start_editing(qtbot, notes, 0, 0), "0:40-0:55.5")
    assert in_file(
        session, "SELECT start_ms, end_ms FROM time_link WHERE note_id = ?", note_id
    ) == [(40_000, 55_500)]
    row = [r for r in range(notes.model.rowCount()) if notes.model.note_at(r)[0] == note_id][0]
    assert notes.model.index(row, 0).data() == "0:40.000–0:55.500"


def test_a_time_that_is_not_one_is_refused_with_a_sentence_and_nothing_changes(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    note_id = notes.model.note_at(0)[0]
    before = in_file(session, "SELECT start_ms, end_ms FROM time_link WHERE note_id = ?", note_id)
    said: list[str] = []
    click_button("OK", said)
    type_into(qtbot, notes, start_editing(qtbot, notes, 0, 0), "after the kiss")
    assert any("Not a timecode: 'after the kiss'." in text for text in said), said
    assert (
        in_file(session, "SELECT start_ms, end_ms FROM time_link WHERE note_id = ?", note_id)
        == before
    )


def test_the_delete_key_deletes_the_selected_note_and_undo_brings_it_back(
    qtbot, sample_window: MainWindow
) -> None:
    workspace = sample_window.workspace
    assert workspace is not None
    notes, session = workspace.notes, workspace.session
    qtbot.waitUntil(lambda: notes.model.rowCount() > 1)
    count = notes.model.rowCount()
    note_id = notes.model.note_at(1)[0]
    links = in_file(session, "SELECT count(*) FROM time_link WHERE note_id = ?", note_id)
    notes.table.selectRow(1)
    notes.table.setFocus()
    qtbot.keyClick(notes.table, Qt.Key.Key_Delete)  # Notes → Delete the selected notes (Del)
    assert in_file(session, "SELECT count(*) FROM note WHERE id = ?", note_id) == [(0,)]
    assert notes.model.rowCount() == count - 1
    sample_window.undo_action.trigger()
    assert in_file(session, "SELECT count(*) FROM time_link WHERE note_id = ?", note_id) == links
    assert notes.model.rowCount() == count


def test_the_note_editor_changes_text_and_takes_a_scenes_range_in_one_step(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    note_id = notes.model.note_at(0)[0]
    notes.note_menu(0).actions()[0].trigger()  # Edit note…
    editor = notes.findChild(NoteEditor)
    assert editor is not None
    assert editor.isVisible()
    editor.text.setPlainText("The whole scene turns on the ring")
    scene = editor.scene.findText("Ending", Qt.MatchFlag.MatchContains)
    scene = scene if scene > 0 else 1
    editor.scene.setCurrentIndex(scene)
    editor.scene.activated.emit(scene)
    start, end = editor.scene.itemData(scene)
    editor.buttons.accepted.emit()
    assert in_file(session, "SELECT text FROM note WHERE id = ?", note_id) == [
        ("The whole scene turns on the ring",)
    ]
    assert in_file(
        session, "SELECT start_ms, end_ms FROM time_link WHERE note_id = ?", note_id
    ) == [(start, end)]
    assert session.project.undo_labels()[0] == "Edit note"


def test_a_bad_time_in_the_note_editor_keeps_it_open_with_a_sentence(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    notes.note_menu(0).actions()[0].trigger()
    editor = notes.findChild(NoteEditor)
    assert editor is not None
    editor.time.setText("0:55–0:40")
    editor.buttons.accepted.emit()
    assert editor.isVisible()
    assert "ends before it starts" in editor.problem.text()
    assert editor.problem.isVisible()


def test_a_note_is_linked_to_a_paragraph_from_its_menu(
    qtbot, notes: NotesPanel, session: Session
) -> None:
    note_id = notes.model.note_at(0)[0]
    (paragraph_id, text) = in_file(
        session, "SELECT id, text FROM paragraph ORDER BY position DESC LIMIT 1"
    )[0]

    def choose(chooser: QWidget) -> None:
        assert isinstance(chooser, ParagraphChooser)
        chooser.paragraph.setCurrentIndex(chooser.paragraph.findData(paragraph_id))
        qtbot.keyClick(chooser.paragraph, Qt.Key.Key_Return)

    when_modal(choose, ParagraphChooser)
    notes.note_menu(0).actions()[1].trigger()  # Link to paragraph…
    assert in_file(session, "SELECT paragraph_id FROM note WHERE id = ?", note_id) == [
        (paragraph_id,)
    ]
    assert text
