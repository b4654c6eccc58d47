"""The window's actions for readings, clip lists and clips, declared once as a table.

Each :class:`EditAction` names its id, its menu, its shortcut (None: menu only), the panel it acts
on and what it asks of that panel. :func:`add_edit_menus` puts them in the window's menus in one
call; the panel's dock is raised first, so the user sees the list or reading being changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow


@dataclass(frozen=True)
class EditAction:
    id: str
    name: str
    #: The menu it appears in (made if the window has none of that title).
    menu: str
    shortcut: str | None
    #: The panel it acts on (a name in :data:`desk.ui.panels.PANELS`).
    panel: str
    run: Callable[[Any], object]
    help: str


ACTIONS: tuple[EditAction, ...] = (
    EditAction("reading.new", "New reading…", "&Edit", None, "readings",
               lambda p: p.new_reading(), "Add a competing interpretation, named in a dialog"),
    EditAction("clips.new_list", "New clip list…", "&Clips", None, "clips",
               lambda p: p.new_list(), "Start a clip list for a lecture"),
    EditAction("clips.add_marks", "Add the I/O range as a clip", "&Clips", None, "clips",
               lambda p: p.add_marks(), "A clip from the I mark to the O mark's frame, included"),
    EditAction("clips.add_scene", "Add a scene as a clip…", "&Clips", None, "clips",
               lambda p: p.add_scene(), "A clip of a whole scene"),
    EditAction("clips.add_beats", "Add a run of beats as a clip…", "&Clips", None, "clips",
               lambda p: p.add_beats(), "One clip from a beat's start to a later beat's end"),
    EditAction("clips.add_paragraph", "Add a paragraph's links as clips…", "&Clips", None,
               "clips", lambda p: p.add_paragraph(), "One clip per moment a paragraph cites"),
    EditAction("clips.handles", "Default handles…", "&Clips", None, "clips",
               lambda p: p.set_default_handles(), "Film shown before and after each new clip"),
    EditAction("clips.export", "Export the clip list…", "&Clips", None, "clips",
               lambda p: p.export_list(), "MP4 clips, a playlist, a reel, a handout"),
)  # fmt: skip


def _menu(window: QMainWindow, title: str) -> QMenu:
    """The window's menu called ``title``, or a new one before Help."""
    bar = window.menuBar()
    for action in bar.actions():
        if action.text() == title and action.menu() is not None:
            found = action.menu()
            assert isinstance(found, QMenu)
            return found
    help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
    menu = QMenu(title, window)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    return menu


def add_edit_menus(window: MainWindow) -> dict[str, QAction]:
    """Put :data:`ACTIONS` in ``window``'s menus; returns them by id."""
    made: dict[str, QAction] = {}
    for spec in ACTIONS:
        menu = _menu(window, spec.menu)
        action = QAction(spec.name, window)
        action.setObjectName(spec.id)
        action.setStatusTip(spec.help)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(lambda _c=False, spec=spec: _run(window, spec))
        menu.addAction(action)
        made[spec.id] = action
    return made


def _run(window: MainWindow, spec: EditAction) -> None:
    if window.workspace is None:
        return
    dock = window.docks.get(spec.panel)
    if dock is not None:
        dock.show()
        dock.raise_()
    spec.run(window.workspace.panels.get(spec.panel))
