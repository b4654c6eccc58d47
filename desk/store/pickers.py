"""Typed reads for the window's edits: what a user picks from, and what an edit would touch.

The clips panel offers scenes, beats (numbered in film order, as the report and ``desk clips add
--beats`` number them) and the paragraphs that cite the film; the readings panel shows each
reading with its evidence, and asks what a deletion would take with it before it happens.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.store.project import Project


@dataclass(frozen=True)
class SceneRow:
    id: int
    name: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class BeatRow:
    #: Counted from 1 in film order.
    number: int
    id: int
    label: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ParagraphRow:
    #: Counted from 1 over body paragraphs (headings not counted), as ``--paragraph`` counts.
    number: int
    id: int
    text: str
    links: int


@dataclass(frozen=True)
class ReadingRow:
    id: int
    title: str
    summary: str


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    stance: str
    #: The beat's label, the note's or the paragraph's text.
    text: str
    #: Where it is in the film (the first moment a note or paragraph cites), if anywhere.
    at_ms: int | None
    #: "beat", "note" or "paragraph".
    kind: str


def scenes(project: Project) -> list[SceneRow]:
    rows = project.query("SELECT id, name, start_ms, end_ms FROM scene ORDER BY position, id")
    return [SceneRow(int(i), str(n), int(s), int(e)) for i, n, s, e in rows]


def beats(project: Project) -> list[BeatRow]:
    rows = project.query(
        "SELECT id, label, start_ms, end_ms FROM beat ORDER BY start_ms, end_ms, id"
    )
    return [
        BeatRow(number, int(i), str(label), int(s), int(e))
        for number, (i, label, s, e) in enumerate(rows, start=1)
    ]


def linked_paragraphs(project: Project) -> list[ParagraphRow]:
    """Body paragraphs, numbered, with how many links each has (only those with a link)."""
    rows = project.query(
        "SELECT p.id, p.text, (SELECT count(*) FROM time_link t WHERE t.paragraph_id = p.id) "
        "FROM paragraph p JOIN essay e ON e.id = p.essay_id "
        "WHERE p.kind != 'heading' ORDER BY e.id, p.position, p.id"
    )
    return [
        ParagraphRow(number, int(i), str(text), int(links))
        for number, (i, text, links) in enumerate(rows, start=1)
        if links
    ]


def readings(project: Project) -> list[ReadingRow]:
    rows = project.query("SELECT id, title, summary FROM reading ORDER BY position, id")
    return [ReadingRow(int(i), str(t), str(s)) for i, t, s in rows]


EVIDENCE_SQL = """
SELECT e.id, e.stance,
       coalesce(b.label, n.text, p.text) AS text,
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


def evidence_of(project: Project, reading_id: int) -> list[EvidenceRow]:
    """A reading's evidence, in film order."""
    return [
        EvidenceRow(int(i), str(stance), str(text or ""), None if at is None else int(at), kind)
        for i, stance, text, at, kind in project.query(EVIDENCE_SQL, reading_id)
    ]
