"""Answering the window's dialogs as a user would: wait for the dialog, type, press Enter.

:func:`answer` schedules the answers to the next dialogs, one after another; each step waits for
its dialog to be the active modal widget, then acts on it (typing where a name is asked, picking
from a list, clicking a message box's button) and records what the dialog said.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

Step = Callable[[QWidget], None]


def answer(*steps: Step, said: list[str] | None = None, tries: int = 200) -> None:
    """Answer the next ``len(steps)`` dialogs with ``steps``, in order; what each asked or said
    (its label, or a message box's text) is appended to ``said``."""
    if not steps:
        return
    step, rest = steps[0], steps[1:]

    def act(left: int = tries) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or getattr(dialog, "_answered", False):
            if left:
                QTimer.singleShot(10, lambda: act(left - 1))
            return
        dialog._answered = True  # type: ignore[attr-defined]
        if said is not None:
            said.append(_said(dialog))
        answer(*rest, said=said, tries=tries)
        try:
            step(dialog)
        except BaseException:
            dialog.close()  # never leave the test waiting on a dialog
            raise

    QTimer.singleShot(0, act)


def _said(dialog: QWidget) -> str:
    if isinstance(dialog, QMessageBox):
        return dialog.text()
    if isinstance(dialog, QInputDialog):
        return dialog.labelText()
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def typed(text: str) -> Step:
    """Type ``text`` into the focused one-line field (replacing what is there), then Enter."""

    def step(dialog: QWidget) -> None:
        field = dialog.focusWidget()  # what has the focus when the dialog is active
        assert isinstance(field, QLineEdit), f"the field is not focused: {field}"
        field.selectAll()
        QTest.keyClicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)

    return step


def file_named(path: Path) -> Step:
    """Answer a file dialog (open, save or folder) with ``path``: paste it whole into the name
    field, then Enter. Pasted, not typed letter by letter, so the field's completer has no list
    open to take the Enter."""

    def step(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog), f"not a file dialog: {dialog}"
        field = dialog.findChild(QLineEdit, "fileNameEdit")
        assert field is not None
        field.setFocus()
        field.setText(str(path))
        QTest.keyClick(field, Qt.Key.Key_Return)

    return step


def written(text: str) -> Step:
    """Write ``text`` in a several-line field, then press OK."""

    def step(dialog: QWidget) -> None:
        field = dialog.findChild(QPlainTextEdit)
        assert field is not None
        assert dialog.focusWidget() is field
        field.selectAll()
        QTest.keyClicks(field, text)
        _ok(dialog)

    return step


def picked(index: int) -> Step:
    """Pick item ``index`` of the dialog's list, then Enter."""

    def step(dialog: QWidget) -> None:
        combo = dialog.findChild(QComboBox)
        assert combo is not None
        combo.setCurrentIndex(index)
        QTest.keyClick(combo, Qt.Key.Key_Return)

    return step


def number(value: int) -> Step:
    def step(dialog: QWidget) -> None:
        spin = dialog.findChild(QSpinBox)
        assert spin is not None
        spin.setValue(value)
        QTest.keyClick(spin, Qt.Key.Key_Return)

    return step


def clicked(button: QMessageBox.StandardButton) -> Step:
    def step(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        dialog.button(button).click()

    return step


def accepted(dialog: QWidget) -> None:
    """Accept a dialog as it stands."""
    _ok(dialog)


def cancelled(dialog: QWidget) -> None:
    assert isinstance(dialog, QDialog)
    dialog.reject()


def _ok(dialog: QWidget) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    ok.click()


YES = clicked(QMessageBox.StandardButton.Yes)
OK = clicked(QMessageBox.StandardButton.Ok)
