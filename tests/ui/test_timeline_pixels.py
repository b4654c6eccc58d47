"""What the timeline draws fast looks as it did drawn the slower way: outlines, arcs."""

from __future__ import annotations

import random
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from desk.ui.timeline.arc_items import ArcCurveItem, column_means, hairline_strokes
from desk.ui.timeline.curves import step_curve
from desk.ui.timeline.legend import WIDTHS
from desk.ui.timeline.strips import DeviceMap, _frame

OUTLINE = QColor(20, 20, 24, 200)  # the lanes' translucent outline


def pixels(draw) -> np.ndarray:  # type: ignore[no-untyped-def]
    image = QImage(120, 120, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#2a2a30"))
    painter = QPainter(image)
    draw(painter)
    painter.end()
    return np.array(image.constBits(), copy=True).reshape(120, 120, 4)


def outline_by_qt(painter: QPainter, rect: QRectF) -> None:
    painter.setPen(QPen(OUTLINE, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)


def outline_by_desk(painter: QPainter, rect: QRectF) -> None:
    _frame(painter, rect.left(), rect.top(), rect.width(), rect.height(), OUTLINE)


def test_a_spans_outline_is_the_frame_qt_draws_pixel_for_pixel(qapp) -> None:
    chance = random.Random(20)
    for _ in range(200):
        left, top = chance.uniform(1, 50), chance.uniform(1, 50)
        rect = QRectF(left, top, chance.uniform(3, 60), chance.uniform(4, 60))
        by_qt = pixels(partial(outline_by_qt, rect=rect))
        assert np.array_equal(by_qt, pixels(partial(outline_by_desk, rect=rect))), rect


def rows_covered(pen: QPen) -> int:
    """How many rows of pixels a horizontal arc drawn with ``pen``'s strokes covers."""
    hairline, strokes = hairline_strokes(pen)
    path = pg.arrayToQPath(np.array([10.0, 110.0]), np.array([60.0, 60.0]))

    def draw(painter: QPainter) -> None:
        painter.setPen(hairline)
        for dx, dy in strokes:
            painter.translate(dx, dy)
            painter.drawPath(path)
            painter.translate(-dx, -dy)

    column = pixels(draw)[:, 60, :3].astype(int)
    return int(np.count_nonzero(np.abs(column - column[0]).sum(axis=1)))


def test_a_valence_arc_stays_thicker_than_an_intensity_arc_when_zoomed_in(qapp) -> None:
    valence = pg.mkPen(QColor("#d1495b"), width=WIDTHS["valence"])
    intensity = pg.mkPen(QColor("#d1495b"), width=WIDTHS["intensity"])
    assert rows_covered(valence) == 2
    assert rows_covered(intensity) == 1


def test_a_dashed_arc_keeps_dashes_as_long_as_its_width_makes_them(qapp) -> None:
    pen = pg.mkPen(QColor("#3d7ea6"), width=2.5, style=Qt.PenStyle.DashLine)
    hairline, _strokes = hairline_strokes(pen)
    assert hairline.widthF() == 1.0
    assert hairline.dashPattern() == [dash * 2.5 for dash in pen.dashPattern()]


def test_a_whole_films_arc_is_the_mean_of_each_pixel_column_as_before(qapp) -> None:
    chance = np.random.default_rng(7)
    starts = np.sort(chance.uniform(0, 7_200_000, 3_000)).astype(np.int64)
    ends = starts + chance.choice([0, 1_000, 4_000], len(starts))
    xs, ys = step_curve(starts, ends, chance.uniform(-1, 1, len(starts)))
    curve = ArcCurveItem(xs, ys, pg.mkPen("#d1495b", width=2.5))
    for low, high in ((0, 7_200_000), (1_000_000, 2_500_000), (-50_000, 900_000)):
        sx = 1600 / (high - low)
        dm = DeviceMap(sx, 40 - low * sx, -60.0, 100.0, 40.0, 1640.0)
        kept_xs, kept_ys = curve.column_means(dm)
        lo = max(0, int(np.searchsorted(xs, low)) - 1)
        hi = min(len(xs), int(np.searchsorted(xs, high, "right")) + 1)
        want_xs, want_ys = column_means(
            dm.x(xs[lo:hi]), ys[lo:hi] * dm.sy + dm.dy, dm.left, dm.width
        )
        assert np.array_equal(kept_xs, want_xs)
        assert np.allclose(kept_ys, want_ys, atol=1e-6)
