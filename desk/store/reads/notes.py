"""The notes as the notes list reads them: a page at a time in film order, or all at once.

A row is a plain typed tuple, as SQLite gives it: the filtered list reads every note, and making a
named tuple per row would more than double the Python side of reading 100,000 notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypeAlias

from desk.store.project import Project

#: A note in the list: (note id, its first linked moment, the end of its last link, its kind, its
#: character id); the times are None for a note linked to no moment (film ms), the character
#: None when it has none.
NoteRow: TypeAlias = tuple[int, int | None, int | None, str, int | None]


class NoteText(NamedTuple):
    """What a row shows beyond its time and kind ('' for no character)."""

    character: str
    text: str


#: A page of the linked notes in film order, after the (start_ms, link id) given: each note at its
#: first link, read along the start_ms index, so the first page costs the same for 100 notes or
#: 100,000.
_LINKED_PAGE_SQL = (
    "SELECT l.note_id, l.start_ms, (SELECT max(e.end_ms) FROM time_link e "
    "WHERE e.note_id = l.note_id), n.kind, n.character_id, l.id "
    "FROM time_link l JOIN note n ON n.id = l.note_id "
    "WHERE l.note_id IS NOT NULL AND (l.start_ms, l.id) > (?, ?) AND NOT EXISTS ("
    "SELECT 1 FROM time_link f WHERE f.note_id = l.note_id "
    "AND (f.start_ms, f.id) < (l.start_ms, l.id)) ORDER BY l.start_ms, l.id LIMIT ?"
)
#: A page of the notes linked to no moment, oldest first, after the note id given.
_UNLINKED_PAGE_SQL = (
    "SELECT n.id, NULL, NULL, n.kind, n.character_id FROM note n WHERE n.id > ? AND NOT EXISTS "
    "(SELECT 1 FROM time_link l WHERE l.note_id = n.id) ORDER BY n.id LIMIT ?"
)
#: The linked notes in film order (SQLite sorts plain integers many times faster than Python
#: sorts tuples).
_SPANS_SQL = (
    "SELECT note_id, min(start_ms), max(end_ms) FROM time_link "
    "WHERE note_id IS NOT NULL GROUP BY note_id ORDER BY 2, 1"
)
_TEXTS_SQL = (
    "SELECT n.id, coalesce(c.name, ''), n.text FROM note n "
    "LEFT JOIN character c ON c.id = n.character_id WHERE n.id IN ({})"
)


def linked_notes_after(
    project: Project, after: tuple[int, int], limit: int
) -> list[tuple[NoteRow, tuple[int, int]]]:
    """Up to ``limit`` linked notes in film order, each at its first link, after the (start_ms,
    link id) given; each with the (start_ms, link id) to continue after. ``(-1, -1)`` starts at
    the beginning."""
    return [(row[:5], (row[1], row[5])) for row in project.query(_LINKED_PAGE_SQL, *after, limit)]


def unlinked_notes_after(project: Project, after_id: int, limit: int) -> list[NoteRow]:
    """Up to ``limit`` notes linked to no moment, oldest first, with ids above ``after_id``."""
    return project.query(_UNLINKED_PAGE_SQL, after_id, limit)


def notes_in_film_order(project: Project) -> list[NoteRow]:
    """Every note: the linked ones in film order (notes at the same moment: oldest first), then
    those linked to no moment, oldest first."""
    unlinked = {
        note_id: (kind, cid)
        for note_id, kind, cid in project.query("SELECT id, kind, character_id FROM note")
    }
    rows: list[NoteRow] = [
        (note_id, start, end, *unlinked.pop(note_id))
        for note_id, start, end in project.query(_SPANS_SQL)
    ]
    rows += [(note_id, None, None, *rest) for note_id, rest in sorted(unlinked.items())]
    return rows


def note_texts(project: Project, note_ids: Sequence[int]) -> dict[int, NoteText]:
    """The character and text of the notes with these ids (absent ids are left out)."""
    if not note_ids:
        return {}
    marks = ", ".join("?" * len(note_ids))
    return {
        note_id: NoteText(character, text)
        for note_id, character, text in project.query(_TEXTS_SQL.format(marks), *note_ids)
    }
