"""The essay as a Qt list model: a thin adapter over the paragraph and link tables.

Rows are read in bulk as columns (:mod:`desk.store.reads.essay`); a paragraph's links become the
chips' list only when the view asks for them, as the paragraph is shown, so opening a long essay
makes no Python object per link. On ``changes_applied`` the model reloads and tells the view only
what moved: ``dataChanged`` when the same paragraphs are in the same order, a reset otherwise.
While the film plays, the rows linked to the playhead carry a highlight.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desk.store import queries
from desk.store.changes import Changed, Changes
from desk.store.reads import essay as essay_reads
from desk.ui.session import Session

Index: TypeAlias = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
LINKS_ROLE = Qt.ItemDataRole.UserRole + 3
ACTIVE_ROLE = Qt.ItemDataRole.UserRole + 4


class EssayModel(QAbstractListModel):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.title = ""
        self.dek = ""
        self._ids: list[int] = []
        self._kinds: list[str] = []
        self._texts: list[str] = []
        self._row_of: dict[int, int] = {}
        self._links = essay_reads.ParagraphLinks.empty()
        self._chips: dict[int, list[queries.LinkSpan]] = {}  # row -> its links, once shown
        self._active: set[int] = set()
        # The links of shown paragraphs for the playhead: start, end and row, sorted by start.
        self._starts = self._ends = self._link_rows = np.zeros(0, dtype=np.int64)
        self.reload()
        session.changes_applied.connect(self._on_changes)

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._texts[row]
        if role == KIND_ROLE:
            return self._kinds[row]
        if role == LINKS_ROLE:
            return self.links_of(row)
        if role == ID_ROLE:
            return self._ids[row]
        if role == ACTIVE_ROLE:
            return row in self._active
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    # -- reading -----------------------------------------------------------------------------
    def paragraph_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, paragraph_id: int) -> int | None:
        return self._row_of.get(paragraph_id)

    def kinds_and_texts(self) -> tuple[list[str], list[str]]:
        """Every row's kind and text, in order (the view sizes them all at each layout)."""
        return self._kinds, self._texts

    def links_of(self, row: int) -> list[queries.LinkSpan]:
        """The links of the paragraph in ``row``, in film order."""
        found = self._chips.get(row)
        if found is None:
            first, last = self._links.range_of(self._ids[row])
            found = self._chips[row] = [
                queries.LinkSpan(*span)
                for span in zip(
                    self._links.ids[first:last].tolist(),
                    self._links.starts[first:last].tolist(),
                    self._links.ends[first:last].tolist(),
                    strict=True,
                )
            ]
        return found

    def reload(self) -> None:
        project = self.session.project
        essay = queries.essay_heading(project)
        self.title, self.dek = (essay.title, essay.dek) if essay else ("", "")
        paragraphs = (
            essay_reads.paragraph_columns(project, essay.id)
            if essay
            else essay_reads.ParagraphColumns([], [], [])
        )
        links = essay_reads.paragraph_links(project)
        if paragraphs.ids == self._ids:
            changed = self._changed_rows(paragraphs, links)
            self._take(paragraphs, links)
            for i in changed:
                self.dataChanged.emit(self.index(i), self.index(i))
        else:
            self.beginResetModel()
            self._take(paragraphs, links)
            self._active = set()
            self.endResetModel()

    def _changed_rows(
        self, paragraphs: essay_reads.ParagraphColumns, links: essay_reads.ParagraphLinks
    ) -> list[int]:
        """The rows (the same paragraphs as shown now) whose kind, text or links differ."""
        changed = {
            i
            for i, (kind, text) in enumerate(zip(paragraphs.kinds, paragraphs.texts, strict=True))
            if kind != self._kinds[i] or text != self._texts[i]
        }
        if not all(
            np.array_equal(a, b)
            for a, b in zip(
                (links.paragraph_ids, links.ids, links.starts, links.ends),
                (self._links.paragraph_ids, self._links.ids, self._links.starts, self._links.ends),
                strict=True,
            )
        ):
            moved = links.records() ^ self._links.records()
            changed |= {self._row_of[pid] for pid, *_ in moved if pid in self._row_of}
        return sorted(changed)

    def _take(
        self, paragraphs: essay_reads.ParagraphColumns, links: essay_reads.ParagraphLinks
    ) -> None:
        self._ids, self._kinds, self._texts = paragraphs.ids, paragraphs.kinds, paragraphs.texts
        self._row_of = {pid: row for row, pid in enumerate(self._ids)}
        self._links, self._chips = links, {}
        # Each link's row, found by its paragraph's place among the ids; links of another
        # essay's paragraphs have none and are left out.
        ids = np.asarray(self._ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        at = np.searchsorted(ids[order], links.paragraph_ids).clip(0, max(len(ids) - 1, 0))
        shown = ids[order][at] == links.paragraph_ids if len(ids) else np.zeros(len(links), bool)
        by_start = np.argsort(links.starts[shown], kind="stable")
        self._starts = links.starts[shown][by_start]
        self._ends = links.ends[shown][by_start]
        self._link_rows = order[at[shown]][by_start]

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Changed.PARAGRAPHS, Changed.ESSAY):
            self.reload()

    # -- playhead ----------------------------------------------------------------------------
    def rows_at(self, film_ms: int, tolerance_ms: int = 0) -> set[int]:
        """Rows with a link whose range holds ``film_ms`` (moments get ``tolerance_ms``)."""
        hi = int(np.searchsorted(self._starts, film_ms, "right"))
        starts, ends = self._starts[:hi], self._ends[:hi]
        inside = film_ms < np.maximum(ends, starts + tolerance_ms)
        return set(self._link_rows[:hi][inside].tolist())

    def set_playhead(self, film_ms: int, tolerance_ms: int = 1000) -> list[int]:
        """Highlight the rows linked to ``film_ms``; returns them, in essay order."""
        active = self.rows_at(film_ms, tolerance_ms)
        if active != self._active:
            touched = active ^ self._active
            self._active = active
            for row in touched:
                self.dataChanged.emit(self.index(row), self.index(row), [ACTIVE_ROLE])
        return sorted(active)
