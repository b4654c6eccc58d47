"""The window's editing actions that have no panel of their own to live in (Edit → Characters…).

Each is declared once in :data:`ACTIONS` (id, name, menu, shortcut, help, handler), and
:func:`add_edit_menus` puts them in the window's menus, so a table of every action can list them
from the same place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from desk.ui.session import Session

SessionGetter = Callable[[], Session | None]


@dataclass(frozen=True)
class EditAction:
    id: str
    name: str
    #: The menu it appears in, by its title without the accelerator's "&".
    menu: str
    shortcut: str | None
    help: str
    handler: Callable[[QWidget, Session | None], object]


def _characters(window: QWidget, session: Session | None) -> object:
    # imported on first use: the dialog's edits load SQLModel, which the window's first frame
    # does without
    from desk.ui.characters_dialog import open_characters

    return open_characters(window, session)


ACTIONS = (
    EditAction(
        "edit.characters",
        "Characters…",
        "Edit",
        None,
        "Add, rename, recolour and delete the project's characters",
        _characters,
    ),
)


def _menu(window: QMainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return window.menuBar().addMenu(title)


def add_edit_menus(window: QMainWindow, session: SessionGetter) -> dict[str, QAction]:
    """Add every action of :data:`ACTIONS` to its menu; returns them by id."""
    added: dict[str, QAction] = {}
    for spec in ACTIONS:
        menu = _menu(window, spec.menu)
        menu.addSeparator()
        action = QAction(spec.name, window)
        action.setObjectName(spec.id)
        action.setStatusTip(spec.help)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(lambda _=False, s=spec: s.handler(window, session()))
        menu.addAction(action)
        added[spec.id] = action
    return added
