"""Context lanes above the beats: scene bands, shot cuts, link markers and the loudness envelope.

Each is one graphics item over the whole film that paints only what is visible, in device pixels
(see :mod:`desk.ui.timeline.strips`), so thousands of shots or links cost one image per paint.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from desk.media.analysis import FLOOR_LUFS
from desk.ui.timeline.model import Spans
from desk.ui.timeline.strips import (
    DeviceMap,
    SpanStyle,
    first_after,
    first_from,
    guarded,
    paint_columns,
    paint_spans,
    visible,
)

SCENE_SHADES = ("#4a5a6e", "#5d6f86")
#: The loudness lane spans the film's own range (from its quietest stretches, leaving out the
#: quietest 2 %, to its loudest), never less than this many LU, so a film's dynamics fill the lane
#: while a steady mix does not look dramatic.
LOUDNESS_MIN_SPAN_LU = 12.0


class _Band(pg.GraphicsObject):
    """A graphics item covering the whole film between ``top`` and ``top + height``."""

    def __init__(self, top: float, height: float, duration_ms: int) -> None:
        super().__init__()
        self.top, self.height, self.duration_ms = top, height, duration_ms

    def set_duration(self, duration_ms: int) -> None:
        self.prepareGeometryChange()
        self.duration_ms = duration_ms
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, self.top, max(self.duration_ms, 1), self.height)

    def _band_px(self, dm: DeviceMap, inset: float = 0.1) -> tuple[float, float]:
        y0 = dm.y(self.top + inset * self.height)
        y1 = dm.y(self.top + (1 - inset) * self.height)
        return min(y0, y1), abs(y1 - y0)

    def _view_x(self) -> tuple[float, float] | None:
        view = self.getViewBox()
        if view is None:
            return None
        low, high = view.viewRange()[0]
        return float(low), float(high)


class SceneBandItem(_Band):
    """The scenes as alternating bands with their names; double-click one to focus it."""

    #: (scene id) on a double-click.
    activated = Signal(int)

    def __init__(self, top: float, height: float, duration_ms: int) -> None:
        super().__init__(top, height, duration_ms)
        self.scenes = Spans.empty()
        self.colors = np.zeros((0, 4), dtype=np.uint8)
        self.longest = 0
        self.style = SpanStyle(QColor(0, 0, 0, 90), QColor("#ffd54a"), moment_heads=False)

    def set_scenes(self, scenes: Spans) -> None:
        self.scenes = scenes
        shades = [QColor(SCENE_SHADES[i % 2]) for i in range(len(scenes))]
        self.colors = np.array(
            [(c.red(), c.green(), c.blue(), 255) for c in shades], dtype=np.uint8
        ).reshape(-1, 4)
        self.longest = int((scenes.ends - scenes.starts).max()) if len(scenes) else 0
        self.update()

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        span = self._view_x()
        if span is None or not len(self.scenes):
            return
        dm = DeviceMap.take(painter, *span)
        top, height = self._band_px(dm)
        s = self.scenes
        index = visible(s.starts, s.ends, self.longest, *span)
        paint_spans(
            painter, dm, index, s.starts, s.ends, self.colors, s.labels, top, height, self.style
        )

    def scene_at(self, x_ms: float) -> int | None:
        s = self.scenes
        inside = np.flatnonzero((s.starts <= x_ms) & (x_ms < s.ends))
        return int(s.ids[inside[-1]]) if len(inside) else None

    def mouseClickEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.button() == Qt.MouseButton.LeftButton and ev.double():
            scene = self.scene_at(ev.pos().x())
            if scene is not None:
                ev.accept()
                self.activated.emit(scene)


class TickStripItem(_Band):
    """Ticks at given times (shot cuts, link starts) as one-pixel columns; a right-click near a
    tick asks for its menu."""

    #: (film ms of the tick nearest the click, screen position) on a right-click near a tick.
    menu_requested = Signal(float, QPoint)
    #: How near a tick a right-click must be to be on it.
    GRAB_PX = 5

    def __init__(self, top: float, height: float, duration_ms: int, color: str) -> None:
        super().__init__(top, height, duration_ms)
        self.color = color
        self.times = np.zeros(0, dtype=np.int64)

    def set_times(self, times: np.ndarray) -> None:
        self.times = np.sort(np.asarray(times, dtype=np.int64))
        self.update()

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        span = self._view_x()
        if span is None:
            return
        lo, hi = first_from(self.times, span[0]), first_after(self.times, span[1])
        dm = DeviceMap.take(painter, *span)
        top, height = self._band_px(dm, inset=0.05)
        paint_columns(painter, dm, self.times[lo:hi], top, height, self.color)

    def tick_near(self, x_ms: float) -> int | None:
        """The tick within :attr:`GRAB_PX` pixels of ``x_ms``, nearest first."""
        view = self.getViewBox()
        per_px = float(view.viewPixelSize()[0]) if view is not None else 1.0
        if not len(self.times):
            return None
        k = int(np.searchsorted(self.times, x_ms))
        near = [int(self.times[i]) for i in (k - 1, k) if 0 <= i < len(self.times)]
        best = min(near, key=lambda t: abs(t - x_ms))
        return best if abs(best - x_ms) <= self.GRAB_PX * per_px else None

    def mouseClickEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.RightButton:
            return
        tick = self.tick_near(ev.pos().x())
        if tick is not None:  # else the view's own menu
            ev.accept()
            self.menu_requested.emit(float(tick), ev.screenPos().toPoint())


class EnvelopeItem(_Band):
    """The loudness envelope as a filled curve: the loudest value under each pixel column."""

    def __init__(self, top: float, height: float, duration_ms: int, color: str) -> None:
        super().__init__(top, height, duration_ms)
        self.color = QColor(color)
        self.lufs = np.zeros(0, dtype=np.float32)
        self.origin_ms, self.step_ms = 0.0, 100.0
        self.low_lufs, self.high_lufs = FLOOR_LUFS, 0.0

    def set_envelope(self, origin_ms: float, step_ms: float, lufs: np.ndarray) -> None:
        """Loudness values ``lufs`` at ``origin_ms + i * step_ms`` (film time)."""
        self.lufs = np.asarray(lufs, dtype=np.float32)
        self.origin_ms, self.step_ms = origin_ms, max(step_ms, 1e-3)
        if len(self.lufs):
            high = float(self.lufs.max())
            low = max(FLOOR_LUFS, float(np.percentile(self.lufs, 2)))
            self.low_lufs = max(FLOOR_LUFS, min(low, high - LOUDNESS_MIN_SPAN_LU))
            self.high_lufs = self.low_lufs + max(high - self.low_lufs, LOUDNESS_MIN_SPAN_LU)
        self.update()

    def level(self, lufs: np.ndarray) -> np.ndarray:
        """LUFS as a share of the lane's height (0 at the bottom of the range, 1 at its top)."""
        span = self.high_lufs - self.low_lufs
        return np.clip((lufs - self.low_lufs) / span, 0.0, 1.0)

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        span = self._view_x()
        if span is None or len(self.lufs) < 2:
            return
        lo = max(0, int((span[0] - self.origin_ms) // self.step_ms) - 1)
        hi = min(len(self.lufs), int((span[1] - self.origin_ms) // self.step_ms) + 2)
        if hi - lo < 2:
            return
        dm = DeviceMap.take(painter, *span)
        top, height = self._band_px(dm, inset=0.04)
        xs, values = self._columns(dm, lo, hi)
        ys = top + height * (1 - self.level(values))
        bottom = top + height
        points = [QPointF(float(xs[0]), bottom)]
        points += [QPointF(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        points.append(QPointF(float(xs[-1]), bottom))
        path = QPainterPath()
        path.addPolygon(QPolygonF(points))
        fill = QColor(self.color)
        fill.setAlpha(140)
        painter.fillPath(path, QBrush(fill))
        painter.setPen(QPen(self.color, 1))
        painter.drawPolyline(QPolygonF(points[1:-1]))

    def _columns(self, dm: DeviceMap, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """x (px) and value of the curve, at most two points per pixel column."""
        times = self.origin_ms + np.arange(lo, hi) * self.step_ms
        xs = dm.x(times)
        values = self.lufs[lo:hi]
        if len(values) <= 2 * max(1.0, float(xs[-1] - xs[0])):
            return xs, values
        columns = np.floor(xs).astype(np.int64)
        starts = np.flatnonzero(np.diff(columns, prepend=columns[0] - 1))
        return columns[starts].astype(np.float64), np.maximum.reduceat(values, starts)
