"""The exact-frame decoder: the very frame a film shows at a time, decoded by PyAV, synchronously.

:class:`FrameDecoder` belongs to one thread. It reaches a frame by decoding forward when the frame
is near ahead, otherwise by seeking to the keyframe at or before it and decoding forward. Only the
frames it returns are converted to RGB, and the frames it passes over are dropped (holding them
all slows decoding by a third at 1080p: the decoder's buffers leave the processor cache), all but
the last few (:data:`TRAIL`, fewer of a 4K film), kept unconverted so that the first steps back
need no decoding (:meth:`FrameDecoder.convert_trail`). :meth:`FrameDecoder.fill_behind` decodes
the others again, when there is time, and caches them for stepping back. Frames cached without
being shown are kept as decoded where that gives the same pixels later
(:mod:`desk.media.yuv_frames`: half the bytes of RGB), converted when asked for. A decoder made to
``skip_passed`` (for stills, which never step back) does not even decode the H.264 pictures before
the frame asked for that no other picture refers to: a third of an interval's pictures, and the
costlier ones (the frame asked for and every picture after it are always decoded).
:meth:`FrameDecoder.keyframe_at` decodes the keyframe at or before a frame alone, a cheap
preview.

Pictures are shown in their true shape (:mod:`desk.media.picture`): widened or narrowed to square
pixels as the file's sample aspect ratio asks, made whole if interlaced, tone-mapped to SDR if HDR
(:mod:`desk.media.hdr`), turned as the file asks
(see :attr:`~desk.media.probe.FilmInfo.rotation`) and, given a ``max_width``, scaled down while
converted.
"""

from __future__ import annotations

import bisect
import logging
from collections import deque
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
from av.codec.context import ThreadType
from av.video.reformatter import VideoReformatter

from desk.errors import FilmError
from desk.media.frame_cache import Frame, FrameCache
from desk.media.frame_index import FrameIndex, Progress
from desk.media.picture import deinterlaced, is_hdr, sample_aspect, shown_width
from desk.media.probe import FilmClock, FilmHeader, film_clock, film_header, open_video
from desk.media.timelines import Timeline, timeline_for
from desk.media.yuv_frames import YuvFrame, packable, rgb_frame, to_rgb

log = logging.getLogger("desk.media.frames")

#: Keyframe interval assumed until one is seen (x264's default).
DEFAULT_GOP = 250
#: Decoding this many frames forward costs about as much as a seek.
SEEK_COST_FRAMES = 4
MAX_HELD = 300
#: Frames kept, unconverted, behind the frame decoded last: the first steps back from it.
TRAIL = 16
#: At most this many bytes of them: a decoder whose frames are held cannot reuse their buffers,
#: and at 4K 10-bit (25 MB a frame) sixteen held frames made each seek a third slower. A 1080p
#: film keeps all sixteen, a 4K HDR one two.
TRAIL_BYTES = 64 << 20
#: Codecs whose decoder can skip the pictures no other picture refers to and still decode every
#: other picture exactly: in H.264 such a picture says so itself (``nal_ref_idc`` 0). HEVC's
#: "non-reference" pictures may still be referred to from a higher temporal layer.
SKIPPABLE_CODECS = frozenset({"h264"})
#: A frame no further than this many pictures past its keyframe is decoded without frame threads
#: by a decoder made with ``threads=None`` (it decides at its first frame): each thread takes a
#: picture of its own before the first comes out, so a short run pays for filling and draining
#: them. On two busy cores, 11 to 80 pictures past the keyframe of a 1080p H.264 film, frame
#: threads brought the frame no sooner and took 10–30 % more processor time; 42 pictures into a
#: 4K HEVC film they were 13 % quicker, 12 pictures in 8 % slower. Slice threads stay, for the
#: codecs whose pictures are cut into slices or wavefronts (HEVC from x265).
FRAME_THREADS_PAST = 24


def _output_size(
    width: int, height: int, sar: Fraction, turned: bool, max_width: int | None
) -> tuple[int, int]:
    """Size to convert to (before turning): square pixels, and the shown width no more than
    ``max_width`` (then with even sides)."""
    width = shown_width(width, sar)
    shown = height if turned else width
    if not max_width or shown <= max_width:
        return width, height
    scale = max_width / shown
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


class FrameDecoder:
    """Exact frames from one film, synchronously. One per thread: not thread-safe.

    ``cache`` (shared or private) receives every frame converted; ``timeline`` may be shared
    between decoders of the same film. ``threads`` turns on frame-threaded decoding;
    ``threads=None`` turns it on only if the first frame asked for lies more than
    :data:`FRAME_THREADS_PAST` frames past the keyframe it is decoded from (for a reader of one
    frame: a still).
    ``skip_passed`` skips the pictures passed over on the way to a frame that no other picture
    refers to (where the codec allows it): quicker, but those frames are not there to step back to.
    ``index_progress`` is told, from another thread, how far the film's frame times are read
    when they are not in the cache yet (:func:`~desk.media.timelines.timeline_for`) unless
    given as ``index``. ``trail=False`` keeps no frames behind the one decoded last, for a
    reader that never steps back (a still): holding them slows its decoding.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        max_width: int | None = None,
        cache: FrameCache | None = None,
        timeline: Timeline | None = None,
        threads: bool | None = True,
        skip_passed: bool = False,
        index_progress: Progress | None = None,
        index: FrameIndex | None = None,
        trail: bool = True,
    ) -> None:
        self.path = Path(path)
        self.max_width = max_width
        self.width_key = max_width or 0
        self.cache = cache if cache is not None else FrameCache()
        self._container, self._video = open_video(self.path)
        #: The container's format and audio streams, as read on opening it.
        self.header: FilmHeader = film_header(self._container)
        try:
            self.timeline = timeline or timeline_for(
                self.path, self._container, self._video, index_progress, index
            )
        except av.error.FFmpegError as exc:
            self._container.close()
            raise FilmError(f"The video of '{self.path}' cannot be read: {exc.strerror}.") from None
        self._video.thread_type = "AUTO" if threads else "SLICE"
        self._threads_undecided = threads is None
        self._skip_passed = skip_passed and self._video.codec_context.name in SKIPPABLE_CODECS
        self._target = 0  # the frame being decoded to: pictures before it may be skipped
        self.pictures_decoded = 0  # pictures out of the decoder, for the logs and the tests
        self.sample_aspect = sample_aspect(self._video)
        self.hold = self._hold_count()
        self.trail = self._trail_count() if trail else 0
        self._keys: list[int] = []
        self.end_index: int | None = None
        self._keeping = False  # keep every frame passed over (only while filling behind)
        self._keep_from: int | None = None  # while filling behind: cache frames from here on
        # One scaler for every frame converted: ``frame.reformat()`` gives each decoded frame a
        # scaler of its own, with its own threads (as many as the processors, and one more) and
        # buffers, alive as long as the frame is held (the trail, the frame shown).
        self._scaler = VideoReformatter()
        self.forget_position()

    def _hold_count(self) -> int:
        """How many frames behind a frame to cache: up to half the cache."""
        context = self._video.codec_context
        width, height = _output_size(
            context.width, context.height, self.sample_aspect, False, self.max_width
        )
        return max(8, min(MAX_HELD, self.cache.max_bytes // 2 // max(1, width * height * 3)))

    def _trail_count(self) -> int:
        """How many decoded frames to keep behind the current one (:data:`TRAIL_BYTES`)."""
        context = self._video.codec_context
        planes = context.format.components if context.format is not None else ()
        sample_bytes = 2 if any(c.bits > 8 for c in planes) else 1
        frame_bytes = sum(c.width * c.height for c in planes) * sample_bytes
        return max(1, min(TRAIL, TRAIL_BYTES // max(1, frame_bytes)))

    def forget_position(self) -> None:
        """Forget the read position: the next frame needs a seek."""
        self._frames: Iterator[Any] | None = None
        self._pending: tuple[int, Any] | None = None
        self._last: tuple[int, Any] | None = None
        self._held: deque[tuple[int, Any]] = deque(
            maxlen=self.hold if self._keeping else self.trail
        )

    def close(self) -> None:
        self.forget_position()
        self._container.close()

    def __enter__(self) -> FrameDecoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -------------------------------------------------------------------------------
    @property
    def frame_threads(self) -> bool:
        """Whether pictures are decoded on frame threads (else on slice threads at most)."""
        return bool(self._video.thread_type & ThreadType.FRAME)

    def film_clock(self, index: FrameIndex) -> FilmClock:
        """The film's rate and length (:func:`~desk.media.probe.film_clock`) given its frame
        times, read through this decoder's own opening of the file: a command that reads one
        frame opens the film once."""
        try:
            return film_clock(self._container, self._video, index)
        except av.error.FFmpegError as exc:
            raise FilmError(f"The video of '{self.path}' cannot be read: {exc.strerror}.") from None
        finally:
            self.forget_position()  # the clock was read at the film's end

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
        """Cache the frames just before frame ``index``: up to :attr:`hold` of them, back to the
        keyframe they follow (before a keyframe: the end of the previous interval). Decodes again
        from that keyframe. Frames kept as decoded (:mod:`desk.media.yuv_frames`) are copied
        into the cache as they pass, so the decoder's buffers are not held (a held frame makes
        its pool grow by a frame, for as long as the decoder is open); others are held and then
        converted nearest first, with a yield after each, so the caller can stop at any point.
        Stops early when ``abort()`` turns true.
        """
        index = self.clamp(index)
        start = self.keyframe_at_or_before(index - 1) if index > 0 else None
        low = max(0, index - self.hold, start or 0)
        if self.cached_behind(index) >= min(self.hold // 2, index - low):
            return  # enough to step back on: decoding the interval again for a frame is waste
        self._keeping, self._keep_from = True, low
        self.forget_position()
        try:
            found = self._decode_to(index - 1, abort)
            if found is None:
                return
            self._keep(*found)
            while self._held and self._held[-1][0] >= low:
                held_index, frame = self._held.pop()
                if (held_index, self.width_key) not in self.cache:
                    self.cache.put(self._kept(held_index, frame), self.width_key)
                    yield
        finally:
            self._keeping, self._keep_from = False, None
            self._held = deque(maxlen=self.trail)

    def convert_trail(self) -> Iterator[None]:
        """Cache the last few frames decoded before the current one, nearest first (they are
        kept, unconverted, as they pass): the first steps back after a seek cost a conversion,
        not a decode from the keyframe. Yields after each frame converted."""
        while self._held:
            held_index, frame = self._held.pop()
            if (held_index, self.width_key) not in self.cache:
                self.cache.put(self._kept(held_index, frame), self.width_key)
                yield

    def keep_at_index(self, index: int, abort: Callable[[], bool] | None = None) -> bool:
        """Cache frame number ``index`` (clamped to the film) without converting it if it can
        be kept as decoded (:mod:`desk.media.yuv_frames`); false only if ``abort()`` turned
        true."""
        index = self.clamp(index)
        if (index, self.width_key) in self.cache:
            return True
        found = self._decode_to(index, abort)
        if found is None:
            return False
        self._keep(*found)
        return True

    def _keep(self, index: int, frame: Any) -> None:
        if (index, self.width_key) not in self.cache:
            self.cache.put(self._kept(index, frame), self.width_key)

    def cached_behind(self, index: int) -> int:
        """How many frames just before frame ``index`` are cached, back to the first missing."""
        count = 0
        while index - count - 1 >= 0 and (index - count - 1, self.width_key) in self.cache:
            count += 1
        return count

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

    def _decide_threads(self, first_pts: int | None, target: int) -> None:
        """Before the first picture is decoded (the codec cannot change its threads after), for a
        decoder made with ``threads=None``: frame threads if frame ``target`` lies more than
        :data:`FRAME_THREADS_PAST` frames past the first picture to decode (at ``first_pts``, the
        keyframe sought; unknown without a timestamp: frame threads)."""
        self._threads_undecided = False
        first = self.timeline.index_of(first_pts) if first_pts is not None else None
        if first is None or target - first > FRAME_THREADS_PAST:
            self._video.thread_type = "AUTO"

    def _decode_to(self, index: int, abort: Callable[[], bool] | None) -> tuple[int, Any] | None:
        if self._last is not None and self._last[0] == index:
            return self._last
        self._target = index
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
            pts = self.timeline.seek_pts(goal)
            if goal == 0:
                # MPEG-TS seeks by decoding time: with B-frames the first keyframe is decoded
                # before its presentation time, so a seek to the film's start lands on the
                # second keyframe; a second earlier lands on the first.
                pts -= round(1 / self._video.time_base)
            self._seek_pts(pts)
            self.forget_position()
            self._frames = self._decode_all()
            first = self._peek()
            if (first is not None and first[0] <= index) or goal == 0:
                return
            back = max(2 * back, self._gop())

    def _decode_all(self) -> Iterator[Any]:
        context = self._video.codec_context
        try:
            for packet in self._container.demux(self._video):
                if self._threads_undecided:
                    self._decide_threads(packet.pts, self._target)
                if self._skip_passed:
                    # Decided packet by packet, as the decoder reads it: the frame asked for and
                    # all after it (in display order) are decoded whatever they are.
                    context.skip_frame = "NONREF" if self._passed(packet.pts) else "DEFAULT"
                for picture in packet.decode():
                    self.pictures_decoded += 1
                    yield picture
        except av.error.FFmpegError as exc:
            log.warning("%s: decoding stopped early: %s", self.path.name, exc)

    def _passed(self, pts: int | None) -> bool:
        """Whether the picture of a packet with this timestamp is shown before the frame asked
        for (a packet without one is not: it might be that frame). Never while filling behind,
        which keeps every frame passed over."""
        if pts is None or self._keeping:
            return False
        return self.timeline.index_of(pts) < self._target

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
        passed = self._last
        if passed is not None and self._keep_from is not None and self._packs(passed[1]):
            if passed[0] >= self._keep_from:
                self._keep(*passed)
        elif passed is not None:
            self._held.append(passed)
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
                self._threads_undecided = False  # one picture alone: frame threads only cost
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
            kept = self._kept(index, frame)
            if isinstance(kept, Frame):
                out = kept
                self.cache.put(kept, self.width_key)
            else:  # converted from its kept copy, as it will be when asked for again
                out = rgb_frame(index, kept.pts_ms, to_rgb(self._scaler, kept.picture))
                self.cache.put(kept, self.width_key, converted=out)
        return out

    def _kept(self, index: int, frame: Any) -> Frame | YuvFrame:
        """Frame number ``index`` as the cache keeps it: as decoded (YUV, half the bytes of
        RGB) where converting it later gives the same pixels, else converted."""
        if self._packs(frame):
            return YuvFrame.copy_of(index, self.timeline.start_ms(index), deinterlaced(frame))
        return self._convert(index, frame)

    def _packs(self, frame: Any) -> bool:
        """Whether decoded ``frame`` is kept as decoded (made whole first if interlaced, which
        keeps its format and size)."""
        if round((frame.rotation or 0) / 90) % 4 or is_hdr(frame):
            return False
        return packable(frame, *self._size_of(frame, 0))

    def _size_of(self, frame: Any, turns: int) -> tuple[int, int]:
        return _output_size(
            frame.width, frame.height, self.sample_aspect, turns % 2 == 1, self.max_width
        )

    def _convert(self, index: int, frame: Any) -> Frame:
        turns = round((frame.rotation or 0) / 90) % 4
        frame = deinterlaced(frame)
        width, height = self._size_of(frame, turns)
        # Averaging areas suits shrinking; widening anamorphic pixels is sharper (and quicker)
        # with a cubic.
        if width < frame.width or height < frame.height:
            interpolation: str | None = "AREA"
        else:
            interpolation = "BICUBIC" if (width, height) != (frame.width, frame.height) else None
        start_ms = self.timeline.start_ms(index)
        if is_hdr(frame):
            import numpy as np  # only for HDR and turned pictures: the start-up needs neither

            from desk.media.hdr import sdr_rgb

            rgb = sdr_rgb(frame, width, height, interpolation)  # tone-mapped to SDR
            return Frame.from_array(index, start_ms, np.rot90(rgb, turns) if turns else rgb)
        picture = self._scaler.reformat(
            frame, format="rgb24", width=width, height=height, interpolation=interpolation
        )
        if turns:
            import numpy as np

            return Frame.from_array(index, start_ms, np.rot90(picture.to_ndarray(), turns))
        return rgb_frame(index, start_ms, picture)
