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

from desk.export.errors import ExportError
from desk.store import annotation_rows as rows
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
    audio_track: int | None = None  # the sound stream the project chose; None: the first


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
    meta = rows.project_details(project)
    essay = rows.essay_heading(project)
    characters = [CharacterItem(c.id, c.name, c.color) for c in rows.characters(project)]
    notes = _notes(project, {c.id: c.name for c in characters})
    paragraphs = _paragraphs(project, essay.id if essay else None, notes)
    beats = _beats(project, {c.id: c for c in characters})
    scenes = _scenes(project, beats)
    readings = _readings(project, scenes, beats, notes, paragraphs)
    return ReportData(
        title=meta.title,
        author=(essay.author if essay else "") or meta.author,
        essay_title=(essay.title if essay else "") or meta.title,
        essay_dek=essay.dek if essay else "",
        film=_film(meta, queries.reference_media(project)),
        paragraphs=paragraphs,
        loose_notes=[n for n in notes.values() if n.paragraph_id is None],
        scenes=scenes,
        beats=beats,
        readings=readings,
        characters=characters,
    )


def _film(meta: rows.ProjectDetails, media: queries.Media | None) -> FilmCopy | None:
    if media is None:
        return None
    return FilmCopy(
        title=meta.film_title,
        year=meta.film_year or None,
        release=meta.film_release,
        path=Path(media.path) if media.path else None,
        label=media.label,
        duration_ms=media.duration_ms,
        fps=Fraction(media.fps_num or 24, media.fps_den or 1),
        width=media.width,
        height=media.height,
        time_map=media.time_map,
        confirmed=media.path_confirmed,
        audio_track=media.audio_track,
    )


def _spans(project: Project, owner: rows.LinkOwner) -> dict[int, list[Span]]:
    out: dict[int, list[Span]] = {}
    for owner_id, start, end, _label in rows.links_of(project, owner):
        out.setdefault(owner_id, []).append(Span(start, end))
    return out


def _notes(project: Project, names: dict[int, str]) -> dict[int, NoteItem]:
    spans = _spans(project, "note")
    found = rows.note_texts(project)
    found.sort(key=lambda r: (spans[r[0]][0].start_ms if r[0] in spans else -1, r[0]))
    return {
        nid: NoteItem(
            id=nid,
            number=number,
            kind=kind,
            text=text,
            character=names.get(cid, "") if cid is not None else "",
            paragraph_id=pid,
            spans=spans.get(nid, []),
        )
        for number, (nid, kind, text, pid, cid) in enumerate(found, start=1)
    }


def _paragraphs(
    project: Project, essay_id: int | None, notes: dict[int, NoteItem]
) -> list[ParagraphItem]:
    if essay_id is None:
        return []
    spans = _spans(project, "paragraph")
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
    for beat_id, character_id in rows.beat_characters(project):
        if character_id in characters:
            felt.setdefault(beat_id, []).append(characters[character_id])
    return [
        BeatItem(
            id=b.id,
            number=number,
            start_ms=b.start_ms,
            end_ms=b.end_ms,
            label=b.label,
            description=b.description,
            emotion=b.emotion or "",
            emotion_color=b.emotion_color or "#888888",
            valence=b.valence,
            intensity=b.intensity,
            characters=felt.get(b.id, []),
        )
        for number, b in enumerate(rows.beats(project), start=1)
    ]


def _scenes(project: Project, beats: list[BeatItem]) -> list[SceneItem]:
    scenes = [
        SceneItem(s.id, s.name, s.start_ms, s.end_ms, s.description) for s in rows.scenes(project)
    ]
    for scene in scenes:
        scene.beats = [b for b in beats if scene.overlaps(b.start_ms, b.end_ms)]
    return scenes


def _readings(
    project: Project,
    scenes: list[SceneItem],
    beats: list[BeatItem],
    notes: dict[int, NoteItem],
    paragraphs: list[ParagraphItem],
) -> list[ReadingItem]:
    scene_names = {s.id: s.name for s in scenes}
    readings: dict[int, ReadingItem] = {}
    for r in rows.readings(project):
        scene = scene_names.get(r.scene_id, "") if r.scene_id is not None else ""
        readings[r.id] = ReadingItem(r.title, r.summary, scene)
    by_beat = {b.id: b for b in beats}
    by_paragraph = {p.id: p for p in paragraphs}
    for e in rows.evidence(project):
        item = _evidence(e, by_beat, notes, by_paragraph)
        reading = readings.get(e.reading_id)
        if item is None or reading is None:
            continue
        (reading.contradicts if item.stance == "contradicts" else reading.supports).append(item)
    return list(readings.values())


def _evidence(
    row: rows.EvidenceRow,
    beats: dict[int, BeatItem],
    notes: dict[int, NoteItem],
    paragraphs: dict[int, ParagraphItem],
) -> EvidenceItem | None:
    stance, comment = row.stance, row.comment
    if row.beat_id is not None and row.beat_id in beats:
        b = beats[row.beat_id]
        text = f"{b.label}: {b.description}" if b.description else b.label
        spans = (Span(b.start_ms, b.end_ms),)
        return EvidenceItem(stance, f"beat {b.number}", text, spans, comment)
    if row.note_id is not None and row.note_id in notes:
        n = notes[row.note_id]
        return EvidenceItem(stance, f"note {n.number}", n.text, tuple(n.spans), comment)
    if row.paragraph_id is not None and row.paragraph_id in paragraphs:
        p = paragraphs[row.paragraph_id]
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
