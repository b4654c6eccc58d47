"""Typed reads for the window's edits: what a user picks from, and what an edit would touch.

The clips panel offers scenes, beats (numbered in film order, as the report and ``desk clips add
--beats`` number them) and the paragraphs that cite the film. (What the readings panel shows is
:mod:`desk.store.reads.readings`.)
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
