"""The arc's key: what its y axis means in the chosen mode, and which colour is which character.

Valence runs from −1 (unpleasant) to +1 (pleasant) and is drawn bold; intensity runs from 0 (calm)
to 1 (overwhelming) and is drawn thin. The key sits in a row of its own above the arc (so it never
covers a curve), and the y axis is named and ticked for the mode shown.
"""

from __future__ import annotations

import html

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


#: The height of the key's row above the arc (px).
KEY_ROW_PX = 18


class ArcLegend:
    """The key of one arc plot, written in a row of its own above the arc (never over a curve),
    rebuilt whenever the mode or the characters change."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        #: The key's entries as written (plain text), in order.
        self.texts: list[str] = []
        #: The key as rich text, every name escaped.
        self.html = ""

    @property
    def item(self) -> pg.LabelItem:
        return self.plot.titleLabel

    def show(self, measure: str, lanes: list[Lane]) -> None:
        measures = ("valence", "intensity") if measure == "both" else (measure,)
        entries = [(NEUTRAL, m == "valence", MEANINGS[m]) for m in measures]
        bold = measures[0] == "valence"
        entries += [(lane.color, bold, lane.name) for lane in lanes if len(lane.rows)]
        self.texts = [text for _color, _bold, text in entries]
        # the label writes rich text: a character's name and colour are the project's, not markup
        self.html = "&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{html.escape(color)}'>{'━━' if thick else '──'}</span>"
            f"&nbsp;{html.escape(text)}"
            for color, thick, text in entries
        )
        if self.html != self.item.text:  # a new title lays the whole view out again
            self.plot.setTitle(self.html, size="8pt", color="#dcdce2", justify="right")
            self.plot.layout.setRowFixedHeight(0, KEY_ROW_PX)
            self.item.setMaximumHeight(KEY_ROW_PX)
        ticks, name = AXES.get(measure, AXES["valence"])
        self.plot.getAxis("left").setTicks([ticks, []])
        self.plot.setLabel("left", name)
