"""The exact-frame server: the very frame a film shows at a time, decoded by PyAV.

libVLC's paused seeks land a few frames off, so whenever the player is paused, stepped or sent to
a time, desk shows the frame decoded here. A time in *copy* milliseconds (the file's own time,
counted from its first frame) maps to the last frame whose presentation time is not after it.

- :class:`FrameDecoder` is synchronous and belongs to one thread. It reaches a frame by decoding
  forward when the frame is near ahead, otherwise by seeking to the keyframe at or before it and
  decoding forward. Only the frames it returns are converted to RGB, and the frames it passes
  over are dropped at once (holding them slows decoding by a third at 1080p: the decoder's
  buffers leave the processor cache). :meth:`FrameDecoder.fill_behind` decodes them again, when
  there is time, and caches them for stepping back.
- :class:`FrameCache` keeps converted frames, least recently used out first, up to a byte budget.
- :class:`FrameServer` is thread-safe and owns a worker thread with its own decoder. Requests
  return at once; the newest request supersedes older ones (scrubbing drops stale work); between
  requests the worker fills the cache around the playhead (the frames just behind it, a few ahead,
  and the end of the previous keyframe interval when the playhead is near a keyframe). While a
  playhead is dragged, preview requests ask for the keyframe at or before each position instead,
  decoded alone: a few milliseconds, so the pictures keep up with the pointer.

Pictures are turned for display as the file asks (see :attr:`~desk.media.probe.FilmInfo.rotation`).
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import av
import av.error

from desk.errors import FilmError
from desk.media.probe import frame_timing, open_video

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("desk.media.frames")

DEFAULT_CACHE_BYTES = 512 * 2**20
#: Frames decoded ahead of the playhead when the worker is idle.
READ_AHEAD = 12
#: Near a keyframe (this many frames after it), the worker also caches the previous interval's end.
WARM_MARGIN = 12
#: Keyframe interval assumed until one is seen (x264's default).
DEFAULT_GOP = 250
#: Decoding this many frames forward costs about as much as a seek.
SEEK_COST_FRAMES = 4
MAX_HELD = 300

FrameCallback = Callable[["Frame"], None]


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded picture: its number in the file, its start in copy milliseconds, its pixels.

    ``pixels`` holds ``height`` rows of ``width`` RGB pixels (three bytes each), ``stride`` bytes
    apart; :attr:`rgb` is the same picture as a NumPy array, made on first use, so that showing a
    frame does not need NumPy (importing it would delay a film's first picture). ``exact`` is
    false for a stand-in (a nearby frame or a keyframe preview) returned for a time that shows
    another frame.
    """

    index: int
    pts_ms: int
    width: int
    height: int
    stride: int
    pixels: bytes
    exact: bool = True

    @classmethod
    def from_array(cls, index: int, pts_ms: int, rgb: np.ndarray, exact: bool = True) -> Frame:
        """A frame of an array of height x width x 3 bytes."""
        height, width = rgb.shape[:2]
        return cls(index, pts_ms, width, height, width * 3, rgb.tobytes(), exact)

    @cached_property
    def rgb(self) -> np.ndarray:
        """The pixels as a read-only height x width x 3 array (sharing their memory)."""
        import numpy as np

        shape, strides = (self.height, self.width, 3), (self.stride, 3, 1)
        return np.ndarray(shape, np.uint8, buffer=self.pixels, strides=strides)

    @property
    def nbytes(self) -> int:
        return len(self.pixels)


# -- time lines ------------------------------------------------------------------------------------
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


# -- the cache -------------------------------------------------------------------------------------
class FrameCache:
    """Converted frames keyed by (frame number, width key), least recently used out first.

    The width key is the decoder's ``max_width`` (0 for full size). Thread-safe.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._frames: OrderedDict[tuple[int, int], Frame] = OrderedDict()
        self._indices: dict[int, list[int]] = {}
        self._bytes = 0

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, key: tuple[int, int]) -> bool:
        with self._lock:
            return key in self._frames

    def get(self, index: int, width: int) -> Frame | None:
        with self._lock:
            frame = self._frames.get((index, width))
            if frame is not None:
                self._frames.move_to_end((index, width))
            return frame

    def put(self, frame: Frame, width: int) -> None:
        key = (frame.index, width)
        with self._lock:
            if key in self._frames or frame.nbytes > self.max_bytes:
                return
            self._frames[key] = frame
            self._bytes += frame.nbytes
            bisect.insort(self._indices.setdefault(width, []), frame.index)
            while self._bytes > self.max_bytes:
                (old_index, old_width), old = self._frames.popitem(last=False)
                self._bytes -= old.nbytes
                self._indices[old_width].remove(old_index)

    def nearest(self, index: int, width: int) -> Frame | None:
        """The cached frame closest to ``index`` (the earlier one on a tie)."""
        with self._lock:
            indices = self._indices.get(width) or []
            at = bisect.bisect_left(indices, index)
            near = [i for i in indices[max(0, at - 1) : at + 1]]
            if not near:
                return None
            best = min(near, key=lambda i: (abs(i - index), i))
            return self._frames[(best, width)]

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._indices.clear()
            self._bytes = 0


# -- the decoder -----------------------------------------------------------------------------------
def _output_size(width: int, height: int, turned: bool, max_width: int | None) -> tuple[int, int]:
    """Size to decode to (before turning) so the shown width fits ``max_width``; even sides."""
    shown = height if turned else width
    if not max_width or shown <= max_width:
        return width, height
    scale = max_width / shown
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


class FrameDecoder:
    """Exact frames from one film, synchronously. One per thread: not thread-safe.

    ``cache`` (shared or private) receives every frame converted; ``timeline`` may be shared
    between decoders of the same film. ``threads`` turns on frame-threaded decoding.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        max_width: int | None = None,
        cache: FrameCache | None = None,
        timeline: Timeline | None = None,
        threads: bool = True,
    ) -> None:
        self.path = Path(path)
        self.max_width = max_width
        self.width_key = max_width or 0
        self.cache = cache if cache is not None else FrameCache()
        self._container, self._video = open_video(self.path)
        try:
            self.timeline = timeline or timeline_for(self.path, self._container, self._video)
        except av.error.FFmpegError as exc:
            self._container.close()
            raise FilmError(f"The video of '{self.path}' cannot be read: {exc.strerror}.") from None
        self._video.thread_type = "AUTO" if threads else "SLICE"
        self.hold = self._hold_count()
        self._keys: list[int] = []
        self.end_index: int | None = None
        self._keeping = False  # keep the frames passed over (only while filling behind)
        self.forget_position()

    def _hold_count(self) -> int:
        """How many frames behind a frame to cache: up to half the cache."""
        context = self._video.codec_context
        width, height = _output_size(context.width, context.height, False, self.max_width)
        return max(8, min(MAX_HELD, self.cache.max_bytes // 2 // max(1, width * height * 3)))

    def forget_position(self) -> None:
        """Forget the read position: the next frame needs a seek."""
        self._frames: Iterator[Any] | None = None
        self._pending: tuple[int, Any] | None = None
        self._last: tuple[int, Any] | None = None
        self._held: deque[tuple[int, Any]] = deque(maxlen=self.hold if self._keeping else 0)

    def close(self) -> None:
        self.forget_position()
        self._container.close()

    def __enter__(self) -> FrameDecoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -------------------------------------------------------------------------------
    def frame_at(self, copy_ms: int) -> Frame:
        """The frame on screen at ``copy_ms`` (the first frame before 0, the last after the end)."""
        frame = self.frame_at_index(self.timeline.index_at(copy_ms))
        assert frame is not None
        return frame

    def frame_at_index(self, index: int, abort: Callable[[], bool] | None = None) -> Frame | None:
        """Frame number ``index`` (clamped to the film); None only if ``abort()`` turned true."""
        index = self.clamp(index)
        cached = self.cache.get(index, self.width_key)
        if cached is not None:
            return cached
        found = self._decode_to(index, abort)
        if found is None:
            return None
        return self._publish(*found)

    def keyframe_at(self, index: int) -> Frame:
        """The keyframe at or before frame ``index``, decoded alone (a cheap preview)."""
        index = self.clamp(index)
        known = self._seen_keyframe(index)
        cached = self.cache.get(known, self.width_key) if known is not None else None
        if cached is not None:
            return cached
        for back in (0, self._gop()):
            self._seek_pts(self.timeline.seek_pts(max(0, index - back)))
            found = self._first_picture()
            if found is not None and (found[0] <= index or back):
                self.forget_position()
                return self._publish(*found)
        self.forget_position()
        raise FilmError(f"No picture could be decoded from '{self.path}'.")

    def fill_behind(self, index: int, abort: Callable[[], bool] | None = None) -> Iterator[None]:
        """Cache the frames just before frame ``index``, nearest first: up to :attr:`hold` of
        them, back to the keyframe they follow (before a keyframe: the end of the previous
        interval). Decodes again from that keyframe; yields after each frame converted, so the
        caller can stop at any point. Stops early when ``abort()`` turns true.
        """
        index = self.clamp(index)
        start = self.keyframe_at_or_before(index - 1) if index > 0 else None
        low = max(0, index - self.hold, start or 0)
        if all((i, self.width_key) in self.cache for i in range(low, index)):
            return
        self._keeping = True
        self.forget_position()
        try:
            found = self._decode_to(index - 1, abort)
            if found is None:
                return
            self._publish(*found)
            while self._held and self._held[-1][0] >= low:
                held_index, frame = self._held.pop()
                if (held_index, self.width_key) not in self.cache:
                    self.cache.put(self._convert(held_index, frame), self.width_key)
                    yield
        finally:
            self._keeping = False
            self._held = deque(maxlen=0)

    def keyframe_at_or_before(self, index: int) -> int | None:
        """The nearest keyframe at or before ``index`` as far as known, or an earlier frame.

        Known from keyframes decoded so far and from the file's index, whose timestamps may be
        decoding times (never later than the keyframe's own).
        """
        known = [self._decoded_keyframe(index), self._indexed_keyframe(index)]
        return max((k for k in known if k is not None), default=None)

    def _decoded_keyframe(self, index: int) -> int | None:
        at = bisect.bisect_right(self._keys, index)
        return self._keys[at - 1] if at else None

    def _indexed_keyframe(self, index: int) -> int | None:
        entries = self._video.index_entries
        if not len(entries):
            return None
        found = entries.search_timestamp(self.timeline.seek_pts(index), backward=True)
        if found < 0:
            return None
        return min(index, max(0, self.timeline.index_of(entries[found].timestamp)))

    def _seen_keyframe(self, index: int) -> int | None:
        """A decoded keyframe that is surely the last one at or before ``index``."""
        seen = self._decoded_keyframe(index)
        if seen is None:
            return None
        indexed = self._indexed_keyframe(index)
        bound = indexed if indexed is not None else index - self._gop()
        return seen if seen >= bound else None

    # -- reaching a frame ---------------------------------------------------------------------
    def clamp(self, index: int) -> int:
        """``index`` within the film (its end is known once it has been decoded to)."""
        index = max(0, index)
        return min(index, self.end_index) if self.end_index is not None else index

    def _gop(self) -> int:
        if len(self._keys) < 2:
            return DEFAULT_GOP
        gaps = sorted(b - a for a, b in zip(self._keys, self._keys[1:], strict=False))
        return max(1, gaps[len(gaps) // 2])

    def _decode_to(self, index: int, abort: Callable[[], bool] | None) -> tuple[int, Any] | None:
        if self._last is not None and self._last[0] == index:
            return self._last
        if not self._forward_is_cheaper(index):
            self._seek_before(index)
        return self._forward_to(index, abort)

    def _position(self) -> int | None:
        if self._frames is None:
            return None
        if self._last is not None:
            return self._last[0]
        return self._pending[0] - 1 if self._pending is not None else None

    def _forward_is_cheaper(self, index: int) -> bool:
        position = self._position()
        if position is None or index <= position:
            return False
        keyframe = self.keyframe_at_or_before(index)
        seek_cost = index - keyframe if keyframe is not None else self._gop()
        return index - position <= seek_cost + SEEK_COST_FRAMES

    def _seek_pts(self, pts: int) -> None:
        try:
            self._container.seek(pts, stream=self._video, backward=True, any_frame=False)
        except av.error.FFmpegError as exc:
            raise FilmError(f"'{self.path}' cannot be searched: {exc.strerror}.") from None

    def _seek_before(self, index: int) -> None:
        """Seek so that decoding starts at a keyframe at or before ``index``.

        Some files land after the asked time (reordered frames, coarse indexes); then seek again
        further back.
        """
        back = 0
        while True:
            goal = max(0, index - back)
            self._seek_pts(self.timeline.seek_pts(goal))
            self.forget_position()
            self._frames = self._decode_all()
            first = self._peek()
            if (first is not None and first[0] <= index) or goal == 0:
                return
            back = max(2 * back, self._gop())

    def _decode_all(self) -> Iterator[Any]:
        try:
            yield from self._container.decode(self._video)
        except av.error.FFmpegError as exc:
            log.warning("%s: decoding stopped early: %s", self.path.name, exc)

    def _peek(self) -> tuple[int, Any] | None:
        """The next decoded frame without taking it; None at the end of the film."""
        if self._pending is None and self._frames is not None:
            frame = next(self._frames, None)
            if frame is None:
                if self._last is not None:
                    self.end_index = self._last[0]
                return None
            self._pending = (self._index_of(frame), frame)
        return self._pending

    def _index_of(self, frame: Any) -> int:
        if frame.pts is None:
            previous = self._last or self._pending
            index = previous[0] + 1 if previous is not None else 0
        else:
            index = self.timeline.index_of(frame.pts)
        if frame.key_frame and index not in self._keys:
            bisect.insort(self._keys, index)
        return index

    def _take(self) -> tuple[int, Any]:
        assert self._pending is not None
        if self._last is not None:
            self._held.append(self._last)
        self._last, self._pending = self._pending, None
        return self._last

    def _forward_to(self, index: int, abort: Callable[[], bool] | None) -> tuple[int, Any] | None:
        """Decode on until frame ``index``; the frame shown then if ``index`` falls in a gap."""
        while True:
            if abort is not None and abort():
                return None
            upcoming = self._peek()
            if upcoming is None or (upcoming[0] > index and self._last is not None):
                if self._last is None:
                    raise FilmError(f"No picture could be decoded from '{self.path}'.")
                return self._last
            taken = self._take()
            if taken[0] >= index:
                return taken

    def _first_picture(self) -> tuple[int, Any] | None:
        """The first frame after a seek, decoded alone (draining the decoder if it holds it)."""
        try:
            for packet in self._container.demux(self._video):
                decoded = packet.decode() or (self._video.decode(None) if packet.size else [])
                if decoded:
                    return self._index_of(decoded[0]), decoded[0]
        except av.error.FFmpegError as exc:
            log.warning("%s: no preview: %s", self.path.name, exc)
        return None

    # -- converting -----------------------------------------------------------------------------
    def _publish(self, index: int, frame: Any) -> Frame:
        out = self.cache.get(index, self.width_key)
        if out is None:
            out = self._convert(index, frame)
            self.cache.put(out, self.width_key)
        return out

    def _convert(self, index: int, frame: Any) -> Frame:
        turns = round((frame.rotation or 0) / 90) % 4
        width, height = _output_size(frame.width, frame.height, turns % 2 == 1, self.max_width)
        scaled = (width, height) != (frame.width, frame.height)
        picture = frame.reformat(
            format="rgb24", width=width, height=height, interpolation="AREA" if scaled else None
        )
        start_ms = self.timeline.start_ms(index)
        if turns:
            import numpy as np

            return Frame.from_array(index, start_ms, np.rot90(picture.to_ndarray(), turns))
        plane = picture.planes[0]
        return Frame(index, start_ms, width, height, plane.line_size, bytes(plane))


# -- the server ------------------------------------------------------------------------------------
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

    Raises :class:`~desk.errors.FilmError` at once if the film cannot be opened.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        max_width: int | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        self.path = Path(path)
        self.cache = FrameCache(cache_bytes)
        self._decoder = FrameDecoder(self.path, max_width=max_width, cache=self.cache)
        self.timeline = self._decoder.timeline
        self.max_width = max_width
        self._key = self._decoder.width_key
        self._lock = threading.Condition()
        self._queue = _Queue()
        self._preview_lock = threading.Lock()
        self._preview: FrameDecoder | None = None
        self._behind: FrameDecoder | None = None  # the worker's second decoder, for fill_behind
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

    def _around(self, playhead: int) -> Iterator[None]:
        """Idle work near the playhead: a few frames ahead, the frames behind, and the previous
        interval's end when the playhead is near a keyframe.

        The frames behind are decoded by a second decoder, so the first stays at the playhead
        for the next step forward.
        """
        decoder = self._decoder
        for index in range(playhead + 1, playhead + 1 + READ_AHEAD):
            if decoder.end_index is not None and index > decoder.end_index:
                break
            if decoder.frame_at_index(index, self._busy) is None:
                return
            yield
        if self._behind is None:
            self._behind = FrameDecoder(
                self.path, max_width=self.max_width, cache=self.cache, timeline=self.timeline
            )
        yield from self._behind.fill_behind(playhead, self._busy)
        keyframe = decoder.keyframe_at_or_before(playhead)
        if keyframe and playhead - keyframe <= WARM_MARGIN:
            yield from self._behind.fill_behind(keyframe, self._busy)


def _call(callback: FrameCallback, frame: Frame) -> None:
    try:
        callback(frame)
    except Exception:
        log.exception("a frame callback failed")
