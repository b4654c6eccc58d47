"""Reading an essay from a file or from text: the format by extension or by content, the parser
for that format, and the parsed parts checked and returned as a :class:`ParsedEssay`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from desk.core.essay.classify import _Parts
from desk.core.essay.decoding import _decode
from desk.core.essay.html import _parse_html
from desk.core.essay.markdown import _parse_markdown
from desk.core.essay.model import ParsedEssay, _error
from desk.core.essay.normalise import _clean, _squash
from desk.core.essay.plain import _parse_plain
from desk.core.essay.source import _check_file, _format_for_suffix, _read_bytes
from desk.core.essay.word import _parse_docx

_HTML_START = re.compile(r"\s*<(?:!doctype\b|\?xml\b|!--|[a-z][a-z0-9-]*(?:\s|/?>))", re.I)

_TEXT_PARSERS: dict[str, Callable[[str, str], _Parts]] = {
    "text": _parse_plain,
    "markdown": _parse_markdown,
    "html": _parse_html,
}


def read_essay(path: Path) -> ParsedEssay:
    """Read the essay in ``path``; raise :class:`ImportFormatError` if it cannot be imported."""
    subject = f"The essay file '{path.name}'"
    _check_file(path, subject)
    fmt = _format_for_suffix(path, subject)
    if fmt == "docx":
        return _finish(_parse_docx(path, subject), subject)
    text = _clean(_decode(_read_bytes(path, subject), subject))
    return _parse_text(text, fmt or _sniff_format(text), subject)


def parse_essay_text(text: str, fmt: str) -> ParsedEssay:
    """Parse essay ``text`` in ``fmt`` ("text", "markdown" or "html"; a .docx needs a file)."""
    return _parse_text(_clean(text), fmt, "The essay text")


def _finish(parts: _Parts, subject: str) -> ParsedEssay:
    blocks = tuple(block for block in parts.blocks if block.text)
    if not any(block.kind == "body" for block in blocks):
        raise _error(subject, "contains no paragraphs of text")
    return ParsedEssay(title=_squash(parts.title), dek=_squash(parts.dek), blocks=blocks)


def _sniff_format(text: str) -> str:
    return "html" if _HTML_START.match(text) else "text"


def _parse_text(text: str, fmt: str, subject: str) -> ParsedEssay:
    parser = _TEXT_PARSERS.get(fmt)
    if parser is None:
        raise ValueError(f"cannot parse essay text as {fmt!r}; docx is read from a file")
    if not text.strip():
        raise _error(subject, "is empty")
    return _finish(parser(text, subject), subject)
