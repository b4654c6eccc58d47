"""What the window's editors read before an edit: the characters and what uses each, one note as
it stands, the paragraphs a note can be linked to, and the link nearest a time (the scenes come
from :mod:`desk.store.reads.outline`).

Each read returns frozen rows, so a dialog shows values that cannot change under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.store.project import Project


@dataclass(frozen=True)
class CharacterRow:
    id: int
    name: str
    color: str


@dataclass(frozen=True)
class CharacterUses:
    """What names one character: beats of its own, beats it shares, notes about it, and the
    marks of evidence on its own beats and its notes (which go if those go)."""

    own_beats: int
    shared_beats: int
    notes: int
    evidence: int = 0

    def __bool__(self) -> bool:
        return bool(self.own_beats or self.shared_beats or self.notes)

    def sentence(self, name: str) -> str:
        """``"Ani is in 12 beats (2 shared with others) and 4 notes."``"""
        beats = self.own_beats + self.shared_beats
        parts = []
        if beats:
            shared = f" ({self.shared_beats} shared with others)" if self.shared_beats else ""
            parts.append(f"{_count(beats, 'beat')}{shared}")
        if self.notes:
            parts.append(_count(self.notes, "note"))
        if not parts:
            return f"{name} is in no beat and no note."
        return f"{name} is in {' and '.join(parts)}."


@dataclass(frozen=True)
class NoteRow:
    """One note as the editors show it; ``start_ms`` is None for a note at no moment."""

    id: int
    text: str
    kind: str
    character_id: int | None
    paragraph_id: int | None
    start_ms: int | None
    end_ms: int | None


@dataclass(frozen=True)
class ParagraphRow:
    id: int
    position: int
    text: str


@dataclass(frozen=True)
class LinkRow:
    """A link of the film to a paragraph or a note (one of the two ids is None)."""

    id: int
    start_ms: int
    end_ms: int
    paragraph_id: int | None
    note_id: int | None


def characters(project: Project) -> list[CharacterRow]:
    """The project's characters by name."""
    rows = project.query("SELECT id, name, color FROM character ORDER BY name, id")
    return [CharacterRow(int(i), str(n), str(c)) for i, n, c in rows]


def character_uses(project: Project, character_id: int) -> CharacterUses:
    beats = project.query(
        "SELECT (SELECT count(*) FROM beat_character o WHERE o.beat_id = b.beat_id) "
        "FROM beat_character b WHERE b.character_id = ?",
        character_id,
    )
    notes = project.query("SELECT count(*) FROM note WHERE character_id = ?", character_id)
    own = sum(1 for (others,) in beats if others == 1)
    evidence = project.query(
        "SELECT count(*) FROM evidence WHERE note_id IN "
        "(SELECT id FROM note WHERE character_id = ?) OR beat_id IN (SELECT beat_id FROM "
        "beat_character GROUP BY beat_id HAVING count(*) = 1 AND max(character_id) = ?)",
        character_id,
        character_id,
    )
    return CharacterUses(own, len(beats) - own, int(notes[0][0]), int(evidence[0][0]))


def note(project: Project, note_id: int) -> NoteRow | None:
    """A note with the span of its links (from its first start to its last end)."""
    found = project.query(
        "SELECT n.id, n.text, n.kind, n.character_id, n.paragraph_id, "
        "(SELECT min(start_ms) FROM time_link WHERE note_id = n.id), "
        "(SELECT max(end_ms) FROM time_link WHERE note_id = n.id) FROM note n WHERE n.id = ?",
        note_id,
    )
    return NoteRow(*found[0]) if found else None


def paragraphs(project: Project) -> list[ParagraphRow]:
    """The essay's paragraphs in order."""
    rows = project.query(
        "SELECT p.id, p.position, p.text FROM paragraph p "
        "WHERE p.essay_id = (SELECT id FROM essay ORDER BY id LIMIT 1) ORDER BY p.position, p.id"
    )
    return [ParagraphRow(int(i), int(pos), str(t)) for i, pos, t in rows]


def link_near(project: Project, film_ms: int, within_ms: int) -> LinkRow | None:
    """The link starting nearest to ``film_ms``, no further than ``within_ms`` from it (a
    note's before a paragraph's at the same time)."""
    found = project.query(
        "SELECT id, start_ms, end_ms, paragraph_id, note_id FROM time_link "
        "WHERE start_ms BETWEEN ? AND ? ORDER BY abs(start_ms - ?), note_id IS NULL, id LIMIT 1",
        film_ms - within_ms,
        film_ms + within_ms,
        film_ms,
    )
    return LinkRow(*found[0]) if found else None


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
