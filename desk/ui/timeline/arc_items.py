"""The graphics items of the emotional arc: its curves, and the beats' dots and labels on them.

Both paint only what is visible, in device pixels. A curve with many points in view is drawn
through its mean over each pixel column (weighted by time), so the whole film's arc reads as its
trend and costs one short line per column: stroking thousands of steep segments, or filling each
column's range, cost most of a frame. Once zoomed in, a curve is drawn point by point with its own
(dashed) pen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QStaticText

from desk.ui.plain_text import tooltip_html
from desk.ui.timeline.strips import DeviceMap, guarded
from desk.ui.timeline.texts import LABELS, Writer

#: Dots and labels are drawn only while at most this many beats are visible.
DOT_LIMIT = 400
DOT_RADIUS = 4.0
PICK_PX = 9.0
#: Curves with more points than this in view are drawn through each pixel column's mean.
WIDE_PEN_LIMIT = 400
DOT_OUTLINE = QPen(QColor("#151518"), 1)
#: A dot's label is tested for overlap against this many labels written just before it.
OVERLAP_TESTED = 12
#: Room given to a dot's label: labels on the arc are not elided.
WHOLE_LABEL_PX = 4096


@dataclass(frozen=True)
class ArcPoints:
    """Beats on the arc, sorted by x: where they are, how they look and which row they are."""

    xs: np.ndarray
    ys: np.ndarray
    colors: list[QColor]
    labels: list[str]
    rows: np.ndarray

    @classmethod
    def empty(cls) -> ArcPoints:
        return cls(np.zeros(0), np.zeros(0), [], [], np.zeros(0, dtype=np.int64))


class ArcPointsItem(pg.GraphicsObject):
    """The beats' dots and labels on the arc, painted together; hover and click pick a beat."""

    #: (beat row) when a beat's dot is clicked.
    clicked = Signal(int)

    def __init__(self, describe: Callable[[int], str]) -> None:
        super().__init__()
        self.describe = describe
        self.points = ArcPoints.empty()
        self.inks: dict[int, QColor] = {}
        self.widths = np.zeros(0)
        self.statics: list[QStaticText | None] = []
        self.widths_font = ""
        self.setAcceptHoverEvents(True)

    def set_points(self, points: ArcPoints) -> None:
        self.prepareGeometryChange()
        self.points = points
        # Kept between frames: each label's layout and width once laid out (NaN until then;
        # some 16 bytes a beat), so a frame tests a label against its neighbours and writes it
        # without asking the text cache; and the labels' ink by dot colour (a lane's dots share
        # one QColor), made when first written.
        self.inks = {}
        self.widths = np.full(len(points.xs), np.nan)
        self.statics = [None] * len(points.xs)
        self.widths_font = ""
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        xs = self.points.xs
        if not len(xs):
            return QRectF()
        return QRectF(float(xs[0]), -1.2, float(xs[-1] - xs[0]) + 1, 2.4)

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        view = self.getViewBox()
        if view is None:
            return
        low, high = view.viewRange()[0]
        xs = self.points.xs
        lo, hi = int(np.searchsorted(xs, low)), int(np.searchsorted(xs, high, "right"))
        if hi <= lo or hi - lo > DOT_LIMIT:
            return
        dm = DeviceMap.take(painter, low, high)
        writer = LABELS.writer(painter)
        if writer.key != self.widths_font:
            self.widths_font, self.widths[:] = writer.key, np.nan
            self.statics = [None] * len(self.points.xs)
        self._paint_dots(painter, writer, dm, lo, hi)

    def _paint_dots(
        self, painter: QPainter, writer: Writer, dm: DeviceMap, lo: int, hi: int
    ) -> None:
        """Each dot, then its label unless that would overlap a label written just before."""
        points, height = self.points, writer.height
        statics = self._statics(writer, lo, hi)
        widths = self.widths[lo:hi].tolist()
        # the last twelve labels written (left, right, top): a label is tested against those
        taken: deque[tuple[float, float, float]] = deque(maxlen=OVERLAP_TESTED)
        xs = dm.x(points.xs[lo:hi]).tolist()
        ys = (points.ys[lo:hi] * dm.sy + dm.dy).tolist()
        colors, inks = points.colors[lo:hi], self.inks
        # bound once: this loop runs once per dot in view, up to 400 a frame
        set_pen, set_brush = painter.setPen, painter.setBrush
        ellipse, write = painter.drawEllipse, painter.drawStaticText
        # one point, moved to each dot and label: making a QPointF costs a sixth of a dot
        at = QPointF()
        move_x, move_y = at.setX, at.setY
        set_pen(DOT_OUTLINE)
        brush = None
        for color, x, y, width, static in zip(colors, xs, ys, widths, statics, strict=True):
            if color is not brush:
                set_brush(color)
                brush = color
            move_x(x)
            move_y(y)
            ellipse(at, DOT_RADIUS, DOT_RADIUS)
            if static is None:
                continue
            left, top = x + 6, y - height - 2
            right = left + width
            for a, r, t in taken:  # inline: once per dot a frame
                if left < r and a < right and abs(top - t) < height:
                    break
            else:
                taken.append((left, right, top))
                ink = inks.get(id(color))
                if ink is None:
                    ink = inks[id(color)] = color.lighter(130)
                set_pen(ink)
                move_x(left)
                move_y(top)
                write(at, static)
                set_pen(DOT_OUTLINE)

    def _statics(self, writer: Writer, lo: int, hi: int) -> list[QStaticText | None]:
        """The layouts of the labels of points ``lo``..``hi`` (None: no label), kept with their
        widths (px) in :attr:`widths`; laid out where not known."""
        widths, statics, labels = self.widths, self.statics, self.points.labels
        for k in np.flatnonzero(np.isnan(widths[lo:hi])).tolist():
            label = labels[lo + k]
            static = writer.label(label, WHOLE_LABEL_PX) if label else None
            statics[lo + k] = static
            widths[lo + k] = static.size().width() if static is not None else 0
        return statics[lo:hi]

    def nearest(self, pos: QPointF) -> int | None:
        """The index of the point within :data:`PICK_PX` pixels of ``pos`` (view coordinates)."""
        view = self.getViewBox()
        if view is None or not len(self.points.xs):
            return None
        px_x, px_y = view.viewPixelSize()
        lo = np.searchsorted(self.points.xs, pos.x() - PICK_PX * px_x)
        hi = np.searchsorted(self.points.xs, pos.x() + PICK_PX * px_x, "right")
        if hi <= lo:
            return None
        dx = (self.points.xs[lo:hi] - pos.x()) / px_x
        dy = (self.points.ys[lo:hi] - pos.y()) / px_y
        distance = np.hypot(dx, dy)
        best = int(np.argmin(distance))
        return lo + best if distance[best] <= PICK_PX else None

    def hoverEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.isExit():
            self.setToolTip("")
            return
        k = self.nearest(ev.pos())
        if k is None:
            self.setToolTip("")
            return
        ev.acceptClicks(Qt.MouseButton.LeftButton)
        self.setToolTip(tooltip_html(self.describe(int(self.points.rows[k]))))

    def mouseClickEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        k = self.nearest(ev.pos())
        if k is not None:
            ev.accept()
            self.clicked.emit(int(self.points.rows[k]))


class ArcCurveItem(pg.GraphicsObject):
    """One arc curve (x: film ms, sorted; y: -1..1), drawn with ``pen``."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, pen: QPen) -> None:
        super().__init__()
        self.xs, self.ys, self.pen = xs.astype(np.float64), ys.astype(np.float64), pen
        self.hairline, self.strokes = hairline_strokes(pen)
        #: The area under the curve up to each point (ms × value): a frame finds the curve's
        #: mean over each pixel column from it without a pass over the points in view.
        self.area = running_area(self.xs, self.ys)
        self.flat = QPen(pen)  # a solid hairline: a wide or dashed pen stroking a point per
        self.flat.setWidthF(1.0)  # pixel took most of a frame, and its dashes cannot be told apart
        self.flat.setStyle(Qt.PenStyle.SolidLine)

    def boundingRect(self) -> QRectF:  # noqa: N802
        if not len(self.xs):
            return QRectF()
        return QRectF(float(self.xs[0]), -1.2, float(self.xs[-1] - self.xs[0]) + 1, 2.4)

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        view = self.getViewBox()
        if view is None or len(self.xs) < 2:
            return
        low, high = view.viewRange()[0]
        lo = max(0, int(np.searchsorted(self.xs, low)) - 1)
        hi = min(len(self.xs), int(np.searchsorted(self.xs, high, "right")) + 1)
        if hi - lo < 2:
            return
        dm = DeviceMap.take(painter, low, high)
        if hi - lo > WIDE_PEN_LIMIT:
            xs, ys = self.column_means(dm)
            if len(xs) >= 2:
                painter.setPen(self.flat)
                painter.drawPath(pg.arrayToQPath(xs, ys))
            return
        xs, ys = dm.x(self.xs[lo:hi]), self.ys[lo:hi] * dm.sy + dm.dy
        path = pg.arrayToQPath(xs, ys)
        painter.setPen(self.hairline)
        for dx, dy in self.strokes:
            painter.translate(dx, dy)
            painter.drawPath(path)
            painter.translate(-dx, -dy)

    def column_means(self, dm: DeviceMap) -> tuple[np.ndarray, np.ndarray]:
        """The curve as its mean over each pixel column of ``dm`` it spans (device pixels), as
        :func:`column_means` finds it, from the running area kept."""
        edges = np.floor(dm.left) + np.arange(dm.width + 1, dtype=np.float64)
        at_ms = (edges - dm.dx) / dm.sx
        inside = (at_ms >= self.xs[0]) & (at_ms <= self.xs[-1])
        edges, at_ms = edges[inside], at_ms[inside]
        if len(edges) < 2:
            return np.zeros(0), np.zeros(0)
        # Over a column one pixel wide, the mean of sy * y + dy is sy * (area / ms) + dy.
        per_ms = np.diff(np.interp(at_ms, self.xs, self.area)) / np.diff(at_ms)
        return edges[:-1] + 0.5, per_ms * dm.sy + dm.dy


def running_area(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The area under the polyline ``xs``/``ys`` up to each of its points (trapezoids)."""
    if len(xs) < 2:
        return np.zeros(len(xs))
    return np.concatenate([[0.0], np.cumsum(np.diff(xs) * (ys[1:] + ys[:-1]) / 2)])


def hairline_strokes(pen: QPen) -> tuple[QPen, list[tuple[float, float]]]:
    """A pen one pixel wide, with ``pen``'s colour and dashes at their length, and the offsets
    at which drawing a line with it again and again draws it ``pen``'s width (rounded) thick.
    Qt strokes a line of a wider pen as a polygon, twenty times the cost of a hairline: four
    arcs of 400 points took a third of a frame while zooming."""
    hairline = QPen(pen)
    hairline.setWidthF(1.0)
    width = pen.widthF()
    if pen.style() != Qt.PenStyle.SolidLine and width > 1:
        hairline.setDashPattern([dash * width for dash in pen.dashPattern()])
    k = max(1, round(width))
    centre = (k - 1) / 2
    return hairline, [(dx - centre, dy - centre) for dx in range(k) for dy in range(k)]


def column_means(
    xs: np.ndarray, ys: np.ndarray, left: float, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """The polyline ``xs``/``ys`` (device pixels, xs sorted) as its mean over each pixel column
    from ``left`` over ``width`` columns that it spans: one point per column, at its centre."""
    if width <= 0 or len(xs) < 2:
        return np.zeros(0), np.zeros(0)
    # The area under the polyline up to each of its points; its mean over a column is the
    # difference of that area at the column's edges over the column's width (1 px).
    area = np.concatenate([[0.0], np.cumsum(np.diff(xs) * (ys[1:] + ys[:-1]) / 2)])
    edges = np.floor(left) + np.arange(width + 1, dtype=np.float64)
    edges = edges[(edges >= xs[0]) & (edges <= xs[-1])]
    if len(edges) < 2:
        return np.zeros(0), np.zeros(0)
    means = np.diff(np.interp(edges, xs, area))
    return edges[:-1] + 0.5, means
