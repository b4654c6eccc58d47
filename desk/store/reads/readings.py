"""The readings and their evidence, as the readings panel shows them side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from desk.store.project import Project

#: An unlabelled beat is named by whose beat it is.
_BEAT_PEOPLE = (
    "(SELECT group_concat(c.name, ', ') FROM beat_character bc"
    " JOIN character c ON c.id = bc.character_id WHERE bc.beat_id = b.id)"
)

_EVIDENCE_SQL = f"""
SELECT e.id, e.stance,
       coalesce(nullif(b.label, ''), {_BEAT_PEOPLE}, n.text, p.text) AS text,
       coalesce(b.start_ms,
                (SELECT min(start_ms) FROM time_link WHERE note_id = e.note_id),
                (SELECT min(start_ms) FROM time_link WHERE paragraph_id = e.paragraph_id)) AS at,
       CASE WHEN e.beat_id IS NOT NULL THEN 'beat'
            WHEN e.note_id IS NOT NULL THEN 'note' ELSE 'paragraph' END AS kind
FROM evidence e
LEFT JOIN beat b ON b.id = e.beat_id
LEFT JOIN note n ON n.id = e.note_id
LEFT JOIN paragraph p ON p.id = e.paragraph_id
WHERE e.reading_id = ? ORDER BY at, e.id
"""
#: How many notes and paragraphs the evidence choice offers (the newest notes, the first
#: paragraphs), and how much of each one's text.
CHOICE_NOTES, CHOICE_PARAGRAPHS, CHOICE_CHARS = 500, 2000, 60

EvidenceKind = Literal["beat", "note", "paragraph"]


@dataclass(frozen=True, slots=True)
class Reading:
    id: int
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """A beat, note or paragraph attached to a reading, with its stance (``supports`` or
    ``contradicts``), its text and its first moment in the film (None when it has none)."""

    id: int
    stance: str
    text: str
    at_ms: int | None
    kind: EvidenceKind


@dataclass(frozen=True, slots=True)
class BeatChoice:
    id: int
    label: str
    start_ms: int


@dataclass(frozen=True, slots=True)
class NoteChoice:
    id: int
    text: str  # its first CHOICE_CHARS characters


@dataclass(frozen=True, slots=True)
class ParagraphChoice:
    id: int
    position: int  # from 0
    text: str  # its first CHOICE_CHARS characters


@dataclass(frozen=True, slots=True)
class EvidenceChoices:
    """What can be attached to a reading as evidence: every beat in film order, the newest notes
    first, the first paragraphs in essay order."""

    beats: list[BeatChoice]
    notes: list[NoteChoice]
    paragraphs: list[ParagraphChoice]


def readings(project: Project) -> list[Reading]:
    """Every reading in the user's order."""
    return [
        Reading(int(i), str(title), str(summary))
        for i, title, summary in project.query(
            "SELECT id, title, summary FROM reading ORDER BY position, id"
        )
    ]


def evidence_of(project: Project, reading_id: int) -> list[Evidence]:
    """A reading's evidence in film order (evidence with no moment last, oldest first)."""
    return [
        Evidence(int(i), str(stance), str(text or ""), at, kind)
        for i, stance, text, at, kind in project.query(_EVIDENCE_SQL, reading_id)
    ]


def evidence_choices(project: Project) -> EvidenceChoices:
    beats = project.query(
        f"SELECT b.id, coalesce(nullif(b.label, ''), {_BEAT_PEOPLE}, ''), b.start_ms FROM beat b"
        " ORDER BY b.start_ms"
    )
    notes = project.query(
        "SELECT id, substr(text, 1, ?) FROM note ORDER BY id DESC LIMIT ?",
        CHOICE_CHARS,
        CHOICE_NOTES,
    )
    paragraphs = project.query(
        "SELECT id, position, substr(text, 1, ?) FROM paragraph ORDER BY position LIMIT ?",
        CHOICE_CHARS,
        CHOICE_PARAGRAPHS,
    )
    return EvidenceChoices(
        [BeatChoice(int(i), str(label), int(start)) for i, label, start in beats],
        [NoteChoice(int(i), str(text)) for i, text in notes],
        [ParagraphChoice(int(i), int(position), str(text)) for i, position, text in paragraphs],
    )
