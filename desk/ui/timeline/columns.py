"""A crowded lane's pixel columns, found in time that grows with the columns and not the spans.

Zoomed out, a lane of 35,000 notes covers some 1,500 pixel columns: mapping every span to its
columns costs a few dozen passes over 35,000 numbers a frame (1.9 ms of a frame of the whole
film). A column's colour depends only on the last span starting in it or before it and on how
far the spans so far reach; spans are in start order, so both are found by a search per column,
with the running furthest end kept with the spans. The pixels are those of mapping each span
(:func:`desk.ui.timeline.strips.column_image`): a span's first column is the same rounding of the
same floating-point sum, found exactly by a search over whole milliseconds.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

#: Past this many arrays of spans alive at once, what is kept for them is worked out afresh.
KEPT = 256
#: The searches pay from this many spans, or ticks, a column on (timed at 1,500 columns:
#: below that, mapping each one is quicker).
SPANS_PER_COLUMN = 3
TICKS_PER_COLUMN = 16
#: A column's first millisecond is found to within this many steps of a millisecond each way.
SETTLE_STEPS = 4


@dataclass(frozen=True)
class _Reach:
    starts: weakref.ref[np.ndarray]
    ends: weakref.ref[np.ndarray]
    #: The furthest end of the spans up to each (in start order).
    furthest: np.ndarray
    #: The spans' lengths, ascending, and which span each is.
    lengths: np.ndarray
    by_length: np.ndarray


#: By the arrays' ids, for as long as both arrays live.
_KEPT: dict[tuple[int, int], _Reach] = {}


def _reach(starts: np.ndarray, ends: np.ndarray) -> _Reach:
    """The running furthest end and the lengths of these spans, worked out once per array (a
    lane's arrays are replaced, never changed in place, when its spans change), and dropped
    with the arrays."""
    key = (id(starts), id(ends))
    found = _KEPT.get(key)
    if found is not None and found.starts() is starts and found.ends() is ends:
        return found

    def forget(_gone: object, key: tuple[int, int] = key) -> None:
        _KEPT.pop(key, None)

    if len(_KEPT) >= KEPT:
        _KEPT.clear()
    lengths = ends - starts
    by_length = np.argsort(lengths, kind="stable")
    found = _KEPT[key] = _Reach(
        weakref.ref(starts, forget),
        weakref.ref(ends, forget),
        np.maximum.accumulate(ends),
        lengths[by_length],
        by_length,
    )
    return found


@dataclass(frozen=True)
class Columns:
    """Where spans fall on a row of ``width`` pixel columns: a span's first column is
    ``floor(start * sx + dx - left)``, its end column ``ceil(end * sx + dx - left)``."""

    sx: float
    dx: float
    left: float
    width: int

    def px(self, ms: np.ndarray) -> np.ndarray:
        """Film ms as pixels from ``left``: the same sums, in the same order, as each span's."""
        return (np.asarray(ms, dtype=np.float64) * self.sx + self.dx) - self.left


def first_spans(starts: np.ndarray, cols: Columns, from_column: int = 0) -> np.ndarray | None:
    """For each column from ``from_column`` on, how many of ``starts`` (sorted whole ms) have
    their first column at or before it (-1: before the row); None where the search does not
    settle (then map every span instead)."""
    if starts.dtype.kind != "i" or not cols.sx > 0 or cols.width <= 0:
        return None
    # a first column at or before c: px < c + 1
    bounds = np.arange(from_column + 1, cols.width + 1, dtype=np.float64)
    guess = (bounds + cols.left - cols.dx) / cols.sx
    if not np.isfinite(guess).all() or np.abs(guess).max() > 2.0**52:
        return None
    ms = np.ceil(guess).astype(np.int64)  # the first whole ms whose px reaches c + 1
    for _ in range(SETTLE_STEPS):
        early = cols.px(ms - 1) >= bounds
        late = cols.px(ms) < bounds
        if not early.any() and not late.any():
            return np.searchsorted(starts, ms, side="left")
        ms = ms - early + late
    return None


def tick_columns(times: np.ndarray, cols: Columns) -> np.ndarray | None:
    """Whether each column has one of ``times`` (sorted whole ms) in it, the column of a time
    being ``floor(time * sx + dx - left)``; None when it cannot be found this way, or mapping
    each time is quicker."""
    if len(times) < TICKS_PER_COLUMN * cols.width:
        return None
    counts = first_spans(times, cols, from_column=-1)
    return None if counts is None else np.diff(counts) > 0


def column_row(
    starts: np.ndarray,
    ends: np.ndarray,
    index: np.ndarray,
    colors: np.ndarray,
    cols: Columns,
) -> np.ndarray | None:
    """The (width, 4) RGBA row :func:`~desk.ui.timeline.strips.column_image` draws for the spans
    ``index`` (those of ``starts``/``ends`` that reach the view, as
    :func:`~desk.ui.timeline.strips.visible` finds them; every other span before the last of
    them ends before the first of them does), ``colors`` being every span's; without outlines.
    None when it cannot be found this way, or mapping each span is quicker."""
    if not len(index) or len(index) < SPANS_PER_COLUMN * cols.width:
        return None
    counts = first_spans(starts, cols)
    if counts is None:
        return None
    reach = _reach(starts, ends)
    # The last span of ``index`` whose first column is at or before each column.
    latest = np.searchsorted(index, counts - 1, side="right") - 1
    seen = latest >= 0
    rows = index[np.maximum(latest, 0)]
    columns = np.arange(cols.width)
    first = np.clip(np.floor(cols.px(starts[rows])).astype(np.int64), 0, cols.width)
    # Spans left out of ``index`` end before those in it: the furthest end up to a span of
    # ``index`` is one of ``index``'s.
    last = np.ceil(cols.px(reach.furthest[rows])).astype(np.int64)
    covered = seen & ((last > columns) | (first == columns))
    row = np.zeros((cols.width, 4), dtype=np.uint8)
    row[covered] = colors[rows[covered]]
    return row


def long_spans(
    starts: np.ndarray, ends: np.ndarray, index: np.ndarray, least_ms: float
) -> np.ndarray | None:
    """The spans of ``index`` (sorted) at least ``least_ms`` long, in order; None when they are
    so many that picking them out costs more than looking at all of ``index``."""
    reach = _reach(starts, ends)
    first = int(np.searchsorted(reach.lengths, least_ms, side="left"))
    if len(reach.lengths) - first > len(index) // 4:
        return None
    found = np.sort(reach.by_length[first:])
    at = np.minimum(np.searchsorted(index, found), len(index) - 1)
    return found[index[at] == found]
