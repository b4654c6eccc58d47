"""Run something once a widget is on screen: on the turn of the event loop after its next paint.

Opening a project waits for the empty window to be painted, and the panels wait for the film's
first frame to be painted, so that what the user sees first is never held up by what comes after.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)  # goes with the widget if it is never painted
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Not now: the paint is still under way, and ``then`` may be slow.
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def after_next_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` on the turn of the event loop after ``widget``'s next paint, once."""
    _AfterPaint(widget, then)
