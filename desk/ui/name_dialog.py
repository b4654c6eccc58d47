"""Asking for a name: a small dialog with its field focused, where Enter accepts and Escape
cancels, and a name of only spaces counts as none."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


def ask_name(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """The name typed (trimmed), or None when the user cancelled or typed nothing."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("name-dialog")
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.resize(max(dialog.sizeHint().width(), 320), dialog.sizeHint().height())
    if not dialog.exec():
        return None
    return dialog.textValue().strip() or None
