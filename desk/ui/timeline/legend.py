"""The arc's key: what its y axis means in the chosen mode, and which colour is which character.

Valence runs from −1 (unpleasant) to +1 (pleasant) and is drawn bold; intensity runs from 0 (calm)
to 1 (overwhelming) and is drawn thin. The key sits in the arc's top right corner, one row high, and
the y axis is named and ticked for the mode shown.
"""

from __future__ import annotations

import html
from typing import Any

import pyqtgraph as pg

from desk.ui.timeline.model import Lane

NEUTRAL = "#b8b8c0"
#: What each measure means, as written in the key.
MEANINGS = {
    "valence": "valence: −1 unpleasant … +1 pleasant",
    "intensity": "intensity: 0 calm … 1 overwhelming",
}
#: Line widths of the two measures (px), shared with the curves.
WIDTHS = {"valence": 2.5, "intensity": 1.2}
#: (y, label) ticks and the axis name per mode.
AXES = {
    "valence": ([(-1.0, "−1"), (0.0, "0"), (1.0, "+1")], "valence"),
    "intensity": ([(0.0, "0"), (0.5, "½"), (1.0, "1")], "intensity"),
    "both": ([(-1.0, "−1"), (0.0, "0"), (1.0, "+1")], "valence · intensity"),
}


class _Swatch(pg.ItemSample):
    """A line sample that stays as it is when clicked (pyqtgraph's hides its curve)."""

    def mouseClickEvent(self, event: Any) -> None:  # noqa: N802
        event.ignore()


class ArcLegend:
    """The key of one arc plot, rebuilt whenever the mode or the characters change."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.item = pg.LegendItem(
            brush=pg.mkBrush(20, 20, 24, 190),
            pen=pg.mkPen("#55555c"),
            labelTextColor="#dcdce2",
            labelTextSize="8pt",
            sampleType=_Swatch,
        )
        self.item.setParentItem(plot.getViewBox())
        self.item.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, 4))
        self.item.setZValue(50)
        #: The key's entries as written (plain text), in order.
        self.texts: list[str] = []

    def show(self, measure: str, lanes: list[Lane]) -> None:
        measures = ("valence", "intensity") if measure == "both" else (measure,)
        entries = [(NEUTRAL, WIDTHS[m], MEANINGS[m]) for m in measures]
        bold = WIDTHS[measures[0]]
        entries += [(lane.color, bold, lane.name) for lane in lanes if len(lane.rows)]
        self.item.clear()
        for color, width, text in entries:
            sample = pg.PlotDataItem(pen=pg.mkPen(color, width=width))
            # LabelItem writes rich text: a character's name is the project's, never markup
            self.item.addItem(_Swatch(sample), html.escape(text))
        self.item.setColumnCount(max(1, len(entries)))
        self.texts = [text for _color, _width, text in entries]
        ticks, name = AXES.get(measure, AXES["valence"])
        axis = self.plot.getAxis("left")
        axis.setTicks([ticks, []])
        self.plot.setLabel("left", name)
