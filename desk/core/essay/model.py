"""What an essay import yields: a title, a dek and blocks of plain text, or one sentence
naming what is wrong with the input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from desk.errors import ImportFormatError

BlockKind = Literal["heading", "body"]


@dataclass(frozen=True)
class Block:
    """One heading or one body paragraph of an essay, as plain text."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class ParsedEssay:
    """An essay as read from a file: its title, its dek (standfirst, or ""), and its blocks."""

    title: str
    dek: str
    blocks: tuple[Block, ...]

    @property
    def body_paragraphs(self) -> tuple[str, ...]:
        """The text of the body paragraphs, in order, without the headings."""
        return tuple(block.text for block in self.blocks if block.kind == "body")


def _error(subject: str, predicate: str) -> ImportFormatError:
    return ImportFormatError(f"{subject} {predicate}.")
