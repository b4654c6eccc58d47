"""Project text as ReportLab sees it: cleaned, in visual order, each run in a font that has it,
and long text cut into pieces that lay out in linear time.

ReportLab draws characters left to right in the font it is given and does not reorder
right-to-left text (its own bidi support needs a library that is not on PyPI), so desk does it:
Arabic letters are joined into their presentation forms (``arabic-reshaper``) and each line is put
in display order by the Unicode bidi algorithm (``python-bidi``). Text the line breaker wraps must
be reordered per line, so text with right-to-left characters is broken into lines here when the
width is known (:func:`text_flowables`); short labels are reordered as one line.

A Paragraph re-wraps all of its remaining text on every page it spills onto, so one of 1 MB would
cost minutes: :func:`pieces` cuts long text at line, sentence or word ends into paragraphs of a
few thousand characters.
"""

from __future__ import annotations

import functools
import logging
import re
import weakref
from collections.abc import Iterator
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_base_level, get_display
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags

from desk.core.text import clean_text
from desk.export.pdf_fonts import fallback_fonts, font_chars, register_fonts

log = logging.getLogger("desk.export")

#: Longest piece of text one Paragraph holds (about a page of body text).
PIECE_CHARS = 3_000
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_PIECE_END = re.compile(r"\n|(?<=[.!?…。！？])\s+|\s+")

Run = tuple[str | None, str]  # (fallback font name or None for the style's own, text)


@functools.cache
def _base_chars() -> frozenset[int]:
    """What every face of the report's own fonts has: the rest goes to a fallback font."""
    fonts = register_fonts()
    return font_chars(fonts.serif) & font_chars(fonts.sans)


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def is_rtl(text: str) -> bool:
    """Whether ``text`` is a right-to-left paragraph (its first strong character is)."""
    return has_rtl(text) and get_base_level(text) == 1


def visual(line: str, rtl: bool | None = None) -> str:
    """One line in display order, Arabic letters joined; ``rtl`` forces the base direction."""
    if not has_rtl(line):
        return line
    if _ARABIC.search(line):
        line = arabic_reshaper.reshape(line)
    base = None if rtl is None else ("R" if rtl else "L")
    return str(get_display(line, base_dir=base) if base else get_display(line))


def runs(text: str) -> list[Run]:
    """``text`` cut where the font must change: each run in the first font that has it."""
    base = _base_chars()
    if base.issuperset(map(ord, text)):
        return [(None, text)]
    fallbacks = fallback_fonts()
    out: list[Run] = []
    for ch in text:
        cp = ord(ch)
        font = None
        if cp not in base and not ch.isspace():
            font = next((f.name for f in fallbacks if cp in f.chars), None)
            if font is None:
                _missing(ch)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


@functools.cache
def _missing(ch: str) -> None:
    log.warning("no font has U+%04X (%s): it prints as a box", ord(ch), ch)


def run_markup(text: str) -> str:
    """Paragraph markup of visual-order text: escaped, fallback runs in their fonts."""
    out = []
    for font, part in runs(text):
        safe = escape(part)
        out.append(safe if font is None else f'<font name="{font}">{safe}</font>')
    return "".join(out)


def markup(text: object, rtl: bool | None = None) -> str:
    """Untrusted text as safe Paragraph markup: cleaned, each line in display order (``rtl``
    forces the base direction), newlines as line breaks, every character in a font that has it."""
    lines = clean_text(str(text)).split("\n")
    return "<br/>".join(run_markup(visual(line, rtl)) for line in lines)


def runs_width(text: str, font: str, size: float) -> float:
    """Width of visual-order text drawn in ``font`` with its fallbacks."""
    return sum(stringWidth(part, name or font, size) for name, part in runs(text))


def draw_runs(canvas: object, x: float, y: float, text: str, font: str, size: float) -> float:
    """Draw one line of project text at (x, y) on a canvas; returns its width."""
    start = x
    for name, part in runs(visual(clean_text(text).replace("\n", " "))):
        canvas.setFont(name or font, size)  # type: ignore[attr-defined]
        canvas.drawString(x, y, part)  # type: ignore[attr-defined]
        x += stringWidth(part, name or font, size)
    return x - start


# -- long text --------------------------------------------------------------------------------
def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at the last line end, sentence
    end or space before the limit (anywhere, if a word is longer than that)."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit + 1]
        cut = 0
        for match in _PIECE_END.finditer(window, limit // 2):
            cut = match.start()
            if window[cut] == "\n" or window[cut - 1] in ".!?…。！？":
                break
        else:
            cut = cut or limit
        yield text[start : start + cut]
        start += cut
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        yield text[start:]


def lines_rtl(text: str, style: ParagraphStyle, width: float) -> str:
    """Markup of text with right-to-left runs broken into lines of ``width`` here, each line
    then put in display order (the bidi algorithm works per line, after wrapping)."""
    rtl = is_rtl(text)
    font, size = style.fontName, style.fontSize
    space = stringWidth(" ", font, size)
    out: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = runs_width(word, font, size)
            if line and used + space + w > width:
                out.append(run_markup(visual(" ".join(line), rtl)))
                line, used = [], 0.0
            used += (space if line else 0.0) + w
            line.append(word)
        out.append(run_markup(visual(" ".join(line), rtl)))
    return "<br/>".join(out)


def text_flowables(
    text: str, style: ParagraphStyle, width: float | None = None, prefix: str = ""
) -> list[Paragraph]:
    """Paragraphs printing ``text`` of any length; ``prefix`` is markup put before the first.

    Right-to-left paragraphs are set flush right; with ``width`` (the column's, less indents)
    their lines break here so that each reads in order.
    """
    text = clean_text(text)
    out: list[Paragraph] = []
    follow = style
    for n, piece in enumerate(pieces(text) if text else [""]):
        rtl = is_rtl(piece)
        if rtl:
            use = ParagraphStyle(f"{style.name}-rtl", parent=follow, alignment=TA_RIGHT)
        else:
            use = follow
        if width is not None and has_rtl(piece):
            body = lines_rtl(piece, use, width - use.leftIndent - use.rightIndent)
        else:
            body = markup(piece)
        if n == 0 and prefix:
            body = prefix + body
        out.append(_plain_paragraph(piece, body, use) or Paragraph(body, use))
        if n == 0:  # the pieces of one text follow each other without a gap
            follow = ParagraphStyle(f"{style.name}-cont", parent=style, spaceBefore=0)
    if len(out) > 1:
        for p in out[:-1]:
            p.style = ParagraphStyle(f"{p.style.name}-open", parent=p.style, spaceAfter=0)
    return out


#: Per style, the one fragment ReportLab's markup parser makes of plain text in it.
_PLAIN_FRAGS: weakref.WeakKeyDictionary[ParagraphStyle, object] = weakref.WeakKeyDictionary()


def _plain_paragraph(text: str, body: str, style: ParagraphStyle) -> Paragraph | None:
    """A Paragraph of ``text`` without parsing its markup ``body``, when ``body`` is ``text``
    escaped and nothing else (one line, one font, no prefix); else None.

    ReportLab parses every Paragraph's markup with an HTML parser, most of a short note's cost.
    Plain text parses into one fragment in the style's font holding the text with its white space
    collapsed, so that fragment is made once per style and copied with each text.
    """
    if body != escape(text) or "\n" in text or has_rtl(text) or runs(text) != [(None, text)]:
        return None
    frag = _PLAIN_FRAGS.get(style)
    if frag is None:
        frag = _PLAIN_FRAGS[style] = Paragraph("x", style).frags[0]
    cleaned = cleanBlockQuotedText(text)
    frags = [frag.clone(text=cleaned, link=[], us_lines=[])]  # type: ignore[attr-defined]
    textTransformFrags(frags, style)
    return Paragraph(escape(cleaned), style, frags=frags)
