"""Parsing a plain-text essay: paragraphs from blank lines, or from lines when each line is a
paragraph, with hard-wrapped lines joined back together."""

from __future__ import annotations

import re

from desk.core.essay.classify import _classify, _ends_sentence, _Para, _Parts
from desk.core.essay.normalise import _squash

LONG_LINE_CHARS = 120

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_RULE_LINE = re.compile(r"^\s*(?:[-=*_~•·]\s*){3,}$")
_BULLET = re.compile(r"^\s*[-*•‣◦][ \t]+")
_WRAPPED_HYPHEN = re.compile(r"(?<=\w-)\n[ \t]*(?=\w)")


def _parse_plain(text: str, subject: str) -> _Parts:
    return _classify(_plain_paragraphs(text), guess_headings=True)


def _plain_paragraphs(text: str) -> list[_Para]:
    groups = _line_groups(text)
    if _one_paragraph_per_line(groups):
        chunks = [[line] for group in groups for line in group]
    else:
        chunks = [chunk for group in groups for chunk in _split_wrapped(group)]
    return [_para_from_lines(chunk) for chunk in chunks]


def _line_groups(text: str) -> list[list[str]]:
    """The runs of non-blank lines; a rule such as ``* * *`` separates runs like a blank line."""
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if not line.strip() or _RULE_LINE.match(line):
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(line.rstrip())
    return [group for group in groups if group]


def _one_paragraph_per_line(groups: list[list[str]]) -> bool:
    """Whether each line is a paragraph, rather than text hard-wrapped into lines.

    Paragraph-per-line files have mostly long lines, or lines that end where sentences end; a
    hard-wrapped text breaks its lines mid-sentence.
    """
    lines = [line for group in groups for line in group]
    long_lines = sum(len(line.strip()) > LONG_LINE_CHARS for line in lines)
    if 2 * long_lines > len(lines):
        return True
    inner = [line for group in groups for line in group[:-1]]
    if not inner:
        return True
    return 2 * sum(_ends_sentence(line.strip()) for line in inner) > len(inner)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _split_wrapped(group: list[str]) -> list[list[str]]:
    """Split a run of wrapped lines at headings, bullets and indented first lines."""
    base = min(_indent(line) for line in group)
    chunks: list[list[str]] = []
    for line in group:
        if not chunks or _starts_paragraph(line, chunks[-1], base):
            chunks.append([line])
        else:
            chunks[-1].append(line)
    return chunks


def _starts_paragraph(line: str, chunk: list[str], base_indent: int) -> bool:
    if _MD_HEADING.match(line) or _MD_HEADING.match(chunk[0]) or _BULLET.match(line):
        return True
    first_line_indent = _indent(line) > base_indent and _indent(chunk[-1]) == base_indent
    return first_line_indent and not _BULLET.match(chunk[0])


def _para_from_lines(lines: list[str]) -> _Para:
    heading = _MD_HEADING.match(lines[0])
    if heading and len(lines) == 1:
        return _Para(_squash(heading.group(1)), heading=True)
    text = _WRAPPED_HYPHEN.sub("", "\n".join(lines))
    return _Para(_squash(_BULLET.sub("", text, count=1)))
