"""The clock of the times in an interchange file: the film's container clock.

A subtitle file, an ELAN tier or a Web Annotation is timed against the film a player opens, and
players (VLC, mpv, ffmpeg, ELAN) count from the container's start. The project's own times are
film time; the reference copy's time map carries them onto that copy's clock (for a project made
before desk counted so, the map gains the copy's video start once the film is read). An export
writes times on the copy's clock and an import reads them from it, so "00:00:01,063" in an SRT
is the frame VLC shows at 1.063 s, whichever way the file travels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from desk.core.timemap import TimeMap
from desk.interchange.model import Link, Note, Snapshot
from desk.media.probe import UNSETTLED_CLOCK
from desk.store import queries
from desk.store.project import Project


@dataclass(frozen=True)
class FilmClock:
    """How the project's film time maps onto the clock interchange files are timed against,
    and, when that clock is not known yet, the warning that says so."""

    time_map: TimeMap
    warning: str | None = None


def film_clock(project: Project) -> FilmClock:
    """The reference copy's clock (the identity for a project without a film)."""
    media = queries.reference_media(project)
    if media is None:
        return FilmClock(TimeMap())
    return FilmClock(media.film_map, UNSETTLED_CLOCK if media.clock_pending else None)


def on_copy_clock(snap: Snapshot, time_map: TimeMap) -> Snapshot:
    """``snap`` (film time) with every time on the copy's clock, for a file to be written."""
    return _moved(snap, time_map, time_map.to_copy)


def on_film_time(snap: Snapshot, time_map: TimeMap) -> Snapshot:
    """``snap`` read from a file (the copy's clock) with every time in film time; a time before
    the film's start is its start."""
    return _moved(snap, time_map, lambda t: max(0, time_map.to_film(t)))


def notes_on_film_time(notes: Iterable[Note], time_map: TimeMap) -> Iterator[Note]:
    """:func:`on_film_time` for notes read one at a time."""
    if time_map.is_identity:
        yield from notes
        return
    for note in notes:
        yield replace(note, links=_links(note.links, lambda t: max(0, time_map.to_film(t))))


def _links(items: tuple[Link, ...], move: Callable[[int], int]) -> tuple[Link, ...]:
    return tuple(replace(x, start_ms=move(x.start_ms), end_ms=move(x.end_ms)) for x in items)


def _moved(snap: Snapshot, time_map: TimeMap, move: Callable[[int], int]) -> Snapshot:
    if time_map.is_identity:
        return snap  # a copy counted as the film is (every project made since the one clock)

    def links(items: tuple[Link, ...]) -> tuple[Link, ...]:
        return _links(items, move)

    return replace(
        snap,
        paragraphs=[replace(p, links=links(p.links)) for p in snap.paragraphs],
        notes=[replace(n, links=links(n.links)) for n in snap.notes],
        beats=[replace(b, start_ms=move(b.start_ms), end_ms=move(b.end_ms)) for b in snap.beats],
        scenes=[replace(s, start_ms=move(s.start_ms), end_ms=move(s.end_ms)) for s in snap.scenes],
        tiers=[
            replace(
                t,
                cues=tuple(
                    replace(c, start_ms=move(c.start_ms), end_ms=move(c.end_ms)) for c in t.cues
                ),
            )
            for t in snap.tiers
        ],
    )
