"""Normalising essay text: one kind of newline, no control characters, Unicode NFC, and runs of
whitespace squashed to one space."""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
)
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")
_SPACE_RUN = re.compile(r"\s+")
_HARD_SPACES = frozenset("\u00a0\u2007\u202f")


def _clean(text: str) -> str:
    """Newlines as ``\\n``, no control characters, Unicode NFC."""
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def _squash(text: str) -> str:
    """Collapse each run of whitespace to one space (a run of no-break spaces keeps one)."""
    return _SPACE_RUN.sub(_collapse_space, text).strip()


def _collapse_space(match: re.Match[str]) -> str:
    run = match.group()
    return run[0] if _HARD_SPACES.issuperset(run) else " "
