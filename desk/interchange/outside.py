"""Times an imported file names past the end of the project's film.

A file timed against a longer cut, another film or a typing slip (999 hours) would put
annotations where the film has no picture. An import lists such times and is refused unless the
user takes them anyway (``desk import --allow-outside``, or Yes to the window's question).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from desk.core.timecode import format_ms
from desk.errors import ImportFormatError
from desk.interchange.model import Note, Snapshot

#: How far past the film's last frame a time may end: a subtitle shows a moment at the last
#: frame for two seconds, and the last line of dialogue often stays up that long.
OVERRUN_MS = 2_000
#: How many of the times past the end the refusal lists.
LISTED = 5


@dataclass(frozen=True)
class Outside:
    """One time past the film's end: what it belongs to, and the time."""

    what: str  # 'note "She keeps the ring…"'
    start_ms: int
    end_ms: int

    def __str__(self) -> str:
        span = format_ms(self.start_ms)
        if self.end_ms != self.start_ms:
            span += f"–{format_ms(self.end_ms)}"
        return f"{self.what} at {span}"


class OutsideFilm(ImportFormatError):
    """A file names times past the end of the project's film; ``times`` lists them."""

    def __init__(self, message: str, times: list[Outside]) -> None:
        super().__init__(message)
        self.times = times


def _quoted(text: str) -> str:
    line = " ".join(text.split())
    return f'"{line if len(line) <= 30 else line[:29] + "…"}"'


def _times(snap: Snapshot) -> Iterator[tuple[str, int, int]]:
    for p in snap.paragraphs:
        yield from ((f"paragraph {_quoted(p.text)}", x.start_ms, x.end_ms) for x in p.links)
    for n in snap.notes:
        yield from ((f"note {_quoted(n.text)}", x.start_ms, x.end_ms) for x in n.links)
    for b in snap.beats:
        yield f"beat {_quoted(b.label or b.description)}", b.start_ms, b.end_ms
    for s in snap.scenes:
        yield f"scene {_quoted(s.name)}", s.start_ms, s.end_ms
    for t in snap.tiers:
        yield from ((f"cue {_quoted(c.text)}", c.start_ms, c.end_ms) for c in t.cues)


def outside_film(snap: Snapshot, film_end_ms: int) -> list[Outside]:
    """The times of ``snap`` that end more than :data:`OVERRUN_MS` past ``film_end_ms``."""
    limit = film_end_ms + OVERRUN_MS
    return [Outside(what, start, end) for what, start, end in _times(snap) if end > limit]


def noting_outside(notes: Iterable[Note], film_end_ms: int, found: list[Outside]) -> Iterator[Note]:
    """``notes`` as they come, with the times among them that :func:`outside_film` would list
    added to ``found`` (for :func:`check_inside` once the rest of the file is read)."""
    limit = film_end_ms + OVERRUN_MS
    for note in notes:
        for x in note.links:
            if x.end_ms > limit:
                found.append(Outside(f"note {_quoted(note.text)}", x.start_ms, x.end_ms))
        yield note


def check_inside(
    snap: Snapshot, film_end_ms: int, source: str, earlier: Sequence[Outside] = ()
) -> None:
    """Refuse a snapshot with times past the film's end (:class:`OutsideFilm`, listing them
    after ``earlier``, those of the notes read before it)."""
    found = [*earlier, *outside_film(snap, film_end_ms)]
    if not found:
        return
    listed = "; ".join(str(x) for x in found[:LISTED])
    more = f"; and {len(found) - LISTED} more" if len(found) > LISTED else ""
    count = f"{len(found)} time{'' if len(found) == 1 else 's'}"
    name = f"'{source}'" if source else "the file"
    raise OutsideFilm(
        f"{name} has {count} past the end of the film ({format_ms(film_end_ms)}): {listed}{more}.",
        found,
    )
