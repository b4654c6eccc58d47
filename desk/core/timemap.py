"""Mapping film time (the project's reference timeline) to the time of one copy of the film.

A copy may start later (a different leader, logos), play faster (a PAL DVD runs 23.976 fps film at
25 fps) or add and remove scenes (another cut). The user marks matching moments in the film and in
the copy as anchors ``(film_ms, copy_ms)``:

- no anchor: the identity;
- one: an offset, ``copy_ms = film_ms + offset_ms``;
- two: an offset and a rate, ``copy_ms = offset_ms + film_ms / rate``, where ``rate`` is the copy's
  speed relative to the film (a PAL copy has ``rate = 25 / (24000/1001) = 1001/960``, about 1.0427,
  and is that much shorter);
- three or more: piecewise linear between consecutive anchors (sorted by film time), extended past
  the first and last anchor with the slope of the nearest segment.

Arithmetic is exact (fractions); :meth:`TimeMap.to_copy` and :meth:`TimeMap.to_film` round the
result to the nearest millisecond, halves to even, so each undoes the other to within 1 ms wherever
the copy runs between a third of and three times the film's speed (every offset, PAL and NTSC speed
change, and cut worth aligning). Anchors always map exactly onto each other.

A map is stored as JSON (:meth:`TimeMap.to_json`), versioned, with exact numbers::

    {"version": 1, "kind": "identity"}
    {"version": 1, "kind": "affine", "offset_ms": 400, "rate": "1001/960"}
    {"version": 1, "kind": "piecewise", "anchors": [[0, 0], [600000, 600000], [700000, 760000]]}

``offset_ms`` and anchor times are integers when whole, otherwise fraction strings (``"1201/3"``);
``rate`` is always a fraction string. A missing ``version`` reads as 1.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

JSON_VERSION = 1

Point = tuple[Fraction, Fraction]
_IDENTITY: tuple[Point, ...] = ((Fraction(0), Fraction(0)), (Fraction(1), Fraction(1)))


def _check_increasing(points: Sequence[tuple[Fraction | int, Fraction | int]]) -> None:
    for (f0, c0), (f1, c1) in zip(points, points[1:], strict=False):
        if f1 <= f0 or c1 <= c0:
            raise ValueError(
                f"matched moments must move forward in both the film and the copy: "
                f"({f0}, {c0}) and ({f1}, {c1}) do not"
            )


def _interpolate(points: Sequence[Point], x: Fraction) -> Fraction:
    """The piecewise linear function through ``points`` at ``x``, extended past both ends."""
    i = bisect.bisect_right(points, x, key=lambda p: p[0]) - 1
    i = min(max(i, 0), len(points) - 2)
    (x0, y0), (x1, y1) = points[i], points[i + 1]
    return y0 + (x - x0) * (y1 - y0) / (x1 - x0)


@dataclass(frozen=True)
class TimeMap:
    """How film time maps to one copy's time; ``TimeMap()`` is the identity.

    Build maps with the class methods. ``points`` are ``(film_ms, copy_ms)`` pairs the mapping runs
    through, strictly increasing in both: two points of one line for an affine map, the user's
    anchors for a piecewise one.
    """

    points: tuple[Point, ...] = _IDENTITY

    def __post_init__(self) -> None:
        points = tuple((Fraction(f), Fraction(c)) for f, c in self.points)
        if len(points) < 2:
            raise ValueError("a time map runs through at least two points")
        _check_increasing(points)
        object.__setattr__(self, "points", points)

    @classmethod
    def from_offset(cls, offset_ms: int) -> TimeMap:
        """A copy that runs ``offset_ms`` behind the film (ahead when negative)."""
        return cls.from_affine(offset_ms, Fraction(1))

    @classmethod
    def from_affine(cls, offset_ms: int | Fraction, rate: int | Fraction) -> TimeMap:
        """``copy_ms = offset_ms + film_ms / rate``; e.g. a PAL copy has ``rate = 25 / fps``."""
        rate = Fraction(rate)
        if rate <= 0:
            raise ValueError(f"a copy's rate must be positive, not {rate}")
        offset = Fraction(offset_ms)
        return cls(((Fraction(0), offset), (Fraction(1), offset + 1 / rate)))

    @classmethod
    def from_anchors(cls, pairs: Sequence[tuple[int, int]]) -> TimeMap:
        """The map through the ``(film_ms, copy_ms)`` moments the user matched, in any order."""
        anchors = sorted((Fraction(f), Fraction(c)) for f, c in pairs)
        _check_increasing(anchors)
        if not anchors:
            return cls()
        if len(anchors) == 1:
            ((film, copy),) = anchors
            return cls.from_affine(copy - film, 1)
        if len(anchors) == 2:
            (f0, c0), (f1, c1) = anchors
            rate = (f1 - f0) / (c1 - c0)
            return cls.from_affine(c0 - f0 / rate, rate)
        return cls(tuple(anchors))

    # -- the mapping -------------------------------------------------------------------------

    @property
    def is_identity(self) -> bool:
        return self.points == _IDENTITY

    @property
    def offset_ms(self) -> int:
        """The copy time at film time 0, rounded (extended from the first segment if need be)."""
        return self.to_copy(0)

    @property
    def rate(self) -> Fraction:
        """The copy's speed relative to the film; of the first segment when piecewise."""
        (f0, c0), (f1, c1) = self.points[:2]
        return (f1 - f0) / (c1 - c0)

    def to_copy(self, film_ms: int) -> int:
        """The copy time showing the film at ``film_ms``."""
        return round(_interpolate(self.points, Fraction(film_ms)))

    def to_film(self, copy_ms: int) -> int:
        """The film time shown by the copy at ``copy_ms``."""
        return round(_interpolate([(c, f) for f, c in self.points], Fraction(copy_ms)))

    # -- storage -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the map (see the module docstring for its keys)."""
        if self.is_identity:
            return {"version": JSON_VERSION, "kind": "identity"}
        if len(self.points) == 2:
            offset = _interpolate(self.points, Fraction(0))
            return {
                "version": JSON_VERSION,
                "kind": "affine",
                "offset_ms": _json_number(offset),
                "rate": str(self.rate),
            }
        anchors = [[_json_number(f), _json_number(c)] for f, c in self.points]
        return {"version": JSON_VERSION, "kind": "piecewise", "anchors": anchors}

    @classmethod
    def from_json(cls, data: Any) -> TimeMap:
        """The map :meth:`to_json` stored; anything malformed raises ``ValueError``."""
        try:
            return cls._from_json(data)
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"not a time map: {data!r:.200} ({exc})") from None

    @classmethod
    def _from_json(cls, data: Any) -> TimeMap:
        if not isinstance(data, dict):
            raise TypeError("a time map is a JSON object")
        if data.get("version", JSON_VERSION) != JSON_VERSION:
            raise ValueError(f"version {data['version']!r} is not one this desk reads")
        kind = data["kind"]
        if kind == "identity":
            return cls()
        if kind == "affine":
            return cls.from_affine(_exact(data["offset_ms"]), _exact(data["rate"]))
        if kind == "piecewise":
            points = tuple((_exact(f), _exact(c)) for f, c in data["anchors"])
            if len(points) < 3:
                raise ValueError("a piecewise map has at least three anchors")
            _check_increasing(points)
            return cls(points)
        raise ValueError(f"unknown kind {kind!r}")


def _json_number(value: Fraction) -> int | str:
    return value.numerator if value.denominator == 1 else str(value)


def _exact(value: object) -> Fraction:
    """An integer, or a fraction string such as ``"1001/960"`` or ``"-7"``, as a Fraction."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(/\d+)?", value):
        return Fraction(value)
    raise ValueError(f"{value!r} is not an exact number")
