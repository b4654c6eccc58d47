"""Importing from the window: one undoable edit every view hears of, conflicts shown and settled,
and an essay that replaces the project's only when the user says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QRadioButton

from desk.interchange.formats import Options, export_file
from desk.store.changes import Changed, Changes
from desk.ui.interchange_menu import ESSAY_ACTION, run_import, settle_conflicts
from desk.ui.main_window import MainWindow
from desk.ui.merge_dialog import ConflictDialog
from desk.ui.session import Session
from tests.ui.answers import OK, answer, clicked, file_named
from tests.ui.dialogs import menu_item


def edited_export(session: Session, tmp_path: Path) -> tuple[Path, str, str]:
    """The project as JSON-LD with one note's text changed: (file, old text, new text)."""
    target = tmp_path / "student.jsonld"
    export_file(session.project, "jsonld", target)
    data = json.loads(target.read_text("utf-8"))
    ((old,),) = session.project.query("SELECT text FROM note ORDER BY id LIMIT 1")
    text = target.read_text("utf-8")
    assert json.dumps(old)[1:-1] in text
    new = "She keeps the ring after all."
    target.write_text(text.replace(json.dumps(old)[1:-1], new, 1), "utf-8")
    assert json.loads(target.read_text("utf-8")) != data
    return target, old, new


def test_an_import_reaches_every_view_and_is_one_undo(
    session: Session, tmp_path: Path, qtbot: object
) -> None:
    vtt = tmp_path / "dialogue.en.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Igor>Ne nado.\n", "utf-8")
    heard: list[Changes] = []
    session.changes_applied.connect(heard.append)
    summary = run_import(session, "vtt", vtt)
    assert summary.added == {"tier": 1}
    assert heard
    assert heard[-1].touches(Changed.CUES)
    assert session.project.query("SELECT speaker, text FROM cue") == [("Igor", "Ne nado.")]
    session.undo()
    assert session.project.query("SELECT count(*) FROM cue") == [(0,)]


def test_a_conflict_can_be_settled_with_the_files_version(session: Session, tmp_path: Path) -> None:
    target, old, new = edited_export(session, tmp_path)
    summary = run_import(session, "jsonld", target)
    assert [(c.kind, c.ours, c.theirs) for c in summary.conflicts] == [("note", old, new)]
    texts = [t for (t,) in session.project.query("SELECT text FROM note")]
    assert old in texts
    assert new not in texts
    settled = settle_conflicts(session, "jsonld", target, Options(), "theirs")
    assert len(settled.conflicts) == 1
    texts = [t for (t,) in session.project.query("SELECT text FROM note")]
    assert new in texts
    assert old not in texts
    session.undo()  # one step takes the whole import back
    texts = [t for (t,) in session.project.query("SELECT text FROM note")]
    assert old in texts
    assert new not in texts


def test_the_conflict_dialog_offers_to_keep_both(session: Session, tmp_path: Path) -> None:
    target, _old, new = edited_export(session, tmp_path)
    summary = run_import(session, "jsonld", target)
    dialog = ConflictDialog(summary.conflicts)
    assert dialog.table.item(0, 3).text() == new
    both = dialog.findChild(QRadioButton, "choice-0-2")
    assert both.text() == "Keep both"
    QTimer.singleShot(0, both.click)
    QTimer.singleShot(0, dialog.apply.click)
    dialog.exec()
    assert set(dialog.choices().values()) == {"both"}


def test_an_export_from_the_window_onto_the_open_project_is_refused(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QWidget

    from desk.ui import interchange_menu, messages

    project = session.project.path
    before = project.read_bytes()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(project), ""))
    said: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _p, _t, text: said.append(text))
    interchange_menu._export_dialog(QWidget(), session, "csv", "CSV (*.csv)")
    assert said == [f"{project} is a desk project, which desk never replaces; choose another file."]
    assert project.read_bytes() == before
    assert session.project.query("SELECT count(*) FROM paragraph")[0][0] > 0


def essay_texts(window: MainWindow) -> list[str]:
    assert window.session is not None
    return [
        t for (t,) in window.session.project.query("SELECT text FROM paragraph ORDER BY position")
    ]


def test_an_essay_imported_over_one_replaces_it_only_when_asked_and_in_one_undo(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    essay = tmp_path / "draft.md"
    essay.write_text("# Draft\n\n*Notes for Tuesday.*\n\nThe ring comes back.\n\nSnow.\n", "utf-8")
    before = essay_texts(sample_window)
    item = menu_item(sample_window.menus["File"], ESSAY_ACTION)
    said: list[str] = []
    answer(file_named(essay), clicked(QMessageBox.StandardButton.No), said=said)
    item.trigger()
    assert said[1].startswith("The project already has an essay, “")
    assert said[1].endswith("Replace it with draft.md? (Undo brings it back.)")
    assert essay_texts(sample_window) == before
    answer(file_named(essay), clicked(QMessageBox.StandardButton.Yes), OK)
    item.trigger()
    assert essay_texts(sample_window) == ["The ring comes back.", "Snow."]
    sample_window.undo_action.trigger()
    assert essay_texts(sample_window) == before


def test_a_file_that_is_no_essay_is_refused_with_a_sentence_and_the_essay_stays(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("", "utf-8")
    before = essay_texts(sample_window)
    said: list[str] = []
    answer(file_named(empty), OK, said=said)
    menu_item(sample_window.menus["File"], ESSAY_ACTION).trigger()
    assert said[1].startswith("Nothing was imported: The essay file 'empty.md'")
    assert essay_texts(sample_window) == before


def test_a_file_past_the_end_of_the_film_is_imported_only_when_the_user_says_so(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    assert sample_window.session is not None
    project = sample_window.session.project
    sheet = tmp_path / "notes.csv"
    sheet.write_text("start,text\n00:00:01.000,Snow.\n999:00:00.000,A slip of the keyboard.\n")
    item = menu_item(sample_window.menus["File"], "Spreadsheet (CSV)…")
    before = project.query("SELECT count(*) FROM note")
    said: list[str] = []
    answer(file_named(sheet), clicked(QMessageBox.StandardButton.No), said=said)
    item.trigger()
    assert "'notes.csv' has 1 time past the end of the film" in said[1]
    assert 'note "A slip of the keyboard." at 999:00:00.000' in said[1]
    assert said[1].endswith("Import them anyway?")
    assert project.query("SELECT count(*) FROM note") == before
    answer(file_named(sheet), clicked(QMessageBox.StandardButton.Yes), OK, said=said)
    item.trigger()
    assert said[-1].startswith("Imported notes.csv: 2 notes")
    assert project.query("SELECT count(*) FROM note") == [(before[0][0] + 2,)]
