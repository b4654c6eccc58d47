"""What the timeline draws, read in bulk: beats, scenes, shot starts, links with their
notes, reference cues.

The timeline turns these into numpy arrays, so reads hand back columns (one tuple per field, as
``zip`` makes them from SQLite's rows) rather than an object per row: 30,000 beats and 35,000
links load in the time SQLite takes to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from desk.store.kinds import NoteKind
from desk.store.project import Project


@dataclass(frozen=True, slots=True)
class BeatColumns:
    """Every beat sorted by start (then id), one tuple per field; ``emotion_ids`` holds -1 where a
    beat has no emotion."""

    ids: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    valence: tuple[float, ...]
    intensity: tuple[float, ...]
    emotion_ids: tuple[int, ...]
    labels: tuple[str, ...]
    descriptions: tuple[str, ...]
    annotators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Named:
    """A character or an emotion: its name and the colour it is drawn in (``#rrggbb``)."""

    id: int
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class SceneColumns:
    """Every scene sorted by start (then id), one tuple per field."""

    ids: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TierRows:
    """A reference tier and its cues sorted by start (then id), one tuple per field."""

    tier_id: int
    name: str
    language: str
    ids: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    speakers: tuple[str, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LinkColumns:
    """Every time link sorted by start (then id), one int64 array per field: a moment has
    ``end == start``; a paragraph's link has -1 for its note."""

    starts: np.ndarray
    ends: np.ndarray
    note_ids: np.ndarray


def _columns(rows: list[tuple[object, ...]], width: int) -> list[tuple[object, ...]]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _by_start(rows: list[tuple[object, ...]], start: int) -> list[tuple[object, ...]]:
    """Rows read in id order, sorted by their column ``start`` (then still by id).

    Reading a table in its own order and sorting here takes half the time of ``ORDER BY
    start_ms``, which walks the index and looks every row up in the table."""
    rows.sort(key=itemgetter(start))  # a stable sort: rows of one start stay in id order
    return rows


def beat_columns(project: Project) -> BeatColumns:
    rows = project.query(
        "SELECT id, start_ms, end_ms, valence, intensity, coalesce(emotion_id, -1), label,"
        " description, annotator FROM beat ORDER BY id"
    )
    return BeatColumns(*_columns(_by_start(rows, 1), 9))  # type: ignore[arg-type]  # SQLite's column types


def beat_characters(project: Project) -> list[tuple[int, int]]:
    """Which character feels which beat: (beat id, character id) pairs, in no order."""
    return project.query("SELECT beat_id, character_id FROM beat_character")


def characters(project: Project) -> list[Named]:
    """Every character, oldest first."""
    return [
        Named(int(i), str(n), str(c))
        for i, n, c in project.query("SELECT id, name, color FROM character ORDER BY id")
    ]


def emotions(project: Project) -> list[Named]:
    """Every emotion, oldest first."""
    return [
        Named(int(i), str(n), str(c))
        for i, n, c in project.query("SELECT id, name, color FROM emotion ORDER BY id")
    ]


def scene_columns(project: Project) -> SceneColumns:
    rows = project.query("SELECT id, start_ms, end_ms, name FROM scene ORDER BY start_ms, id")
    return SceneColumns(*_columns(rows, 4))  # type: ignore[arg-type]  # SQLite's column types


def start_times(project: Project, of: str) -> list[int]:
    """Sorted start times (film ms) of every ``shot`` or every ``time_link``."""
    sql = {
        "shot": "SELECT start_ms FROM shot ORDER BY start_ms",
        "time_link": "SELECT start_ms FROM time_link ORDER BY start_ms",
    }
    if of not in sql:
        raise ValueError(f"no start times in {of!r}")
    return [r[0] for r in project.query(sql[of])]


def int_columns(row: Sequence[object] | None, width: int) -> np.ndarray:
    """Integer columns that SQLite joined with commas (``group_concat``), one per field, as a
    (width, n) int64 array. 100,000 rows cross into Python as a few strings rather than as
    100,000 tuples: a fifth of the time, most of it numpy parsing the text."""
    if row is None or row[0] is None:  # no rows: group_concat gives NULL
        return np.zeros((width, 0), dtype=np.int64)
    return np.stack([np.fromstring(str(text), dtype=np.int64, sep=",") for text in row])


def link_columns(project: Project) -> LinkColumns:
    # An aggregate over an ordered subquery sees its rows in that order: SQLite never flattens
    # a subquery with ORDER BY into an aggregate (its flattening rule 16).
    (row,) = project.query(
        "SELECT group_concat(start_ms), group_concat(end_ms), group_concat(note_id) "
        "FROM (SELECT start_ms, end_ms, coalesce(note_id, -1) AS note_id "
        "FROM time_link ORDER BY id) AS ordered"
    )
    columns = int_columns(row, 3)
    # read in id order, sorted by start: a stable sort keeps the links of one start in id order
    starts, ends, note_ids = columns[:, np.argsort(columns[0], kind="stable")]
    return LinkColumns(starts, ends, note_ids)


def note_kinds(project: Project, kinds: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every note's id (ascending) and kind, as its place in ``kinds`` (-1 for another): numbers
    cost half what 100,000 strings do, and two plain scans a quarter of joining notes to links."""
    case = " ".join(f"WHEN ? THEN {k}" for k in range(len(kinds)))
    (row,) = project.query(
        "SELECT group_concat(id), group_concat(kind) FROM "
        f"(SELECT id, CASE kind {case} ELSE -1 END AS kind FROM note ORDER BY id) AS ordered",
        *kinds,
    )
    ids, codes = int_columns(row, 2)
    return ids, codes


#: Every link's columns, and every note's id and kind (its place in :class:`NoteKind`'s order).
LinkRows = tuple[LinkColumns, tuple[np.ndarray, np.ndarray]]


def link_rows(project: Project) -> LinkRows:
    """What the timeline reads to draw the links and the notes: :func:`link_columns` and
    :func:`note_kinds` of desk's kinds."""
    return link_columns(project), note_kinds(project, [kind.value for kind in NoteKind])


def note_texts(project: Project, note_ids: list[int]) -> dict[int, str]:
    """The text of each of ``note_ids`` (the few a view shows), on one line."""
    found: dict[int, str] = {}
    for chunk in range(0, len(note_ids), 500):  # SQLite's limit on bound values, with room
        ids = note_ids[chunk : chunk + 500]
        marks = ", ".join("?" * len(ids))
        for note_id, text in project.query(
            f"SELECT id, replace(text, char(10), ' ') FROM note WHERE id IN ({marks})", *ids
        ):
            found[int(note_id)] = str(text)
    return found


def tiers_with_cues(project: Project) -> list[TierRows]:
    """Every reference tier with its cues, in the order the tiers were added (two plain scans)."""
    cues: dict[int, list[tuple[object, ...]]] = {}
    for tier_id, *row in project.query(
        "SELECT tier_id, id, start_ms, end_ms, speaker, text FROM cue "
        "ORDER BY tier_id, start_ms, id"
    ):
        cues.setdefault(int(tier_id), []).append(tuple(row))
    return [
        TierRows(int(tier_id), str(name), str(language), *_columns(cues.get(int(tier_id), []), 5))  # type: ignore[arg-type]
        for tier_id, name, language in project.query(
            "SELECT id, name, language FROM tier ORDER BY id"
        )
    ]
