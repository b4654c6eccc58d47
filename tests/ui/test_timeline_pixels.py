"""What the timeline draws fast looks as it did drawn the slower way: outlines, arcs, dots,
labels."""

from __future__ import annotations

import random
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QTransform

from desk.ui.timeline.arc_items import (
    DOT_OUTLINE,
    DOT_RADIUS,
    WHOLE_LABEL_PX,
    ArcCurveItem,
    ArcPoints,
    ArcPointsItem,
    column_means,
    hairline_strokes,
)
from desk.ui.timeline.columns import (
    SPANS_PER_COLUMN,
    TICKS_PER_COLUMN,
    Columns,
    column_row,
    long_spans,
    tick_columns,
)
from desk.ui.timeline.curves import step_curve
from desk.ui.timeline.legend import WIDTHS
from desk.ui.timeline.strips import (
    DeviceMap,
    _frame,
    column_image,
    first_after,
    first_from,
    row_image,
    visible,
)
from desk.ui.timeline.texts import LABELS, ROOM_STEP_PX, TextCache

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


class _View:
    """The one thing an item asks of its view box while painting: the film time in view."""

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def viewRange(self) -> list[list[float]]:  # noqa: N802 - pyqtgraph's name
        return [[self.low, self.high], [-1.15, 1.15]]


def dots_the_plain_way(painter: QPainter, points: ArcPoints, low: float, high: float) -> None:
    """Each dot and its label laid out afresh, the way the arc drew them before it kept them."""
    xs = points.xs
    index = np.arange(np.searchsorted(xs, low), np.searchsorted(xs, high, "right"))
    dm = DeviceMap.take(painter, low, high)
    writer = LABELS.writer(painter)
    taken: list[tuple[float, float, float]] = []
    for k in index.tolist():
        x, y = float(dm.x(xs[k])), float(points.ys[k] * dm.sy + dm.dy)
        painter.setPen(DOT_OUTLINE)
        painter.setBrush(points.colors[k])
        painter.drawEllipse(QPointF(x, y), DOT_RADIUS, DOT_RADIUS)
        if not points.labels[k]:
            continue
        text = writer.label(points.labels[k], WHOLE_LABEL_PX)
        left, top = x + 6, y - writer.height - 2
        right = left + text.size().width()
        if any(left < r and a < right and abs(top - t) < writer.height for a, r, t in taken[-12:]):
            continue
        taken.append((left, right, top))
        painter.setPen(points.colors[k].lighter(130))
        painter.drawStaticText(QPointF(left, top), text)


def arc_pixels(draw, low: float, point_size: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    image = QImage(900, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#151518"))
    painter = QPainter(image)
    font = QFont(painter.font())
    font.setPointSizeF(point_size)
    painter.setFont(font)
    sx = 900 / 20_000  # 20 s over 900 px
    painter.setTransform(QTransform(sx, 0, 0, -80, -low * sx, 100))
    draw(painter)
    painter.end()
    return np.array(image.constBits(), copy=True).reshape(200, 900, 4)


def test_the_arcs_dots_and_labels_look_as_they_did_laid_out_afresh(qapp) -> None:
    chance = np.random.default_rng(20)
    xs = np.sort(chance.uniform(0, 60_000, 240))
    palette = [QColor(c) for c in ("#d1495b", "#3d7ea6", "#edae49", "#66a182")]
    colors = [palette[i] for i in chance.integers(0, 4, len(xs)).tolist()]
    labels = [f"beat {n}" if n % 7 else "" for n in range(len(xs))]
    points = ArcPoints(xs, chance.uniform(-1, 1, len(xs)), colors, labels, np.arange(len(xs)))
    item = ArcPointsItem(str)
    item.set_points(points)
    for low, point_size in ((0, 8.0), (7_000, 8.0), (31_500, 8.0), (7_000, 11.0), (0, 8.0)):
        item.getViewBox = lambda low=low: _View(low, low + 20_000)  # type: ignore[method-assign]
        kept = arc_pixels(item.paint, low, point_size)
        fresh = arc_pixels(
            partial(dots_the_plain_way, points=points, low=low, high=low + 20_000), low, point_size
        )
        assert np.count_nonzero(kept != fresh) == 0, (low, point_size)
        assert np.count_nonzero(kept != kept[0, 0]) > 1_000  # dots and labels were drawn


def test_a_label_shows_what_qt_elides_it_to_in_every_room_whatever_the_order(qapp) -> None:
    cache = TextCache(limit=64)  # small: layouts and elisions are dropped and made again
    font = QFont()
    font.setPointSizeF(8.0)
    metrics = QFontMetricsF(font)
    chance = random.Random(20)
    labels = ["beat 7", "Igor hands the ring back", "she resists the kiss", "Wipers", ""]
    for _ in range(3_000):
        text, room = chance.choice(labels), chance.uniform(0, 240)
        stepped = int(room) // ROOM_STEP_PX * ROOM_STEP_PX
        shown = cache.label(text, font, room)
        assert shown.text() == metrics.elidedText(text, Qt.TextElideMode.ElideRight, stepped)
    whole = cache.label("beat 7", font, 200)
    assert cache.label("beat 7", font, 120) is whole  # one layout for every room it fits


def test_labels_written_from_one_moved_point_look_as_drawn_each_at_its_own(qapp) -> None:
    chance = random.Random(21)
    texts = ["beat 7", "Igor hands the ring back", "she resists the kiss", "Wipers"]
    labels = [
        (chance.choice(texts), chance.uniform(0, 90), chance.uniform(0, 90), chance.uniform(30, 90))
        for _ in range(60)
    ]
    ends: list[float] = []

    def kept(painter: QPainter) -> None:
        painter.setPen(QColor("#ffffff"))
        writer = LABELS.writer(painter)
        ends.extend(writer.write(*label, 20.0, room) for *label, room in labels)

    def afresh(painter: QPainter) -> None:
        painter.setPen(QColor("#ffffff"))
        height = QFontMetricsF(painter.font()).height()
        for text, left, top, room in labels:
            static = TextCache().label(text, painter.font(), room)
            corner = QPointF(left, top + (20.0 - height) / 2)
            painter.drawStaticText(corner, static)
            assert ends.pop(0) == QRectF(corner, static.size()).right()

    written = pixels(kept)
    assert np.count_nonzero(written != pixels(afresh)) == 0
    assert not ends
    assert np.count_nonzero(written != written[0, 0]) > 1_000  # the labels were written


def lane_of(chance: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` spans in start order over 10 s, some sharing a start, a fifth of them moments
    and a few long enough to reach over many others."""
    starts = np.sort(chance.integers(-500, 10_000, count)).astype(np.int64)
    starts[1::7] = starts[0::7][: len(starts[1::7])]  # the same start as the span before
    starts.sort()
    lengths = chance.exponential(chance.uniform(1, 3_000), count) * (chance.random(count) > 0.2)
    return starts, starts + lengths.astype(np.int64)


def test_a_crowded_lanes_columns_found_by_search_are_those_of_mapping_each_span(qapp) -> None:
    chance = np.random.default_rng(20)
    for trial in range(400):
        starts, ends = lane_of(chance, int(chance.integers(200, 900)))
        colors = chance.integers(0, 255, (len(starts), 4)).astype(np.uint8)
        low = float(chance.uniform(-600, 6_000))
        high = low + float(chance.uniform(2_000, 8_000))
        index = visible(starts, ends, int((ends - starts).max()), low, high)
        width = int(chance.integers(1, len(index) // SPANS_PER_COLUMN))  # crowded
        sx = width / (high - low)
        dx = float(chance.uniform(-50, 50)) - low * sx
        if trial % 2:  # whole ms per pixel from a whole pixel: times on a column's very edge
            sx, dx = 1 / round(1 / sx), float(round(dx))
        dm = DeviceMap(sx, dx, 1.0, 0.0, low * sx + dx, high * sx + dx)
        mapped = column_image(
            np.floor(dm.x(starts[index]) - dm.left),
            np.ceil(dm.x(ends[index]) - dm.left),
            colors[index],
            dm.width,
        )
        cols = Columns(dm.sx, dm.dx, dm.left, dm.width)
        found = column_row(starts, ends, index, colors, cols)
        assert found is not None
        assert row_image(found) == mapped, (low, high, width)
        # the spans with room for a label are the same few, picked out by their length
        px0, px1 = dm.x(starts[index]), dm.x(ends[index])
        rooms = np.minimum(px1, dm.right) - np.maximum(px0, dm.left) - 6
        wide = long_spans(starts, ends, index, 33.999 / sx)
        if wide is not None:
            w0, w1 = dm.x(starts[wide]), dm.x(ends[wide])
            wide_rooms = np.minimum(w1, dm.right) - np.maximum(w0, dm.left) - 6
            assert np.array_equal(wide[wide_rooms >= 28], index[rooms >= 28])
        # and a tick strip's columns, one per time or many
        times = starts[first_from(starts, low) : first_after(starts, high)]
        ticked = np.zeros(dm.width, dtype=bool)
        px = np.floor(dm.x(times) - dm.left).astype(np.int64)
        ticked[px[(px >= 0) & (px < dm.width)]] = True
        if len(times) >= TICKS_PER_COLUMN * dm.width:
            assert np.array_equal(tick_columns(times, cols), ticked)


def test_moments_on_a_columns_very_edge_fill_that_column_as_when_mapped_one_by_one(qapp) -> None:
    starts = ends = np.full(6, 1_000, dtype=np.int64)  # six notes at one instant
    colors = np.tile(np.array([[200, 80, 40, 255]], np.uint8), (6, 1))
    dm = DeviceMap(0.001, 0.0, 1.0, 0.0, 0.0, 2.0)  # 0..2 s over two columns: 1 s at px 1.0
    index = visible(starts, ends, 0, 0.0, 2_000.0)
    found = column_row(starts, ends, index, colors, Columns(dm.sx, dm.dx, dm.left, dm.width))
    assert found is not None
    mapped = column_image(np.floor(dm.x(starts)), np.ceil(dm.x(ends)), colors, dm.width)
    assert row_image(found) == mapped
    assert found[1].tolist() == [200, 80, 40, 255]
