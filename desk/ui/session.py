"""The open project as seen by the GUI: edits go in here, one ``changes_applied`` signal comes out.

Panels never write SQL or call each other. They call :meth:`Session.edit` with a function from
:mod:`desk.store.edits`; the session runs it (one durable, undoable transaction) and broadcasts what
changed, typed (:class:`~desk.store.changes.Changes`), with the panel that asked as its
``initiator``, so each view refreshes only when it must and can ignore its own echo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, Signal

from desk.store.changes import Changes
from desk.store.project import Project
from desk.store.read_ahead import ReadAhead

log = logging.getLogger("desk.ui")
T = TypeVar("T")


class Session(QObject):
    """One open project, shared by every panel of a window."""

    #: (changes: Changes) after every edit, undo and redo; ``changes.initiator`` is the view that
    #: asked for the edit, None for undo and redo.
    changes_applied = Signal(Changes)
    #: (undo label or "", redo label or "") whenever the history moves.
    history_changed = Signal(str, str)
    #: Before every edit, undo and redo: an editor holding unsaved text saves it first.
    about_to_change = Signal()
    #: (reachable) when a class's server stops answering, and when it answers again.
    connection_changed = Signal(bool)
    #: What others committed to a class, from the thread that listens for it.
    _heard = Signal(Changes)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._closed = False
        self._ahead: dict[object, ReadAhead[Any]] = {}
        self._heard.connect(self._others_changed)
        project.watch(self._heard.emit, self.connection_changed.emit)

    def _others_changed(self, changes: Changes) -> None:
        """Others' edits reach the views as edits asked for by no view: every view refreshes
        (unless the project was closed while they were on their way)."""
        if not self._closed:
            self.changes_applied.emit(changes)

    def read_ahead(self, read: Callable[[Project], object]) -> None:
        """Start ``read`` of the project on another thread, for a view that will need it
        (:mod:`desk.store.read_ahead`)."""
        ahead = ReadAhead.start(self.project, read)
        if ahead is not None:
            self._ahead[read] = ahead

    def read(self, read: Callable[[Project], T]) -> T:
        """``read`` of the project: the one made ahead, if it is still true, else now."""
        ahead = self._ahead.pop(read, None)
        found = ahead.take() if ahead is not None else None
        return cast(T, found) if found is not None else read(self.project)

    def close(self) -> None:
        """Close the project; what others change from now on is not told."""
        self._closed = True
        for ahead in self._ahead.values():
            ahead.close()
        self._ahead.clear()
        self.project.close()

    def edit(
        self,
        fn: Callable[..., tuple[Any, Changes]],
        *args: Any,
        initiator: object | None = None,
        **kw: Any,
    ) -> Any:
        """Apply one edit from :mod:`desk.store.edits` and tell every view; returns its result."""
        self.about_to_change.emit()
        result, changes = fn(self.project, *args, **kw)
        self._broadcast(changes, initiator)
        return result

    def undo(self) -> None:
        self.about_to_change.emit()
        self._broadcast(self.project.undo(), None)

    def redo(self) -> None:
        self.about_to_change.emit()
        self._broadcast(self.project.redo(), None)

    def _broadcast(self, changes: Changes | None, initiator: object | None) -> None:
        if changes:
            self.changes_applied.emit(changes.by(initiator))
        undo, redo = self.project.undo_labels()
        self.history_changed.emit(undo or "", redo or "")
