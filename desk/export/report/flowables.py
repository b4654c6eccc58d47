"""Flowables a report needs beyond ReportLab's own: stills, placeholders, index marks, single
lines of text, and batches of flowables made only when the layout reaches them.

A still is the JPEG from the frame server placed as is (no re-encoding), scaled to a width with its
aspect kept; each frame goes into the PDF once, however often it is shown. Where there is no
picture (film missing, time outside the copy) a grey box of the same shape says why.
The report is laid out in one pass: :class:`IndexMark` records the page of each cited time as it
is drawn, for the index at the end (:mod:`desk.export.report.index`).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from desk.export.pdf_text import draw_runs
from desk.export.report.styles import MUTED, PLACEHOLDER_FILL, RULE, Styles, fit
from desk.export.stills import Still

T = TypeVar("T")


class Batch(Flowable):
    """A placeholder for flowables made when the layout reaches it (see
    :meth:`~desk.export.report.doc.ReportDoc.filterFlowables`), so a report of 100,000 notes never
    holds them all at once. ``make`` may return further batches."""

    def __init__(self, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.make = make
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:  # never drawn: the document expands it first
        raise AssertionError("a batch of flowables was drawn without being made")


def batches(
    items: Sequence[T], size: int, make: Callable[[Sequence[T]], list[Flowable]]
) -> list[Flowable]:
    """``items`` in batches of ``size``, each laid out by ``make`` when the layout reaches it."""
    return [Batch(functools.partial(make, items[i : i + size])) for i in range(0, len(items), size)]


class TextLine(Flowable):
    """One line of project text in a paragraph style's font, indent and spacing, cut with an
    ellipsis if too long: a heading of a note costs a tenth of a Paragraph."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        style, canvas = self.style, self.canv
        room = self.width - style.leftIndent - style.rightIndent
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        baseline = self.height - style.fontSize
        text = fit(self.text, style.fontName, style.fontSize, room)
        draw_runs(canvas, style.leftIndent, baseline, text, style.fontName, style.fontSize)
        canvas.restoreState()


class JpegFile(io.BytesIO):
    """A still's JPEG as a named file for ReportLab's ``drawImage``, which copies a ``.jpg`` file
    into the PDF as it is. Given an ``ImageReader`` instead, it would decode every picture to
    hash its pixels: most of the cost of a report's stills."""

    def __init__(self, still: Still) -> None:
        super().__init__(still.jpeg)
        self.name = f"desk-still-{still.index}.jpg"

    def __fspath__(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class StillImage(Flowable):
    """A decoded frame at a given width (aspect kept), or a grey placeholder saying why not."""

    def __init__(
        self, still: Still | None, width: float, aspect: float, reason: str, styles: Styles
    ) -> None:
        super().__init__()
        self.still, self.reason, self.styles = still, reason, styles
        if still is not None and still.width:
            aspect = still.height / still.width
        self.width, self.height = width, width * aspect

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.still is not None:
            # One form per frame, so the picture is in the PDF once however often it is shown.
            name = f"desk-still-{self.still.index}"
            if not canvas.hasForm(name):
                canvas.beginForm(name, 0, 0, 1, 1)
                canvas.drawImage(JpegFile(self.still), 0, 0, 1, 1)
                canvas.endForm()
            canvas.saveState()
            canvas.scale(self.width, self.height)
            canvas.doForm(name)
            canvas.restoreState()
            return
        canvas.saveState()
        canvas.setFillColor(PLACEHOLDER_FILL)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, self.width, self.height, fill=1, stroke=1)
        canvas.line(0, 0, self.width, self.height)
        canvas.line(0, self.height, self.width, 0)
        size = 7 if self.width >= 90 else 5.5
        canvas.setFillColor(MUTED)
        canvas.setFont(self.styles.fonts.sans, size)
        label_w = canvas.stringWidth(self.reason, self.styles.fonts.sans, size) + 6
        canvas.setFillColor(PLACEHOLDER_FILL)
        canvas.rect(
            (self.width - label_w) / 2, self.height / 2 - size, label_w, size * 2, fill=1, stroke=0
        )
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(self.width / 2, self.height / 2 - size / 3, self.reason)
        canvas.restoreState()


def page_anchor(page: int) -> str:
    """The name of the destination at the top of a page (see :class:`ReportDoc`)."""
    return f"page-{page}"


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One citation of a time, and where: "¶ 3", "note 12", "beat 4"."""

    start_ms: int
    end_ms: int
    label: str


#: Where an index mark records each citation with its page, in the order they are drawn.
Cited = list[tuple[IndexEntry, int]]


class IndexMark(Flowable):
    """An invisible mark where timecodes are cited; records the page they are printed on (the
    index links to the page: a destination per citation would cost memory per note)."""

    _ZERO_SIZE = 1

    def __init__(self, entries: Iterable[IndexEntry], cited: Cited) -> None:
        super().__init__()
        self.entries, self.cited = tuple(entries), cited
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        self.cited.extend((entry, page) for entry in self.entries)
