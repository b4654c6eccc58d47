"""Flowables a report needs beyond ReportLab's own: stills, placeholders, index marks, the index.

A still is the JPEG from the frame server placed as is (no re-encoding), scaled to a width with its
aspect kept. Where there is no picture (film missing, time outside the copy) a grey box of the same
shape says why. :class:`TimecodeIndex` lists every timecode with the pages citing it, resolved over
ReportLab's multi-pass build like a table of contents.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.doctemplate import IndexingFlowable

from desk.export.report_styles import MUTED, PLACEHOLDER_FILL, RULE, Styles, esc
from desk.export.stills import Still

#: The ``notify`` kind an :class:`IndexMark` sends to the :class:`TimecodeIndex`.
INDEX_KIND = "DeskTimecode"


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
            image = ImageReader(io.BytesIO(self.still.jpeg))
            canvas.drawImage(image, 0, 0, self.width, self.height)
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


@dataclass(frozen=True)
class IndexEntry:
    """One citation of a time: where (``label``) and the anchor to jump to."""

    start_ms: int
    end_ms: int
    label: str
    anchor: str


class IndexMark(Flowable):
    """An invisible mark where timecodes are cited; records the page and an anchor."""

    _ZERO_SIZE = 1

    def __init__(self, anchor: str, entries: Iterable[IndexEntry]) -> None:
        super().__init__()
        self.anchor, self.entries = anchor, tuple(entries)
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.anchor, 0, 14)
        doc = getattr(canvas, "_doctemplate", None)
        if doc is not None:
            doc.notify(INDEX_KIND, (self.entries, canvas.getPageNumber()))


class TimecodeIndex(IndexingFlowable):
    """A table of every cited time with links to the pages citing it, in film order."""

    def __init__(self, styles: Styles, timecode: Callable[[int, int], str]) -> None:
        super().__init__()
        self.styles, self.timecode = styles, timecode
        self._entries: list[tuple[IndexEntry, int]] = []
        self._last: list[tuple[IndexEntry, int]] = []
        self._table: Table | None = None

    # -- the multi-pass protocol ---------------------------------------------------------
    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self._last, self._entries = self._entries, []

    def isSatisfied(self) -> bool:
        return self._entries == self._last

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == INDEX_KIND:
            entries, page = stuff
            self._entries.extend((entry, page) for entry in entries)

    # -- layout --------------------------------------------------------------------------
    def _rows(self) -> list[list[Paragraph]]:
        spans: dict[tuple[int, int], list[tuple[IndexEntry, int]]] = {}
        for entry, page in self._last:
            spans.setdefault((entry.start_ms, entry.end_ms), []).append((entry, page))
        rows = []
        for (start, end), cited in sorted(spans.items()):
            refs = "; ".join(
                f'<a href="#{e.anchor}">{esc(e.label)} (p.\u00a0{page})</a>' for e, page in cited
            )
            rows.append(
                [
                    Paragraph(esc(self.timecode(start, end)), self.styles.index_tc),
                    Paragraph(refs, self.styles.cell),
                ]
            )
        return rows or [[Paragraph("…", self.styles.cell), Paragraph("", self.styles.cell)]]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._table = Table(self._rows(), colWidths=(min(120.0, aw * 0.3), None), repeatRows=0)
        self._table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.width, self.height = self._table.wrapOn(self.canv, aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if self._table is None:
            self.wrap(aw, ah)
        assert self._table is not None
        return list(self._table.splitOn(self.canv, aw, ah))

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        assert self._table is not None
        self._table.drawOn(canvas, x, y, _sW)
