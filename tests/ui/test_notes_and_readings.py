"""Notes and readings: evidence goes to the chosen reading, note text stays text, filters undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPushButton

from desk.store import edits
from desk.store.changes import Changed
from desk.ui.notes_panel import ROW_PAGE, NotesPanel
from desk.ui.readings_panel import ReadingsPanel
from desk.ui.scenes_panel import ScenesPanel
from desk.ui.session import Session
from desk.ui.transport import Transport

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def transport() -> Transport:
    return Transport()


@pytest.fixture
def notes(session: Session, transport: Transport, qtbot) -> NotesPanel:
    panel = NotesPanel(session, transport)
    qtbot.addWidget(panel)
    return panel


def button(panel: ReadingsPanel, text: str) -> QPushButton:
    (found,) = [b for b in panel.findChildren(QPushButton) if b.text() == text]
    return found


def choose(combo, data: object) -> None:
    """Pick the combo's item holding ``data``, as the user would from its list."""
    (index,) = [row for row in range(combo.count()) if combo.itemData(row) == data]
    combo.setCurrentIndex(index)


def shown_as(tooltip: str) -> str:
    """The text a QToolTip puts on screen: rich text if Qt guesses so, else the text itself."""
    document = QTextDocument()
    if GuiQt.mightBeRichText(tooltip):
        document.setHtml(tooltip)
    else:
        document.setPlainText(tooltip)
    return document.toPlainText()


def visible_note_ids(panel: NotesPanel) -> list[int]:
    return [panel.model.note_at(row)[0] for row in range(panel.model.rowCount())]


def test_evidence_attached_twice_goes_to_the_reading_chosen_once(
    session: Session, transport: Transport, qtbot
) -> None:
    panel = ReadingsPanel(session, transport)
    qtbot.addWidget(panel)
    project = session.project
    agency = project.query("SELECT id FROM reading WHERE title = 'The agency reading'")[0][0]
    choose(panel.reading_choice, agency)
    choose(panel.evidence_choice, ("note_id", 1))
    qtbot.mouseClick(button(panel, "Supports"), LEFT)
    choose(panel.evidence_choice, ("note_id", 2))
    qtbot.mouseClick(button(panel, "Contradicts"), LEFT)
    added = project.query(
        "SELECT reading_id, stance, note_id FROM evidence WHERE note_id IN (1, 2) ORDER BY id"
    )
    assert added == [(agency, "supports", 1), (agency, "contradicts", 2)]
    assert panel.reading_choice.currentData() == agency
    assert panel.evidence_choice.currentData() == ("note_id", 2)


def test_a_note_written_in_the_notes_panel_can_be_chosen_as_evidence_at_once(
    session: Session, transport: Transport, notes: NotesPanel, qtbot
) -> None:
    readings = ReadingsPanel(session, transport)
    qtbot.addWidget(readings)

    def offered() -> list[object]:
        choice = readings.evidence_choice
        return [choice.itemData(row) for row in range(choice.count())]

    with qtbot.waitSignal(session.changes_applied) as told:
        note_id = notes.add_note("She keeps the ring on the drive home", at_ms=20_000)
    (changes,) = told.args
    assert changes.ids(Changed.NOTES) == {note_id}
    assert changes.made_by(notes)
    assert not changes.made_by(readings)
    assert ("note_id", note_id) in offered()
    session.undo()
    assert ("note_id", note_id) not in offered()


def test_a_note_written_as_html_shows_as_text_in_its_tooltips(notes: NotesPanel) -> None:
    text = "<b>BOLD</b><img src='file:///tmp/x.png'> & more"
    note_id = notes.add_note(text)
    row = visible_note_ids(notes).index(note_id)
    model = notes.model
    for column in range(model.columnCount()):
        index = model.index(row, column)
        tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
        shown = index.data(Qt.ItemDataRole.DisplayRole)
        if shown:
            assert shown_as(tooltip) == shown
        else:
            assert not tooltip  # an empty cell has no tooltip at all
    assert shown_as(model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)) == text


def test_undoing_the_scene_the_notes_are_filtered_by_shows_every_note_again(
    session: Session, transport: Transport, notes: NotesPanel, qtbot
) -> None:
    every_note = visible_note_ids(notes)
    scenes = ScenesPanel(session, transport)
    qtbot.addWidget(scenes)
    transport.set_marks(100_000, 110_000)
    scene_id = scenes.scene_from_marks()
    (bounds,) = session.project.query("SELECT start_ms, end_ms FROM scene WHERE id = ?", scene_id)
    choose(notes.filter_scene, bounds)
    assert len(visible_note_ids(notes)) < len(every_note)
    session.undo()
    assert notes.filter_scene.currentText() == "All scenes"
    assert visible_note_ids(notes) == every_note


def test_undoing_the_character_the_notes_are_filtered_by_shows_every_note_again(
    session: Session, notes: NotesPanel
) -> None:
    every_note = visible_note_ids(notes)
    character_id = session.edit(edits.add_character, "Toros")
    choose(notes.filter_character, character_id)
    assert visible_note_ids(notes) == []
    session.undo()
    assert notes.filter_character.currentText() == "All characters"
    assert visible_note_ids(notes) == every_note


def test_a_filter_still_in_the_project_is_kept_when_the_scenes_change(
    session: Session, notes: NotesPanel
) -> None:
    (final,) = session.project.query(
        "SELECT start_ms, end_ms FROM scene WHERE name = ?", "The final scene"
    )
    choose(notes.filter_scene, final)
    filtered = visible_note_ids(notes)
    session.edit(edits.add_scene, "Coda", 125_000, 128_000)
    assert notes.filter_scene.currentText() == "The final scene"
    assert visible_note_ids(notes) == filtered


def test_a_note_keeps_the_moment_its_key_was_pressed_while_the_film_plays_on(
    session: Session, transport: Transport, notes: NotesPanel, qtbot
) -> None:
    transport.report_playing(True)
    transport.report_position(61_000)
    notes.start_note()  # N
    assert notes.entry.placeholderText() == "Note at 1:01.000… (Enter)"
    transport.report_position(64_500)  # the film goes on while the note is typed
    qtbot.keyClicks(notes.entry, "The wipers keep time.")
    qtbot.keyClick(notes.entry, Qt.Key.Key_Return)
    (at,) = session.project.query(
        "SELECT l.start_ms, l.end_ms FROM note n JOIN time_link l ON l.note_id = n.id"
        " WHERE n.text = ?",
        "The wipers keep time.",
    )
    assert at == (61_000, 61_000)
    qtbot.keyClicks(notes.entry, "Typed without N: at the playhead.")
    qtbot.keyClick(notes.entry, Qt.Key.Key_Return)
    (at,) = session.project.query(
        "SELECT l.start_ms FROM note n JOIN time_link l ON l.note_id = n.id WHERE n.text LIKE ?",
        "Typed without N%",
    )
    assert at == (64_500,)


def test_long_evidence_is_shortened_beside_its_still_and_whole_in_its_tooltip(
    session: Session, transport: Transport, qtbot
) -> None:
    from PySide6.QtWidgets import QListWidget

    panel = ReadingsPanel(session, transport)
    qtbot.addWidget(panel)
    (paragraph,) = session.project.query(
        "SELECT p.text FROM evidence e JOIN paragraph p ON p.id = e.paragraph_id LIMIT 1"
    )[0]
    assert len(paragraph) > 140
    items = [lst.item(row) for lst in panel.findChildren(QListWidget) for row in range(lst.count())]
    (item,) = [i for i in items if i.text().split("paragraph: ")[-1][:30] == paragraph[:30]]
    assert item.text().endswith(" …")
    assert len(item.text()) < 170
    assert shown_as(item.toolTip()) == paragraph


def shown_rows(panel: NotesPanel) -> list[tuple[str, ...]]:
    """Every row, once the list is scrolled to its end (the notes are read as it scrolls)."""
    model = panel.model
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def test_hundreds_of_notes_show_in_film_order_each_with_its_own_text(
    session: Session, notes: NotesPanel
) -> None:
    """More notes than are read at once: the first ones show at once, the others as the list
    scrolls, each row with its own note, in the film's order, the notes tied to no moment last;
    filtered by character, all of them show at once."""
    before = len(visible_note_ids(notes))
    toros = session.edit(edits.add_character, "Toros")
    for n in range(450):  # added in reverse film order, every third one at no moment
        at = None if n % 3 == 0 else 120_000 - n * 200
        session.edit(edits.add_note, f"note {n}", start_ms=at, character_id=toros)
    assert notes.model.rowCount() == ROW_PAGE < before + 450
    rows = [row for row in shown_rows(notes) if row[3].startswith("note ")]
    assert len(rows) == 450
    assert len(visible_note_ids(notes)) == before + 450
    linked = [row for row in rows if row[0]]
    assert [row[3] for row in linked] == [f"note {n}" for n in range(449, 0, -1) if n % 3]
    assert [row[3] for row in rows[len(linked) :]] == [f"note {n}" for n in range(0, 450, 3)]
    assert {row[2] for row in rows} == {"Toros"}
    choose(notes.filter_character, toros)
    assert notes.model.rowCount() == 450
    assert [row[3] for row in shown_rows(notes)] == [row[3] for row in rows]


def test_a_changed_note_shows_its_new_text(session: Session, notes: NotesPanel) -> None:
    note_id = session.edit(edits.add_note, "the ring", start_ms=1_000)
    (row,) = [r for r in range(notes.model.rowCount()) if notes.model.note_at(r)[0] == note_id]
    assert shown_rows(notes)[row][3] == "the ring"
    session.edit(edits.update_note, note_id, text="the ring, handed back")
    assert shown_rows(notes)[row][3] == "the ring, handed back"
