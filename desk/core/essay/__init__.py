"""Reading an essay file into a title, a dek and an ordered run of headings and paragraphs.

An essay arrives as plain text, Markdown, HTML or a Word document, in whatever encoding the
critic's editor used. :func:`read_essay` reads a file (checking its size, decoding its bytes and
choosing a parser by extension or, failing that, by content); :func:`parse_essay_text` parses text
already in memory. Both return a :class:`ParsedEssay` of plain text: no markup survives, runs of
whitespace inside a paragraph become one space, and the text is in Unicode NFC.

Plain text carries no structure, so its title, dek and headings are guessed from the shape of the
paragraphs: a short first line without a final period is a title, a short line standing alone
between paragraphs is a heading. The other formats say what is what.

Every problem with the input (a missing, empty, binary, oversized or damaged file, or one without a
single paragraph) raises :class:`desk.errors.ImportFormatError` with one sentence that names the
file. Essays are untrusted: HTML is read for its text only and nothing it points to is fetched.
"""

from __future__ import annotations

from desk.core.essay.classify import DEK_MAX_CHARS, HEADING_MAX_CHARS, TITLE_MAX_CHARS
from desk.core.essay.decoding import legacy_text
from desk.core.essay.model import Block, BlockKind, ParsedEssay
from desk.core.essay.plain import LONG_LINE_CHARS
from desk.core.essay.reader import parse_essay_text, read_essay
from desk.core.essay.source import MAX_ESSAY_BYTES, SUFFIX_FORMATS
from desk.core.essay.word import MAX_DOCX_UNPACKED_BYTES

__all__ = [
    "DEK_MAX_CHARS",
    "HEADING_MAX_CHARS",
    "LONG_LINE_CHARS",
    "MAX_DOCX_UNPACKED_BYTES",
    "MAX_ESSAY_BYTES",
    "SUFFIX_FORMATS",
    "TITLE_MAX_CHARS",
    "Block",
    "BlockKind",
    "ParsedEssay",
    "legacy_text",
    "parse_essay_text",
    "read_essay",
]
