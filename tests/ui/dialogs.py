"""Answering the window's modal dialogs as a user does: wait for the dialog, then type and press
keys or click one of its buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)


def when_modal(answer: Callable[[QWidget], None], kind: type[QWidget] = QWidget) -> None:
    """Call ``answer`` with the next modal dialog of ``kind``, once it is showing (call before
    opening it)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(10, poll)
            return
        answer(dialog)

    QTimer.singleShot(0, poll)


def type_name(qtbot: object, text: str, seen: list[QWidget] | None = None) -> None:
    """Answer the next name dialog: its field has focus; replace its text and press Enter."""

    def answer(dialog: QWidget) -> None:
        field = dialog.findChild(QLineEdit)
        assert field is not None
        assert dialog.focusWidget() is field, "the name field is not focused"
        if seen is not None:
            seen.append(dialog)
        field.selectAll()
        qtbot.keyClicks(field, text)  # type: ignore[attr-defined]
        qtbot.keyClick(field, Qt.Key.Key_Return)  # type: ignore[attr-defined]

    when_modal(answer, QInputDialog)


def click_button(text: str, seen: list[str] | None = None) -> None:
    """Answer the next message box by clicking its button whose text starts with ``text``;
    ``seen`` collects the texts of its labels."""
    when_modal(_clicking(text, seen), QMessageBox)


def _clicking(text: str, seen: list[str] | None) -> Callable[[QWidget], None]:
    def answer(dialog: QWidget) -> None:
        if seen is not None:
            seen.extend(label.text() for label in dialog.findChildren(QLabel) if label.text())
        buttons = [
            b
            for b in dialog.findChildren(QAbstractButton)
            if b.text().replace("&", "").startswith(text)
        ]
        assert buttons, f"no button {text!r}"
        buttons[0].click()

    return answer


def menu_item(menu: QMenu, text: str) -> QAction:
    """The item of ``menu`` or of one of its submenus whose text is ``text``."""
    for action in menu.actions():
        if action.text() == text:
            return action
        sub = action.menu()
        if isinstance(sub, QMenu):
            try:
                return menu_item(sub, text)
            except LookupError:
                pass
    raise LookupError(text)
