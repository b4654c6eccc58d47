"""Frame time lines: where each frame of a film starts, in copy milliseconds and stream timestamps.

A time in *copy* milliseconds (the file's own time, counted from its first frame) maps to the last
frame whose presentation time is not after it. At a constant frame rate frame ``n`` starts at
``n / fps``, as desk's ``FrameRate`` counts (:class:`ConstantTimeline`); at a variable one the
frames' timestamps are read from the file, without decoding, on first use
(:class:`VariableTimeline`). :func:`timeline_for` picks the right one for a stream; one time line
may be shared by every decoder of the same film.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from desk.media.probe import frame_timing, open_video

log = logging.getLogger("desk.media.frames")


class Timeline(Protocol):
    """Maps between copy milliseconds, frame numbers and the stream's timestamps."""

    def index_at(self, copy_ms: int) -> int: ...
    def start_ms(self, index: int) -> int: ...
    def index_of(self, pts: int) -> int: ...
    def seek_pts(self, index: int) -> int: ...


class ConstantTimeline:
    """A constant frame rate: frame ``n`` starts at ``n / fps`` (as desk's ``FrameRate`` counts)."""

    def __init__(self, fps: Fraction, time_base: Fraction, start_pts: int) -> None:
        self.fps, self.time_base, self.start_pts = fps, time_base, start_pts

    def index_at(self, copy_ms: int) -> int:
        return max(0, math.floor(Fraction(copy_ms) * self.fps / 1000))

    def start_ms(self, index: int) -> int:
        return math.ceil(Fraction(index) * 1000 / self.fps)

    def index_of(self, pts: int) -> int:
        return round((pts - self.start_pts) * self.time_base * self.fps)

    def seek_pts(self, index: int) -> int:
        return self.start_pts + math.floor(Fraction(index) / (self.fps * self.time_base))


class VariableTimeline:
    """A variable frame rate: a table of every frame's timestamp, read (without decoding) on first
    use."""

    def __init__(self, path: Path, time_base: Fraction, start_pts: int) -> None:
        self.path, self.time_base, self.start_pts = path, time_base, start_pts
        self._lock = threading.Lock()
        self._pts: list[int] = []
        self._ms: list[int] = []

    def _table(self) -> tuple[list[int], list[int]]:
        with self._lock:
            if not self._pts:
                container, video = open_video(self.path)
                with container:
                    found = {p.pts for p in container.demux(video) if p.pts is not None}
                self._pts = sorted(found) or [self.start_pts]
                self._ms = [
                    math.ceil((p - self.start_pts) * self.time_base * 1000) for p in self._pts
                ]
                log.debug("%s: %d frame times read", self.path.name, len(self._pts))
            return self._pts, self._ms

    def index_at(self, copy_ms: int) -> int:
        return max(0, bisect.bisect_right(self._table()[1], copy_ms) - 1)

    def start_ms(self, index: int) -> int:
        ms = self._table()[1]
        return ms[min(max(index, 0), len(ms) - 1)]

    def index_of(self, pts: int) -> int:
        return max(0, bisect.bisect_right(self._table()[0], pts) - 1)

    def seek_pts(self, index: int) -> int:
        table = self._table()[0]
        return table[min(max(index, 0), len(table) - 1)]


def timeline_for(path: Path, container: Any, video: Any) -> Timeline:
    """The right time line for a stream (reads its first packets)."""
    fps, variable = frame_timing(container, video)
    start = video.start_time or 0
    if variable:
        return VariableTimeline(path, video.time_base, start)
    return ConstantTimeline(fps, video.time_base, start)
