"""Search hits placed in the film: what the search box lists and where choosing one goes."""

from __future__ import annotations

from dataclasses import dataclass

from desk.store.project import Project
from desk.store.search import search

#: Per kind of search hit: (first moment in the film, what it is) of the row with an id.
_PLACE_SQL = {
    "paragraph": "SELECT min(start_ms), 'paragraph' FROM time_link WHERE paragraph_id = ?",
    "note": "SELECT min(start_ms), 'note' FROM time_link WHERE note_id = ?",
    "beat": "SELECT start_ms, 'beat' FROM beat WHERE id = ?",
    "cue": "SELECT c.start_ms, t.name FROM cue c JOIN tier t ON t.id = c.tier_id WHERE c.id = ?",
}


@dataclass(frozen=True, slots=True)
class FoundHit:
    """A search hit: its kind and id, the matching words in context, its first moment in the film
    (None when it has none) and what it is (its kind, or the name of the reference tier a line of
    dialogue belongs to)."""

    kind: str
    ref_id: int
    snippet: str
    at_ms: int | None
    source: str


def found_in_film(project: Project, text: str) -> list[FoundHit]:
    """The rows whose text holds every word of ``text`` (see :func:`desk.store.search.search`),
    each with where it is in the film."""
    if not text.strip():
        return []
    found = []
    for hit in search(project.conn, text):
        rows = project.query(_PLACE_SQL[hit.kind], hit.ref_id)
        at, source = rows[0] if rows else (None, hit.kind)
        found.append(FoundHit(hit.kind, hit.ref_id, hit.snippet, at, str(source) or hit.kind))
    return found
