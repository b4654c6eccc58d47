"""A lane of beats: one graphics item that paints, hit-tests and drags all of one lane's beats.

Hit-testing runs on the lane's numpy arrays of starts and ends, never on graphics items. Dragging
a beat's body retimes it, dragging near one of its edges resizes it; both snap to frame
boundaries while the drag is shown and are committed once, when the mouse is released, through the
``retimed`` signal. The lane never edits the project itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter

from desk.ui.timeline.model import Film
from desk.ui.timeline.strips import DeviceMap, LaneItem, SpanStyle, guarded, paint_spans, visible

#: How close (px) to a beat's edge a press grabs the edge rather than the body.
EDGE_PX = 6
#: How far (px) from a moment a press still grabs it.
GRAB_PX = 5


@dataclass(frozen=True)
class Hit:
    """The beat under the pointer: its row in the beats table and the part that was grabbed."""

    row: int
    part: str  # "body", "start" or "end"


@dataclass
class _Drag:
    hit: Hit
    start_ms: int
    end_ms: int
    preview: tuple[int, int]


class BeatLaneItem(LaneItem):
    """Every beat of one lane, between ``top`` and ``top + height`` in view units."""

    #: (beat row, start_ms, end_ms) when a drag ends with a new time for a beat.
    retimed = Signal(int, int, int)
    #: (beat row or -1) on a click.
    clicked = Signal(int)
    #: (beat row) on a double-click.
    activated = Signal(int)
    #: (film ms) on a click where there is no beat.
    clicked_empty = Signal(float)
    #: (lane key) on a click anywhere in the lane: its character is the one new beats are for.
    lane_clicked = Signal(object)
    #: (beat row, screen position) on a right-click on a beat.
    menu_requested = Signal(int, QPoint)

    def __init__(self, key: object, top: float, height: float, film: Film) -> None:
        super().__init__()
        self.key, self.top, self.height, self.film = key, top, height, film
        self.rows = np.zeros(0, dtype=np.int64)
        self.starts = np.zeros(0, dtype=np.int64)
        self.ends = np.zeros(0, dtype=np.int64)
        self.colors = np.zeros((0, 4), dtype=np.uint8)
        self.labels: list[str] = []
        self.longest = 0
        self.selected_row: int | None = None
        #: (beat row, rectangle in the view's pixels) of each label the last paint wrote.
        self.label_rects: list[tuple[int, QRectF]] = []
        self.style = SpanStyle(QColor(20, 20, 24, 200), QColor("#ffd54a"))
        self._drag: _Drag | None = None
        self.setAcceptHoverEvents(True)

    # -- data --------------------------------------------------------------------------------
    def set_beats(
        self,
        rows: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        colors: np.ndarray,
        labels: list[str],
    ) -> None:
        """This lane's beats: their rows in the beats table, in start order, and how they look."""
        self.rows, self.starts, self.ends, self.colors = rows, starts, ends, colors
        self.labels = labels
        self.longest = int((ends - starts).max()) if len(starts) else 0
        self._drag = None
        self.update()

    def set_film(self, film: Film) -> None:
        self.prepareGeometryChange()
        self.film = film
        self.update()

    def select(self, row: int | None) -> None:
        local = np.flatnonzero(self.rows == row) if row is not None else np.zeros(0, np.int64)
        selected = int(local[0]) if len(local) else None
        if selected != self.selected_row:
            self.selected_row = selected
            self.update()

    # -- painting ----------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, self.top, max(self.film.duration_ms, 1), self.height)

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        view = self.getViewBox()
        if view is None:
            return
        low, high = view.viewRange()[0]
        dm = DeviceMap.take(painter, low, high)
        y0, y1 = dm.y(self.top + 0.08 * self.height), dm.y(self.top + 0.92 * self.height)
        top, height = min(y0, y1), abs(y1 - y0)
        index = visible(self.starts, self.ends, self.longest, low, high)
        self.label_rects = []
        paint_spans(
            painter,
            dm,
            index,
            self.starts,
            self.ends,
            self.colors,
            self.labels,
            top,
            height,
            self.style,
            self.selected_row,
            self.label_rects,
        )
        if self._drag is not None:
            self._paint_drag(painter, dm, top, height)

    def _paint_drag(self, painter: QPainter, dm: DeviceMap, top: float, height: float) -> None:
        assert self._drag is not None
        local = np.flatnonzero(self.rows == self._drag.hit.row)
        if not len(local):
            return
        k = int(local[0])
        starts = np.array([self._drag.preview[0]], dtype=np.int64)
        ends = np.array([self._drag.preview[1]], dtype=np.int64)
        paint_spans(
            painter,
            dm,
            np.array([0]),
            starts,
            ends,
            self.colors[[k]],
            [self.labels[k]],
            top,
            height,
            self.style,
            0,
        )

    # -- hit-testing -------------------------------------------------------------------------
    def _ms_per_px(self) -> float:
        view = self.getViewBox()
        size = view.viewPixelSize()[0] if view is not None else 1.0
        return float(size) or 1.0

    def hit(self, x_ms: float, ms_per_px: float | None = None) -> Hit | None:
        """The beat at ``x_ms`` (the latest-starting one where beats overlap), or None."""
        per_px = ms_per_px or self._ms_per_px()
        grab = GRAB_PX * per_px
        index = visible(self.starts, self.ends, self.longest, x_ms - grab, x_ms + grab)
        if not len(index):
            return None
        starts, ends = self.starts[index], self.ends[index]
        inside = (starts <= x_ms) & (x_ms <= ends)
        k = int(index[np.flatnonzero(inside)[-1]] if inside.any() else index[-1])
        start, end = int(self.starts[k]), int(self.ends[k])
        edge = min(EDGE_PX * per_px, (end - start) / 4)
        if end - start > 0 and abs(x_ms - start) <= edge:
            return Hit(int(self.rows[k]), "start")
        if end - start > 0 and abs(x_ms - end) <= edge:
            return Hit(int(self.rows[k]), "end")
        return Hit(int(self.rows[k]), "body")

    def _times_of(self, row: int) -> tuple[int, int]:
        k = int(np.flatnonzero(self.rows == row)[0])
        return int(self.starts[k]), int(self.ends[k])

    # -- pointer -----------------------------------------------------------------------------
    def hoverEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.isExit():
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        found = self.hit(ev.pos().x())
        if found is None:
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        ev.acceptDrags(Qt.MouseButton.LeftButton)
        ev.acceptClicks(Qt.MouseButton.LeftButton)
        ev.acceptClicks(Qt.MouseButton.RightButton)  # the beat's menu, not the view's
        edge = found.part != "body"
        self.setCursor(Qt.CursorShape.SizeHorCursor if edge else Qt.CursorShape.OpenHandCursor)

    def mouseClickEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.button() == Qt.MouseButton.RightButton:
            beat = self.hit(ev.pos().x())
            if beat is not None:
                ev.accept()
                self.clicked.emit(beat.row)
                self.menu_requested.emit(beat.row, ev.screenPos().toPoint())
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        ev.accept()
        self.lane_clicked.emit(self.key)
        found = self.hit(ev.pos().x())
        if found is None:
            self.clicked_empty.emit(float(ev.pos().x()))
        elif ev.double():
            self.activated.emit(found.row)
        else:
            self.clicked.emit(found.row)

    def mouseDragEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            found = self.hit(ev.buttonDownPos().x())
            if found is None:
                ev.ignore()
                return
            start, end = self._times_of(found.row)
            self._drag = _Drag(found, start, end, (start, end))
            self.clicked.emit(found.row)
        if self._drag is None:
            ev.ignore()
            return
        ev.accept()
        self._drag.preview = self._moved(self._drag, ev.pos().x() - ev.buttonDownPos().x())
        self.update()
        if ev.isFinish():
            drag, self._drag = self._drag, None
            if drag.preview != (drag.start_ms, drag.end_ms):
                self.retimed.emit(drag.hit.row, *drag.preview)
            self.update()

    def _moved(self, drag: _Drag, delta_ms: float) -> tuple[int, int]:
        """Where a drag by ``delta_ms`` puts the beat, snapped to frame boundaries and kept
        within the film: a moved beat keeps its length and stops at either end, a dragged edge
        stops at 0 and at the film's last frame boundary."""
        snap, last_ms = self.film.snap_ms, self._last_boundary_ms()
        start, end = drag.start_ms, drag.end_ms
        if drag.hit.part == "body":
            length = end - start
            new_start = snap(min(max(0.0, start + delta_ms), max(0, last_ms - length)))
            return new_start, min(snap(new_start + length), last_ms)
        if drag.hit.part == "start":
            return min(snap(min(max(0.0, start + delta_ms), last_ms)), end), end
        return start, max(snap(min(max(0.0, end + delta_ms), last_ms)), start)

    def _last_boundary_ms(self) -> int:
        """The latest frame boundary at or before the end of the film."""
        film = self.film
        nearest = film.snap_ms(film.duration_ms)
        return nearest if nearest <= film.duration_ms else film.snap_ms(nearest - film.frame_ms)
