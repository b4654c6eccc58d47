"""The table of contents of a report, laid out in the same single pass as the rest.

Its entries are the report's headings, known before the layout; their page numbers are not. Each
number is drawn as a reference to a PDF form named after the heading (:func:`page_form`), and the
forms are written once the layout has placed every heading (:meth:`Contents.write_pages`): the
contents never need a second pass over a report of thousands of pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from desk.export.report.context import Heading
from desk.export.report.styles import esc

#: Room left for the page number after the dots (a longer one covers the last dots).
PAGE_DIGITS = "0000"
DOT = " . "
_CALLBACK = "deskContentsEntry"


def page_form(key: str) -> str:
    """The name of the PDF form that prints the page number of heading ``key``."""
    return f"desk-page-{key}"


class Contents(Flowable):
    """One line per heading: its title (a link to it), a row of dots and its page number."""

    def __init__(self, headings: Sequence[Heading], levels: Sequence[ParagraphStyle]) -> None:
        """``headings`` in reading order: all of them by the time the layout reaches this."""
        super().__init__()
        self.headings, self.levels = headings, list(levels)
        self._table: Table | None = None

    @property
    def entries(self) -> list[tuple[int, str, str]]:
        """(level, title markup, key) of each heading."""
        return [(h.toc_level, esc(h.plain), h.toc_key) for h in self.headings]

    def style(self, level: int) -> ParagraphStyle:
        return self.levels[min(level, len(self.levels) - 1)]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.canv.setNamedCB(_CALLBACK, self._entry_end(aw))
        rows: list[list[Any]] = []
        for level, title, key in self.entries or [(0, "(no headings)", "")]:
            label = f"{level},{key}" if key else ""
            end = f'<onDraw name="{_CALLBACK}" label="{label}"/>' if key else ""
            link = f'<a href="#{key}">{title}</a>' if key else title
            rows.append([Paragraph(link + end, self.style(level))])
        self._table = Table(rows, colWidths=(aw,))
        self._table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
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

    def _entry_end(self, width: float) -> Any:
        """The callback that draws the dots and places the page number after a title."""

        def draw(canvas: Any, kind: str, label: str) -> None:
            level_text, key = label.split(",", 1)
            style = self.style(int(level_text))
            font, size = style.fontName, style.fontSize
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            number_w = stringWidth(PAGE_DIGITS, font, size)
            dot_w = stringWidth(DOT, font, size)
            dots = max(0, int((width - number_w - x) / dot_w))
            text = canvas.beginText(width - number_w - dots * dot_w, y)
            text.setFont(font, size)
            text.setFillColor(style.textColor)
            text.textOut(DOT * dots)
            canvas.drawText(text)
            canvas.saveState()
            canvas.translate(width, y)
            canvas.doForm(page_form(key))
            canvas.restoreState()
            canvas.linkRect("", key, (width - number_w, y, width, y + style.leading), relative=1)

        return draw

    def write_pages(self, canvas: Any, pages: dict[str, int]) -> None:
        """Write the form of every entry's page number, right-aligned at the form's origin."""
        for level, _title, key in self.entries:
            if not key or canvas.hasForm(page_form(key)):
                continue
            style = self.style(level)
            number = str(pages.get(key, "?"))
            width = stringWidth(number, style.fontName, style.fontSize)
            pad = style.fontSize * 0.3
            low, high = -style.fontSize * 0.3, style.fontSize * 1.1
            canvas.beginForm(page_form(key), -width - pad, low, 0, high)
            canvas.setFillColor(colors.white)
            canvas.rect(-width - pad, low, width + pad, high - low, stroke=0, fill=1)
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            canvas.drawRightString(0, 0, number)
            canvas.endForm()
