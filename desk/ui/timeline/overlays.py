"""Lines across every plot of the timeline: the playhead and the I/O marks.

The playhead follows the transport and can be dragged; a drag asks the transport to seek (the
player then reports the exact frame it shows, which moves the playhead to it). One overlay is made
per plot and all of them are kept at the same time.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal

from desk.core.timefmt import fmt_ms
from desk.ui.player_controls import MARK_COLOR

PLAYHEAD_COLOR = "#ff5a36"
#: The size of the playhead's time (pt).
TAG_PT = 8.0


class Overlays(QObject):
    """A playhead line and I/O marks in each of several plots, all showing the same times."""

    #: (film ms) while the user drags the playhead.
    dragged = Signal(float)
    #: (film ms) when the user lets the playhead go.
    released = Signal(float)

    def __init__(self, plots: list[pg.PlotItem], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.position_ms = 0
        self.heads: list[pg.InfiniteLine] = []
        self.marks: list[tuple[pg.InfiniteLine, pg.InfiniteLine, pg.LinearRegionItem]] = []
        for number, plot in enumerate(plots):
            head = pg.InfiniteLine(
                0,
                angle=90,
                movable=True,
                pen=pg.mkPen(PLAYHEAD_COLOR, width=2),
                hoverPen=pg.mkPen(PLAYHEAD_COLOR, width=4),
            )
            head.setZValue(100)
            if number == 0:  # a tag hanging from the top of the lanes, in a strip of its own
                head.label = pg.InfLineLabel(
                    head,
                    text="",
                    position=0.0,
                    anchors=[(0, 0), (1, 0)],
                    color="#ffffff",
                    fill=pg.mkBrush(PLAYHEAD_COLOR),
                )
                # small and tight, so it fits the strip kept for it above the scenes' names
                text = head.label.textItem
                font = text.font()
                font.setPointSizeF(TAG_PT)
                text.setFont(font)
                text.document().setDocumentMargin(1)
            head.sigDragged.connect(self._on_drag)
            head.sigPositionChangeFinished.connect(
                lambda line: self.released.emit(max(0.0, float(line.value())))
            )
            plot.addItem(head, ignoreBounds=True)
            self.heads.append(head)
            self.marks.append(self._make_marks(plot))

    @staticmethod
    def _make_marks(
        plot: pg.PlotItem,
    ) -> tuple[pg.InfiniteLine, pg.InfiniteLine, pg.LinearRegionItem]:
        pen = pg.mkPen(MARK_COLOR, width=1, style=Qt.PenStyle.DashLine)
        mark_in = pg.InfiniteLine(0, angle=90, movable=False, pen=pen)
        mark_out = pg.InfiniteLine(0, angle=90, movable=False, pen=pen)
        region = pg.LinearRegionItem((0, 0), movable=False, brush=pg.mkBrush(242, 193, 78, 40))
        region.setZValue(-5)
        for item in (mark_in, mark_out, region):
            item.hide()
            plot.addItem(item, ignoreBounds=True)
        return mark_in, mark_out, region

    def set_position(self, film_ms: int) -> None:
        """Move every playhead to ``film_ms`` without emitting ``dragged``."""
        self.position_ms = film_ms
        for head in self.heads:
            if head.moving:
                continue
            head.blockSignals(True)
            head.setValue(film_ms)
            head.blockSignals(False)
        label = getattr(self.heads[0], "label", None) if self.heads else None
        if label is not None:
            label.setFormat(fmt_ms(film_ms))

    def _on_drag(self, line: pg.InfiniteLine) -> None:
        value = float(line.value())
        for head in self.heads:
            if head is not line:
                head.blockSignals(True)
                head.setValue(value)
                head.blockSignals(False)
        self.dragged.emit(max(0.0, value))

    def set_marks(self, in_ms: int | None, out_ms: int | None) -> None:
        for mark_in, mark_out, region in self.marks:
            for line, value in ((mark_in, in_ms), (mark_out, out_ms)):
                line.setVisible(value is not None)
                if value is not None:
                    line.setValue(value)
            both = in_ms is not None and out_ms is not None
            region.setVisible(both)
            if in_ms is not None and out_ms is not None:
                region.setRegion((min(in_ms, out_ms), max(in_ms, out_ms)))
