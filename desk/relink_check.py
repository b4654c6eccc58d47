"""What pointing a project at another film file would change, checked before anything is written.

Two checks, both in film time through the new copy's time map:

- **Another film?** The file's duration, frame rate and picture size are compared with what the
  film the project plays leads one to expect. The duration may differ by up to
  :data:`DURATION_SLACK_MS` from the old film's length carried through the mapping (a copy with a
  longer leader and an offset is the same film); the rate may differ only by the mapping's own
  speed change (a PAL copy runs 25/23.976 faster); the stored picture must be the same size. What
  differs is said in one sentence (:class:`CopyDiffers`), and the window asks, the CLI needs
  ``--force``: a relink to another length and rate is usually the wrong file, or a mapping
  forgotten.
- **Links outside the copy.** A mapping that would put a link, a beat or a clip before the copy's
  start or past its end is refused (:class:`LinksOutside`), naming those moments, since they
  could show nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from desk.core.timecode import format_ms
from desk.core.timemap import TimeMap
from desk.errors import KnownError

if TYPE_CHECKING:
    from desk.store.queries import Media

#: How far a copy's duration may stray from what the mapping expects (container rounding, a last
#: frame's length, a few frames of black at the end).
DURATION_SLACK_MS = 1000
#: How far a copy's frame rate may stray from the mapping's: well under NTSC's 1000/1001, so that
#: 24 against 23.976 is told.
RATE_SLACK = Fraction(1, 2000)
#: How many moments a refusal names before it counts the rest.
NAMED_MOMENTS = 5


@dataclass(frozen=True)
class FilmShape:
    """What the checks compare: a film file's length, frame rate and stored picture size."""

    duration_ms: int
    fps: Fraction
    width: int
    height: int


class CopyDiffers(KnownError):
    """The new file's length, rate or picture is not what the mapping leads one to expect."""

    def __init__(self, name: str, differences: list[str]) -> None:
        self.differences = differences
        super().__init__(
            f"'{name}' is not like the film this project plays: {'; '.join(differences)}."
        )


class LinksOutside(KnownError):
    """The mapping puts moments of the project before the copy's start or past its end."""


def fmt_ms(ms: int) -> str:
    return format_ms(ms, "short_ms")


def shape_of_media(media: Media) -> FilmShape:
    """The shape of the film a project's media row describes."""
    fps = Fraction(media.fps_num, media.fps_den or 1)
    return FilmShape(media.duration_ms, fps, media.width, media.height)


def _rate(fps: Fraction) -> str:
    return f"{float(fps):.3f}".rstrip("0").rstrip(".")


def differences(old: FilmShape, old_map: TimeMap, new: FilmShape, new_map: TimeMap) -> list[str]:
    """How ``new`` (mapped by ``new_map``) differs from ``old`` (the film the project played, mapped
    by ``old_map``), one phrase each; empty when it is the film the mapping expects."""
    found = []
    expected_ms = new_map.to_copy(old_map.to_film(old.duration_ms))
    if abs(new.duration_ms - expected_ms) > DURATION_SLACK_MS:
        found.append(f"it lasts {fmt_ms(new.duration_ms)} where {fmt_ms(expected_ms)} is expected")
    film_fps = old.fps / old_map.rate
    expected_fps = film_fps * new_map.rate
    if abs(new.fps - expected_fps) > expected_fps * RATE_SLACK:
        found.append(
            f"it runs at {_rate(new.fps)} frames/s where {_rate(expected_fps)} is expected"
        )
    if (new.width, new.height) != (old.width, old.height):
        found.append(f"its picture is {new.width}×{new.height}, not {old.width}×{old.height}")
    return found


def check_links(name: str, ranges: list[tuple[int, int]], new_map: TimeMap, new: FilmShape) -> None:
    """Raise :class:`LinksOutside` when a range of film time would start before the copy's start
    or end past its end (within a frame, the rounding of the copy's duration)."""
    frame_ms = 1000 / new.fps if new.fps else 0
    before = sorted({r for r in ranges if new_map.to_copy(r[0]) < 0})
    after = sorted(
        {r for r in ranges if new_map.to_copy(r[1]) > new.duration_ms + frame_ms} - set(before)
    )
    if not before and not after:
        return
    parts = []
    if before:
        parts.append(f"{_moments(before)} before its start")
    if after:
        end = fmt_ms(new_map.to_film(new.duration_ms))
        parts.append(f"{_moments(after)} past its end at {end}")
    count = len(before) + len(after)
    raise LinksOutside(
        f"with this mapping, {count} moment{'s' if count != 1 else ''} of the project would fall "
        f"outside '{name}': {' and '.join(parts)} (film time); match other moments or choose "
        "another copy."
    )


def _moments(ranges: list[tuple[int, int]]) -> str:
    """``0:00.500, 0:02.000–0:02.900 and 3 more``."""
    named = ", ".join(
        fmt_ms(s) if e == s else f"{fmt_ms(s)}–{fmt_ms(e)}" for s, e in ranges[:NAMED_MOMENTS]
    )
    more = len(ranges) - NAMED_MOMENTS
    return f"{named} and {more} more" if more > 0 else named
