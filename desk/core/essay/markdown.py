"""Parsing a Markdown essay: the first ``#`` heading is the title, front matter may name the
title and dek, and raw HTML blocks are read for their text."""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token

from desk.core.essay.classify import _classify, _looks_like_dek, _Para, _Parts
from desk.core.essay.html import _html_fragment
from desk.core.essay.model import Block
from desk.core.essay.normalise import _squash

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_META_LINE = re.compile(r"^([\w-]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
_DEK_KEYS = ("subtitle", "dek", "standfirst", "description")
_TEXT_TOKENS = frozenset({"text", "text_special", "code_inline"})


class _MdItem(NamedTuple):
    para: _Para
    level: int
    """Heading level, or 0 for text that is not a heading."""
    standout: bool
    """Wholly emphasised, or quoted: how Markdown essays often set their dek."""
    listed: bool


def _parse_markdown(text: str, subject: str) -> _Parts:
    meta, text = _split_front_matter(text)
    items = [item for item in _markdown_items(text) if item.para.text]
    title_at = next((at for at, item in enumerate(items) if item.level == 1), None)
    if title_at is not None:
        title = items.pop(title_at).para.text
        dek = ""
        if _is_markdown_dek(items, title_at):
            dek = items.pop(title_at).para.text
        return _Parts(title, dek, [_markdown_block(item) for item in items])
    if meta.get("title"):
        dek = next((meta[key] for key in _DEK_KEYS if meta.get(key)), "")
        return _Parts(meta["title"], dek, [_markdown_block(item) for item in items])
    return _classify([item.para for item in items], guess_headings=False)


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Take off a YAML-style block of ``key: value`` lines at the very start, if there is one."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).split("\n"):
        pair = _META_LINE.match(line)
        if pair:
            meta[pair.group(1).lower()] = _squash(pair.group(2).strip("\"'"))
        elif line.strip() and not line[:1].isspace() and not line.lstrip().startswith("-"):
            return {}, text
    return meta, text[match.end() :]


def _is_markdown_dek(items: list[_MdItem], at: int) -> bool:
    """Whether the item right under the title is a dek: a ``##``, a quote, or a short paragraph."""
    if at + 1 >= len(items):
        return False
    item = items[at]
    if item.level == 2:
        return True
    return item.level == 0 and not item.listed and (item.standout or _looks_like_dek(item.para))


def _markdown_block(item: _MdItem) -> Block:
    return Block("heading" if item.level else "body", item.para.text)


def _markdown_items(text: str) -> list[_MdItem]:
    items: list[_MdItem] = []
    level = quotes = lists = 0
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "heading_close":
            level = 0
        elif token.type.startswith("blockquote_"):
            quotes += token.nesting
        elif token.type.endswith(("list_open", "list_close")):
            lists += token.nesting
        elif token.type == "inline":
            standout = quotes > 0 or _is_emphasised(token.children or [])
            para = _Para(_inline_text(token.children or []), heading=level > 0)
            items.append(_MdItem(para, level, standout, lists > 0))
        elif token.type in ("fence", "code_block"):
            items.append(_MdItem(_Para(_squash(token.content)), 0, False, lists > 0))
        elif token.type == "html_block":
            items.extend(_MdItem(para, 0, False, False) for para in _html_fragment(token.content))
    return items


def _inline_text(children: list[Token]) -> str:
    """The words of an inline run; images, raw HTML tags and link targets drop out."""
    pieces = []
    for child in children:
        if child.type in _TEXT_TOKENS:
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return _squash("".join(pieces))


def _is_emphasised(children: list[Token]) -> bool:
    depth = 0
    has_words = False
    for child in children:
        if child.type in ("em_open", "strong_open"):
            depth += 1
        elif child.type in ("em_close", "strong_close"):
            depth -= 1
        elif child.type in _TEXT_TOKENS and child.content.strip():
            if depth == 0:
                return False
            has_words = True
    return has_words
