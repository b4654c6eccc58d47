"""Telling a title, a dek and headings from body paragraphs by their shape (length and final
punctuation) when the source does not say which is which."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from desk.core.essay.model import Block

TITLE_MAX_CHARS = 120
DEK_MAX_CHARS = 250
HEADING_MAX_CHARS = 80


class _Para(NamedTuple):
    text: str
    heading: bool = False
    """Marked as a heading by the source itself (a ``#`` line, an ``<h2>``, a heading style)."""


class _Parts(NamedTuple):
    title: str
    dek: str
    blocks: list[Block]


_CLOSERS = "\"'”’»)]*_"
_SENTENCE_ENDS = frozenset(".!?…։。！？।؟")
_TITLE_ENDS = frozenset(".,;:։。")
_CLAUSE_ENDS = _SENTENCE_ENDS | _TITLE_ENDS
_FULL_STOPS = frozenset(".։。।")
_SENTENCE_BREAK = re.compile(r"[.!?…։。！？।؟]+[\"'”’»)\]]*\s+\S")


def _last_char(text: str) -> str:
    return text.rstrip(_CLOSERS)[-1:]


def _ends_sentence(text: str) -> bool:
    return _last_char(text) in _SENTENCE_ENDS


def _looks_like_title(para: _Para) -> bool:
    if para.heading:
        return True
    return len(para.text) <= TITLE_MAX_CHARS and _last_char(para.text) not in _TITLE_ENDS


def _looks_like_dek(para: _Para) -> bool:
    if para.heading or len(para.text) > DEK_MAX_CHARS:
        return False
    return _last_char(para.text) not in _FULL_STOPS or not _SENTENCE_BREAK.search(para.text)


def _could_be_heading(para: _Para) -> bool:
    return (
        len(para.text) <= HEADING_MAX_CHARS
        and not para.heading
        and _last_char(para.text) not in _CLAUSE_ENDS
    )


def _classify(paras: Sequence[_Para], *, guess_headings: bool) -> _Parts:
    """Take a title and a dek from the first paragraphs if they look like them."""
    rest = [para for para in paras if para.text]
    title = dek = ""
    if len(rest) > 1 and _looks_like_title(rest[0]):
        title = rest.pop(0).text
        if len(rest) > 1 and _looks_like_dek(rest[0]):
            dek = rest.pop(0).text
    return _Parts(title, dek, _blocks(rest, guess_headings=guess_headings))


def _blocks(paras: Sequence[_Para], *, guess_headings: bool) -> list[Block]:
    """A short line standing alone before a paragraph reads as a heading, if guessing."""
    blocks = []
    for at, para in enumerate(paras):
        following = paras[at + 1] if at + 1 < len(paras) else None
        guessed = (
            guess_headings
            and following is not None
            and _could_be_heading(para)
            and not following.heading
            and not _could_be_heading(following)
        )
        blocks.append(Block("heading" if para.heading or guessed else "body", para.text))
    return blocks
