"""What a film file holds, whether it is a film at all, and how to find it again after a move.

:func:`probe` reads a film's header with PyAV, decodes its first frame, scans its last
keyframe interval and reads its frame index (:mod:`desk.media.frame_index`), and returns a
:class:`FilmInfo`; every way a file can fail to be a film
(missing, empty, not a video, a still image, audio only, an unknown codec) raises
:class:`~desk.errors.FilmError` with one sentence naming the file. :func:`open_video` is the same
gatekeeper for the frame server.

:func:`fingerprint` identifies a film's content without reading all of it, and :func:`find_film`
uses it to relink a project to a film that was renamed or moved.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import av.error
from av.stream import Disposition

from desk.errors import FilmError

if TYPE_CHECKING:
    from desk.media.frame_index import FrameIndex

log = logging.getLogger("desk.media.probe")

#: Formats that hold one picture, not a film (PyAV opens a PNG as a one-frame "video").
IMAGE_FORMATS = frozenset({"image2", "apng", "gif", "webp", "tiff", "ico", "bmp"})
VIDEO_SUFFIXES = frozenset(
    {".mp4", ".m4v", ".mov", ".qt", ".mkv", ".webm", ".avi", ".wmv", ".asf", ".flv", ".mpg",
     ".mpeg", ".m2v", ".vob", ".ts", ".m2ts", ".mts", ".3gp", ".3g2", ".ogv", ".ogg", ".mxf",
     ".dv", ".divx", ".y4m", ".nut", ".rm", ".rmvb"}
)  # fmt: skip
COMMON_RATES = tuple(
    Fraction(r) for r in ("24000/1001", "24", "25", "30000/1001", "30", "48", "50",
                          "60000/1001", "60", "120000/1001", "120", "15", "12", "48000/1001")
)  # fmt: skip
#: Packets read at the start for a first guess at the rate of a file that declares none.
SAMPLE_PACKETS = 100
#: A film whose video ends this much before its declared duration is reported as truncated.
TRUNCATION_SLACK_S = 2.0
FINGERPRINT_CHUNK = 1 << 20


@dataclass(frozen=True)
class AudioTrack:
    """One audio stream: ``index`` is its stream index in the container; ``title`` is what the
    file calls it ("Commentary"), if anything."""

    index: int
    codec: str
    channels: int
    sample_rate: int
    language: str | None
    title: str | None = None


@dataclass(frozen=True)
class SubtitleTrack:
    """One subtitle stream: ``text`` is false for pictures of text (PGS, VobSub), which desk
    cannot read as dialogue."""

    index: int
    codec: str
    language: str | None
    title: str | None
    text: bool


@dataclass(frozen=True)
class Chapter:
    """A chapter mark, in milliseconds from the container's start."""

    start_ms: int
    end_ms: int
    title: str


#: Subtitle codecs that carry text (the rest carry pictures of it).
TEXT_SUBTITLE_CODECS = frozenset({"subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"})


@dataclass(frozen=True)
class FilmInfo:
    """A film file as PyAV sees it.

    ``width`` and ``height`` are the stored picture's; ``rotation`` is the clockwise turn in degrees
    (0, 90, 180 or 270) that the file asks players to apply for display; ``sample_aspect_ratio``
    is the shape of a stored pixel (32:27 on an anamorphic NTSC DVD), and ``display_width`` and
    ``display_height`` the picture as players show it, after both. ``duration_ms`` is where the
    video that can actually be read ends, on the film's clock (from the container's start);
    when that is much shorter than the file declares, ``truncated`` is set and ``warnings``
    says so. ``start_ms`` is where the container's clock starts (0.5 s in many
    MPEG-PS files) and ``video_start_ms`` how long after that the first picture comes.
    ``frame_count`` and ``variable_frame_rate`` come from every frame's presentation time in
    display order; ``fps`` is the rate the file declares (on a variable film, its average).
    """

    path: Path
    size_bytes: int
    duration_ms: int
    fps: Fraction
    variable_frame_rate: bool
    frame_count: int
    width: int
    height: int
    rotation: int
    video_codec: str
    audio_tracks: tuple[AudioTrack, ...]
    container: str
    truncated: bool = False
    warnings: tuple[str, ...] = ()
    sample_aspect_ratio: Fraction = Fraction(1)
    display_width: int = 0
    display_height: int = 0
    start_ms: int = 0
    video_start_ms: int = 0
    subtitle_tracks: tuple[SubtitleTrack, ...] = ()
    chapters: tuple[Chapter, ...] = ()

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as shown, after rotation."""
        turned = self.rotation in (90, 270)
        return (self.height, self.width) if turned else (self.width, self.height)


# -- opening ---------------------------------------------------------------------------------------
def _checked_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FilmError(f"There is no film at '{path}'.") from None
    except OSError as exc:
        raise FilmError(f"The film '{path}' cannot be read: {exc.strerror}.") from None
    if path.is_dir():
        raise FilmError(f"'{path}' is a folder, not a film file.")
    if size == 0:
        raise FilmError(f"The film file '{path}' is empty (0 bytes).")
    return size


def _is_image_format(name: str) -> bool:
    return any(part in IMAGE_FORMATS or part.endswith("_pipe") for part in name.split(","))


def _video_stream(container: Any) -> Any | None:
    for stream in container.streams.video:
        if not stream.disposition & Disposition.attached_pic:
            return stream
    return None


def open_video(path: Path) -> tuple[Any, Any]:
    """Open a film with PyAV; returns ``(container, video_stream)`` or raises FilmError."""
    path = Path(path)
    _checked_size(path)
    try:
        container = av.open(str(path), metadata_errors="replace")
    except PermissionError:
        raise FilmError(f"desk is not allowed to read the film '{path}'.") from None
    except (av.error.FFmpegError, OSError, UnicodeDecodeError):
        raise FilmError(
            f"'{path}' is not a film desk can read: it is damaged, incomplete or not a video file."
        ) from None
    try:
        return container, _checked_video(path, container)
    except BaseException:
        container.close()
        raise


def _checked_video(path: Path, container: Any) -> Any:
    if _is_image_format(container.format.name):
        raise FilmError(f"'{path}' is a still image, not a film.")
    video = _video_stream(container)
    if video is None:
        raise FilmError(f"'{path}' has no video track.")
    if video.codec_context is None:
        tag = getattr(video, "codec_tag", "") or "unknown"
        raise FilmError(f"'{path}' uses a video codec ({tag}) that desk cannot decode.")
    return video


# -- probing ---------------------------------------------------------------------------------------
def probe(path: Path | str, progress: Callable[[float], None] | None = None) -> FilmInfo:
    """Describe a film; raises :class:`~desk.errors.FilmError` if it is not one desk can show.

    Its frame count and whether its rate varies come from its frame index, read from the whole
    film the first time (``progress`` is told how far) and from the cache after.
    """
    from desk.media.frame_index import frame_index  # which reads films with open_video, here

    path = Path(path)
    size = _checked_size(path)
    container, video = open_video(path)
    try:
        return _describe(path, size, container, video, frame_index(path, progress))
    except av.error.FFmpegError as exc:
        raise FilmError(f"The video of '{path}' cannot be decoded: {exc.strerror}.") from None
    finally:
        container.close()


@dataclass(frozen=True)
class FilmClock:
    """How fast a film's frames come and how long it lasts: what a time typed for it is read
    against. ``declared_s`` is the video's length as the file declares it, ``found_s`` as far as
    it can be read (both from the video's first picture); ``duration_ms`` is
    :attr:`FilmInfo.duration_ms`."""

    fps: Fraction
    variable_frame_rate: bool
    frame_count: int
    duration_ms: int
    declared_s: float
    found_s: float


def film_clock(
    container: Any, video: Any, index: FrameIndex, start_pts: list[int] | None = None
) -> FilmClock:
    """The rate and length of the film open in ``container``, without decoding a picture.

    ``start_pts`` are the presentation times of the first packets, for a file that declares no
    rate (read here when not given and needed). Leaves the container at its end: whoever reads
    it next seeks first."""
    if start_pts is None:
        start_pts = [] if _declared_rate(video) else _scan_start(container, video)[0]
    fps = _frame_rate(video, start_pts)
    tb = video.time_base
    start = video.start_time or 0
    declared_s = _declared_seconds(container, video)
    end_pts = _readable_end(container, video, start + int(declared_s / tb))
    if index.frame_count and (end_pts is None or end_pts <= index.pts[-1]):
        # The packets read from near the end missed the last frames the index lists (in an
        # MPEG-TS that seek goes by decoding time and lands past most of the last keyframe
        # interval): the video lasts a frame past the last one listed.
        end_pts = index.pts[-1] + math.ceil(1 / (fps * tb))
    found_s = float((end_pts - start) * tb) if end_pts is not None else declared_s
    # The film lasts until its last frame ends on the container's clock, which may start earlier.
    lead_s = float((start - clock_origin_pts(container, video)) * tb)
    return FilmClock(
        fps=fps,
        variable_frame_rate=index.variable,
        frame_count=int(index.frame_count or round(found_s * fps)),
        duration_ms=math.ceil((lead_s + found_s) * 1000 - 1e-6),
        declared_s=declared_s,
        found_s=found_s,
    )


def _describe(path: Path, size: int, container: Any, video: Any, index: FrameIndex) -> FilmInfo:
    pts, first = _scan_start(container, video)
    if first is None:
        raise FilmError(f"The video of '{path}' cannot be decoded: it holds no picture.")
    clock = film_clock(container, video, index, pts)
    declared_s, found_s = clock.declared_s, clock.found_s
    tb = video.time_base
    start = video.start_time or 0
    truncated = found_s < declared_s - TRUNCATION_SLACK_S
    warnings: tuple[str, ...] = ()
    if truncated:
        warnings = (
            f"'{path.name}' seems cut short: it declares {declared_s:.1f} s of video but only "
            f"{found_s:.1f} s can be read.",
        )
        log.warning(warnings[0])
    width, height = video.codec_context.width, video.codec_context.height
    rotation = (-round((first.rotation or 0) / 90) * 90) % 360
    sar = _sample_aspect_ratio(video)
    shown = (round(width * sar), height)
    start_ms = _container_start_ms(container)
    return FilmInfo(
        path=path,
        size_bytes=size,
        duration_ms=clock.duration_ms,
        fps=clock.fps,
        variable_frame_rate=clock.variable_frame_rate,
        frame_count=clock.frame_count,
        width=width,
        height=height,
        rotation=rotation,
        video_codec=video.codec_context.name,
        audio_tracks=tuple(_audio_tracks(container)),
        container=container.format.name,
        truncated=truncated,
        warnings=warnings,
        sample_aspect_ratio=sar,
        display_width=shown[1] if rotation in (90, 270) else shown[0],
        display_height=shown[0] if rotation in (90, 270) else shown[1],
        start_ms=start_ms,
        video_start_ms=max(0, round(float(start * tb) * 1000) - start_ms),
        subtitle_tracks=tuple(_subtitle_tracks(container)),
        chapters=tuple(_chapters(container, start_ms)),
    )


def _sample_aspect_ratio(video: Any) -> Fraction:
    """The shape of a stored pixel; 1 when the file does not say (or says nonsense)."""
    sar = video.sample_aspect_ratio or video.codec_context.sample_aspect_ratio
    if not sar or not 0.1 <= sar <= 10:
        return Fraction(1)
    return Fraction(sar)


def clock_origin_pts(container: Any, video: Any) -> Fraction:
    """Where the film's clock starts, in the video stream's time base: the container's start (the
    earliest of its streams, as VLC, mpv, ffmpeg and ELAN count), never after the first picture."""
    start = Fraction(video.start_time or 0)
    if container.start_time is None or not video.time_base:
        return start
    origin = Fraction(container.start_time, av.time_base) / Fraction(video.time_base)
    return min(start, origin)


#: What an export says of a project made before desk counted a copy's time on its container's
#: clock, when the copy's video start could not be read (the film missing or not confirmed, or
#: the project read-only): its times are still counted from the copy's first picture.
UNSETTLED_CLOCK = (
    "the film's clock could not be read (the film is missing or not confirmed, or the project "
    "cannot be written): times are counted from its first picture, a few milliseconds after "
    "the container's start that other players count from; open the project with its film to "
    "settle this."
)


def video_lead_ms(path: Path) -> Fraction:
    """How long after the container's start a film's first picture comes, exactly (ms)."""
    container, video = open_video(path)
    with container:
        return (
            (Fraction(video.start_time or 0) - clock_origin_pts(container, video))
            * Fraction(video.time_base)
            * 1000
        )


def _container_start_ms(container: Any) -> int:
    start = container.start_time
    return round(start * 1000 / av.time_base) if start and start > 0 else 0


def _subtitle_tracks(container: Any) -> Iterator[SubtitleTrack]:
    for stream in container.streams.subtitles:
        context = stream.codec_context
        codec = context.name if context is not None else str(stream.codec_tag or "unknown")
        yield SubtitleTrack(
            index=stream.index,
            codec=codec,
            language=stream.language,
            title=stream.metadata.get("title") or None,
            text=codec in TEXT_SUBTITLE_CODECS,
        )


def _chapters(container: Any, start_ms: int) -> Iterator[Chapter]:
    for number, chapter in enumerate(container.chapters(), start=1):
        tb = Fraction(chapter["time_base"])
        yield Chapter(
            start_ms=max(0, round(chapter["start"] * tb * 1000) - start_ms),
            end_ms=max(0, round(chapter["end"] * tb * 1000) - start_ms),
            title=str(chapter["metadata"].get("title") or f"Chapter {number}"),
        )


def _scan_start(container: Any, video: Any) -> tuple[list[int], Any | None]:
    """Presentation times of the first packets, and the first decoded picture."""
    pts: list[int] = []
    first = None
    for packet in container.demux(video):
        if packet.pts is not None and len(pts) < SAMPLE_PACKETS:
            pts.append(packet.pts)
        if first is None:
            decoded = packet.decode()
            first = decoded[0] if decoded else None
        if len(pts) >= SAMPLE_PACKETS and first is not None:
            break
    return sorted(pts), first


def snap_rate(rate: Fraction) -> Fraction:
    """A measured rate moved onto the common rate it approximates (23.976... -> 24000/1001)."""
    for common in COMMON_RATES:
        if abs(rate - common) / common < Fraction(1, 5000):
            return common
    return rate.limit_denominator(1001)


def _declared_rate(video: Any) -> Fraction | None:
    rate = video.average_rate or video.guessed_rate or video.base_rate
    return Fraction(rate) if rate else None


def _frame_rate(video: Any, pts: list[int]) -> Fraction:
    rate = _declared_rate(video)
    if not rate and len(pts) > 1 and video.time_base:
        rate = Fraction(len(pts) - 1) / ((pts[-1] - pts[0]) * video.time_base)
    if not rate:
        log.warning("no frame rate found; assuming 25 frames/s")
        return Fraction(25)
    return snap_rate(Fraction(rate))


def _declared_seconds(container: Any, video: Any) -> float:
    if video.duration and video.time_base:
        return float(video.duration * video.time_base)
    if container.duration:
        return container.duration / av.time_base
    return 0.0


def _scan_to_end(container: Any, video: Any, seek_pts: int, max_packets: int) -> int | None:
    """Seek to the keyframe at or before ``seek_pts`` and read on: the end of the last packet."""
    try:
        container.seek(max(0, seek_pts), stream=video, backward=True)
    except av.error.FFmpegError:
        return None
    end = None
    try:
        for count, packet in enumerate(container.demux(video)):
            if packet.pts is not None:
                end = max(end or 0, packet.pts + (packet.duration or 0))
            if count >= max_packets:
                break
    except av.error.FFmpegError:
        pass
    return end


def _readable_end(container: Any, video: Any, declared_end: int) -> int | None:
    """Where the video that can actually be read ends, in the stream's time base.

    Normally one read from the last keyframe on. When the file stops short of its own index, a
    bisection finds the last keyframe that can still be read.
    """
    end = _scan_to_end(container, video, declared_end - 1, max_packets=10_000)
    if end is not None:
        return end
    low, high = video.start_time or 0, declared_end
    while high - low > 1:
        middle = (low + high) // 2
        if _scan_to_end(container, video, middle, max_packets=1) is None:
            high = middle
        else:
            low = middle
    return _scan_to_end(container, video, low, max_packets=10_000)


def _audio_tracks(container: Any) -> Iterator[AudioTrack]:
    for stream in container.streams.audio:
        context = stream.codec_context
        yield AudioTrack(
            index=stream.index,
            codec=context.name if context is not None else "unknown",
            channels=context.channels if context is not None else 0,
            sample_rate=context.sample_rate if context is not None else 0,
            language=stream.language,
            title=stream.metadata.get("title") or None,
        )


def audio_tracks(path: Path | str) -> tuple[AudioTrack, ...]:
    """A film's audio streams in the container's order, read from its header alone."""
    container, _video = open_video(Path(path))
    with container:
        return tuple(_audio_tracks(container))


@dataclass(frozen=True)
class FilmHeader:
    """What a film's header says beyond its video, read where the film is opened anyway (the
    frame server's decoder), so that the player need not open the file again to ask: the
    container's format (PyAV's name, e.g. ``"mov,mp4,m4a,3gp,3g2,mj2"``) and its audio streams."""

    container: str
    audio_tracks: tuple[AudioTrack, ...]


def film_header(container: Any) -> FilmHeader:
    """The header of a film opened with :func:`open_video`."""
    return FilmHeader(container.format.name, tuple(_audio_tracks(container)))


# -- finding a film again --------------------------------------------------------------------------
def fingerprint(path: Path | str) -> str:
    """A content fingerprint that survives renames and moves, read in ~3 MiB even for 50 GB.

    ``"v1:"`` + the SHA-256 of the file's size (8 bytes, little-endian) followed by its first,
    middle and last MiB (the middle MiB starts at ``(size - 1 MiB) // 2``; for small files the
    pieces overlap).
    """
    import hashlib  # here: ``desk frame`` finds a film's frame times without it (frame_index)

    path = Path(path)
    size = _checked_size(path)
    digest = hashlib.sha256(size.to_bytes(8, "little"))
    offsets = (0, max(0, (size - FINGERPRINT_CHUNK) // 2), max(0, size - FINGERPRINT_CHUNK))
    try:
        with path.open("rb") as file:
            for offset in offsets:
                file.seek(offset)
                digest.update(file.read(FINGERPRINT_CHUNK))
    except OSError as exc:
        raise FilmError(f"The film '{path}' cannot be read: {exc.strerror}.") from None
    return "v1:" + digest.hexdigest()


_fingerprint_of = fingerprint


def _video_files(folder: Path) -> Iterator[Path]:
    """Video-like files under ``folder``, in a stable order, skipping hidden folders and files."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in VIDEO_SUFFIXES:
                yield Path(root) / name


def find_film(folder: Path | str, fingerprint: str, size_bytes: int | None = None) -> Path | None:
    """Find the film with this fingerprint under ``folder`` (recursively); None if it is not there.

    Only files of the right size are read when ``size_bytes`` is known, so a search through a big
    film library reads a few MiB.
    """
    if not fingerprint.startswith("v1:"):
        log.warning("unknown fingerprint version: %s", fingerprint[:8])
        return None
    for candidate in _video_files(Path(folder)):
        try:
            size = candidate.stat().st_size
        except OSError:
            continue
        if size_bytes is not None and size != size_bytes:
            continue
        try:
            if _fingerprint_of(candidate) == fingerprint:
                return candidate
        except FilmError:
            continue
    return None
