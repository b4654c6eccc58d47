"""Reads over a project in plain SQL: the film, the essay, summaries and the full dump.

Reads return frozen dataclasses or named tuples, so a caller reads ``media.duration_ms`` as an int
rather than converting an untyped row. Bulk reads go through SQL rather than the ORM: loading
100,000 notes as model objects takes over a second, as tuples a small fraction of that.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from desk.core.timemap import TimeMap
from desk.store.commands import KEYS
from desk.store.project import Project

#: Tables in the order the dump lists them, each ordered by a stable key.
DUMP_ORDER: dict[str, str] = {
    "project": "id",
    "media": "id",
    "essay": "id",
    "paragraph": "essay_id, position, id",
    "character": "id",
    "emotion": "id",
    "scene": "position, id",
    "shot": "start_ms, id",
    "beat": "start_ms, id",
    "beat_character": "beat_id, character_id",
    "note": "id",
    "time_link": "start_ms, id",
    "reading": "position, id",
    "evidence": "reading_id, id",
    "clip_list": "position, id",
    "clip": "clip_list_id, position, id",
    "tier": "id",
    "cue": "tier_id, start_ms, id",
    "merge_base": "kind, position, id",
}
assert set(DUMP_ORDER) == set(KEYS)

COUNTED = ("paragraph", "note", "time_link", "beat", "scene", "shot", "character", "reading")


def counts(project: Project) -> dict[str, int]:
    return {t: int(project.query(f"SELECT count(*) FROM {t}")[0][0]) for t in COUNTED}


@dataclass(frozen=True, slots=True)
class Media:
    """A copy of the film the project knows (a row of ``media``, see
    :class:`desk.store.models.Media`)."""

    id: int
    label: str
    path: str
    size_bytes: int
    fingerprint: str
    duration_ms: int
    fps_num: int
    fps_den: int
    width: int
    height: int
    time_map: str  # TimeMap.to_json as JSON text, as stored
    is_reference: bool
    path_confirmed: bool
    clock_pending: bool = False  # counted from the first picture until the film is next opened
    audio_track: int | None = None  # the sound stream chosen; None for the film's first

    @property
    def fps(self) -> Fraction:
        """The exact frame rate (24 when the row holds no usable rate)."""
        if self.fps_num <= 0 or self.fps_den <= 0:
            return Fraction(24)
        return Fraction(self.fps_num, self.fps_den)

    @property
    def film_map(self) -> TimeMap:
        """How film time maps onto this copy."""
        return TimeMap.from_json(json.loads(self.time_map))

    @property
    def playback(self) -> tuple[object, ...]:
        """What of the row a player depends on: the file, the time map, the rate, the length."""
        return (self.path, self.time_map, self.fps_num, self.fps_den, self.duration_ms)


_MEDIA_COLUMNS = ", ".join(f.name for f in dataclasses.fields(Media))


def _media(row: tuple[Any, ...]) -> Media:
    (media_id, label, path, size, fingerprint, duration, num, den, width, height, time_map,
     is_reference, confirmed, clock_pending, audio_track) = row  # fmt: skip
    return Media(
        int(media_id), str(label or ""), str(path or ""), int(size or 0), str(fingerprint or ""),
        int(duration or 0), int(num or 0), int(den or 0), int(width or 0), int(height or 0),
        str(time_map or '{"kind": "identity"}'), bool(is_reference), bool(confirmed),
        bool(clock_pending), None if audio_track is None else int(audio_track),
    )  # fmt: skip


def reference_media(project: Project) -> Media | None:
    """The copy of the film the project's times are counted on (the first one, if none is marked
    as the reference), or None before the project has a film."""
    rows = project.query(
        f"SELECT {_MEDIA_COLUMNS} FROM media ORDER BY is_reference DESC, id LIMIT 1"
    )
    return _media(rows[0]) if rows else None


def all_media(project: Project) -> list[Media]:
    """Every copy of the film the project knows, oldest first."""
    return [_media(r) for r in project.query(f"SELECT {_MEDIA_COLUMNS} FROM media ORDER BY id")]


def detected_cuts(project: Project) -> list[int]:
    """Where the detected shots begin, past the film's start, in order (film ms)."""
    rows = project.query(
        "SELECT start_ms FROM shot WHERE source = 'detected' AND start_ms > 0 ORDER BY start_ms"
    )
    return [int(r[0]) for r in rows]


def pinned_ranges(project: Project) -> list[tuple[int, int]]:
    """Every range of film time the project's own work points at: the links of paragraphs and
    notes, the beats and the lecture clips (film ms, ``(start, end)``)."""
    rows = project.query(
        "SELECT start_ms, end_ms FROM time_link UNION SELECT start_ms, end_ms FROM beat "
        "UNION SELECT start_ms, end_ms FROM clip"
    )
    return [(int(start), int(end)) for start, end in rows]


def info(project: Project) -> dict[str, Any]:
    """The project at a glance as plain data (what ``desk info --json`` prints)."""
    meta = project.rows("SELECT * FROM project ORDER BY id LIMIT 1")
    essay = project.rows("SELECT title, dek FROM essay ORDER BY id LIMIT 1")
    film = project.rows("SELECT * FROM media ORDER BY is_reference DESC, id LIMIT 1")
    return {
        "path": str(project.path),
        "schema_version": project.schema_version,
        "project": meta[0] if meta else {},
        "film": film[0] if film else None,
        "essay": essay[0] if essay else None,
        "counts": counts(project),
    }


def dump(project: Project) -> dict[str, Any]:
    """The whole project as plain data in a stable order (for diffing and scripting)."""
    out: dict[str, Any] = {"schema_version": project.schema_version}
    for table, order in DUMP_ORDER.items():
        rows = project.rows(f"SELECT * FROM {table} ORDER BY {order}")
        # A class on a server records who wrote each row for its access rules; the project's
        # content is the same without it (a file pulled from the class has no owners).
        out[table] = [{k: v for k, v in r.items() if k != "owner"} for r in rows]
    essay = project.rows("SELECT id, title, dek FROM essay ORDER BY id LIMIT 1")
    if essay:
        paragraphs = project.rows(
            "SELECT kind, text FROM paragraph WHERE essay_id = ? ORDER BY position, id",
            essay[0]["id"],
        )
        out["essay_text"] = {
            "title": essay[0]["title"],
            "dek": essay[0]["dek"],
            "blocks": paragraphs,
        }
    return out


@dataclass(frozen=True, slots=True)
class EssayHeading:
    """The essay's id, title and standfirst (``dek``)."""

    id: int
    title: str
    dek: str


def essay_heading(project: Project) -> EssayHeading | None:
    """The project's essay (the first, should a file hold more), or None before it has one."""
    rows = project.query("SELECT id, title, dek FROM essay ORDER BY id LIMIT 1")
    return EssayHeading(int(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None


class EssayParagraph(NamedTuple):
    """A paragraph of an essay as the essay shows it (``position`` counts from 0)."""

    id: int
    position: int
    kind: str
    text: str


class LinkSpan(NamedTuple):
    """A time link by its id, and the range of film time it covers (film ms)."""

    id: int
    start_ms: int
    end_ms: int


def paragraphs(project: Project, essay_id: int) -> list[EssayParagraph]:
    """An essay's paragraphs, in order."""
    return [
        EssayParagraph(int(r[0]), int(r[1]), str(r[2]), str(r[3]))
        for r in project.query(
            "SELECT id, position, kind, text FROM paragraph WHERE essay_id = ? "
            "ORDER BY position, id",
            essay_id,
        )
    ]


def links_by_paragraph(project: Project) -> dict[int, list[LinkSpan]]:
    """Paragraph id → its links, in film order."""
    out: dict[int, list[LinkSpan]] = {}
    # ``+start_ms`` keeps SQLite from walking every link in film order through the start_ms
    # index: it finds the paragraphs' few links by paragraph_id and sorts those (5,000 of
    # 105,000 links in 10 ms rather than 200).
    for link_id, pid, start, end in project.query(
        "SELECT id, paragraph_id, start_ms, end_ms FROM time_link "
        "WHERE paragraph_id IS NOT NULL ORDER BY +start_ms, id"
    ):
        out.setdefault(pid, []).append(LinkSpan(link_id, start, end))
    return out
