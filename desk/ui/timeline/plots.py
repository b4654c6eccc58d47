"""The timeline's two plots, stacked and sharing film time: the lanes and the emotional arc.

The lanes plot stacks, top to bottom, a strip of its own for the playhead's time (so it never
covers a scene's name), the context lanes (scenes, cuts, links, notes, loudness), one lane
per reference tier (the film's dialogue) and one lane of beats per character. Its y axis runs
downwards in "lane units" and never moves; only film time pans and zooms, from the whole film down
to a few frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

from desk.ui.timeline.axis import TimecodeAxis
from desk.ui.timeline.context import EnvelopeItem, SceneBandItem, TickStripItem
from desk.ui.timeline.marks import LinkSpansItem, NoteMarksItem
from desk.ui.timeline.model import Film

#: The height (lane units) of the strip at the top where the playhead's time is written.
HEAD_ROW = 1.2
#: (name, height in lane units) of the context lanes above the beats.
CONTEXT_ROWS = (
    ("Scenes", 0.8),
    ("Cuts", 0.65),
    ("Links", 0.75),
    ("Notes", 0.8),
    ("Loudness", 0.8),
)
BEAT_ROW = 1.0
REFERENCE_ROW = 0.9
#: The narrowest view shows this many frames.
MIN_FRAMES_IN_VIEW = 6
#: Pan and zoom may go this share of the film beyond either end.
EDGE_SHARE = 0.02
#: The width of the lane names' column (px); longer names are elided to fit.
NAMES_PX = 104
#: A lane unit is never shorter than the first (px), so the lanes' names never overlap, nor
#: taller than the second: the arc has the rest of the height. Past the third many lane units (a
#: file with many tiers), the lanes share what they get and the arc keeps its place on screen.
LANE_UNIT_PX = (14, 24)
LANES_HELD_UNITS = 8.0
#: The size of the lanes' names (pt).
LANE_NAMES_PT = 8.0
#: The arc's least height (px).
ARC_MIN_PX = 70


@dataclass
class ContextItems:
    scenes: SceneBandItem
    cuts: TickStripItem
    links: LinkSpansItem
    notes: NoteMarksItem
    loudness: EnvelopeItem

    def all(
        self,
    ) -> tuple[SceneBandItem, TickStripItem, LinkSpansItem, NoteMarksItem, EnvelopeItem]:
        return (self.scenes, self.cuts, self.links, self.notes, self.loudness)


def _plot(plot: pg.PlotItem) -> pg.PlotItem:
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=True, y=False)
    plot.disableAutoRange()
    plot.getAxis("left").setWidth(NAMES_PX)
    for side in ("top", "bottom", "left", "right"):
        # No SI prefix on any axis: pyqtgraph rewrites an axis' label as HTML on every change
        # of its range otherwise, the hidden ones' too (film time has no units to prefix).
        plot.getAxis(side).enableAutoSIPrefix(False)
    return plot


class TimelinePlots:
    """Builds the plots in a layout widget and keeps their ranges and lane rows in order."""

    def __init__(self, view: pg.GraphicsLayoutWidget, film: Film) -> None:
        self.view = view
        self.axis = TimecodeAxis("top")
        self.arc_axis = TimecodeAxis("bottom")
        # The view's own menu (made and dropped by _plot otherwise) builds a form per axis: a
        # tenth of the timeline's building.
        self.lanes = _plot(
            view.addPlot(row=0, col=0, axisItems={"top": self.axis}, enableMenu=False)
        )
        self.lanes.showAxis("top")
        self.lanes.hideAxis("bottom")
        self.lanes.invertY(True)
        names = self.lanes.getAxis("left")
        small = QFont(names.font())
        small.setPointSizeF(LANE_NAMES_PT)  # compact lanes, names that still fit their rows
        names.setStyle(tickFont=small)
        self.arc = _plot(
            view.addPlot(row=1, col=0, axisItems={"bottom": self.arc_axis}, enableMenu=False)
        )
        self.arc.setXLink(self.lanes)
        self.arc.setYRange(-1.15, 1.15, padding=0)
        self.arc.setMinimumHeight(ARC_MIN_PX)
        # the arc gets the larger share: the lanes read at their least height, the arc does not
        view.ci.layout.setRowStretchFactor(0, 2)
        view.ci.layout.setRowStretchFactor(1, 3)
        self.context = self._context(film.duration_ms)
        self.beat_rows = 0
        self.reference_names: list[str] = []
        self.beat_names: list[str] = []
        self.set_film(film)

    def _context(self, duration_ms: int) -> ContextItems:
        tops = self.context_tops()
        items = ContextItems(
            SceneBandItem(tops[0], CONTEXT_ROWS[0][1], duration_ms),
            TickStripItem(tops[1], CONTEXT_ROWS[1][1], duration_ms, "#c8c8d0"),
            LinkSpansItem(tops[2], CONTEXT_ROWS[2][1], duration_ms, "#7fc8a9"),
            NoteMarksItem(tops[3], CONTEXT_ROWS[3][1], duration_ms),
            EnvelopeItem(tops[4], CONTEXT_ROWS[4][1], duration_ms, "#6fa8dc"),
        )
        for item in items.all():
            self.lanes.addItem(item)
        return items

    @staticmethod
    def context_tops() -> list[float]:
        tops, y = [], HEAD_ROW
        for _name, height in CONTEXT_ROWS:
            tops.append(y)
            y += height
        return tops

    @staticmethod
    def reference_row_top(lane: int) -> float:
        return HEAD_ROW + sum(height for _name, height in CONTEXT_ROWS) + lane * REFERENCE_ROW

    @property
    def first_beat_row(self) -> float:
        return self.reference_row_top(len(self.reference_names))

    def beat_row_top(self, lane: int) -> float:
        return self.first_beat_row + lane * BEAT_ROW

    def set_reference_names(self, names: list[str]) -> None:
        """Label one row per reference tier (the beat lanes below move down to make room)."""
        self.reference_names = list(names)
        self._label_rows()

    def set_lane_names(self, names: list[str]) -> None:
        """Label one row per beat lane."""
        self.beat_names = list(names)
        self.beat_rows = len(names)
        self._label_rows()

    def _label_rows(self) -> None:
        """Label the rows (context lanes, reference tiers, beat lanes) and fit them in the plot."""
        ticks = [
            (top + h / 2, name)
            for top, (name, h) in zip(self.context_tops(), CONTEXT_ROWS, strict=True)
        ]
        ticks += [
            (self.reference_row_top(i) + REFERENCE_ROW / 2, name)
            for i, name in enumerate(self.reference_names)
        ]
        ticks += [
            (self.beat_row_top(i) + BEAT_ROW / 2, name) for i, name in enumerate(self.beat_names)
        ]
        axis = self.lanes.getAxis("left")
        metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
        room = NAMES_PX - 16  # the tick and the gap before the text
        elide = Qt.TextElideMode.ElideRight
        axis.setTicks([[(y, metrics.elidedText(name, elide, room)) for y, name in ticks], []])
        bottom = self.beat_row_top(len(self.beat_names))
        axis_px = self.axis.height() if self.axis.isVisible() else 0
        self.lanes.setMinimumHeight(min(bottom, LANES_HELD_UNITS) * LANE_UNIT_PX[0] + axis_px)
        self.lanes.setMaximumHeight(bottom * LANE_UNIT_PX[1] + axis_px)
        self.lanes.setLimits(yMin=0, yMax=bottom)
        self.lanes.setYRange(0, bottom, padding=0)

    def set_film(self, film: Film) -> None:
        for axis in (self.axis, self.arc_axis):
            axis.set_film(film.fps, film.duration_ms)
        edge = film.duration_ms * EDGE_SHARE
        self.lanes.setLimits(
            xMin=-edge,
            xMax=film.duration_ms + edge,
            minXRange=film.frame_ms * MIN_FRAMES_IN_VIEW,
            maxXRange=film.duration_ms + 2 * edge,
        )
        for item in self.context.all():
            item.set_duration(film.duration_ms)

    def show_range(self, start_ms: float, end_ms: float, padding: float = 0.0) -> None:
        self.lanes.setXRange(start_ms, end_ms, padding=padding)

    def x_range(self) -> tuple[float, float]:
        low, high = self.lanes.getViewBox().viewRange()[0]
        return float(low), float(high)
