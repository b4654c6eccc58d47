"""The essay as its panel shows it, read in columns: the paragraphs in order, and the time links
of every paragraph as numpy columns grouped by paragraph.

Opening a project with 5,000 paragraphs and their links made a tuple and a list per link before
the first frame; the panel now finds a paragraph's links by a binary search when the paragraph is
painted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desk.store.project import Project
from desk.store.reads.timeline import int_columns


@dataclass(frozen=True, slots=True)
class ParagraphColumns:
    """An essay's paragraphs in order, one list per field."""

    ids: list[int]
    kinds: list[str]
    texts: list[str]


@dataclass(frozen=True, slots=True)
class ParagraphLinks:
    """Every link of a paragraph, sorted by paragraph id, then start, then link id (int64)."""

    paragraph_ids: np.ndarray
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def range_of(self, paragraph_id: int) -> tuple[int, int]:
        """Where ``paragraph_id``'s links are in the columns: ``[first, last)``."""
        column = self.paragraph_ids
        return (
            int(np.searchsorted(column, paragraph_id, "left")),
            int(np.searchsorted(column, paragraph_id, "right")),
        )

    def records(self) -> set[tuple[int, int, int, int]]:
        """Each link as (paragraph id, link id, start, end): what an edit may have changed."""
        return set(
            zip(
                self.paragraph_ids.tolist(),
                self.ids.tolist(),
                self.starts.tolist(),
                self.ends.tolist(),
                strict=True,
            )
        )

    @classmethod
    def empty(cls) -> ParagraphLinks:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none)


def paragraph_columns(project: Project, essay_id: int) -> ParagraphColumns:
    """An essay's paragraphs, in order."""
    rows = project.query(
        "SELECT id, kind, text FROM paragraph WHERE essay_id = ? ORDER BY position, id", essay_id
    )
    if not rows:
        return ParagraphColumns([], [], [])
    ids, kinds, texts = zip(*rows, strict=True)
    return ParagraphColumns(list(ids), list(kinds), list(texts))


def paragraph_links(project: Project) -> ParagraphLinks:
    """Every paragraph's links, grouped by paragraph, each paragraph's in film order."""
    # Four comma-joined columns cross from SQLite rather than a tuple per link (see int_columns).
    (row,) = project.query(
        "SELECT group_concat(paragraph_id), group_concat(id), group_concat(start_ms), "
        "group_concat(end_ms) FROM (SELECT paragraph_id, id, start_ms, end_ms FROM time_link "
        "WHERE paragraph_id IS NOT NULL ORDER BY id) AS ordered"
    )
    paragraph_ids, ids, starts, ends = int_columns(row, 4)
    order = np.lexsort((ids, starts, paragraph_ids))
    return ParagraphLinks(paragraph_ids[order], ids[order], starts[order], ends[order])
