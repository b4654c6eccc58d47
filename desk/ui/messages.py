"""Message boxes that show their text as plain text, always.

Messages quote paths, file names and imported text, all of which may come from a project or a
file someone else wrote; QMessageBox's static functions guess the text format and would render
such text as rich text (and load the images it names). These take the same arguments and never
guess.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def _show(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, buttons: Button
) -> Button:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return Button(box.exec())


def question(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes-or-no question; True for yes."""
    icon, buttons = QMessageBox.Icon.Question, Button.Yes | Button.No
    return _show(parent, icon, title, text, buttons) == Button.Yes


def information(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Information, title, text, Button.Ok)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Warning, title, text, Button.Ok)


def critical(parent: QWidget | None, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Critical, title, text, Button.Ok)
