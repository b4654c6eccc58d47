"""Painting many spans and ticks fast: one graphics item per lane, drawn in device pixels.

A lane holds thousands of spans, so no span gets a graphics item of its own. The lane's item finds
the visible ones with a binary search over sorted starts, then either paints each one (rectangles,
moment markers, labels where they fit, laid out once in :mod:`desk.ui.timeline.texts`) when few
are visible and they are wide enough to be told apart, or else aggregates them: they are
rasterised into one row of pixel columns with numpy (a span's first column in the outline's
colour while there is room, so neighbours stay apart) and drawn as a single image stretched to
the lane's height, and only the spans with room for a label are written over it.
Labels are placed greedily by x: one that would start over the label before it moves right past
it, and is elided to the room left or not written at all, so labels never overlap at any zoom.
Painting happens in device pixels (the painter's transform is read, then reset) so lines stay
crisp and text is never stretched by the view's scale.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from desk.ui.timeline.columns import Columns, column_row, long_spans, tick_columns
from desk.ui.timeline.texts import LABELS, Writer

log = logging.getLogger("desk.ui.timeline")
Paint = TypeVar("Paint", bound=Callable[..., None])

#: Above this many visible spans a lane is rasterised instead of painted span by span.
DETAIL_LIMIT = 300
#: ...and so is a lane whose visible spans have fewer pixels than this each, on average (a label
#: needs more than that to be written): a Python loop over hundreds of rectangles a few pixels
#: wide cost a frame's whole budget.
DETAIL_PX = 24
#: A rasterised lane outlines its spans only when they average this many pixels or more.
OUTLINED_PX = 6
#: Labels are drawn only when at least this many pixels are free for them.
MIN_LABEL_PX = 28
#: Space kept free after a label before the next one in the same lane (px).
LABEL_GAP_PX = 6
MOMENT_PX = 3


def guarded(paint: Paint) -> Paint:
    """Log a bug in a ``paint`` override with its traceback instead of letting it reach Qt:
    an exception escaping a paint override takes PySide 6.11 and 6.12 down with it."""

    @functools.wraps(paint)
    def wrapper(self: Any, painter: QPainter, *args: Any) -> None:
        try:
            paint(self, painter, *args)
        except Exception:
            log.exception("painting %s failed", type(self).__name__)

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class DeviceMap:
    """The affine map from view coordinates (ms, lane units) to device pixels of one paint, and
    the pixels ``left``..``right`` where the visible film time is drawn."""

    sx: float
    dx: float
    sy: float
    dy: float
    left: float = 0.0
    right: float = 0.0

    @classmethod
    def take(cls, painter: QPainter, low_ms: float, high_ms: float) -> DeviceMap:
        """Read the painter's transform, then reset it so drawing is in device pixels."""
        t = painter.transform()
        painter.resetTransform()
        ends = sorted((low_ms * t.m11() + t.dx(), high_ms * t.m11() + t.dx()))
        return cls(t.m11(), t.dx(), t.m22(), t.dy(), ends[0], ends[1])

    @property
    def width(self) -> int:
        return max(0, int(np.ceil(self.right - self.left)))

    def x(self, ms: np.ndarray | float) -> np.ndarray:
        return np.asarray(ms, dtype=np.float64) * self.sx + self.dx

    def y(self, value: float) -> float:
        return value * self.sy + self.dy


class LaneItem(pg.GraphicsObject):
    """The graphics item of one lane: ``height`` rows high from row ``top``, in view units."""

    top: float
    height: float

    def set_top(self, top: float) -> None:
        """Move the lane to another row (when lanes above it come or go)."""
        if top != self.top:
            self.prepareGeometryChange()
            self.top = top
            self.update()


#: Probes are kept inside this, so a Python int stays a 64-bit one for numpy.
_PROBE_LIMIT = 2**62


def first_from(times: np.ndarray, ms: float) -> int:
    """The index of the first of ``times`` (sorted) at or after ``ms``."""
    if times.dtype.kind != "i":
        return int(np.searchsorted(times, ms, side="left"))
    # An integer array searched for a float is converted to floats whole on every search (24 µs
    # for 35,000 times, a frame's share); an integer is at or after ms exactly when it is at or
    # after ms rounded up.
    probe = min(max(math.ceil(ms), -_PROBE_LIMIT), _PROBE_LIMIT)
    return int(np.searchsorted(times, probe, side="left"))


def first_after(times: np.ndarray, ms: float) -> int:
    """The index of the first of ``times`` (sorted) after ``ms``."""
    if times.dtype.kind != "i":
        return int(np.searchsorted(times, ms, side="right"))
    probe = min(max(math.floor(ms), -_PROBE_LIMIT), _PROBE_LIMIT)
    return int(np.searchsorted(times, probe, side="right"))


def visible(
    starts: np.ndarray, ends: np.ndarray, longest: int, low: float, high: float
) -> np.ndarray:
    """Indices of the spans that overlap ``[low, high]``; ``starts`` sorted, ``longest`` the
    longest span's length."""
    lo, hi = first_from(starts, low - longest), first_after(starts, high)
    index = np.arange(lo, hi)
    return index[ends[lo:hi] >= low]


def rgba(colors: list[str], alpha: int = 230) -> np.ndarray:
    """``#rrggbb`` strings as an (n, 4) uint8 array."""
    out = np.empty((len(colors), 4), dtype=np.uint8)
    for i, text in enumerate(colors):
        c = QColor(text)
        out[i] = (c.red(), c.green(), c.blue(), alpha)
    return out


def column_image(
    px0: np.ndarray,
    px1: np.ndarray,
    colors: np.ndarray,
    width: int,
    outline: np.ndarray | None = None,
) -> QImage:
    """One row of ``width`` pixels: each column takes the colour of the latest-starting span
    that covers it (spans in start order; ``px1`` exclusive); with an RGBA ``outline``, the first
    column of each span :data:`MOMENT_PX` or more wide takes that colour instead."""
    left = np.clip(px0.astype(np.int64), 0, width)
    right = np.clip(np.maximum(px1.astype(np.int64), left + 1), 0, width)
    keep = right > left
    left, right, order = left[keep], right[keep], np.flatnonzero(keep)
    cover = np.zeros(width + 1, dtype=np.int64)
    np.add.at(cover, left, 1)
    np.add.at(cover, right, -1)
    latest = np.full(width + 1, -1, dtype=np.int64)
    np.maximum.at(latest, left, order)
    latest = np.maximum.accumulate(latest)[:width]
    covered = np.cumsum(cover)[:width] > 0
    row = np.zeros((width, 4), dtype=np.uint8)
    row[covered] = colors[latest[covered]]
    if outline is not None:
        row[left[right - left >= MOMENT_PX]] = outline
    return row_image(row)


def row_image(row: np.ndarray) -> QImage:
    """A one-pixel-high image of ``row`` ((width, 4) RGBA), owning its pixels."""
    pixels = np.ascontiguousarray(row, dtype=np.uint8)
    width = len(pixels)
    # QImage borrows the buffer; the copy owns its pixels once ``pixels`` goes away.
    return QImage(pixels.data, width, 1, 4 * width, QImage.Format.Format_RGBA8888).copy()


def paint_columns(
    painter: QPainter, dm: DeviceMap, times: np.ndarray, top: float, height: float, color: str
) -> None:
    """Ticks at ``times`` (ms) as one-pixel columns, as one image whatever their number."""
    if dm.width <= 0 or not len(times):
        return
    band = QRectF(dm.left, top, dm.width, height)
    ticked = tick_columns(times, Columns(dm.sx, dm.dx, dm.left, dm.width))
    if ticked is None:
        draw_ticks(painter, dm.x(times) - dm.left, band, color)
    elif ticked.any():
        c = QColor(color)
        row = np.zeros((dm.width, 4), dtype=np.uint8)
        row[ticked] = (c.red(), c.green(), c.blue(), c.alpha())
        painter.drawImage(band, row_image(row))


def draw_ticks(painter: QPainter, xs: np.ndarray, band: QRectF, color: QColor | str) -> None:
    """One-pixel ticks at ``xs`` (pixels from ``band``'s left) across ``band``, as one image."""
    width = int(band.width())
    px = np.floor(xs).astype(np.int64)
    px = px[(px >= 0) & (px < width)]
    if width <= 0 or len(px) == 0:
        return
    c = QColor(color)
    row = np.zeros((width, 4), dtype=np.uint8)
    row[px] = (c.red(), c.green(), c.blue(), c.alpha())
    painter.drawImage(QRectF(band.left(), band.top(), width, band.height()), row_image(row))


def _light(fills: np.ndarray) -> np.ndarray:
    """Whether each RGBA fill is light enough for dark text."""
    fills = np.asarray(fills, dtype=np.float64)
    return np.asarray(0.299 * fills[..., 0] + 0.587 * fills[..., 1] + 0.114 * fills[..., 2] > 150)


INK_DARK, INK_LIGHT = QColor("#111111"), QColor("#ffffff")


@dataclass
class SpanStyle:
    """How a lane's spans look: outline, selection, whether moments get a marker head, and the
    ink of the labels written beside moments (on the lane's dark background)."""

    outline: QColor
    selected: QColor
    moment_heads: bool = True
    moment_ink: QColor = field(default_factory=lambda: QColor("#c8c8d0"))


def paint_spans(  # noqa: C901 - one loop over the visible spans, with its branches
    painter: QPainter,
    dm: DeviceMap,
    index: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    colors: np.ndarray,
    labels: Sequence[str],
    top: float,
    height: float,
    style: SpanStyle,
    selected: int | None = None,
    written: list[tuple[int, QRectF]] | None = None,
) -> None:
    """Paint the spans ``index`` (visible, in start order) in the band ``top``..``top+height``;
    ``written``, if given, gets each written label's row and rectangle (device pixels)."""
    if len(index) > min(DETAIL_LIMIT, dm.width / DETAIL_PX):
        _paint_dense(painter, dm, index, starts, ends, colors, labels, top, height, style, written)
        _paint_selected(painter, dm, index, starts, ends, top, height, style, selected)
        return
    px0 = dm.x(starts[index])
    px1 = dm.x(ends[index])
    following = np.append(px0[1:], np.inf).tolist()
    fills, light = _qcolors(colors[index]), _light(colors[index]).tolist()
    writer = LABELS.writer(painter)
    free_px = -np.inf  # where the last label written ends, with its gap
    inked: QColor | None = None  # the pen the last label was written with, if still set
    box = QRectF()  # each span's, set in place: making a QRectF costs as much as filling it
    for k, (row, left, right) in enumerate(
        zip(index.tolist(), px0.tolist(), px1.tolist(), strict=True)
    ):
        fill = fills[k]
        moment = right - left < MOMENT_PX
        if moment:
            box.setRect(left - 1, top, MOMENT_PX, height)
            painter.fillRect(box, fill)
            if style.moment_heads:
                painter.setPen(Qt.PenStyle.NoPen)
                inked = None
                painter.setBrush(fill)
                painter.drawPolygon(
                    [QPointF(left - 5, top), QPointF(left + 6, top), QPointF(left + 0.5, top + 7)]
                )
            room = min(following[k], dm.right + 400.0) - left - 8
            text_left, ink = left + 6, style.moment_ink
        else:
            box.setRect(left, top + 1, right - left, height - 2)
            painter.fillRect(box, fill)
            _frame(painter, left, top + 1, right - left, height - 2, style.outline)
            room = min(right, dm.right) - max(left, dm.left) - 6
            text_left, ink = max(left, dm.left) + 3, INK_DARK if light[k] else INK_LIGHT
        if row == selected:
            _outline(painter, left, right, top, height, style)
            inked = None
        label = labels[row] if row < len(labels) else ""
        if label and text_left < free_px:
            room -= free_px - text_left
            text_left = free_px
        if label and room >= MIN_LABEL_PX:
            if ink is not inked:
                painter.setPen(ink)
                inked = ink
            free_px = _put_label(writer, label, row, text_left, top, height, room, written)


#: A QColor per RGBA value drawn (bounded: a lane draws a few dozen colours).
_COLORS: dict[int, QColor] = {}


def _qcolors(fills: np.ndarray) -> list[QColor]:
    """The (n, 4) RGBA ``fills`` as QColors, each made once: making one per span per frame was
    a tenth of a lane's frame."""
    packed = np.ascontiguousarray(fills, dtype=np.uint8).view(np.uint32).reshape(-1).tolist()
    if len(_COLORS) > 4096:
        _COLORS.clear()
    out = []
    for key, rgba_ in zip(packed, fills.tolist(), strict=True):
        found = _COLORS.get(key)
        if found is None:
            found = _COLORS[key] = QColor(*rgba_)
        out.append(found)
    return out


def _paint_dense(
    painter: QPainter,
    dm: DeviceMap,
    index: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    colors: np.ndarray,
    labels: Sequence[str],
    top: float,
    height: float,
    style: SpanStyle,
    written: list[tuple[int, QRectF]] | None,
) -> None:
    """Many spans: one image of pixel columns, and labels only over the spans with room."""
    o = style.outline
    outline: np.ndarray | None = np.array([o.red(), o.green(), o.blue(), o.alpha()], np.uint8)
    if dm.width < OUTLINED_PX * len(index):  # so crowded that outlines would hide the colours
        outline = None
    cols = Columns(dm.sx, dm.dx, dm.left, dm.width)
    row = None if outline is not None else column_row(starts, ends, index, colors, cols)
    if row is None:
        image = column_image(
            np.floor(cols.px(starts[index])),
            np.ceil(cols.px(ends[index])),
            colors[index],
            dm.width,
            outline,
        )
    else:
        image = row_image(row)
    painter.drawImage(QRectF(dm.left, top, dm.width, height), image)
    # Only a span wider than a label's least room and its margins can have a label: those few
    # are picked out by length, not looked for among all.
    wide = long_spans(starts, ends, index, (MIN_LABEL_PX + 6 - 1e-3) / dm.sx) if dm.sx > 0 else None
    if wide is None:
        wide = index
    px0, px1 = dm.x(starts[wide]), dm.x(ends[wide])
    lefts = np.maximum(px0, dm.left) + 3
    rooms = np.minimum(px1, dm.right) - lefts - 3
    roomy = np.flatnonzero(rooms >= MIN_LABEL_PX)
    if not len(roomy):
        return
    index = wide
    writer = LABELS.writer(painter)
    light = _light(colors[index[roomy]]).tolist()
    free_px = -np.inf
    inked: QColor | None = None  # the pen the last label was written with
    for k, row, left, room in zip(
        range(len(roomy)),
        index[roomy].tolist(),
        lefts[roomy].tolist(),
        rooms[roomy].tolist(),
        strict=True,
    ):
        if left < free_px:  # after the label before it
            room -= free_px - left
            left = free_px
        if room < MIN_LABEL_PX:
            continue  # its label is not read: 50,000 wide notes would read 50,000 texts
        label = labels[row] if row < len(labels) else ""
        if label:
            ink = INK_DARK if light[k] else INK_LIGHT
            if ink is not inked:  # a pen set once per run of labels in the same ink
                painter.setPen(ink)
                inked = ink
            free_px = _put_label(writer, label, row, left, top, height, room, written)


def _put_label(
    writer: Writer,
    label: str,
    row: int,
    left: float,
    top: float,
    height: float,
    room: float,
    written: list[tuple[int, QRectF]] | None,
) -> float:
    """Write span ``row``'s label at ``left`` in ``room`` (noting where, if ``written`` is a
    list); where the next label may start."""
    if written is None:
        return writer.write(label, left, top, height, room) + LABEL_GAP_PX
    rect = writer.draw(label, left, top, height, room)
    written.append((row, rect))
    return rect.right() + LABEL_GAP_PX


def _frame(
    painter: QPainter, left: float, top: float, width: float, height: float, color: QColor
) -> None:
    """The one-pixel outline ``drawRect`` draws around that rectangle without antialiasing,
    pixel for pixel, as four filled strips: a translucent pen's ``drawRect`` is stroked as a
    path, four times the cost, and was most of a lane's frame."""
    x0, y0 = math.floor(left), math.floor(top)
    x1, y1 = math.floor(left + width), math.floor(top + height)
    painter.fillRect(x0, y0, x1 - x0 + 1, 1, color)
    if y1 > y0:
        painter.fillRect(x0, y1, x1 - x0 + 1, 1, color)
    if y1 - y0 > 1:
        painter.fillRect(x0, y0 + 1, 1, y1 - y0 - 1, color)
        if x1 > x0:
            painter.fillRect(x1, y0 + 1, 1, y1 - y0 - 1, color)


def _outline(
    painter: QPainter, left: float, right: float, top: float, height: float, style: SpanStyle
) -> None:
    painter.setPen(QPen(style.selected, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(left - 2, top, max(right - left, 1) + 4, height))


def _paint_selected(
    painter: QPainter,
    dm: DeviceMap,
    index: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    top: float,
    height: float,
    style: SpanStyle,
    selected: int | None,
) -> None:
    if selected is None:
        return
    found = np.flatnonzero(index == selected)
    if len(found):
        k = int(index[found[0]])
        _outline(painter, float(dm.x(starts[k])), float(dm.x(ends[k])), top, height, style)
