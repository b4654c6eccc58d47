"""The film-time axis: timecodes that stay readable from the whole film down to single frames.

The spacing of labelled ticks is the shortest "round" duration (frames, then seconds, minutes,
hours) whose labels, measured in the axis font, fit between two ticks with a gap; so labels never
overlap. Unlabelled minor ticks subdivide it, down to a tick per frame once a frame is a few
pixels wide. Below a second the labels are SMPTE timecodes (``HH:MM:SS:FF``), above it ``M:SS``.

The axis is redrawn on every frame of a pan or zoom, so it lays out its ticks with numpy and draws
each level of them as one image (a row of pixels stretched to the ticks' length), and measures
only the labelled ticks' text: pyqtgraph's general layout handles each of the few hundred ticks in
Python and measures the minor ticks' empty labels too, which took over half of a frame's time.
A pan shows mostly the labels of the frame before, so each label's text and width are kept, and
written from the timeline's cache of laid-out text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPicture

from desk.core.timecode import FrameRate, format_ms
from desk.ui.timeline.strips import draw_ticks
from desk.ui.timeline.texts import LABELS

SECOND_STEPS_MS = (
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
)
FRAME_STEPS = (1, 2, 5, 10)
#: Space kept free between two labels (px).
LABEL_GAP_PX = 12
#: Minor ticks closer than this are not drawn (px).
MIN_MINOR_PX = 6
#: Labels whose text and width are kept between frames, before the oldest are dropped.
KEPT_LABELS = 4096
#: A label is never elided: the room it is laid out for (px).
LABEL_ROOM_PX = 10_000


@dataclass(frozen=True)
class TickPlan:
    """Labelled ticks every ``major_ms``, unlabelled ones every ``minor_ms`` (0: none)."""

    major_ms: float
    minor_ms: float
    frame_labels: bool
    frame_ms: float

    @property
    def frame_ticks(self) -> bool:
        """Whether every frame boundary gets a tick."""
        return 0 < self.minor_ms <= self.frame_ms * 1.0001


def plan_ticks(
    span_ms: float, length_px: float, fps: Fraction, label_px: Callable[[bool], float]
) -> TickPlan:
    """Choose tick steps for ``span_ms`` of film drawn over ``length_px`` pixels.

    ``label_px(frame_labels)`` is the width of the widest label in that style.
    """
    px_per_ms = length_px / max(span_ms, 1e-9)
    frame_ms = float(1000 / fps)
    steps = [(k * frame_ms, True) for k in FRAME_STEPS if k * frame_ms < 1000]
    steps += [(float(s), False) for s in SECOND_STEPS_MS]
    major, frames = steps[-1]
    for step, in_frames in steps:
        if step * px_per_ms >= label_px(in_frames) + LABEL_GAP_PX:
            major, frames = step, in_frames
            break
    minor = 0.0
    if frame_ms * px_per_ms >= MIN_MINOR_PX:
        minor = frame_ms
    else:
        for divisor in (10, 5, 4, 2):
            if major / divisor * px_per_ms >= MIN_MINOR_PX:
                minor = major / divisor
                break
    return TickPlan(major, minor, frames, frame_ms)


def tick_values(low: float, high: float, step: float) -> np.ndarray:
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return np.arange(first, last + 1, dtype=np.float64) * step


class TimecodeAxis(pg.AxisItem):
    """A horizontal axis of film milliseconds labelled with timecodes."""

    def __init__(self, orientation: str = "top", **kw: Any) -> None:
        super().__init__(orientation, **kw)
        self.rate = FrameRate(Fraction(24))
        self.duration_ms = 3_600_000
        self.plan = TickPlan(1000.0, 0.0, False, 1000 / 24)
        #: The widest label's width by style (frames or not): asked for on every frame of a pan.
        self._widest: dict[bool, float] = {}
        #: The axis line, ticks and labels as last laid out (see :meth:`paint`).
        self._specs: Any = None
        #: Each label's text and width (px), by its tick's film ms and style.
        self._kept: dict[tuple[float, bool], tuple[str, float]] = {}
        # no SI prefix on film time; pyqtgraph would otherwise rewrite the axis' label (HTML) on
        # every change of range
        self.enableAutoSIPrefix(False)

    def set_film(self, fps: Fraction, duration_ms: int) -> None:
        self.rate = FrameRate(fps)
        self.duration_ms = duration_ms
        self._widest = {}
        self._kept = {}
        self.picture = None
        self.update()

    def tick_label(self, ms: float) -> str:
        """The label of a tick at ``ms`` in the current plan's style."""
        start = math.ceil(ms - 1e-6)
        if self.plan.frame_labels:
            return format_ms(start, "smpte", self.rate)
        return format_ms(start, "short")

    def _label_px(self, frames: bool) -> float:
        if frames not in self._widest:
            self._widest[frames] = self._measure_label_px(frames)
        return self._widest[frames]

    def _measure_label_px(self, frames: bool) -> float:
        metrics = QFontMetricsF(self.style["tickFont"] or self.font())
        longest = self.duration_ms
        sample = format_ms(longest, "smpte", self.rate) if frames else format_ms(longest, "short")
        return metrics.horizontalAdvance(sample.replace("1", "0"))

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:  # noqa: N802, N803
        low, high = sorted((minVal, maxVal))
        self.plan = plan_ticks(high - low, size, self.rate.fps, self._label_px)
        majors = tick_values(low, high, self.plan.major_ms)
        levels: list[Any] = [(self.plan.major_ms, majors.tolist())]
        if self.plan.minor_ms > 0:
            minors = tick_values(low, high, self.plan.minor_ms)
            spacing = self.plan.minor_ms
            near = np.abs((minors / self.plan.major_ms) - np.round(minors / self.plan.major_ms))
            minors = minors[near * self.plan.major_ms > spacing * 0.01]
            levels.append((spacing, minors.tolist()))
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if not math.isclose(spacing, self.plan.major_ms):
            return ["" for _ in values]
        return [self.tick_label(v) for v in values]

    # -- drawing (horizontal axes) ---------------------------------------------------------------
    def paint(self, p: QPainter, *args: Any) -> None:
        """Draw straight onto the view. pyqtgraph records the axis into a picture and plays it
        back, which draws it twice on every frame of a pan or zoom; the ticks and labels laid out
        are kept instead, until pyqtgraph drops its picture (the range, size or style changed)."""
        p.save()
        if self.picture is None or self._specs is None:
            self._specs = self.generateDrawSpecs(p)
            self.picture = QPicture()  # type: ignore[assignment]  # the specs are current
        if self._specs is not None:
            self.drawPicture(p, *self._specs)
        p.restore()

    def generateDrawSpecs(self, p: QPainter) -> Any:  # noqa: N802
        """The axis line, each tick level's lines and pen, and the labels, in item coordinates."""
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        bounds = self.mapRectFromParent(self.geometry())
        low, high = (float(v) for v in self.range)
        if bounds.width() <= 0 or high == low:
            return None
        top = self.orientation == "top"
        base = bounds.bottom() if top else bounds.top()
        outward = -1.0 if top else 1.0
        scale = bounds.width() / (high - low)
        levels = self.tickValues(low, high, bounds.width())
        axis_spec = (self.pen(), QPointF(bounds.left(), base), QPointF(bounds.right(), base))
        tick_specs = []
        for level, (_spacing, values) in enumerate(levels):
            xs = (np.asarray(values, dtype=np.float64) - low) * scale + bounds.left()
            xs = xs[(xs >= bounds.left()) & (xs <= bounds.right())]
            end = base + outward * self.style["tickLength"] / (level * 0.5 + 1.0)
            band = QRectF(bounds.left(), min(base, end), bounds.width(), abs(end - base))
            tick_specs.append((_faded(self.tickPen(), level), xs, band))
        text_specs = self._labels(p, levels[0][1] if levels else [], low, scale, bounds, base)
        return axis_spec, tick_specs, text_specs

    def _labels(
        self,
        p: QPainter,
        values: list[float],
        low: float,
        scale: float,
        bounds: QRectF,
        base: float,
    ) -> list[tuple[QRectF, int, str]]:
        metrics = QFontMetricsF(p.font())
        height = metrics.height()
        offset = max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]
        top = self.orientation == "top"
        y = base - offset - height if top else base + offset
        align = Qt.AlignmentFlag.AlignHCenter | (
            Qt.AlignmentFlag.AlignBottom if top else Qt.AlignmentFlag.AlignTop
        )
        flags = int(align | Qt.TextFlag.TextDontClip)
        specs = []
        if len(self._kept) > KEPT_LABELS:
            self._kept = {}
        frames = self.plan.frame_labels
        for value in values:
            kept = self._kept.get((value, frames))
            if kept is None:
                text = self.tick_label(value)
                kept = self._kept[(value, frames)] = (text, metrics.horizontalAdvance(text))
            text, width = kept
            x = (value - low) * scale + bounds.left() - width / 2
            if text and x >= bounds.left() and x + width <= bounds.right():
                specs.append((QRectF(x, y, width, height), flags, text))
        self._updateMaxTextSize(int(height * 0.8))
        return specs

    def drawPicture(self, p: QPainter, axisSpec: Any, tickSpecs: Any, textSpecs: Any) -> None:  # noqa: N802, N803
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        pen, start, end = axisSpec
        p.setPen(pen)
        p.drawLine(start, end)
        for pen, xs, band in tickSpecs:
            draw_ticks(p, xs - band.left(), band, pen.color())
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        p.setClipRect(self.boundingRect().toAlignedRect())
        writer = LABELS.writer(p)
        for rect, _flags, text in textSpecs:
            p.drawStaticText(rect.topLeft(), writer.label(text, LABEL_ROOM_PX))


def _faded(pen: QPen, level: int) -> QPen:
    """The tick pen of a level: fainter the finer the level, as pyqtgraph draws them."""
    pen = QPen(pen)
    if pen.brush().style() == Qt.BrushStyle.SolidPattern:
        color = QColor(pen.color())
        color.setAlpha(int(255 / (level + 1)))
        pen.setColor(color)
    return pen
