"""What the timeline shows, read from the project in bulk by the store (no Qt here).

Rows become numpy arrays so the views can find what is visible with a binary search and paint
thousands of beats, shots and links without a Python object per item. Times are film ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from desk.store import queries
from desk.store.kinds import NoteKind
from desk.store.project import Project
from desk.store.reads import timeline as timeline_reads

#: Shown when a project has no film yet (ms).
DEFAULT_DURATION_MS = 60_000
NO_EMOTION_COLOR = "#9a9aa0"


@dataclass(frozen=True)
class Film:
    """The reference copy of the film: how long it runs and how long a frame lasts."""

    media_id: int | None
    duration_ms: int
    fps: Fraction
    path: str = ""
    time_map: str = '{"kind": "identity"}'
    audio_track: int | None = None  # the sound stream the project chose; None: the first

    @property
    def frame_ms(self) -> float:
        return float(1000 / self.fps)

    def snap_ms(self, ms: float) -> int:
        """The start of the frame boundary nearest to ``ms`` (frame starts are whole ms)."""
        frame = round(Fraction(ms).limit_denominator(1000) * self.fps / 1000)
        start = -((-frame * 1000 * self.fps.denominator) // self.fps.numerator)
        return int(max(0, start))


@dataclass(frozen=True)
class Spans:
    """Ranges sorted by start: ``ids``, ``starts``, ``ends`` and one label each."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    labels: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls) -> Spans:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, [])


@dataclass(frozen=True)
class Beats:
    """Every beat of the project, sorted by start, as parallel columns."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    valence: np.ndarray
    intensity: np.ndarray
    emotion_ids: np.ndarray  # -1 where a beat has no emotion
    labels: list[str]
    descriptions: list[str]
    annotators: list[str]
    #: (beat row, character id) pairs: which lanes each beat appears in.
    members: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls) -> Beats:
        none, real = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        pairs = np.zeros((0, 2), dtype=np.int64)
        return cls(none, none, none, real, real, none, [], [], [], pairs)

    def row_of(self, beat_id: int) -> int | None:
        found = np.flatnonzero(self.ids == beat_id)
        return int(found[0]) if len(found) else None

    def characters_of(self, row: int) -> list[int]:
        return [int(c) for c in self.members[self.members[:, 0] == row, 1]]


@dataclass(frozen=True)
class Character:
    id: int
    name: str
    color: str


@dataclass(frozen=True)
class Lane:
    """One lane of beats: a character's (``character_id``) or the unassigned beats (None)."""

    character_id: int | None
    name: str
    color: str
    rows: np.ndarray  # rows of :class:`Beats`, in start order


def load_film(project: Project) -> Film:
    media = queries.reference_media(project)
    if media is None:
        return Film(None, DEFAULT_DURATION_MS, Fraction(24))
    duration = media.duration_ms or DEFAULT_DURATION_MS
    return Film(media.id, duration, media.fps, media.path, media.time_map, media.audio_track)


def load_beats(project: Project) -> Beats:
    columns = timeline_reads.beat_columns(project)
    ids = np.asarray(columns.ids, dtype=np.int64)
    pairs = np.asarray(timeline_reads.beat_characters(project), dtype=np.int64).reshape(-1, 2)
    order = np.argsort(ids)
    rows_of_pairs = order[np.searchsorted(ids[order], pairs[:, 0])] if len(ids) else pairs[:, 0]
    return Beats(
        ids=ids,
        starts=np.asarray(columns.starts, dtype=np.int64),
        ends=np.asarray(columns.ends, dtype=np.int64),
        valence=np.asarray(columns.valence, dtype=np.float64),
        intensity=np.asarray(columns.intensity, dtype=np.float64),
        emotion_ids=np.asarray(columns.emotion_ids, dtype=np.int64),
        labels=list(columns.labels),
        descriptions=list(columns.descriptions),
        annotators=list(columns.annotators),
        members=np.column_stack([rows_of_pairs, pairs[:, 1]]).astype(np.int64),
    )


def load_characters(project: Project) -> list[Character]:
    return [Character(c.id, c.name, c.color) for c in timeline_reads.characters(project)]


def load_emotions(project: Project) -> dict[int, tuple[str, str]]:
    """Emotion id → (name, colour)."""
    return {e.id: (e.name, e.color) for e in timeline_reads.emotions(project)}


def lanes_of(beats: Beats, characters: list[Character]) -> list[Lane]:
    """A lane per character, then one for beats nobody feels, if there are any."""
    lanes = []
    for character in characters:
        rows = np.unique(beats.members[beats.members[:, 1] == character.id, 0])
        lanes.append(Lane(character.id, character.name, character.color, rows))
    assigned = np.zeros(len(beats), dtype=bool)
    assigned[beats.members[:, 0]] = True
    if not characters or not assigned.all():
        lanes.append(Lane(None, "Unassigned", NO_EMOTION_COLOR, np.flatnonzero(~assigned)))
    return lanes


def load_scenes(project: Project) -> Spans:
    columns = timeline_reads.scene_columns(project)
    if not columns.ids:
        return Spans.empty()
    return Spans(
        np.asarray(columns.ids, dtype=np.int64),
        np.asarray(columns.starts, dtype=np.int64),
        np.asarray(columns.ends, dtype=np.int64),
        list(columns.names),
    )


def load_starts(project: Project, table: str) -> np.ndarray:
    """Sorted start times of every row of ``table`` (``shot`` or ``time_link``)."""
    return np.asarray(timeline_reads.start_times(project, table), dtype=np.int64)


@dataclass(frozen=True)
class NoteMarks:
    """Each note at each range it is linked to, sorted by start, and its kind as its place in
    ``kind_names`` (its text is read when shown: :func:`load_note_texts`). Kinds stay numbers:
    100,000 strings, and a look-up of each one's colour, took a tenth of opening a large
    project."""

    note_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    kind_codes: np.ndarray
    kind_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.note_ids)

    def kind(self, k: int) -> str:
        return self.kind_names[int(self.kind_codes[k])]

    @classmethod
    def of_kind(
        cls, note_ids: np.ndarray, starts: np.ndarray, ends: np.ndarray, kind: str
    ) -> NoteMarks:
        """Notes all of one kind."""
        return cls(note_ids, starts, ends, np.zeros(len(note_ids), dtype=np.int64), (kind,))

    @classmethod
    def empty(cls) -> NoteMarks:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none, ())


def load_links(
    project: Project, read: timeline_reads.LinkRows | None = None
) -> tuple[Spans, NoteMarks]:
    """Every time link (a paragraph's or a note's) sorted by start, and every note at each range
    it is linked to; from ``read`` when :func:`~desk.store.reads.timeline.link_rows` was read
    already (ahead: :mod:`desk.store.read_ahead`)."""
    columns, (ids, codes) = read if read is not None else timeline_reads.link_rows(project)
    starts = np.asarray(columns.starts, dtype=np.int64)
    ends = np.asarray(columns.ends, dtype=np.int64)
    note_ids = np.asarray(columns.note_ids, dtype=np.int64)
    links = Spans(np.arange(len(starts), dtype=np.int64), starts, ends)
    of_notes = np.flatnonzero(note_ids >= 0)
    names = [kind.value for kind in NoteKind]
    known = np.asarray(ids, dtype=np.int64)
    at = np.searchsorted(known, note_ids[of_notes])
    found = np.asarray(codes, dtype=np.int64)[at] if len(known) else at
    found[found < 0] = len(names)  # a kind desk does not know is drawn as free
    return links, NoteMarks(
        note_ids[of_notes],
        starts[of_notes],
        ends[of_notes],
        found,
        (*names, NoteKind.FREE.value),
    )


def load_note_texts(project: Project, note_ids: list[int]) -> dict[int, str]:
    """The texts of a few notes, on one line each."""
    return timeline_reads.note_texts(project, note_ids)


@dataclass(frozen=True)
class TierCues:
    """One reference tier (dialogue from a subtitle file, a tier of an ELAN file) and its cues,
    sorted by start: read-only evidence shown in a lane of its own."""

    tier_id: int
    name: str
    language: str
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    speakers: list[str]
    texts: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def line(self, row: int) -> str:
        """A cue on one line: ``Speaker: text``, its lines joined by a slash."""
        text = " / ".join(self.texts[row].splitlines())
        return f"{self.speakers[row]}: {text}" if self.speakers[row] else text


def load_tiers(project: Project) -> list[TierCues]:
    """Every reference tier with its cues, in the order the tiers were added."""
    return [
        TierCues(
            tier.tier_id,
            tier.name,
            tier.language,
            np.asarray(tier.ids, dtype=np.int64),
            np.asarray(tier.starts, dtype=np.int64),
            np.asarray(tier.ends, dtype=np.int64),
            [str(s) for s in tier.speakers],
            [str(t) for t in tier.texts],
        )
        for tier in timeline_reads.tiers_with_cues(project)
    ]
