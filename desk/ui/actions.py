"""The action table (:mod:`desk.actions`) made into QActions, menus and a shortcut sheet.

One :class:`Actions` holds a QAction per entry of the table. Whoever does an action says so with
:meth:`Actions.handle` (the window its File and Help items, the player its transport, a panel its
own); an action nobody does is disabled, so neither its key nor its menu item can do nothing
silently. A panel's own actions (``context`` "essay", "notes", "timeline") are attached to the
panel, so their keys work while focus is in it; every other key works anywhere in the window,
giving way only to text being typed (:mod:`desk.ui.text_focus`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from desk.actions import ACTIONS, MENUS, Action, Context

Handler = Callable[[], object]
#: Each menu's title with its Alt key (no two alike).
MENU_TITLES = {"File": "&File", "Edit": "&Edit", "View": "&View", "Playback": "&Playback",
               "Marks": "&Marks", "Essay": "E&ssay", "Notes": "&Notes", "Timeline": "&Timeline",
               "Readings": "&Readings", "Clips": "&Clips", "Help": "&Help"}  # fmt: skip


def key_text(entry: Action) -> str:
    """The action's key as this platform writes it ("" for none)."""
    return QKeySequence(entry.shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def tooltip(entry: Action) -> str:
    return f"{entry.name} ({key_text(entry)})" if entry.shortcut else entry.name


class Actions(QObject):
    """A QAction for every action of the table, on one window (``host``)."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self._qactions: dict[str, QAction] = {}
        self._handlers: dict[str, tuple[QObject, Handler]] = {}
        for entry in ACTIONS:
            action = QAction(entry.name, host)
            if entry.shortcut:
                action.setShortcut(QKeySequence(entry.shortcut))
            action.setCheckable(entry.checkable)
            action.setStatusTip(entry.help)
            action.setToolTip(tooltip(entry))
            action.setEnabled(False)
            action.triggered.connect(lambda _checked=False, i=entry.id: self._run(i))
            if entry.context == "anywhere":
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                host.addAction(action)
            else:  # only while focus is in the panel it is attached to
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._qactions[entry.id] = action

    def __getitem__(self, action_id: str) -> QAction:
        return self._qactions[action_id]

    def handle(self, owner: QObject, handlers: Mapping[str, Handler]) -> None:
        """``owner`` does these actions from now on (until :meth:`release`)."""
        for action_id, handler in handlers.items():
            self._qactions[action_id].setEnabled(True)  # a KeyError names an unknown action
            self._handlers[action_id] = (owner, handler)

    def release(self, owner: QObject) -> None:
        """``owner`` does its actions no more (a closed project's player and panels)."""
        for action_id, (who, _handler) in list(self._handlers.items()):
            if who is owner:
                del self._handlers[action_id]
                self._qactions[action_id].setEnabled(False)

    def handled(self) -> set[str]:
        return set(self._handlers)

    def attach(self, context: Context, widget: QWidget) -> None:
        """The actions of ``context`` work by key while focus is in ``widget``."""
        for entry in ACTIONS:
            if entry.context == context:
                widget.addAction(self._qactions[entry.id])

    def _run(self, action_id: str) -> None:
        found = self._handlers.get(action_id)
        if found is not None:
            found[1]()


def build_menus(bar: QMenuBar, actions: Actions) -> dict[str, QMenu]:
    """A menu per entry of :data:`~desk.actions.MENUS`, holding its actions in table order."""
    menus: dict[str, QMenu] = {}
    for name in MENUS:
        menu = menus[name] = bar.addMenu(MENU_TITLES[name])
        for entry in ACTIONS:
            if entry.menu != name:
                continue
            if entry.group_start and not menu.isEmpty():
                menu.addSeparator()
            menu.addAction(actions[entry.id])
    return menus
