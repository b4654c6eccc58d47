"""Messages quote paths and imported text; none of it is ever read as rich text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from desk.ui import messages

UNTRUSTED = "<img src='file:///etc/desk-secret.png'><b>Nothing was imported</b>"


def shown_then(answer: QMessageBox.StandardButton, seen: list[tuple[str, Qt.TextFormat]]) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    label = box.findChild(QLabel, "qt_msgbox_label")
    seen.append((label.text(), label.textFormat()))
    box.button(answer).click()


def test_a_warning_shows_markup_as_the_characters_it_is(qtbot) -> None:
    seen: list[tuple[str, Qt.TextFormat]] = []
    QTimer.singleShot(0, lambda: shown_then(QMessageBox.StandardButton.Ok, seen))
    messages.warning(None, "desk", UNTRUSTED)
    assert seen == [(UNTRUSTED, Qt.TextFormat.PlainText)]


def test_a_question_answers_yes_or_no(qtbot) -> None:
    seen: list[tuple[str, Qt.TextFormat]] = []
    QTimer.singleShot(0, lambda: shown_then(QMessageBox.StandardButton.Yes, seen))
    assert messages.question(None, "desk — play this film?", UNTRUSTED)
    QTimer.singleShot(0, lambda: shown_then(QMessageBox.StandardButton.No, seen))
    assert not messages.question(None, "desk — play this film?", UNTRUSTED)
    assert [fmt for _text, fmt in seen] == [Qt.TextFormat.PlainText] * 2


def test_a_users_problem_reaching_the_event_loop_is_told_plainly(monkeypatch, qtbot) -> None:
    """Not "something went wrong inside desk": the disk is full, or the file was made read-only."""
    from desk import app
    from desk.errors import ProjectError

    said: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "warning", lambda p, t, text: said.append(("warning", text)))
    monkeypatch.setattr(messages, "critical", lambda p, t, text: said.append(("critical", text)))
    problem = ProjectError("p.desk could not be saved: database or disk is full.")
    app._excepthook(ProjectError, problem, None)
    assert said == [("warning", "p.desk could not be saved: database or disk is full.")]
