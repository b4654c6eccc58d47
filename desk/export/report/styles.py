"""The look of a report: paper sizes, paragraph styles, and the page furniture (header, footer).

All text is set in embedded DejaVu: serif for the essay, sans for headings, captions and tables.
Helpers here turn untrusted project text into safe Paragraph markup (:func:`esc`).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desk.export.pdf_fonts import FontSet
from desk.export.pdf_text import draw_runs, markup, runs_width, visual

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm

INK = colors.Color(0.12, 0.12, 0.12)
MUTED = colors.Color(0.42, 0.42, 0.42)
RULE = colors.Color(0.78, 0.78, 0.78)
ACCENT = colors.Color(0.60, 0.16, 0.22)
SUPPORT = colors.Color(0.20, 0.50, 0.32)
CONTRA = colors.Color(0.70, 0.22, 0.20)
WARN_FILL = colors.Color(1.0, 0.95, 0.85)
PLACEHOLDER_FILL = colors.Color(0.93, 0.93, 0.93)


def esc(text: object, *, rtl: bool | None = None) -> str:
    """Untrusted text made safe for Paragraph markup: cleaned of controls, in display order, in
    fonts that have its characters; newlines become line breaks. ``rtl=False`` for text that sits
    inside one of desk's own (left-to-right) sentences, so a title in Hebrew does not turn the
    sentence around it."""
    return markup(text, rtl=rtl)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a report."""

    fonts: FontSet
    body: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    essay_heading: ParagraphStyle
    note: ParagraphStyle
    note_head: ParagraphStyle
    note_text: ParagraphStyle
    caption: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cover_title: ParagraphStyle
    cover_dek: ParagraphStyle
    cover_line: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]
    index_tc: ParagraphStyle


def make_styles(fonts: FontSet) -> Styles:
    def style(name: str, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {"fontName": fonts.serif, "textColor": INK}
        return ParagraphStyle(name, **{**base, **kw})

    sans = {"fontName": fonts.sans}
    return Styles(
        fonts=fonts,
        body=style("body", fontSize=10.5, leading=15, spaceAfter=4),
        h1=style(
            "h1",
            fontName=fonts.sans_bold,
            fontSize=17,
            leading=21,
            spaceBefore=4,
            spaceAfter=10,
            textColor=ACCENT,
        ),
        h2=style(
            "h2", fontName=fonts.sans_bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=5
        ),
        essay_heading=style(
            "essay-heading",
            fontName=fonts.sans_bold,
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
        ),
        note=style(
            "note",
            **sans,
            fontSize=8.5,
            leading=11.5,
            leftIndent=10,
            spaceBefore=2,
            textColor=colors.Color(0.25, 0.25, 0.25),
        ),
        # A note's heading and text are two paragraphs in one font each: ReportLab breaks such
        # paragraphs into lines several times faster than one that mixes fonts.
        note_head=style(
            "note-head",
            fontName=fonts.sans_bold,
            fontSize=7.5,
            leading=10.5,
            leftIndent=10,
            spaceBefore=3,
            textColor=MUTED,
        ),
        note_text=style(
            "note-text",
            **sans,
            fontSize=8.5,
            leading=11.5,
            leftIndent=10,
            textColor=colors.Color(0.25, 0.25, 0.25),
        ),
        caption=style("caption", **sans, fontSize=7.5, leading=9.5, textColor=MUTED),
        small=style("small", **sans, fontSize=8, leading=10.5, textColor=MUTED),
        cell=style("cell", **sans, fontSize=8, leading=10.5),
        cell_head=style("cell-head", fontName=fonts.sans_bold, fontSize=8, leading=10.5),
        cover_title=style(
            "cover-title", fontName=fonts.serif_bold, fontSize=28, leading=34, spaceAfter=10
        ),
        cover_dek=style(
            "cover-dek",
            fontName=fonts.serif_italic,
            fontSize=14,
            leading=19,
            spaceAfter=18,
            textColor=colors.Color(0.3, 0.3, 0.3),
        ),
        cover_line=style("cover-line", **sans, fontSize=11, leading=16),
        toc_levels=(
            style("toc0", fontName=fonts.sans_bold, fontSize=11, leading=15, spaceBefore=5),
            style("toc1", **sans, fontSize=9.5, leading=13, leftIndent=14),
        ),
        index_tc=style("index-tc", fontName=fonts.mono, fontSize=8, leading=10.5),
    )


def hexcolor(color: colors.Color) -> str:
    """``#rrggbb`` of a colour, for Paragraph markup."""
    return "#" + color.hexval()[2:].rjust(6, "0")


def centered(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-centered", parent=style, alignment=TA_CENTER)


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points (fallback fonts counted)."""
    text = text[:400]  # a header never shows more; keeps the search below short
    if runs_width(visual(text), font, size) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, by bisection
    while low < high:
        mid = (low + high + 1) // 2
        if runs_width(visual(text[:mid] + "…"), font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


@dataclass(frozen=True)
class PageFurniture:
    """Draws the running header and the page number on every page after the cover."""

    fonts: FontSet
    left: str
    right: str

    def __call__(self, canvas: Canvas, doc: object) -> None:
        width, height = canvas._pagesize
        inner = width - 2 * MARGIN_X
        canvas.saveState()
        canvas.setFillColor(MUTED)
        font = (self.fonts.sans, 8)
        canvas.setFont(*font)
        y = height - MARGIN_TOP + 10
        right = fit(self.right, self.fonts.sans, 8, inner * 0.45)
        draw_runs(canvas, MARGIN_X, y, fit(self.left, self.fonts.sans, 8, inner * 0.5), *font)
        right_w = runs_width(visual(right), *font)
        draw_runs(canvas, width - MARGIN_X - right_w, y, right, *font)
        canvas.setFont(*font)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y - 4, width - MARGIN_X, y - 4)
        canvas.drawCentredString(width / 2, MARGIN_BOTTOM - 22, str(canvas.getPageNumber()))
        canvas.restoreState()
