"""What the timeline shows, read from the project in bulk through SQL (no Qt here).

Rows become numpy arrays so the views can find what is visible with a binary search and paint
thousands of beats, shots and links without a Python object per item. Times are film ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from desk.store.project import Project

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
    found = project.query(
        "SELECT id, duration_ms, fps_num, fps_den, path, time_map FROM media "
        "ORDER BY is_reference DESC, id LIMIT 1"
    )
    if not found:
        return Film(None, DEFAULT_DURATION_MS, Fraction(24))
    media_id, duration, num, den, path, time_map = found[0]
    fps = Fraction(int(num), int(den)) if num and den else Fraction(24)
    duration = int(duration) or DEFAULT_DURATION_MS
    return Film(int(media_id), duration, fps, str(path), str(time_map))


def load_beats(project: Project) -> Beats:
    rows = project.query(
        "SELECT id, start_ms, end_ms, valence, intensity, coalesce(emotion_id, -1), label,"
        " description, annotator FROM beat ORDER BY start_ms, id"
    )
    columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    ids = np.asarray(columns[0], dtype=np.int64)
    pairs = np.asarray(
        project.query("SELECT beat_id, character_id FROM beat_character"), dtype=np.int64
    ).reshape(-1, 2)
    order = np.argsort(ids)
    rows_of_pairs = order[np.searchsorted(ids[order], pairs[:, 0])] if len(ids) else pairs[:, 0]
    return Beats(
        ids=ids,
        starts=np.asarray(columns[1], dtype=np.int64),
        ends=np.asarray(columns[2], dtype=np.int64),
        valence=np.asarray(columns[3], dtype=np.float64),
        intensity=np.asarray(columns[4], dtype=np.float64),
        emotion_ids=np.asarray(columns[5], dtype=np.int64),
        labels=list(columns[6]),
        descriptions=list(columns[7]),
        annotators=list(columns[8]),
        members=np.column_stack([rows_of_pairs, pairs[:, 1]]).astype(np.int64),
    )


def load_characters(project: Project) -> list[Character]:
    return [
        Character(int(i), str(n), str(c))
        for i, n, c in project.query("SELECT id, name, color FROM character ORDER BY id")
    ]


def load_emotions(project: Project) -> dict[int, tuple[str, str]]:
    """Emotion id → (name, colour)."""
    return {
        int(i): (str(n), str(c))
        for i, n, c in project.query("SELECT id, name, color FROM emotion ORDER BY id")
    }


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
    rows = project.query("SELECT id, start_ms, end_ms, name FROM scene ORDER BY start_ms, id")
    if not rows:
        return Spans.empty()
    ids, starts, ends, names = zip(*rows, strict=True)
    return Spans(
        np.asarray(ids, dtype=np.int64),
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        [str(n) for n in names],
    )


def load_starts(project: Project, table: str) -> np.ndarray:
    """Sorted start times of every row of ``table`` (``shot`` or ``time_link``)."""
    if table not in ("shot", "time_link"):
        raise ValueError(f"no start times in {table!r}")
    rows = project.query(f"SELECT start_ms FROM {table} ORDER BY start_ms")
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


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
    """Every reference tier with its cues, in the order the tiers were added (two plain scans)."""
    cues: dict[int, list[tuple[int, int, int, str, str]]] = {}
    for tier_id, *row in project.query(
        "SELECT tier_id, id, start_ms, end_ms, speaker, text FROM cue "
        "ORDER BY tier_id, start_ms, id"
    ):
        cues.setdefault(int(tier_id), []).append(tuple(row))
    tiers = []
    for tier_id, name, language in project.query("SELECT id, name, language FROM tier ORDER BY id"):
        rows = cues.get(int(tier_id), [])
        columns = list(zip(*rows, strict=True)) if rows else [()] * 5
        tiers.append(
            TierCues(
                int(tier_id),
                str(name),
                str(language),
                np.asarray(columns[0], dtype=np.int64),
                np.asarray(columns[1], dtype=np.int64),
                np.asarray(columns[2], dtype=np.int64),
                [str(s) for s in columns[3]],
                [str(t) for t in columns[4]],
            )
        )
    return tiers
