"""Mapping film time (the project's reference timeline) to the time of one copy of the film.

A copy may start later (a different leader), run faster (a PAL DVD plays 24 fps film at 25 fps, a
rate of 25/24 against 23.976 material), or add and remove scenes (a director's cut). The user marks
matching moments in both as anchors ``(film_ms, copy_ms)``:

- no anchor: identity;
- one: an offset, ``copy = film + offset``;
- two: offset and rate, ``copy = offset + film / rate`` (``rate`` > 1 means the copy runs faster);
- more: piecewise linear between consecutive anchors, extended past the ends with the slope of the
  nearest segment.

Arithmetic is exact (fractions); results round to the nearest millisecond, halves to even.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class TimeMap:
    """``anchors`` are sorted, strictly increasing in both film and copy time."""

    anchors: tuple[tuple[int, int], ...] = ()
    #: copy ms per film ms when there is a single anchor (or none); ignored otherwise.
    slope: Fraction = Fraction(1)

    @classmethod
    def from_offset(cls, offset_ms: int) -> TimeMap:
        return cls(((0, int(offset_ms)),))

    @classmethod
    def from_affine(cls, offset_ms: int, rate: Fraction) -> TimeMap:
        if rate <= 0:
            raise ValueError(f"a copy's rate must be positive, not {rate}")
        return cls(((0, int(offset_ms)),), Fraction(1) / Fraction(rate))

    @classmethod
    def from_anchors(cls, pairs: Sequence[tuple[int, int]]) -> TimeMap:
        anchors = tuple(sorted((int(f), int(c)) for f, c in pairs))
        for (f0, c0), (f1, c1) in zip(anchors, anchors[1:], strict=False):
            if f1 <= f0 or c1 <= c0:
                raise ValueError(
                    "matching moments must follow each other in the same order in both copies"
                )
        return cls(anchors)

    # -- the mapping -------------------------------------------------------------------------
    @property
    def offset_ms(self) -> int:
        """Copy time at film time 0."""
        return round(self._map(Fraction(0), forward=True))

    @property
    def rate(self) -> Fraction:
        """Copy speed relative to the film (of the first segment when piecewise)."""
        return 1 / self._segment_slope(0)

    def _segment_slope(self, i: int) -> Fraction:
        if len(self.anchors) < 2:
            return self.slope
        (f0, c0), (f1, c1) = self.anchors[i], self.anchors[i + 1]
        return Fraction(c1 - c0, f1 - f0)

    def _map(self, t: Fraction, *, forward: bool) -> Fraction:
        if not self.anchors:
            return t
        src = [a[0] if forward else a[1] for a in self.anchors]
        dst = [a[1] if forward else a[0] for a in self.anchors]
        if len(self.anchors) == 1:
            slope = self.slope if forward else 1 / self.slope
            return dst[0] + (t - src[0]) * slope
        i = min(max(bisect.bisect_right(src, t) - 1, 0), len(src) - 2)
        slope = self._segment_slope(i)
        slope = slope if forward else 1 / slope
        return dst[i] + (t - src[i]) * slope

    def to_copy(self, film_ms: int) -> int:
        return round(self._map(Fraction(film_ms), forward=True))

    def to_film(self, copy_ms: int) -> int:
        return round(self._map(Fraction(copy_ms), forward=False))

    @property
    def is_identity(self) -> bool:
        return self.to_json() == {"kind": "identity"}

    # -- storage -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        if len(self.anchors) > 1:
            return {"kind": "piecewise", "anchors": [list(a) for a in self.anchors]}
        offset = self.anchors[0][1] - self.anchors[0][0] * self.slope if self.anchors else 0
        if offset == 0 and self.slope == 1:
            return {"kind": "identity"}
        return {"kind": "affine", "offset_ms": str(offset), "rate": str(1 / self.slope)}

    @classmethod
    def from_json(cls, data: Any) -> TimeMap:
        try:
            kind = data["kind"]
            if kind == "identity":
                return cls()
            if kind == "affine":
                offset = Fraction(str(data["offset_ms"]))
                rate = Fraction(str(data["rate"]))
                if rate <= 0:
                    raise ValueError(rate)
                return cls(((0, round(offset)),), Fraction(1) / rate)
            if kind == "piecewise":
                return cls.from_anchors([(int(f), int(c)) for f, c in data["anchors"]])
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"not a time map: {data!r}") from exc
        raise ValueError(f"not a time map: {data!r}")
