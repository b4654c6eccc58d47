"""Choosing the simplest mapping between the film and another copy of it, from pairs of frames.

Each pair ``(film_ms, copy_ms)`` marks the same moment in the film and in the copy. The mapping is
the simplest one that puts every marked moment within a frame of where it was marked (the
*tolerance*: the longer frame of the two files, plus a millisecond of rounding):

1. an offset (the copy runs at the film's speed);
2. an offset and a known speed change: the ratio of the two frame rates, PAL's 25/23.976 and
   25/24 either way, NTSC's 24/23.976 either way;
3. an offset and the speed measured between two marked moments (the farthest apart that agree);
4. otherwise piecewise through every marked moment (another cut, with scenes added or removed).

Two close moments therefore never give a spurious speed from frame rounding, and extra moments on
a straight copy confirm its line instead of bending it. Each straight mapping is placed so that
every matched film frame starts at or just after the start of its copy frame, so a link made on a
film frame lands on the copy frame the user matched. For each pair, :func:`align` also gives how
far from where it was marked the straight line most pairs agree on puts it: a wrong pair stands
out, and in another cut the pairs past an added or removed scene stand out together. Pairs that
cross (one comes first in the film, the other first in the copy) give no mapping, since none runs
backwards.

The arithmetic is exact (fractions); the mapping is a :class:`~desk.core.timemap.TimeMap`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from desk.core.timemap import TimeMap

Pair = tuple[int, int]
NAMED_RATES = {
    Fraction(1001, 960): "25/23.976 (PAL speed-up)",
    Fraction(25, 24): "25/24 (PAL speed-up)",
    Fraction(960, 1001): "23.976/25 (PAL slow-down)",
    Fraction(24, 25): "24/25 (PAL slow-down)",
    Fraction(1001, 1000): "24/23.976 (NTSC speed-up)",
    Fraction(1000, 1001): "23.976/24 (NTSC slow-down)",
}
PLAUSIBLE_RATES = (Fraction(1, 2), Fraction(2))


@dataclass(frozen=True)
class Line:
    """A straight mapping: ``copy_ms = offset_ms + film_ms / rate``."""

    rate: Fraction
    offset_ms: Fraction

    def copy_at(self, film_ms: int) -> Fraction:
        return self.offset_ms + Fraction(film_ms) / self.rate


@dataclass(frozen=True)
class Alignment:
    """What a set of pairs gives: the map to store and how each pair fits the straight line.

    ``pairs`` are sorted by film time. ``line`` is the straight mapping most pairs agree on and
    ``off_ms[k]`` where it puts pair ``k`` minus where that pair was marked; ``outliers`` are the
    pairs it misses by more than ``tolerance_ms``. ``anchors`` go to :func:`desk.film_tasks.relink`
    and give ``time_map``; both are None when pairs ``crossing`` run backwards.
    """

    pairs: tuple[Pair, ...]
    tolerance_ms: Fraction
    line: Line | None
    off_ms: tuple[Fraction, ...]
    outliers: frozenset[int]
    crossing: tuple[int, int] | None
    anchors: tuple[Pair, ...] | None
    time_map: TimeMap | None


def with_pair(pairs: Sequence[Pair], pair: Pair) -> tuple[list[Pair], list[Pair]]:
    """``pairs`` with ``pair`` added, sorted; and the pairs it replaced (same film or copy time)."""
    kept = [p for p in pairs if p[0] != pair[0] and p[1] != pair[1]]
    replaced = [p for p in pairs if p not in kept and p != pair]
    return sorted([*kept, pair]), replaced


def candidate_rates(film_fps: Fraction, copy_fps: Fraction) -> list[Fraction]:
    """Known speed changes, simplest first: none, the ratio of the frame rates, PAL, NTSC."""
    rates = [Fraction(1), Fraction(copy_fps) / Fraction(film_fps), *NAMED_RATES]
    low, high = PLAUSIBLE_RATES
    return [r for i, r in enumerate(rates) if low <= r <= high and r not in rates[:i]]


def _consensus(
    pairs: Sequence[Pair], tolerance: Fraction, rates: list[Fraction]
) -> tuple[Line, frozenset[int]] | None:
    """The straight line that the most pairs lie within ``tolerance`` of; earlier rates win ties,
    then measured rates between pairs far apart."""
    measured = sorted(
        ((pairs[j][0] - pairs[i][0], Fraction(pairs[j][0] - pairs[i][0], pairs[j][1] - pairs[i][1]))
         for i in range(len(pairs)) for j in range(i + 1, len(pairs))
         if pairs[j][0] > pairs[i][0] and pairs[j][1] > pairs[i][1]),
        reverse=True,
    )  # fmt: skip
    low, high = PLAUSIBLE_RATES
    candidates = [*rates, *(r for _span, r in measured if low <= r <= high and r not in rates)]
    best: tuple[int, Fraction, list[int]] | None = None
    width = float(tolerance)
    for rate in candidates:
        values = sorted((c - f / float(rate), k) for k, (f, c) in enumerate(pairs))
        lo = 0
        for hi in range(len(values)):
            while values[hi][0] - values[lo][0] > width:
                lo += 1
            if best is None or hi - lo + 1 > best[0]:
                best = (hi - lo + 1, rate, [k for _v, k in values[lo : hi + 1]])
    if best is None:
        return None
    _count, rate, members = best
    # The latest offset of the group: each matched film frame starts at or after its copy frame.
    offset = max(Fraction(pairs[k][1]) - Fraction(pairs[k][0]) / rate for k in members)
    return Line(rate, offset), frozenset(members)


def _line_anchors(line: Line, pairs: Sequence[Pair]) -> tuple[Pair, ...]:
    """Whole-millisecond moments on ``line`` (at or just after it) that give exactly its rate."""
    first, last = pairs[0][0], pairs[-1][0]
    start = math.ceil(line.copy_at(first))
    if line.rate == 1:
        return ((first, start),)
    film_step, copy_step = line.rate.numerator, line.rate.denominator
    times = max(1, math.ceil(Fraction(last - first, film_step)))
    return (first, start), (first + film_step * times, start + copy_step * times)


def align(pairs: Sequence[Pair], film_fps: Fraction, copy_fps: Fraction) -> Alignment:
    """The mapping ``pairs`` give (see the module docstring for the rules)."""
    ordered = tuple(sorted(pairs))
    tolerance = Fraction(1000) / min(Fraction(film_fps), Fraction(copy_fps)) + 1
    found = _consensus(ordered, tolerance, candidate_rates(film_fps, copy_fps))
    line, members = found if found is not None else (None, frozenset[int]())
    off = tuple(line.copy_at(f) - c for f, c in ordered) if line is not None else ()
    outliers = frozenset(range(len(ordered))) - members if line is not None else frozenset()
    crossing = next(
        ((k, k + 1) for k in range(len(ordered) - 1)
         if ordered[k + 1][0] <= ordered[k][0] or ordered[k + 1][1] <= ordered[k][1]),
        None,
    )  # fmt: skip
    anchors: tuple[Pair, ...] | None
    if crossing is not None:
        anchors = None
    elif not ordered:
        anchors = ()
    elif line is not None and not outliers:
        anchors = _line_anchors(line, ordered)
    else:
        anchors = ordered
    time_map = TimeMap.from_anchors(anchors) if anchors is not None else None
    return Alignment(ordered, tolerance, line, off, outliers, crossing, anchors, time_map)
