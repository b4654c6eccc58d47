"""The lanes of what the writing points at: every time link, and the notes by kind.

The Links lane shows where each link starts as a tick, and a link with an end as a thin bar over
its extent, so a paragraph that cites 0:40–0:55 reads as a range and not as a moment. The Notes
lane shows each note at each range it is linked to, coloured by its kind, with its text on hover;
the texts are read only for the notes shown (a long film's notes are many, their texts long).
Both paint only what is visible, in device pixels (see :mod:`desk.ui.timeline.strips`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from desk.store.kinds import NoteKind
from desk.ui.plain_text import tooltip_html
from desk.ui.timeline.columns import Columns, column_row
from desk.ui.timeline.context import TickStripItem, _Band
from desk.ui.timeline.model import NoteMarks, Spans
from desk.ui.timeline.strips import (
    DETAIL_LIMIT,
    DeviceMap,
    SpanStyle,
    column_image,
    first_after,
    first_from,
    guarded,
    paint_columns,
    paint_spans,
    rgba,
    row_image,
    visible,
)

#: A colour per kind of note: mid-tones that read on the dark timeline and on a light page.
NOTE_KIND_COLORS = {
    NoteKind.INTERPRETATION.value: "#4c8bf5",
    NoteKind.EVIDENCE.value: "#2fa36b",
    NoteKind.QUESTION.value: "#e39b1b",
    NoteKind.COUNTER_READING.value: "#c9467f",
    NoteKind.FREE.value: "#8c8c96",
}
#: The share of the Links lane's height its range bars take, at the lane's foot.
BAR_SHARE = 0.3
#: A pointer this close to a note's mark (px) reads it.
HOVER_PX = 4.0


class LinkSpansItem(TickStripItem):
    """Every link: a tick where it starts (its ``times``; a right-click near one asks for the
    menu of its note, as on any tick strip), and a bar over its extent when it has one."""

    def __init__(self, top: float, height: float, duration_ms: int, color: str) -> None:
        super().__init__(top, height, duration_ms, color)
        self.links = Spans.empty()
        self.longest = 0
        self.bar_colors = rgba([color], alpha=255)
        self.bar_ends = np.zeros(0, dtype=np.int64)
        self.bar_fills = np.zeros((0, 4), dtype=np.uint8)

    def set_links(self, links: Spans) -> None:
        self.links = links
        self.times = links.starts
        self.longest = int((links.ends - links.starts).max()) if len(links) else 0
        # A link without an extent has no bar: its end is put before any view, so the bars in
        # view are those :func:`visible` finds, and each bar's colour is at hand by its row.
        self.bar_ends = np.where(links.ends > links.starts, links.ends, np.iinfo(np.int64).min)
        self.bar_fills = np.repeat(self.bar_colors, len(links), axis=0)
        self.update()

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        span = self._view_x()
        if span is None or not len(self.links):
            return
        dm = DeviceMap.take(painter, *span)
        top, height = self._band_px(dm, inset=0.05)
        starts, ends = self.links.starts, self.bar_ends
        lo, hi = first_from(starts, span[0]), first_after(starts, span[1])
        paint_columns(painter, dm, starts[lo:hi], top, height * (1 - BAR_SHARE), self.color)
        index = visible(starts, ends, self.longest, *span)
        if not len(index) or dm.width <= 0:
            return
        cols = Columns(dm.sx, dm.dx, dm.left, dm.width)
        row = column_row(starts, ends, index, self.bar_fills, cols)
        if row is None:
            image = column_image(
                np.floor(cols.px(starts[index])),
                np.ceil(cols.px(ends[index])),
                self.bar_fills[index],
                dm.width,
            )
        else:
            image = row_image(row)
        bar = height * BAR_SHARE
        painter.drawImage(QRectF(dm.left, top + height - bar, dm.width, bar), image)


class NoteTexts(Sequence[str]):
    """The notes' texts by mark, read from the project only for the marks shown, and kept."""

    def __init__(self) -> None:
        self.read: Callable[[list[int]], dict[int, str]] = lambda ids: {}
        self.note_ids = np.zeros(0, dtype=np.int64)
        self.known: dict[int, str] = {}

    def reset(self, note_ids: np.ndarray) -> None:
        self.note_ids, self.known = note_ids, {}

    def fetch(self, marks: np.ndarray) -> None:
        """Read the texts of the marks ``marks`` that are not known yet, in one query."""
        wanted = {int(i) for i in self.note_ids[marks].tolist()} - self.known.keys()
        if wanted:
            self.known.update(self.read(sorted(wanted)))

    def __len__(self) -> int:
        return len(self.note_ids)

    def __getitem__(self, mark: int) -> str:  # type: ignore[override]
        note_id = int(self.note_ids[mark])
        if note_id not in self.known:
            self.fetch(np.array([mark]))
        return self.known.get(note_id, "")


class NoteMarksItem(_Band):
    """Each note at the ranges it is linked to, in its kind's colour; hover reads its text."""

    def __init__(self, top: float, height: float, duration_ms: int) -> None:
        super().__init__(top, height, duration_ms)
        self.marks = NoteMarks.empty()
        self.colors = np.zeros((0, 4), dtype=np.uint8)
        self.labels = NoteTexts()
        self.longest = 0
        self.style = SpanStyle(QColor(20, 20, 24, 200), QColor("#ffd54a"))
        self.setAcceptHoverEvents(True)

    def set_marks(self, marks: NoteMarks) -> None:
        self.marks = marks
        self.colors = kind_colors(marks.kind_codes, marks.kind_names)
        self.labels.reset(marks.note_ids)
        self.longest = int((marks.ends - marks.starts).max()) if len(marks) else 0
        self.update()

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        span = self._view_x()
        if span is None or not len(self.marks):
            return
        dm = DeviceMap.take(painter, *span)
        top, height = self._band_px(dm)
        m = self.marks
        index = visible(m.starts, m.ends, self.longest, *span)
        if len(index) <= DETAIL_LIMIT:  # their labels are written
            self.labels.fetch(index)
        paint_spans(
            painter, dm, index, m.starts, m.ends, self.colors, self.labels, top, height, self.style
        )

    def mark_at(self, x_ms: float, ms_per_px: float) -> int | None:
        """The mark under ``x_ms`` (the latest-starting where they overlap), or None."""
        grab = HOVER_PX * ms_per_px
        m = self.marks
        index = visible(m.starts, m.ends, self.longest, x_ms - grab, x_ms + grab)
        return int(index[-1]) if len(index) else None

    def hoverEvent(self, ev: Any) -> None:  # noqa: N802
        view = self.getViewBox()
        if ev.isExit() or view is None:
            self.setToolTip("")
            return
        k = self.mark_at(ev.pos().x(), float(view.viewPixelSize()[0]) or 1.0)
        self.setToolTip("" if k is None else tooltip_html(self.describe(k)))

    def describe(self, k: int) -> str:
        return f"{self.marks.kind(k)}: {self.labels[k]}"


def kind_colors(codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The RGBA colour of each mark, by its kind's place in ``names``, as an (n, 4) array (an
    unknown kind is drawn as free)."""
    free = NOTE_KIND_COLORS[NoteKind.FREE.value]
    palette = rgba([NOTE_KIND_COLORS.get(str(name), free) for name in names] or [free])
    return palette[np.asarray(codes, dtype=np.int64)].reshape(-1, 4)
