"""The critic makes, renames, describes and deletes readings, and marks and unmarks evidence, all
in the window: each edit lands in the project file, and undo takes each back in one step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QPushButton

from desk.ui.main_window import MainWindow
from desk.ui.readings_panel import EVIDENCE_ROLE, ReadingsPanel
from tests.store.files import in_file
from tests.ui.answers import YES, answer, typed, written


def panel_of(window: MainWindow) -> ReadingsPanel:
    assert window.workspace is not None
    panel = window.workspace.panels.get("readings")
    assert isinstance(panel, ReadingsPanel)
    return panel


def column(panel: ReadingsPanel, title: str) -> QFrame:
    for frame in panel.findChildren(QFrame):
        labels = [label.text() for label in frame.findChildren(QLabel)]
        if frame.objectName().startswith("reading-") and labels and labels[0] == title:
            return frame
    raise AssertionError(f"no column titled {title!r}")


def titles(panel: ReadingsPanel) -> list[str]:
    return [panel.reading_choice.itemText(i) for i in range(panel.reading_choice.count())]


def button(frame: QFrame, text: str) -> QPushButton:
    (found,) = [b for b in frame.findChildren(QPushButton) if b.text() == text]
    return found


def test_a_reading_is_added_renamed_and_described_in_dialogs(
    sample_window: MainWindow, sample_copy: Path, qtbot
) -> None:
    panel = panel_of(sample_window)
    answer(typed("The gift reading"))
    sample_window.window_actions["reading.new"].trigger()  # Edit → New reading…
    assert titles(panel)[-1] == "The gift reading"
    assert panel.reading_choice.currentText() == "The gift reading"  # chosen for evidence
    assert in_file(sample_copy, "SELECT title FROM reading ORDER BY position")[-1] == (
        "The gift reading",
    )

    answer(typed("The ring as a gift"))
    button(column(panel, "The gift reading"), "Rename…").click()
    answer(written("Igor gives the ring back freely: a gift, not a return."))
    button(column(panel, "The ring as a gift"), "Describe…").click()
    assert in_file(sample_copy, "SELECT title, summary FROM reading ORDER BY position")[-1] == (
        "The ring as a gift",
        "Igor gives the ring back freely: a gift, not a return.",
    )
    labels = [label.text() for label in column(panel, "The ring as a gift").findChildren(QLabel)]
    assert "Igor gives the ring back freely: a gift, not a return." in labels

    sample_window.undo_action.trigger()  # the description goes, the new title stays
    assert in_file(sample_copy, "SELECT title, summary FROM reading ORDER BY position")[-1] == (
        "The ring as a gift",
        "",
    )


def test_a_cancelled_name_changes_nothing(sample_window: MainWindow, sample_copy: Path) -> None:
    before = in_file(sample_copy, "SELECT count(*) FROM reading")
    answer(lambda dialog: dialog.reject())
    sample_window.window_actions["reading.new"].trigger()
    assert in_file(sample_copy, "SELECT count(*) FROM reading") == before


def test_evidence_changes_its_stance_and_is_detached_from_its_context_menu(
    sample_window: MainWindow, sample_copy: Path
) -> None:
    panel = panel_of(sample_window)
    frame = column(panel, "The agency reading")
    supports, contradicts = frame.findChildren(QListWidget)
    item = supports.item(0)
    evidence_id, stance = item.data(EVIDENCE_ROLE)
    assert stance == "supports"
    menu = panel.evidence_menu(item)
    (mark,) = [a for a in menu.actions() if a.text() == "Mark as: Contradicts"]
    mark.trigger()
    assert in_file(sample_copy, "SELECT stance FROM evidence WHERE id = ?", evidence_id) == [
        ("contradicts",)
    ]
    supports, contradicts = column(panel, "The agency reading").findChildren(QListWidget)
    moved = [contradicts.item(i).data(EVIDENCE_ROLE)[0] for i in range(contradicts.count())]
    assert evidence_id in moved

    item = next(
        contradicts.item(i)
        for i in range(contradicts.count())
        if contradicts.item(i).data(EVIDENCE_ROLE)[0] == evidence_id
    )
    (detach,) = [a for a in panel.evidence_menu(item).actions() if a.text().startswith("Detach")]
    detach.trigger()
    assert in_file(sample_copy, "SELECT count(*) FROM evidence WHERE id = ?", evidence_id) == [(0,)]
    sample_window.undo_action.trigger()
    assert in_file(sample_copy, "SELECT stance FROM evidence WHERE id = ?", evidence_id) == [
        ("contradicts",)
    ]


def test_deleting_a_reading_says_first_how_much_evidence_goes_with_it(
    sample_window: MainWindow, sample_copy: Path
) -> None:
    panel = panel_of(sample_window)
    (reading_id, held), *_ = in_file(
        sample_copy,
        "SELECT r.id, count(e.id) FROM reading r JOIN evidence e ON e.reading_id = r.id "
        "WHERE r.title = 'The transactional reading'",
    )
    said: list[str] = []
    answer(YES, said=said)
    button(column(panel, "The transactional reading"), "Delete…").click()
    assert said == [
        f"“The transactional reading” holds {held} pieces of evidence. Delete the reading and "
        "its evidence? (Undo brings both back.)"
    ]
    assert "The transactional reading" not in titles(panel)
    assert in_file(
        sample_copy, "SELECT count(*) FROM evidence WHERE reading_id = ?", reading_id
    ) == [(0,)]
    sample_window.undo_action.trigger()  # one step brings back the reading and its evidence
    assert "The transactional reading" in titles(panel)
    assert in_file(
        sample_copy, "SELECT count(*) FROM evidence WHERE reading_id = ?", reading_id
    ) == [(held,)]
