"""How long a beat made at the playhead lasts, so that B never makes a zero-length beat.

A beat is a stretch of the film, and one made with a single key has no out point to go by: it runs
from the playhead to the next shot cut (a shot is the natural unit of a beat), for
:data:`DEFAULT_MS` when no cut comes within :data:`LONGEST_MS` or the next one is less than
:data:`SHORTEST_MS` away, and never past the film's end. The user resizes it on the timeline.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

DEFAULT_MS = 2000
LONGEST_MS = 10_000
SHORTEST_MS = 500


def beat_span(
    start_ms: int, cuts_ms: Sequence[int], duration_ms: int, frame_ms: float
) -> tuple[int, int]:
    """(start, end) of a beat made at ``start_ms``: to the next cut in ``cuts_ms`` (sorted), else
    :data:`DEFAULT_MS`; at least a frame long, and inside a film ``duration_ms`` long."""
    last_start = max(0, duration_ms - max(1, round(frame_ms)))
    start = max(0, min(start_ms, last_start))
    end = start + DEFAULT_MS
    following = bisect_right(cuts_ms, start)
    if following < len(cuts_ms) and SHORTEST_MS <= cuts_ms[following] - start <= LONGEST_MS:
        end = int(cuts_ms[following])
    end = min(end, duration_ms) if duration_ms > start else end
    return start, max(end, start + 1)
