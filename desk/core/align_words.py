"""The alignment of another copy in the align dialog's words: the mapping and what to check.

:func:`describe` gives the mapping ("offset +2.350 s", "offset … and rate 25/23.976 (PAL
speed-up)", "piecewise, 3 segments"); :func:`notes` the things worth checking: pairs off the line
(shown in red), a speed under half or over twice the film's, film time outside the copy. Times are
written as the panels write them (:func:`desk.core.timefmt.fmt_ms`). No Qt.
"""

from __future__ import annotations

from fractions import Fraction

from desk.core.alignment import NAMED_RATES, PLAUSIBLE_RATES, Alignment, Line
from desk.core.timefmt import fmt_ms


def seconds(ms: float | Fraction) -> str:
    """``+2.350 s``, ``−0.040 s``."""
    return f"{'−' if ms < 0 else '+'}{abs(float(ms)) / 1000:.3f} s"


def rate_words(rate: Fraction) -> str:
    if rate in NAMED_RATES:
        return NAMED_RATES[rate]
    faster = "faster" if rate > 1 else "slower"
    return f"{float(rate):.5f} (the copy runs {abs(float(rate) - 1) * 100:.2f} % {faster})"


def line_words(line: Line) -> str:
    offset = seconds(line.offset_ms)
    return (
        f"offset {offset}"
        if line.rate == 1
        else f"offset {offset} and rate {rate_words(line.rate)}"
    )


def describe(alignment: Alignment) -> str:
    """The mapping in words: "offset +2.350 s", "offset … and rate …", "piecewise, 3 segments"."""
    if alignment.crossing is not None:
        a, b = (k + 1 for k in alignment.crossing)
        return f"No mapping: pairs #{a} and #{b} cross. Remove the wrong one."
    time_map = alignment.time_map
    if time_map is None or not alignment.pairs:
        return "No matching moments yet: the copy's own time is kept (same cut, same speed)."
    if len(time_map.points) > 2:
        return f"piecewise, {len(time_map.points) - 1} segments"
    (f0, c0), (f1, c1) = time_map.points
    return line_words(Line((f1 - f0) / (c1 - c0), c0 - f0 * (c1 - c0) / (f1 - f0)))


def notes(alignment: Alignment, film_end_ms: int, copy_end_ms: int) -> list[str]:
    """Things worth checking: pairs off the line, odd speeds, film time outside the copy."""
    out: list[str] = []
    pairs, line, time_map = alignment.pairs, alignment.line, alignment.time_map
    if len(pairs) == 1:
        out.append("One moment gives an offset; mark another far from it to check the speed.")
    if line is not None and alignment.outliers and len(pairs) > 2:
        agree = len(pairs) - len(alignment.outliers)
        out.append(
            f"{agree} of {len(pairs)} moments agree on {line_words(line)}; the others are off "
            "that line: a wrong pair, or a scene added or removed before them."
        )
    if time_map is None or not pairs:
        return out
    points = time_map.points
    low, high = PLAUSIBLE_RATES
    if len(points) == 2 and not low <= time_map.rate <= high:
        out.append(f"The copy would run at {float(time_map.rate):.2f}× the film's speed: "
                   "check the pairs.")  # fmt: skip
    for k, ((f0, c0), (f1, c1)) in enumerate(zip(points, points[1:], strict=False)):
        rate = (f1 - f0) / (c1 - c0)
        if not low <= rate <= high and len(points) > 2:
            out.append(f"Between #{k + 1} and #{k + 2} the copy would run at {float(rate):.2f}× "
                       "the film's speed: a wrong pair, or a scene added or removed there (then "
                       "mark the moments just before and after it).")  # fmt: skip
    slack = alignment.tolerance_ms
    if time_map.to_copy(0) < -slack:
        first = fmt_ms(time_map.to_film(0))
        out.append(f"The copy starts after the film: links before {first} show its first frame.")
    if time_map.to_copy(film_end_ms) > copy_end_ms + slack:
        last = fmt_ms(time_map.to_film(copy_end_ms))
        out.append(f"The copy ends before the film: links after {last} show its last frame.")
    return out
