"""The emotional arc: each character's valence and intensity through its beats, per annotator.

Valence is drawn as a bold line in the character's colour, intensity as a thin one; each annotator
gets a dash pattern of their own, so several critics' arcs of the same scene can be overlaid; a key
in the corner says which is which (:mod:`desk.ui.timeline.legend`). The
beats sit on the curve as dots with their labels (only where there is room); hovering a dot shows
the beat, clicking it emits ``clicked`` with the beat's row so the view can send the player there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk.ui.timeline.arc_items import ArcCurveItem, ArcPoints, ArcPointsItem
from desk.ui.timeline.curves import smooth_curve, step_curve
from desk.ui.timeline.legend import WIDTHS, ArcLegend
from desk.ui.timeline.model import Beats, Lane

DASHES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)
MEASURES = ("valence", "intensity", "both")


@dataclass
class ArcOptions:
    smooth: bool = False
    measure: str = "valence"


class ArcView:
    """Draws the arcs of every lane into a plot: curves as plot items, beats as one item."""

    def __init__(self, plot: pg.PlotItem, describe: Callable[[int], str]) -> None:
        self.plot = plot
        self.options = ArcOptions()
        self.curves: list[ArcCurveItem] = []
        self.points = ArcPointsItem(describe)
        self.points.setZValue(10)
        plot.addItem(self.points)
        plot.addItem(pg.InfiniteLine(0, angle=0, pen=pg.mkPen("#777", width=1)))
        self.legend = ArcLegend(plot)

    def show(self, beats: Beats, lanes: list[Lane], focus: tuple[int, int] | None) -> None:
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        annotators = sorted(set(beats.annotators))
        code_of = {name: i for i, name in enumerate(annotators)}
        codes = np.fromiter((code_of[a] for a in beats.annotators), np.int64, len(beats))
        measures = (
            ("valence", "intensity") if self.options.measure == "both" else (self.options.measure,)
        )
        dots: list[tuple[np.ndarray, np.ndarray, QColor]] = []
        for lane in lanes:
            rows = self._rows_in(beats, lane.rows, focus)
            for dash in range(len(annotators)):
                mine = rows[codes[rows] == dash]
                if not len(mine):
                    continue
                for measure in measures:
                    self._add_curve(beats, mine, measure, QColor(lane.color), DASHES[dash % 5])
                dots.append((mine, getattr(beats, measures[0])[mine], QColor(lane.color)))
        self.points.set_points(self._points(beats, dots))
        self.legend.show(self.options.measure, lanes)

    @staticmethod
    def _rows_in(beats: Beats, rows: np.ndarray, focus: tuple[int, int] | None) -> np.ndarray:
        if focus is None or not len(rows):
            return rows
        inside = (beats.ends[rows] >= focus[0]) & (beats.starts[rows] <= focus[1])
        return rows[inside]

    def _add_curve(
        self, beats: Beats, rows: np.ndarray, measure: str, color: QColor, dash: Qt.PenStyle
    ) -> None:
        values = getattr(beats, measure)[rows]
        starts, ends = beats.starts[rows], beats.ends[rows]
        if self.options.smooth:
            xs, ys = smooth_curve(starts, values)
        else:
            xs, ys = step_curve(starts, ends, values)
        curve = ArcCurveItem(xs, ys, pg.mkPen(color, width=WIDTHS[measure], style=dash))
        self.plot.addItem(curve)
        self.curves.append(curve)

    @staticmethod
    def _points(beats: Beats, dots: list[tuple[np.ndarray, np.ndarray, QColor]]) -> ArcPoints:
        if not dots:
            return ArcPoints.empty()
        rows = np.concatenate([d[0] for d in dots])
        ys = np.concatenate([d[1] for d in dots])
        colors = [c for r, _v, c in dots for _ in range(len(r))]
        xs = beats.starts[rows].astype(np.float64)
        order = np.argsort(xs, kind="stable")
        labels = beats.labels
        return ArcPoints(
            xs[order],
            ys[order],
            [colors[i] for i in order.tolist()],
            [labels[r] for r in rows[order].tolist()],
            rows[order],
        )
