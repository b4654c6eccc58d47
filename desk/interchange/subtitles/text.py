"""Cue text as desk stores it (plain, trimmed lines), and the marks read in it and guarded when
written: a leading speaker, a dialogue dash, a note's kind, a note's uid and a language code."""

from __future__ import annotations

import re

from desk.store.models import NoteKind

_KINDS = {k.value for k in NoteKind}
_UID = re.compile(r"[0-9a-f]{32}")
_KIND_PREFIX = re.compile(r"\[(?P<kind>[a-z-]+)\][ \t]*")
_SPEAKER = re.compile(
    r"(?P<name>[^\W\d_][\w'’.\-]*(?: [\w'’.\-]+){0,2})"
    r"(?P<aside>[ \t]*[(\[][^()\[\]\n]{1,40}[)\]])?[ \t\xa0]?(?P<colon>:)[ \t]+(?=\S)"
)
_DASH = re.compile(r"[-–—][ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Text as a subtitle can carry it: no control characters, lines trimmed, no blank lines."""
    text = _CONTROL.sub("", text)
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def _speaker_at(text: str) -> re.Match[str] | None:
    """A leading ``Name:`` of up to three capitalised words, or None."""
    found = _SPEAKER.match(text)
    if found is None:
        return None
    words = found["name"].split(" ")
    if not words[0][0].isupper() or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return None
    return found


def _kind_at(text: str) -> re.Match[str] | None:
    found = _KIND_PREFIX.match(text)
    return found if found is not None and found["kind"] in _KINDS else None
