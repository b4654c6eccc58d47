"""The exact-frame server: the very frame a film shows at a time, decoded by PyAV.

libVLC's paused seeks land a few frames off, so whenever the player is paused, stepped or sent to
a time, desk shows the frame decoded here. A time in *copy* milliseconds (the file's own time,
counted from its first frame) maps to the last frame whose presentation time is not after it.

- :mod:`desk.media.timelines` maps copy milliseconds to frame numbers and stream timestamps, at a
  constant or a variable frame rate.
- :mod:`desk.media.frame_cache` holds :class:`Frame` (one picture as RGB rows) and
  :class:`FrameCache`, which keeps frames up to a byte budget (those not shown yet as decoded,
  where that gives the same pixels: :mod:`desk.media.yuv_frames`).
- :mod:`desk.media.decoder` holds :class:`FrameDecoder`, synchronous and one per thread: it seeks
  and decodes forward to a frame, converts only the frames it returns, and decodes the frames
  behind one again when there is time, for stepping back.
- :class:`FrameServer`, here, is thread-safe and owns a worker thread with its own decoder. Requests
  return at once; the newest request supersedes older ones (scrubbing drops stale work); between
  requests the worker fills the cache around the playhead (the frames just behind it, a few ahead,
  and the end of the previous keyframe interval when the playhead is near a keyframe; moving back,
  the frames behind first and the previous interval early, ahead of a held key). While a
  playhead is dragged, preview requests ask for the keyframe at or before each position instead,
  decoded alone: a few milliseconds, so the pictures keep up with the pointer.

The frames, the cache, the decoder and the time lines can all be imported from here too.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from desk.errors import FilmError
from desk.media.decoder import FrameDecoder
from desk.media.frame_cache import DEFAULT_CACHE_BYTES, Frame, FrameCache
from desk.media.timelines import ConstantTimeline, Timeline, VariableTimeline, timeline_for

__all__ = [
    "DEFAULT_CACHE_BYTES",
    "READ_AHEAD",
    "WARM_MARGIN",
    "ConstantTimeline",
    "Frame",
    "FrameCache",
    "FrameCallback",
    "FrameDecoder",
    "FrameServer",
    "Timeline",
    "VariableTimeline",
    "timeline_for",
]

log = logging.getLogger("desk.media.frames")

#: Frames decoded ahead of the playhead when the worker is idle.
READ_AHEAD = 12
#: Near a keyframe (this many frames after it), the worker also caches the previous interval's end.
WARM_MARGIN = 12

FrameCallback = Callable[["Frame"], None]


@dataclass(eq=False)
class _Job:
    index: int
    callback: FrameCallback | None = None
    done: threading.Event | None = None
    result: Frame | None = None
    error: BaseException | None = None
    playhead: bool = True
    preview: bool = False
    preview_width: int | None = None


_CLOSED = _Job(-1)


@dataclass
class _Queue:
    """What the worker has to do, newest request first; guarded by the server's lock."""

    urgent: deque[_Job] = field(default_factory=deque)
    latest: _Job | None = None
    hint: int | None = None
    prefetch: deque[_Job] = field(default_factory=deque)
    closed: bool = False

    def busy(self) -> bool:
        return bool(self.urgent) or self.latest is not None or self.hint is not None


class FrameServer:
    """Exact frames for the GUI and exporters, decoded on a worker thread. Thread-safe.

    Raises :class:`~desk.errors.FilmError` at once if the film cannot be opened. On a film
    whose frame times are not cached yet, ``index_progress`` is told from another thread how far
    they are read (1.0 once every answer of :attr:`timeline` is exact).
    """

    def __init__(
        self,
        path: Path | str,
        *,
        max_width: int | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        index_progress: Callable[[float], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.cache = FrameCache(cache_bytes)
        self._decoder = FrameDecoder(
            self.path, max_width=max_width, cache=self.cache, index_progress=index_progress
        )
        self.timeline = self._decoder.timeline
        #: The film's container format and audio streams, read as the film was opened here.
        self.header = self._decoder.header
        self.max_width = max_width
        self._key = self._decoder.width_key
        self._lock = threading.Condition()
        self._queue = _Queue()
        self._preview_lock = threading.Lock()
        self._preview: FrameDecoder | None = None
        self._behind: FrameDecoder | None = None  # the worker's second decoder, for fill_behind
        self._behind_failed = False  # it could not be opened: the first decoder fills behind
        self._playhead: int | None = None  # the worker's last playhead, to tell the direction
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, name="desk-frames", daemon=True)
        self._thread.start()

    def __enter__(self) -> FrameServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- asking for frames --------------------------------------------------------------------
    def request(self, copy_ms: int, callback: FrameCallback) -> None:
        """Decode the frame at ``copy_ms`` and pass it to ``callback`` on the worker thread.

        Returns at once. A newer request (or preview request) replaces this one if it has not
        finished yet.
        """
        self._submit(_Job(self.timeline.index_at(copy_ms), callback))

    def request_preview(
        self, copy_ms: int, callback: FrameCallback, max_width: int | None = None
    ) -> None:
        """Pass a quick stand-in for the frame at ``copy_ms`` to ``callback`` on the worker
        thread: as :meth:`preview_at`, the keyframe at or before it, marked not ``exact``.

        Returns at once. Shares :meth:`request`'s place in the queue: the newest request of either
        kind replaces an older one not yet answered, so a drag's stale positions are dropped and
        an exact frame still being decoded for a position the pointer has left is given up.
        """
        index = self.timeline.index_at(copy_ms)
        self._submit(_Job(index, callback, preview=True, preview_width=max_width))

    def _submit(self, job: _Job) -> None:
        with self._lock:
            self._ensure_open()
            self._queue.latest = job
            self._idle.clear()
            self._lock.notify()

    def frame_at(self, copy_ms: int, timeout: float | None = None) -> Frame:
        """The exact frame at ``copy_ms``, waiting for it (TimeoutError after ``timeout`` s)."""
        return self._frame_at_index(self.timeline.index_at(copy_ms), timeout)

    def step(self, copy_ms: int, delta_frames: int, timeout: float | None = None) -> Frame:
        """The frame ``delta_frames`` away from the one shown at ``copy_ms``."""
        return self._frame_at_index(self.timeline.index_at(copy_ms) + delta_frames, timeout)

    def nearest_cached(self, copy_ms: int) -> Frame | None:
        """The cached frame nearest ``copy_ms``, without waiting (``exact`` if it is that frame)."""
        index = self.timeline.index_at(copy_ms)
        near = self.cache.nearest(index, self._key)
        if near is None or near.index == index:
            return near
        return replace(near, exact=False)

    def prefetch(self, times_ms: Iterable[int], callback: FrameCallback | None = None) -> None:
        """Decode these frames when nothing else is asked (``callback`` gets each one)."""
        jobs = [_Job(self.timeline.index_at(t), callback, playhead=False) for t in times_ms]
        with self._lock:
            self._ensure_open()
            self._queue.prefetch.extend(jobs)
            self._idle.clear()
            self._lock.notify()

    def preview_at(self, copy_ms: int, max_width: int | None = None) -> Frame | None:
        """A quick stand-in while dragging: the frame at ``copy_ms`` if cached, else the keyframe
        at or before it, decoded alone on the calling thread. None if another preview is being
        decoded.

        ``max_width`` (say, the width of the picture on screen) makes a decoded preview no wider:
        scaled while converted, it costs less and is ready to show.
        """
        return self._preview_of(self.timeline.index_at(copy_ms), max_width, wait=False)

    def _preview_of(self, index: int, max_width: int | None, *, wait: bool) -> Frame | None:
        """Frame ``index`` if cached, else the keyframe before it decoded alone by the preview
        decoder; None if that decoder is busy and ``wait`` is false, or nothing decodes."""
        widths = [w for w in (max_width, self.max_width) if w]
        width = min(widths) if widths else None
        for key in (width or 0, self._key):
            cached = self.cache.get(index, key)
            if cached is not None:
                return cached
        if not self._preview_lock.acquire(blocking=wait):
            return None
        try:
            if self._queue.closed:
                return None
            if self._preview is None or self._preview.max_width != width:
                if self._preview is not None:
                    self._preview.close()
                self._preview = FrameDecoder(
                    self.path, max_width=width, cache=self.cache,
                    timeline=self.timeline, threads=False,
                )  # fmt: skip
            frame = self._preview.keyframe_at(index)
        except FilmError as exc:
            log.warning("no preview of frame %d: %s", index, exc)
            return None
        finally:
            self._preview_lock.release()
        return frame if frame.index == index else replace(frame, exact=False)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the worker has nothing left to do (the cache around the playhead is full);
        false if ``timeout`` seconds passed first."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        """Stop the worker; waiting callers get an error. Safe to call twice."""
        with self._lock:
            if self._queue.closed:
                return
            self._queue.closed = True
            self._idle.set()
            waiting = [*self._queue.urgent]
            self._queue.urgent.clear()
            self._lock.notify_all()
        for job in waiting:
            job.error = FilmError(f"The frame server for '{self.path.name}' was closed.")
            assert job.done is not None
            job.done.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=10)
        with self._preview_lock:
            if self._preview is not None:
                self._preview.close()
                self._preview = None

    # -- helpers for callers ------------------------------------------------------------------
    def _ensure_open(self) -> None:
        if self._queue.closed:
            raise FilmError(f"The frame server for '{self.path.name}' is closed.")

    def _frame_at_index(self, index: int, timeout: float | None) -> Frame:
        index = self._decoder.clamp(index)
        cached = self.cache.get(index, self._key)
        job = _Job(index, done=threading.Event())
        with self._lock:
            self._ensure_open()
            if cached is not None:
                self._queue.hint = index
            else:
                self._queue.urgent.append(job)
            self._idle.clear()
            self._lock.notify()
        if cached is not None:
            return cached
        assert job.done is not None
        if not job.done.wait(timeout):
            raise TimeoutError(f"frame {index} of {self.path.name} took over {timeout} s")
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    # -- the worker ---------------------------------------------------------------------------
    def _busy(self) -> bool:
        return self._queue.busy()

    def _next(self, idle: bool) -> _Job | int | None:
        """The next job, a new playhead hint, or None to go on with idle work (waits if none)."""
        with self._lock:
            while True:
                queue = self._queue
                if queue.closed:
                    return _CLOSED
                if queue.urgent:
                    return queue.urgent.popleft()
                if queue.latest is not None:
                    job, queue.latest = queue.latest, None
                    return job
                if queue.hint is not None:
                    hint, queue.hint = queue.hint, None
                    return hint
                if idle:
                    return None
                if queue.prefetch:
                    return queue.prefetch.popleft()
                self._idle.set()
                self._lock.wait()

    def _run(self) -> None:
        idle: Iterator[None] | None = None
        try:
            while True:
                work = self._next(idle is not None)
                if work is _CLOSED:
                    return
                if isinstance(work, _Job):
                    idle = self._serve(work)
                elif isinstance(work, int):
                    idle = self._around(work)
                elif idle is not None:
                    idle = self._idle_step(idle)
        finally:
            self._decoder.close()
            if self._behind is not None:
                self._behind.close()

    def _abort_for(self, job: _Job) -> Callable[[], bool] | None:
        """When to give up on a job: a request when a newer one comes, a prefetch when anything
        comes; never a caller who waits."""
        if job.done is not None:
            return None
        if job.playhead:
            return lambda: self._queue.latest is not None
        return self._busy

    def _serve(self, job: _Job) -> Iterator[None] | None:
        if job.preview:
            preview = self._preview_of(job.index, job.preview_width, wait=True)
            if preview is not None and job.callback is not None:
                _call(job.callback, preview)
            return None  # the playhead is on the move: no work around it yet
        try:
            frame = self._decoder.frame_at_index(job.index, self._abort_for(job))
        except Exception as exc:  # a damaged film must not stop the worker
            self._failed(exc, f"frame {job.index}")
            job.error, frame = exc, None
        if job.done is not None:
            job.result = frame
            job.done.set()
        elif frame is None and not job.playhead and job.error is None:
            with self._lock:
                self._queue.prefetch.appendleft(job)
        elif frame is not None and job.callback is not None:
            _call(job.callback, frame)
        return self._around(frame.index) if frame is not None and job.playhead else None

    def _idle_step(self, idle: Iterator[None]) -> Iterator[None] | None:
        try:
            return None if next(idle, StopIteration) is StopIteration else idle
        except Exception as exc:
            self._failed(exc, "frames around the playhead")
            return None

    def _failed(self, exc: BaseException, what: str) -> None:
        self._decoder.forget_position()
        if isinstance(exc, FilmError):
            log.warning("%s of %s: %s", what, self.path.name, exc)
        else:
            log.error("decoding %s of %s failed", what, self.path.name, exc_info=exc)

    def _asked(self) -> bool:
        """Whether a frame not in the cache is asked for (a step that hit the cache is not)."""
        return bool(self._queue.urgent) or self._queue.latest is not None

    def _around(self, playhead: int) -> Iterator[None]:
        """Idle work near the playhead: the frames kept behind it, a few frames ahead, the
        frames behind, and the previous interval's end when the playhead is near a keyframe.

        Moving back (a key held), the frames behind come first, and the previous interval is
        decoded as soon as the playhead is within :attr:`FrameDecoder.hold` frames of its
        keyframe, so that stepping across it finds the frames ready. Filling behind goes on
        while the steps hit the cache, and gives way only to a frame that must be decoded. The
        frames behind are decoded by a second decoder, so the first stays at the playhead for
        the next step forward.
        """
        backward = self._playhead is not None and playhead < self._playhead
        self._playhead = playhead
        decoder = self._decoder
        yield from decoder.convert_trail()
        if not backward:
            yield from self._read_ahead(playhead)
        if playhead > 0:  # nothing lies behind the first frame: no second decoder for it
            yield from self._behind_decoder().fill_behind(playhead, self._asked)
        keyframe = decoder.keyframe_at_or_before(playhead)
        margin = decoder.hold if backward else WARM_MARGIN  # the second decoder's hold too
        if keyframe and playhead - keyframe <= margin:
            yield from self._behind_decoder().fill_behind(keyframe, self._asked)
        if backward:
            yield from self._read_ahead(playhead)
        if self._behind is None and not self._behind_failed:  # opened last, so that the first
            yield  # step back does not wait for it
            if not self._asked():
                self._behind_decoder()

    def _behind_decoder(self) -> FrameDecoder:
        """The worker's second decoder, opened once idle work has nothing else to do, or the
        first time there are frames behind the playhead to decode (a film opened at its start
        has none). If it cannot be opened (the file gone or unreadable since the first decoder
        opened it), it is not tried again, and the first decoder fills behind."""
        if self._behind is None and not self._behind_failed:
            try:
                self._behind = FrameDecoder(
                    self.path, max_width=self.max_width, cache=self.cache, timeline=self.timeline
                )
            except FilmError as exc:
                self._behind_failed = True
                log.warning("%s: stepping back decodes on the one decoder: %s", self.path.name, exc)
        return self._behind if self._behind is not None else self._decoder

    def _read_ahead(self, playhead: int) -> Iterator[None]:
        decoder = self._decoder
        for index in range(playhead + 1, playhead + 1 + READ_AHEAD):
            if decoder.end_index is not None and index > decoder.end_index:
                return
            if not decoder.keep_at_index(index, self._busy):
                return
            yield


def _call(callback: FrameCallback, frame: Frame) -> None:
    try:
        callback(frame)
    except Exception:
        log.exception("a frame callback failed")
