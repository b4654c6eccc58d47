"""Text being typed keeps its keys; Esc leaves it for the player.

The window's single-key shortcuts give way to a text field by Qt's own rule: a line edit or text
edit claims the keys it types with (``ShortcutOverride``). An item view's open editor also claims
Esc, to close itself, which would leave focus on the view; :class:`EscapeLeavesText` lets Esc go
to the window's "Back to the player" action instead, whose focus change closes the editor with its
text kept (a delegate commits an editor that loses focus).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def is_typing(widget: QWidget | None) -> bool:
    """Whether ``widget`` is a place text is typed in (a text field, an editor, a spin box)."""
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QAbstractSpinBox)


class EscapeLeavesText(QObject):
    """An application event filter: Esc in a text field of ``window`` reaches the window's
    shortcut (dialogs, menus and other windows keep their own Esc)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Every event of the application passes here: the cheap test of its class comes first
        # (asking its type makes a Python enum, a few microseconds for each paint and timer).
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            focus = QApplication.focusWidget()
            if is_typing(focus) and focus is not None and focus.window() is self.window:
                return True  # not claimed by the editor: the window's Esc action runs
        return False  # QObject.eventFilter filters nothing; calling it cost as much as the rest
