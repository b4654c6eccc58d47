"""The index of timecodes at the end of a report: every cited time in film order, with links to the
pages citing it.

The index has a row per cited time, so a project of 100,000 notes gives an index of thousands of
pages. Its rows are drawn straight on the canvas (:class:`IndexRows`) rather than as table cells
of paragraphs, which ReportLab lays out several times each; the rows are made in blocks when the
layout reaches them, and a block splits between rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from desk.export.report.flowables import Cited, IndexEntry, batches, page_anchor
from desk.export.report.styles import INK, RULE, Styles

#: Rows made at a time.
BLOCK_ROWS = 200
#: Most citations one row lists; the rest are counted.
ROW_REFS = 40
SEPARATOR = "; "
PAD = 2.5


@dataclass(frozen=True)
class Ref:
    """One citation of a time as printed: "note 12 (p. 34)", linked to where it is cited."""

    text: str
    anchor: str | None


@dataclass(frozen=True)
class Row:
    time: str
    refs: tuple[Ref, ...]


def index_rows(
    cited: Cited, styles: Styles, timecode: Callable[[int, int], str], width: float
) -> list[Flowable]:
    """The index, made from the citations recorded so far: call it when the layout reaches the
    index, after every mark before it has been drawn."""
    spans: dict[tuple[int, int], list[tuple[IndexEntry, int]]] = {}
    for entry, page in cited:
        spans.setdefault((entry.start_ms, entry.end_ms), []).append((entry, page))
    if not spans:
        return [Paragraph("No times are cited.", styles.small)]

    def block(keys: Sequence[tuple[int, int]]) -> list[Flowable]:
        return [IndexRows([_row(k, spans[k], timecode) for k in keys], styles)]

    return batches(sorted(spans), BLOCK_ROWS, block)


def _row(
    span: tuple[int, int], cited: list[tuple[IndexEntry, int]], timecode: Callable[[int, int], str]
) -> Row:
    refs = [Ref(f"{e.label} (p.\u00a0{page})", page_anchor(page)) for e, page in cited[:ROW_REFS]]
    if len(cited) > ROW_REFS:
        refs.append(Ref(f"and {len(cited) - ROW_REFS} more", None))
    return Row(timecode(*span), tuple(refs))


class IndexRows(Flowable):
    """Index rows: the time in the left column, the citations wrapped in the right one, a rule
    under each row."""

    def __init__(self, rows: Sequence[Row], styles: Styles) -> None:
        super().__init__()
        self.rows, self.styles = list(rows), styles
        self._lines: list[list[list[tuple[float, Ref]]]] = []  # per row, per line: (x, ref)
        self._avail = -1.0

    @property
    def _font(self) -> tuple[str, float, float]:
        cell = self.styles.cell
        return cell.fontName, cell.fontSize, cell.leading

    def _time_width(self, width: float) -> float:
        return min(120.0, width * 0.3)

    def _layout(self, width: float) -> None:
        """Break each row's citations into lines of the right column's width."""
        if width == self._avail:
            return
        font, size, _leading = self._font
        left = self._time_width(width)
        room = width - left - PAD
        gap = stringWidth(SEPARATOR, font, size)
        self._lines = []
        for row in self.rows:
            lines: list[list[tuple[float, Ref]]] = [[]]
            x = 0.0
            for ref in row.refs:
                w = stringWidth(ref.text, font, size)
                if lines[-1] and x + gap + w > room:
                    lines.append([])
                    x = 0.0
                elif lines[-1]:
                    x += gap
                lines[-1].append((left + PAD + x, ref))
                x += w
            self._lines.append(lines)
        self._avail = width

    def _heights(self) -> list[float]:
        leading = self._font[2]
        return [len(lines) * leading + 2 * PAD for lines in self._lines]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._layout(aw)
        self.width, self.height = aw, sum(self._heights())
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self._layout(aw)
        used, fit = 0.0, 0
        for height in self._heights():
            if used + height > ah:
                break
            used += height
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return []
        return [IndexRows(self.rows[:fit], self.styles), IndexRows(self.rows[fit:], self.styles)]

    def draw(self) -> None:
        # One text object for the whole block, and the rules after it: a text object per string
        # (what drawString makes) costs more than the text it draws, over 40,000 strings.
        canvas: Any = self.canv
        font, size, leading = self._font
        mono = self.styles.index_tc
        y = self.height
        canvas.saveState()
        canvas.setFillColor(INK)
        text = canvas.beginText()
        rules: list[tuple[float, float, float, float]] = []
        for row, lines, height in zip(self.rows, self._lines, self._heights(), strict=True):
            baseline = y - PAD - size
            text.setFont(mono.fontName, mono.fontSize)
            text.setTextOrigin(PAD, baseline)
            text.textOut(row.time)
            text.setFont(font, size)
            last = row.refs[-1] if row.refs else None
            for n, line in enumerate(lines):
                line_y = baseline - n * leading
                if not line:
                    continue
                text.setTextOrigin(line[0][0], line_y)
                joined = SEPARATOR.join(ref.text for _x, ref in line)
                text.textOut(joined + ("" if line[-1][1] is last else ";"))
                for x, ref in line:
                    if ref.anchor:
                        w = stringWidth(ref.text, font, size)
                        box = (x, line_y - size * 0.25, x + w, line_y + size)
                        canvas.linkRect("", ref.anchor, box, relative=1)
            y -= height
            rules.append((0, y, self.width, y))
        canvas.drawText(text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.3)
        canvas.lines(rules)
        canvas.restoreState()
