"""Small dialogs that ask for one thing: a name, a description, a choice, a pair of durations.

Each opens with its field focused; Enter accepts a one-line field (a description takes several
lines, so there Ctrl+Enter or the OK button accepts). Each returns what was given, or None when
the user cancels, so a caller never edits on a cancel.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

#: How wide a field is at least, in pixels: a title or a caption reads whole.
FIELD_WIDTH = 420


def _dialog(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    return dialog


def _run(dialog: QInputDialog) -> bool:
    """Show ``dialog`` until it is answered; True if accepted."""
    # The dialog fits its layout to the field, so the field is widened, not the dialog.
    for kind in (QLineEdit, QPlainTextEdit, QComboBox):
        for field in dialog.findChildren(kind):
            field.setMinimumWidth(FIELD_WIDTH)
    return bool(dialog.exec())


def text(parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
    """One line of text, e.g. a name; None if cancelled or left empty."""
    dialog = _dialog(parent, title, label)
    dialog.setTextValue(value)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    if not _run(dialog):
        return None
    answer = dialog.textValue().strip()
    return answer or None


def long_text(parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
    """Several lines of text, e.g. a summary (may be empty); None if cancelled."""
    dialog = _dialog(parent, title, label)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setTextValue(value)
    return dialog.textValue().strip() if _run(dialog) else None


def choice(parent: QWidget | None, title: str, label: str, items: Sequence[str]) -> int | None:
    """The index of one of ``items``; None if cancelled or there is nothing to choose."""
    if not items:
        return None
    dialog = _dialog(parent, title, label)
    dialog.setComboBoxItems(list(items))
    dialog.setComboBoxEditable(False)
    if not _run(dialog):
        return None
    return list(items).index(dialog.textValue())


def milliseconds(
    parent: QWidget | None, title: str, label: str, value: int, maximum: int = 60_000
) -> int | None:
    """A whole number of milliseconds from 0 to ``maximum``; None if cancelled."""
    dialog = _dialog(parent, title, label)
    dialog.setInputMode(QInputDialog.InputMode.IntInput)
    dialog.setIntRange(0, maximum)
    dialog.setIntStep(100)
    dialog.setIntValue(value)
    return dialog.intValue() if _run(dialog) else None


def form(dialog: QDialog, rows: Sequence[tuple[str, QWidget]]) -> tuple[QLabel, QDialogButtonBox]:
    """Lay out an editor's fields in ``dialog``: a labelled row each, a line under them that says
    what is wrong with what was typed (hidden until the editor shows it), then OK and Cancel.
    Returns the problem line and the buttons."""
    problem = QLabel()
    problem.setStyleSheet("color: #c0392b")
    problem.setWordWrap(True)
    problem.setVisible(False)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QFormLayout(dialog)
    for name, widget in rows:
        layout.addRow(name, widget)
    layout.addRow("", problem)
    layout.addRow(buttons)
    return problem, buttons
