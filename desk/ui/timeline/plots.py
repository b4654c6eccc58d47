"""The timeline's two plots, stacked and sharing film time: the lanes and the emotional arc.

The lanes plot stacks, top to bottom, the context lanes (scenes, cuts, links, loudness) and one lane
of beats per character. Its y axis runs downwards in "lane units" and never moves; only film time
pans and zooms, from the whole film down to a few frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg

from desk.ui.timeline.axis import TimecodeAxis
from desk.ui.timeline.context import EnvelopeItem, SceneBandItem, TickStripItem
from desk.ui.timeline.model import Film

#: (name, height in lane units) of the context lanes above the beats.
CONTEXT_ROWS = (("Scenes", 0.8), ("Cuts", 0.45), ("Links", 0.45), ("Loudness", 1.0))
BEAT_ROW = 1.0
#: The narrowest view shows this many frames.
MIN_FRAMES_IN_VIEW = 6
#: Pan and zoom may go this share of the film beyond either end.
EDGE_SHARE = 0.02


@dataclass
class ContextItems:
    scenes: SceneBandItem
    cuts: TickStripItem
    links: TickStripItem
    loudness: EnvelopeItem


def _plot(plot: pg.PlotItem) -> pg.PlotItem:
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=True, y=False)
    plot.disableAutoRange()
    plot.getAxis("left").setWidth(86)
    return plot


class TimelinePlots:
    """Builds the plots in a layout widget and keeps their ranges and lane rows in order."""

    def __init__(self, view: pg.GraphicsLayoutWidget, film: Film) -> None:
        self.view = view
        self.axis = TimecodeAxis("top")
        self.arc_axis = TimecodeAxis("bottom")
        self.lanes = _plot(view.addPlot(row=0, col=0, axisItems={"top": self.axis}))
        self.lanes.showAxis("top")
        self.lanes.hideAxis("bottom")
        self.lanes.invertY(True)
        self.arc = _plot(view.addPlot(row=1, col=0, axisItems={"bottom": self.arc_axis}))
        self.arc.setXLink(self.lanes)
        self.arc.setYRange(-1.15, 1.15, padding=0)
        self.arc.getAxis("left").setTicks([[(-1, "−1"), (0, "0"), (1, "+1")], []])
        self.arc.setLabel("left", "arc")
        view.ci.layout.setRowStretchFactor(0, 3)
        view.ci.layout.setRowStretchFactor(1, 2)
        self.context = self._context(film.duration_ms)
        self.beat_rows = 0
        self.set_film(film)

    def _context(self, duration_ms: int) -> ContextItems:
        tops = self.context_tops()
        items = ContextItems(
            SceneBandItem(tops[0], CONTEXT_ROWS[0][1], duration_ms),
            TickStripItem(tops[1], CONTEXT_ROWS[1][1], duration_ms, "#c8c8d0"),
            TickStripItem(tops[2], CONTEXT_ROWS[2][1], duration_ms, "#7fc8a9"),
            EnvelopeItem(tops[3], CONTEXT_ROWS[3][1], duration_ms, "#6fa8dc"),
        )
        for item in (items.scenes, items.cuts, items.links, items.loudness):
            self.lanes.addItem(item)
        return items

    @staticmethod
    def context_tops() -> list[float]:
        tops, y = [], 0.0
        for _name, height in CONTEXT_ROWS:
            tops.append(y)
            y += height
        return tops

    @property
    def first_beat_row(self) -> float:
        return sum(height for _name, height in CONTEXT_ROWS)

    def beat_row_top(self, lane: int) -> float:
        return self.first_beat_row + lane * BEAT_ROW

    def set_lane_names(self, names: list[str]) -> None:
        """Label the rows (context lanes, then one per beat lane) and fit them in the plot."""
        self.beat_rows = len(names)
        ticks = [
            (top + h / 2, name)
            for top, (name, h) in zip(self.context_tops(), CONTEXT_ROWS, strict=True)
        ]
        ticks += [(self.beat_row_top(i) + BEAT_ROW / 2, name) for i, name in enumerate(names)]
        self.lanes.getAxis("left").setTicks([ticks, []])
        bottom = self.beat_row_top(len(names))
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
        c = self.context
        for item in (c.scenes, c.cuts, c.links, c.loudness):
            item.set_duration(film.duration_ms)

    def show_range(self, start_ms: float, end_ms: float, padding: float = 0.0) -> None:
        self.lanes.setXRange(start_ms, end_ms, padding=padding)

    def x_range(self) -> tuple[float, float]:
        low, high = self.lanes.getViewBox().viewRange()[0]
        return float(low), float(high)
