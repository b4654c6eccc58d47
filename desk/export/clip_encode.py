"""Frame-exact clips cut from a film and re-encoded with PyAV: H.264 and AAC in MP4.

A clip is cut at frames, not at times: its first frame is the one on screen at its start and its
last the one on screen just before its end. :class:`FilmReader` seeks to the keyframe at or before
the first frame, decodes forward (making interlaced frames whole with their neighbours, and
tone-mapping HDR ones to SDR: :mod:`desk.media.hdr`), drops the frames before the first and stops
after the last.
Its sound is read from a second handle on the file, from the first frame's presentation time, for
exactly as long as the pictures last, resampled to planar float (stereo at most), with a short
fade at both cuts so they do not click.

:class:`ClipWriter` appends segments (a run of the film, or a still title card over silence) to
one MP4: x264 with the same preset and rate factor as ``ffmpeg -c:v libx264 -preset veryfast``,
AAC, ``movflags=+faststart``. Clips are always re-encoded: a cut copied packet for packet is
frame-exact only when both ends fall on keyframes of a closed GOP and the sound is trimmed to the
sample, which few real films allow.

An anamorphic film's clip is scaled to square pixels at the film's display aspect rather than
keeping its narrow pixels with a sample aspect ratio in the stream: captions and the timecode are
drawn in the clip's own pixels and would be squeezed otherwise, and a player or editor that ignores
the ratio still shows the picture in its true shape.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error
import numpy as np
from av.video.frame import PictureType

from desk.errors import FilmError
from desk.export.clip_overlay import Layer, planes, stamp_text, timecode_scale
from desk.media.frames import Timeline, timeline_for
from desk.media.hdr import sdr_frame
from desk.media.picture import deinterlaced_run, shown_width
from desk.media.probe import FilmInfo, open_video, probe

#: Length of the fade in and out of each cut's sound.
FADE_S = Fraction(3, 1000)
#: Sound is read from this long before a cut, so the decoder is settled when the cut comes.
AUDIO_PREROLL_S = Fraction(1)
DEFAULT_PRESET = "veryfast"
DEFAULT_CRF = 23

Picture = Any  # an av.VideoFrame, or a packed yuv420p array
Tick = Callable[[], None]


@dataclass(frozen=True)
class Sound:
    """The sound format of a clip: sample rate and channel layout."""

    rate: int
    layout: str

    @property
    def channels(self) -> int:
        return 1 if self.layout == "mono" else 2


class FilmReader:
    """Frames and sound of one film, read forward from any frame. Not thread-safe."""

    def __init__(self, path: Path, audio_track: int | None = None) -> None:
        self.path = Path(path)
        self.info: FilmInfo = probe(self.path)
        self._container, self._video = open_video(self.path)
        self._video.thread_type = "AUTO"
        try:
            self.timeline: Timeline = timeline_for(self.path, self._container, self._video)
        except av.error.FFmpegError as exc:
            self._container.close()
            raise FilmError(f"The video of '{self.path}' cannot be read: {exc.strerror}.") from None
        self.sound: Sound | None = None
        self._sound_file: Any = None
        # The sound the project chose (a stream index), else the film's first.
        chosen = [t for t in self.info.audio_tracks if t.index == audio_track]
        self._audio_index: int | None = None
        if self.info.audio_tracks:
            track = (chosen or list(self.info.audio_tracks))[0]
            self._audio_index = track.index
            layout = "mono" if track.channels == 1 else "stereo"
            self.sound = Sound(track.sample_rate, layout)
            self._sound_file = av.open(str(self.path), metadata_errors="replace")

    def close(self) -> None:
        self._container.close()
        if self._sound_file is not None:
            self._sound_file.close()

    def __enter__(self) -> FilmReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- pictures -----------------------------------------------------------------------------
    def frame_span(self, copy_start_ms: int, copy_end_ms: int) -> tuple[int, int]:
        """First and last frame of ``[copy_start_ms, copy_end_ms)`` (at least one frame)."""
        final = max(0, self.info.frame_count - 1)
        first = min(final, self.timeline.index_at(max(0, copy_start_ms)))
        if copy_end_ms <= copy_start_ms:
            return first, first
        last = min(final, self.timeline.index_at(copy_end_ms - 1))
        return first, max(first, last)

    def frames(self, first: int, last: int) -> Iterator[tuple[int, Any]]:
        """``(index, frame)`` for frames ``first`` to ``last`` (fewer if the film ends sooner)."""
        for index, frame in deinterlaced_run(self._decode_from(first)):
            if index > last:
                return
            if index >= first:
                yield index, sdr_frame(frame)

    def _decode_from(self, index: int) -> Iterator[tuple[int, Any]]:
        """Decoded frames from the keyframe at or before ``index``.

        Some files land after the asked time (reordered frames, coarse indexes); then this seeks
        again further back.
        """
        back = 0
        while True:
            goal = max(0, index - back)
            pts = self.timeline.seek_pts(goal)
            if goal == 0:
                # MPEG program and transport streams seek by decoding time: a seek to the film's
                # start lands on the second keyframe; a second earlier lands on the first.
                pts -= round(1 / self._video.time_base)
            self._container.seek(pts, stream=self._video, backward=True)
            decoded = self._numbered(self._container.decode(self._video))
            head = next(decoded, None)
            if head is None:
                return
            if head[0] <= index or goal == 0:
                yield head
                yield from decoded
                return
            back = max(2 * back, 2 * round(self.info.fps))

    def _numbered(self, frames: Iterable[Any]) -> Iterator[tuple[int, Any]]:
        previous = -1
        try:
            for frame in frames:
                index = previous + 1 if frame.pts is None else self.timeline.index_of(frame.pts)
                previous = index
                yield index, frame
        except av.error.FFmpegError as exc:
            raise FilmError(f"'{self.path.name}' could not be decoded: {exc.strerror}.") from None

    # -- sound --------------------------------------------------------------------------------
    def sound_from(self, start_s: Fraction) -> Iterator[np.ndarray]:
        """Planar float samples from ``start_s`` (the file's own clock) on, in chunks."""
        if self.sound is None:
            return
        stream = self._sound_file.streams[self._audio_index]
        goal = max(Fraction(0), start_s - AUDIO_PREROLL_S)
        self._sound_file.seek(int(goal / stream.time_base), stream=stream, backward=True)
        resampler = av.AudioResampler(format="fltp", layout=self.sound.layout, rate=self.sound.rate)
        skip: int | None = None
        try:
            for frame in self._sound_file.decode(stream):
                if skip is None:
                    if frame.pts is None:
                        continue
                    skip = round((start_s - frame.pts * frame.time_base) * self.sound.rate)
                    if skip < 0:
                        yield np.zeros((self.sound.channels, -skip), np.float32)
                for out in resampler.resample(frame):
                    data = out.to_ndarray()
                    drop = min(max(skip, 0), data.shape[1])
                    skip -= drop
                    if data.shape[1] > drop:
                        yield data[:, drop:]
        except av.error.FFmpegError as exc:
            raise FilmError(f"The sound of '{self.path.name}' could not be decoded.") from exc

    def colors(self) -> dict[str, Any]:
        """The film's colour description (matrix, primaries, transfer), for a clip to carry."""
        context = self._video.codec_context
        names = ("colorspace", "color_primaries", "color_trc")
        return {name: getattr(context, name) for name in names if getattr(context, name, None)}

    def frame_time_s(self, frame: Any) -> Fraction:
        """When a decoded frame is shown, on the file's own clock."""
        return Fraction(frame.pts) * self._video.time_base


class _Samples:
    """Takes exact counts of samples from chunks, with silence after they run out and fades at
    both ends of ``planned`` samples."""

    def __init__(self, chunks: Iterator[np.ndarray] | None, sound: Sound, planned: int) -> None:
        self.chunks, self.sound, self.planned = chunks, sound, planned
        self.fade = max(1, int(FADE_S * sound.rate))
        self.buffer = np.zeros((sound.channels, 0), np.float32)
        self.taken = 0

    def take(self, count: int) -> np.ndarray:
        while self.buffer.shape[1] < count and self.chunks is not None:
            chunk = next(self.chunks, None)
            if chunk is None:
                self.chunks = None
                break
            self.buffer = np.concatenate([self.buffer, chunk.astype(np.float32)], axis=1)
        out = np.zeros((self.sound.channels, count), np.float32)
        have = min(count, self.buffer.shape[1])
        out[:, :have] = self.buffer[:, :have]
        self.buffer = self.buffer[:, have:]
        positions = self.taken + np.arange(count)
        ramp = np.minimum(positions, self.planned - 1 - positions) / self.fade
        out *= np.clip(ramp, 0, 1).astype(np.float32)
        self.taken += count
        return out


class ClipWriter:
    """One MP4 being written: pictures at a constant rate, and sound in step with them."""

    def __init__(
        self,
        path: Path,
        *,
        size: tuple[int, int],
        fps: Fraction,
        sound: Sound | None,
        preset: str = DEFAULT_PRESET,
        crf: int = DEFAULT_CRF,
        colors: dict[str, Any] | None = None,
    ) -> None:
        self.fps, self.sound, self.frames = Fraction(fps), sound, 0
        self.samples = 0
        self._container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        options = {"preset": preset, "crf": str(crf)}
        self._video = self._container.add_stream("libx264", rate=self.fps, options=options)
        self._video.width, self._video.height = size
        self._video.pix_fmt = "yuv420p"
        # Frame threads, as ffmpeg's command line has them: PyAV's default of slice threads makes
        # x264 slower.
        self._video.codec_context.thread_type = "AUTO"
        for name, value in (colors or {}).items():
            setattr(self._video.codec_context, name, value)
        self._audio = None
        if sound is not None:
            self._audio = self._container.add_stream("aac", rate=sound.rate, layout=sound.layout)

    def add_segment(
        self,
        pictures: Iterable[Picture],
        sound: Iterator[np.ndarray] | None,
        planned_frames: int,
        tick: Tick,
    ) -> int:
        """Append pictures with their sound (silence if None); returns the frames written."""
        start_frames = self.frames
        samples = None
        if self.sound is not None:
            planned = self._samples_at(start_frames + planned_frames) - self._samples_at(
                start_frames
            )
            samples = _Samples(sound, self.sound, planned)
        for picture in pictures:
            self._encode(picture)
            if samples is not None:
                self._write_sound(samples, self._samples_at(self.frames) - self.samples)
            tick()
        return self.frames - start_frames

    def close(self) -> None:
        """Flush the encoders and finish the file (the faststart pass moves its index first)."""
        self._container.mux(self._video.encode(None))
        if self._audio is not None:
            self._container.mux(self._audio.encode(None))
        self._container.close()

    def abort(self) -> None:
        """Stop writing; the caller removes the unfinished file."""
        with contextlib.suppress(av.error.FFmpegError, OSError, ValueError):
            self._container.close()

    def _samples_at(self, frames: int) -> int:
        assert self.sound is not None
        return round(Fraction(frames) / self.fps * self.sound.rate)

    def _encode(self, picture: Picture) -> None:
        if isinstance(picture, np.ndarray):
            picture = av.VideoFrame.from_ndarray(picture, format="yuv420p")
        picture.pts, picture.time_base = self.frames, 1 / self.fps
        picture.pict_type = PictureType.NONE  # let x264 choose; never copy the source's types
        self._container.mux(self._video.encode(picture))
        self.frames += 1

    def _write_sound(self, samples: _Samples, count: int) -> None:
        if count <= 0 or self._audio is None or self.sound is None:
            return
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples.take(count)), format="fltp", layout=self.sound.layout
        )
        frame.sample_rate = self.sound.rate
        frame.pts, frame.time_base = self.samples, Fraction(1, self.sound.rate)
        self._container.mux(self._audio.encode(frame))
        self.samples += count


# -- shaping pictures ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """How decoded frames become a clip's pictures: turned upright, scaled, painted.

    ``source`` is the film's stored picture size, ``size`` the clip's (upright) picture size.
    """

    source: tuple[int, int]
    turns: int
    size: tuple[int, int]
    caption: Layer | None = None
    timecode: Callable[[int], str] | None = None

    @property
    def untouched(self) -> bool:
        painted = self.caption is not None or self.timecode is not None
        return not painted and not self.turns and self.size == self.source

    def __call__(self, index: int, frame: Any) -> Picture:
        if self.untouched and frame.format.name == "yuv420p":
            return frame
        width, height = self.size
        stored = (height, width) if self.turns % 2 else (width, height)
        yuv = frame.to_ndarray(
            format="yuv420p", width=stored[0], height=stored[1], interpolation="BICUBIC"
        )
        if self.turns:
            yuv = _turned(yuv, stored, self.turns)
        views = planes(yuv, width, height)
        if self.caption is not None:
            self.caption.blend(*views)
        if self.timecode is not None:
            above = self.caption.top if self.caption is not None else height
            margin = max(2, height // 40) // 2 * 2
            stamp_text(
                views,
                self.timecode(index),
                right=width - margin,
                bottom=above - margin,
                scale=timecode_scale(height),
            )
        return yuv


def _turned(yuv: np.ndarray, size: tuple[int, int], turns: int) -> np.ndarray:
    """A packed yuv420p picture turned clockwise ``turns`` quarter turns."""
    turned = [np.rot90(p, -turns) for p in planes(yuv, *size)]
    return np.concatenate([p.ravel() for p in turned]).reshape(-1, turned[0].shape[1])


def output_size(
    width: int, height: int, turns: int, max_height: int | None, sar: Fraction = Fraction(1)
) -> tuple[int, int]:
    """The clip's picture size: square pixels, upright, scaled to ``max_height`` if given, even
    sides."""
    width = shown_width(width, sar)
    if turns % 2:
        width, height = height, width
    if max_height:
        width, height = round(width * max_height / height), max_height
    return max(2, width // 2 * 2), max(2, height // 2 * 2)
