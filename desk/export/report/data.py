"""Everything a report prints, read from a project once into plain values.

The report is built from these values only, so the project file is open for the few milliseconds the
reads take. Numbering is decided here: body paragraphs ¶ 1, 2, …; beats and notes in film order.

A report of one scene (:func:`within`) keeps what lies in the scene: a range counts when it
overlaps the scene, even if it starts before it or ends after it; a moment counts when it falls
inside. Numbers stay those of the whole project, so ¶ 7 is the same paragraph in both reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from desk.export.errors import ExportError
from desk.store import queries
from desk.store.project import Project


@dataclass(frozen=True, slots=True)
class Span:
    """A range of film time; a moment when ``end_ms == start_ms``."""

    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class FilmCopy:
    """The copy of the film the report cites and takes its stills from."""

    title: str
    year: int | None
    release: str
    path: Path | None
    label: str
    duration_ms: int
    fps: Fraction
    width: int
    height: int
    time_map: str
    confirmed: bool


@dataclass(frozen=True)
class CharacterItem:
    id: int
    name: str
    color: str


@dataclass(slots=True)  # a project may have 100,000 of them
class NoteItem:
    id: int
    number: int
    kind: str
    text: str
    character: str
    paragraph_id: int | None
    spans: list[Span] = field(default_factory=list)


@dataclass
class ParagraphItem:
    id: int
    number: int  # 0 for headings
    kind: str
    text: str
    spans: list[Span] = field(default_factory=list)
    notes: list[NoteItem] = field(default_factory=list)


@dataclass
class BeatItem:
    id: int
    number: int
    start_ms: int
    end_ms: int
    label: str
    description: str
    emotion: str
    emotion_color: str
    valence: float
    intensity: float
    characters: list[CharacterItem] = field(default_factory=list)


@dataclass
class SceneItem:
    id: int
    name: str
    start_ms: int
    end_ms: int
    description: str
    beats: list[BeatItem] = field(default_factory=list)

    def holds(self, ms: int) -> bool:
        return self.start_ms <= ms < self.end_ms or ms == self.start_ms == self.end_ms

    def overlaps(self, start_ms: int, end_ms: int) -> bool:
        """Whether the range ``[start_ms, end_ms)`` (a moment if empty) lies at least partly in
        the scene."""
        if end_ms <= start_ms:
            return self.holds(start_ms)
        if self.end_ms <= self.start_ms:  # a scene of no length is a moment
            return start_ms <= self.start_ms < end_ms
        return start_ms < self.end_ms and end_ms > self.start_ms

    def has(self, spans: Iterable[Span]) -> bool:
        return any(self.overlaps(s.start_ms, s.end_ms) for s in spans)


@dataclass(frozen=True)
class EvidenceItem:
    stance: str
    ref: str  # "beat 3", "note 2", "¶ 7"
    text: str
    spans: tuple[Span, ...]
    comment: str


@dataclass
class ReadingItem:
    title: str
    summary: str
    scene: str
    supports: list[EvidenceItem] = field(default_factory=list)
    contradicts: list[EvidenceItem] = field(default_factory=list)


@dataclass
class ReportData:
    title: str
    author: str
    essay_title: str
    essay_dek: str
    film: FilmCopy | None
    paragraphs: list[ParagraphItem]
    loose_notes: list[NoteItem]
    scenes: list[SceneItem]
    beats: list[BeatItem]
    readings: list[ReadingItem]
    characters: list[CharacterItem]


def load(project: Project) -> ReportData:
    """Read a report's worth of values from an open project."""
    meta = (project.rows("SELECT * FROM project ORDER BY id LIMIT 1") or [{}])[0]
    essay = (project.rows("SELECT * FROM essay ORDER BY id LIMIT 1") or [{}])[0]
    characters = [
        CharacterItem(int(r["id"]), str(r["name"]), str(r["color"]))
        for r in project.rows("SELECT id, name, color FROM character ORDER BY id")
    ]
    notes = _notes(project, {c.id: c.name for c in characters})
    paragraphs = _paragraphs(project, essay.get("id"), notes)
    beats = _beats(project, {c.id: c for c in characters})
    scenes = _scenes(project, beats)
    readings = _readings(project, beats, notes, paragraphs)
    return ReportData(
        title=str(meta.get("title") or ""),
        author=str(essay.get("author") or meta.get("author") or ""),
        essay_title=str(essay.get("title") or meta.get("title") or ""),
        essay_dek=str(essay.get("dek") or ""),
        film=_film(meta, queries.reference_media(project)),
        paragraphs=paragraphs,
        loose_notes=[n for n in notes.values() if n.paragraph_id is None],
        scenes=scenes,
        beats=beats,
        readings=readings,
        characters=characters,
    )


def _film(meta: dict[str, Any], media: queries.Media | None) -> FilmCopy | None:
    if media is None:
        return None
    year = meta.get("film_year")
    return FilmCopy(
        title=str(meta.get("film_title") or ""),
        year=int(year) if year else None,
        release=str(meta.get("film_release") or ""),
        path=Path(media.path) if media.path else None,
        label=media.label,
        duration_ms=media.duration_ms,
        fps=Fraction(media.fps_num or 24, media.fps_den or 1),
        width=media.width,
        height=media.height,
        time_map=media.time_map,
        confirmed=media.path_confirmed,
    )


def _spans(project: Project, owner: str) -> dict[int, list[Span]]:
    out: dict[int, list[Span]] = {}
    for owner_id, start, end in project.query(
        f"SELECT {owner}, start_ms, end_ms FROM time_link WHERE {owner} IS NOT NULL "
        "ORDER BY start_ms, end_ms, id"
    ):
        out.setdefault(int(owner_id), []).append(Span(int(start), int(end)))
    return out


def _notes(project: Project, names: dict[int, str]) -> dict[int, NoteItem]:
    spans = _spans(project, "note_id")
    rows = project.rows("SELECT id, kind, text, paragraph_id, character_id FROM note")
    rows.sort(key=lambda r: (spans[r["id"]][0].start_ms if r["id"] in spans else -1, r["id"]))
    return {
        int(r["id"]): NoteItem(
            id=int(r["id"]),
            number=number,
            kind=str(r["kind"]),
            text=str(r["text"]),
            character=names.get(r["character_id"], ""),
            paragraph_id=r["paragraph_id"],
            spans=spans.get(int(r["id"]), []),
        )
        for number, r in enumerate(rows, start=1)
    }


def _paragraphs(
    project: Project, essay_id: int | None, notes: dict[int, NoteItem]
) -> list[ParagraphItem]:
    if essay_id is None:
        return []
    spans = _spans(project, "paragraph_id")
    attached: dict[int, list[NoteItem]] = {}
    for note in notes.values():
        if note.paragraph_id is not None:
            attached.setdefault(note.paragraph_id, []).append(note)
    out: list[ParagraphItem] = []
    number = 0
    for pid, _position, kind, text in queries.paragraphs(project, essay_id):
        if kind != "heading":
            number += 1
        out.append(
            ParagraphItem(
                pid,
                0 if kind == "heading" else number,
                kind,
                text,
                spans.get(pid, []),
                attached.get(pid, []),
            )
        )
    return out


def _beats(project: Project, characters: dict[int, CharacterItem]) -> list[BeatItem]:
    felt: dict[int, list[CharacterItem]] = {}
    for beat_id, character_id in project.query(
        "SELECT beat_id, character_id FROM beat_character ORDER BY character_id"
    ):
        if character_id in characters:
            felt.setdefault(int(beat_id), []).append(characters[character_id])
    rows = project.rows(
        "SELECT b.*, e.name AS emotion, e.color AS emotion_color FROM beat b "
        "LEFT JOIN emotion e ON e.id = b.emotion_id ORDER BY b.start_ms, b.end_ms, b.id"
    )
    return [
        BeatItem(
            id=int(r["id"]),
            number=number,
            start_ms=int(r["start_ms"]),
            end_ms=int(r["end_ms"]),
            label=str(r["label"] or ""),
            description=str(r["description"] or ""),
            emotion=str(r["emotion"] or ""),
            emotion_color=str(r["emotion_color"] or "#888888"),
            valence=float(r["valence"]),
            intensity=float(r["intensity"]),
            characters=felt.get(int(r["id"]), []),
        )
        for number, r in enumerate(rows, start=1)
    ]


def _scenes(project: Project, beats: list[BeatItem]) -> list[SceneItem]:
    scenes = [
        SceneItem(int(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4] or ""))
        for r in project.query(
            "SELECT id, name, start_ms, end_ms, description FROM scene ORDER BY position, id"
        )
    ]
    for scene in scenes:
        scene.beats = [b for b in beats if scene.overlaps(b.start_ms, b.end_ms)]
    return scenes


def _readings(
    project: Project,
    beats: list[BeatItem],
    notes: dict[int, NoteItem],
    paragraphs: list[ParagraphItem],
) -> list[ReadingItem]:
    scene_names = {int(i): str(n) for i, n in project.query("SELECT id, name FROM scene")}
    readings: dict[int, ReadingItem] = {}
    for r in project.rows("SELECT * FROM reading ORDER BY position, id"):
        readings[int(r["id"])] = ReadingItem(
            str(r["title"]), str(r["summary"]), scene_names.get(r["scene_id"], "")
        )
    by_beat = {b.id: b for b in beats}
    by_paragraph = {p.id: p for p in paragraphs}
    for r in project.rows("SELECT * FROM evidence ORDER BY reading_id, id"):
        item = _evidence(r, by_beat, notes, by_paragraph)
        reading = readings.get(int(r["reading_id"]))
        if item is None or reading is None:
            continue
        (reading.contradicts if item.stance == "contradicts" else reading.supports).append(item)
    return list(readings.values())


def _evidence(
    row: dict[str, Any],
    beats: dict[int, BeatItem],
    notes: dict[int, NoteItem],
    paragraphs: dict[int, ParagraphItem],
) -> EvidenceItem | None:
    stance, comment = str(row["stance"]), str(row["comment"] or "")
    if row["beat_id"] in beats:
        b = beats[row["beat_id"]]
        text = f"{b.label}: {b.description}" if b.description else b.label
        spans = (Span(b.start_ms, b.end_ms),)
        return EvidenceItem(stance, f"beat {b.number}", text, spans, comment)
    if row["note_id"] in notes:
        n = notes[row["note_id"]]
        return EvidenceItem(stance, f"note {n.number}", n.text, tuple(n.spans), comment)
    if row["paragraph_id"] in paragraphs:
        p = paragraphs[row["paragraph_id"]]
        return EvidenceItem(stance, f"¶ {p.number}", p.text, tuple(p.spans), comment)
    return None


def pick_scene(scenes: list[SceneItem], name: str | None) -> SceneItem | None:
    """The scene called ``name`` (case-insensitive), or by default the one with most beats."""
    if name is None:
        return max(scenes, key=lambda s: len(s.beats), default=None)
    wanted = name.strip().casefold()
    for scene in scenes:
        if scene.name.strip().casefold() == wanted:
            return scene
    known = ", ".join(f"'{s.name}'" for s in scenes) or "none"
    raise ExportError(f"the project has no scene called '{name}' (scenes: {known}).")


def within(data: ReportData, scene: SceneItem) -> ReportData:
    """The part of ``data`` that lies in ``scene``: its paragraphs (with only their links and
    notes in the scene, under the headings that open them), notes, beats, readings about the scene
    or with evidence in it (with only that evidence), and the scene alone for the still boards."""

    def notes(items: list[NoteItem]) -> list[NoteItem]:
        return [n for n in items if scene.has(n.spans)]

    paragraphs: list[ParagraphItem] = []
    heading: ParagraphItem | None = None
    for p in data.paragraphs:
        if p.kind == "heading":
            heading = p
            continue
        spans = [s for s in p.spans if scene.overlaps(s.start_ms, s.end_ms)]
        attached = notes(p.notes)
        if not spans and not attached:
            continue
        if heading is not None:
            paragraphs.append(heading)
            heading = None
        paragraphs.append(replace(p, spans=spans, notes=attached))
    readings = []
    for r in data.readings:
        supports = [e for e in r.supports if scene.has(e.spans)]
        contradicts = [e for e in r.contradicts if scene.has(e.spans)]
        if supports or contradicts or r.scene == scene.name:
            readings.append(replace(r, supports=supports, contradicts=contradicts))
    return replace(
        data,
        paragraphs=paragraphs,
        loose_notes=notes(data.loose_notes),
        scenes=[scene],
        beats=[b for b in data.beats if scene.overlaps(b.start_ms, b.end_ms)],
        readings=readings,
    )
