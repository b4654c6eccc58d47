"""Frame time lines: where each frame of a film starts, in copy milliseconds and stream timestamps.

A time in *copy* milliseconds is the file's own clock: its presentation time counted from the
container's start, as VLC, mpv, ffmpeg and ELAN count it (the video may start a few milliseconds
later, as in many MKV and WebM files, and an MPEG program stream's clock starts at 0.5 s or so). It
maps to the last frame whose presentation time is not after it, and a time before the first frame
to the first frame. At a constant frame rate frame ``n`` starts at ``lead + n / fps``, ``lead``
being how long after the container's start the video starts (:class:`ConstantTimeline`); at a
variable one frame ``n`` is the ``n``-th of the film's presentation times
(:class:`VariableTimeline`). Which one a
film has is decided by its frame index (:mod:`desk.media.frame_index`: every frame's time, read
once per copy and cached); :func:`timeline_for` picks the right one for a stream, reading the
index on a thread of its own the first time (:class:`IndexedTimeline`). One time line may be
shared by every decoder of the same film.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from desk.media.frame_index import FrameIndex, Progress, cached_index, frame_index
from desk.media.probe import clock_origin_pts, snap_rate

log = logging.getLogger("desk.media.frames")


class Timeline(Protocol):
    """Maps between copy milliseconds, frame numbers and the stream's timestamps."""

    def index_at(self, copy_ms: int) -> int: ...
    def start_ms(self, index: int) -> int: ...
    def index_of(self, pts: int) -> int: ...
    def seek_pts(self, index: int) -> int: ...


def lead_ms(start_pts: int, time_base: Fraction, origin_pts: Fraction | int) -> Fraction:
    """How long after the container's start (``origin_pts``) the video starts, exactly."""
    return max(Fraction(0), (start_pts - Fraction(origin_pts)) * time_base * 1000)


class ConstantTimeline:
    """A constant frame rate: frame ``n`` starts at ``lead + n / fps`` on the container's clock,
    ``lead`` being where the video's first frame lies after the container's start
    (``origin_pts``, in the stream's time base; the first frame's own by default).

    Given the film's ``listed`` presentation times (its frame index), each frame starts at its
    own listed time instead, and the last listed frame is the last there is: a file stores its
    times rounded to its time base (Matroska's to the millisecond, so at 24000/1001 frames/s
    frame 2 of a film starting at 21 ms lies at 104 ms, not at 104.4), and players show a frame
    from its stored time on.
    """

    def __init__(
        self,
        fps: Fraction,
        time_base: Fraction,
        start_pts: int,
        origin_pts: Fraction | int | None = None,
        listed: Sequence[int] | None = None,
    ) -> None:
        self.fps, self.time_base, self.start_pts = fps, time_base, start_pts
        origin = start_pts if origin_pts is None else origin_pts
        self.origin_pts = Fraction(origin)
        self.lead_ms = lead_ms(start_pts, time_base, origin)
        self._listed = listed or None

    def index_at(self, copy_ms: int) -> int:
        if self._listed is not None:
            # The last frame whose time, in whole milliseconds rounded up, is not after copy_ms.
            latest = math.floor(self.origin_pts + Fraction(copy_ms) / (1000 * self.time_base))
            return max(0, bisect.bisect_right(self._listed, latest) - 1)
        return max(0, math.floor((copy_ms - self.lead_ms) * self.fps / 1000))

    def start_ms(self, index: int) -> int:
        if index <= 0:
            return 0  # the first frame is shown from the container's start
        if self._listed is not None:
            pts = self._listed[min(index, len(self._listed) - 1)]
            return math.ceil((pts - self.origin_pts) * self.time_base * 1000)
        return math.ceil(self.lead_ms + Fraction(index) * 1000 / self.fps)

    def index_of(self, pts: int) -> int:
        if self._listed is not None:
            return max(0, bisect.bisect_right(self._listed, pts) - 1)
        return round((pts - self.start_pts) * self.time_base * self.fps)

    def seek_pts(self, index: int) -> int:
        if self._listed is not None:
            return self._listed[min(max(index, 0), len(self._listed) - 1)]
        return self.start_pts + math.floor(Fraction(index) / (self.fps * self.time_base))


class VariableTimeline:
    """A variable frame rate: frame ``n`` is the ``n``-th presentation time in display order, as
    the film's :class:`~desk.media.frame_index.FrameIndex` lists them."""

    def __init__(
        self,
        pts: Sequence[int],
        time_base: Fraction,
        start_pts: int,
        origin_pts: Fraction | int | None = None,
    ) -> None:
        self.time_base, self.start_pts = time_base, start_pts
        origin = Fraction(start_pts if origin_pts is None else origin_pts)
        self._pts = [int(p) for p in pts] or [start_pts]
        self._ms = [math.ceil((p - origin) * time_base * 1000) for p in self._pts]
        self._ms[0] = 0  # the first frame is shown from the container's start

    def index_at(self, copy_ms: int) -> int:
        return max(0, bisect.bisect_right(self._ms, copy_ms) - 1)

    def start_ms(self, index: int) -> int:
        return self._ms[min(max(index, 0), len(self._ms) - 1)]

    def index_of(self, pts: int) -> int:
        return max(0, bisect.bisect_right(self._pts, pts) - 1)

    def seek_pts(self, index: int) -> int:
        return self._pts[min(max(index, 0), len(self._pts) - 1)]


def _from_index(
    index: FrameIndex, declared_fps: Fraction, start_pts: int, origin_pts: Fraction
) -> Timeline:
    if index.variable:
        return VariableTimeline(index.pts, index.time_base, start_pts, origin_pts)
    # A short film's average, measured in whole ticks of a coarse time base (Matroska's 1 ms), can
    # miss the common rate it was made at; the rate the file declares is exact when they agree.
    measured = index.fps or declared_fps
    agree = abs(measured - declared_fps) < declared_fps / 100
    rate = declared_fps if agree else measured
    return ConstantTimeline(rate, index.time_base, start_pts, origin_pts, listed=index.pts)


class IndexedTimeline:
    """The time line of a film whose frame times are being read on another thread.

    Reading starts at once. The film's first frame is the same on every time line (number 0, at
    the stream's first timestamp), so questions about it are answered at once, and the first
    picture is not kept waiting; any other question waits until the times are read (a few
    seconds for a two-hour film, once per copy), then every answer comes from the constant or
    variable time line they call for.
    """

    def __init__(
        self,
        path: Path,
        fps: Fraction,
        start_pts: int,
        progress: Progress | None,
        time_base: Fraction = Fraction(1, 1000),
        origin_pts: Fraction | None = None,
    ) -> None:
        self._ready = threading.Event()
        self._start_pts = start_pts
        origin = Fraction(start_pts) if origin_pts is None else origin_pts
        # Until the first frame's successor, which is later than the first frame itself.
        self._first_until_ms = math.floor(lead_ms(start_pts, time_base, origin))
        self._timeline: Timeline | None = None
        self._error: BaseException | None = None

        def read() -> None:
            try:
                index = frame_index(path, progress)
                self._timeline = _from_index(index, fps, start_pts, origin)
            except BaseException as exc:  # told to whoever asks first
                self._error = exc
            finally:
                self._ready.set()

        threading.Thread(target=read, name="desk-frame-index", daemon=True).start()

    @property
    def ready(self) -> bool:
        """Whether the frame times are read (every answer is then immediate)."""
        return self._ready.is_set()

    def wait(self) -> Timeline:
        """The time line, once the frame times are read."""
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._timeline is not None
        return self._timeline

    def index_at(self, copy_ms: int) -> int:
        if not self._ready.is_set() and copy_ms <= self._first_until_ms:
            return 0
        return self.wait().index_at(copy_ms)

    def start_ms(self, index: int) -> int:
        if not self._ready.is_set() and index <= 0:
            return 0
        return self.wait().start_ms(index)

    def index_of(self, pts: int) -> int:
        if not self._ready.is_set() and pts <= self._start_pts:
            return 0
        return self.wait().index_of(pts)

    def seek_pts(self, index: int) -> int:
        if not self._ready.is_set() and index <= 0:
            return self._start_pts
        return self.wait().seek_pts(index)


def timeline_for(
    path: Path,
    container: Any,
    video: Any,
    progress: Progress | None = None,
    index: FrameIndex | None = None,
) -> Timeline:
    """The time line of a film's video stream, from its frame times: ``index`` when the caller
    has them, else read from the cache if they are kept there, else read from the film on a
    thread of their own (``progress`` is told how far, from that thread)."""
    start = video.start_time or 0
    origin = clock_origin_pts(container, video)
    fps = snap_rate(Fraction(video.average_rate or video.guessed_rate or 25))
    kept = index if index is not None else cached_index(path)
    if kept is not None:
        return _from_index(kept, fps, start, origin)
    return IndexedTimeline(path, fps, start, progress, Fraction(video.time_base), origin)


def is_ready(timeline: Timeline) -> bool:
    """Whether ``timeline`` answers without waiting for the film's frame times to be read."""
    return not isinstance(timeline, IndexedTimeline) or timeline.ready


def is_variable(timeline: Timeline) -> bool:
    """Whether ``timeline`` (its frame times read) is a variable frame rate's."""
    if isinstance(timeline, IndexedTimeline):
        return timeline.ready and isinstance(timeline.wait(), VariableTimeline)
    return isinstance(timeline, VariableTimeline)
