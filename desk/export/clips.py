"""Lecture clips: a project's clip list exported as MP4 files, a reel, a playlist and a handout.

:func:`export_clips` reads a clip list (read-only), maps each clip's film time, handles included,
onto the film copy, and writes into one folder:

- one MP4 per clip, named to sort in lecture order (``01-the-ring.mp4``), cut at the exact first
  and last frames (see :mod:`desk.export.clip_encode`), optionally with the caption and the film's
  timecode burned in and scaled to a height;
- optionally a reel: every clip in one MP4, each after a title card;
- optionally an XSPF playlist that plays the exported clips in order (the clips must be written),
  and, only when asked besides, a second one that plays the same ranges from the film itself;
- optionally a handout PDF with each clip's title, still, caption and notes.

Every file is written under a temporary name in the folder and renamed when complete, so a failed
or cancelled export leaves no partial file (clips finished before it are kept: they are whole).
"""

from __future__ import annotations

import itertools
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import av.error

from desk.core.files import claimed, publish
from desk.core.outputs import check_folder
from desk.core.timecode import format_ms
from desk.errors import Cancelled
from desk.export.clip_encode import DEFAULT_CRF, DEFAULT_PRESET, ClipWriter, FilmReader, Shape
from desk.export.clip_encode import output_size as picture_size
from desk.export.clip_overlay import CardText, caption_layer, title_card
from desk.export.errors import ExportError
from desk.export.lecture import ClipItem, Lecture, checked_film, load_lecture
from desk.store.project import Project

log = logging.getLogger("desk.export")

Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]
#: Seconds a reel's title card stays on screen before its clip.
CARD_S = 3
#: Longest slug in a clip's file name.
SLUG_CHARS = 48
#: Picture heights a clip may be scaled to.
MIN_HEIGHT, MAX_HEIGHT = 16, 4320
#: Share of the progress bar given to the handout (the rest is video).
HANDOUT_SHARE = 0.05


@dataclass(frozen=True)
class ClipOptions:
    """What to write, and how."""

    clips: bool = True
    captions: bool = False
    timecode: bool = False
    height: int | None = None
    reel: bool = False
    playlist: bool = False
    #: A second playlist, over the original film (``…-over-film.xspf``).
    playlist_over_film: bool = False
    handout: bool = False
    preset: str = DEFAULT_PRESET
    crf: int = DEFAULT_CRF


@dataclass
class ClipExportResult:
    folder: Path
    clips: list[Path] = field(default_factory=list)
    reel: Path | None = None
    playlist: Path | None = None
    over_film: Path | None = None
    handout: Path | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


# -- names ----------------------------------------------------------------------------------------
def slug(text: str, fallback: str = "clip") -> str:
    """``text`` as a file-name part: lower case, words joined by hyphens, any script kept."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    joined = "-".join(words).replace("_", "-")[:SLUG_CHARS].strip("-")
    return joined or fallback


def clip_file_name(clip: ClipItem, count: int) -> str:
    """``01-title-slug.mp4``: numbered to sort in lecture order."""
    digits = max(2, len(str(count)))
    return f"{clip.number:0{digits}d}-{slug(clip.title)}.mp4"


# -- the export ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cut:
    clip: ClipItem
    first: int
    last: int

    @property
    def frames(self) -> int:
        return self.last - self.first + 1


class _Meter:
    """Counts frames written; reports progress and asks whether to cancel."""

    def __init__(self, total: int, progress: Progress | None, cancel: CancelCheck | None) -> None:
        self.total, self.done = max(1, total), 0
        self.progress, self.cancel = progress, cancel

    def tick(self) -> None:
        self.done += 1
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None and self.done % 8 == 0:
            self.progress((1 - HANDOUT_SHARE) * min(1.0, self.done / self.total))


def export_clips(
    project_path: Path | str,
    folder: Path,
    *,
    list_name: str | None = None,
    options: ClipOptions | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> ClipExportResult:
    """Write a clip list's clips (and reel, playlist, handout as asked) into ``folder``."""
    check_folder(Path(folder))  # before the film is opened
    started = time.perf_counter()
    options = options or ClipOptions()
    if options.height is not None and not MIN_HEIGHT <= options.height <= MAX_HEIGHT:
        raise ExportError(
            f"the picture height must be between {MIN_HEIGHT} and {MAX_HEIGHT}, "
            f"not {options.height}."
        )
    with Project.open(project_path, readonly=True) as project:
        lecture = load_lecture(project, list_name)
    if not lecture.clips:
        raise ExportError(f"the clip list '{lecture.name}' has no clips.")
    film = checked_film(lecture)
    folder = _made_folder(Path(folder))
    result = ClipExportResult(folder)
    with FilmReader(film, lecture.film.audio_track if lecture.film else None) as reader:
        cuts = _cuts(lecture, reader)
        _write_videos(lecture, cuts, reader, folder, options, result, progress, cancel)
    name = slug(lecture.name, "clips")
    if options.playlist and result.clips:
        from desk.export.playlist import write_files_playlist

        result.playlist = write_files_playlist(lecture, result.clips, folder / f"{name}.xspf")
    if options.playlist_over_film:
        from desk.export.playlist import write_playlist

        result.over_film = write_playlist(lecture, folder / f"{name}-over-film.xspf")
    if options.handout:
        from desk.export.handout import write_handout

        target = folder / f"{name}-handout.pdf"
        result.handout = write_handout(lecture, target, cancel=cancel, warnings=result.warnings)
    if progress is not None:
        progress(1.0)
    result.seconds = time.perf_counter() - started
    log.info("exported %d clips of '%s' in %.1f s", len(cuts), lecture.name, result.seconds)
    return result


def _made_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {folder}: {exc.strerror or exc}.") from exc
    return folder


def _cuts(lecture: Lecture, reader: FilmReader) -> list[_Cut]:
    """Each clip's first and last frame in the copy; refuses clips outside the copy."""
    time_map = lecture.time_map()
    duration = reader.info.duration_ms
    cuts = []
    for clip in lecture.clips:
        start, end = time_map.to_copy(clip.from_ms), time_map.to_copy(clip.to_ms)
        if end < 0 or start >= duration:
            raise ExportError(
                f"clip {clip.number} ('{clip.title}') lies outside the film copy; check the "
                "copy's time map."
            )
        cuts.append(_Cut(clip, *reader.frame_span(start, end)))
    return cuts


def _write_videos(
    lecture: Lecture,
    cuts: list[_Cut],
    reader: FilmReader,
    folder: Path,
    options: ClipOptions,
    result: ClipExportResult,
    progress: Progress | None,
    cancel: CancelCheck | None,
) -> None:
    card_frames = round(CARD_S * reader.info.fps)
    total = sum(c.frames for c in cuts) * (int(options.clips) + int(options.reel))
    meter = _Meter(total + options.reel * card_frames * len(cuts), progress, cancel)
    writer = _VideoFiles(lecture, reader, options, meter)
    if options.clips:
        for cut in cuts:
            target = folder / clip_file_name(cut.clip, len(cuts))
            result.clips.append(writer.write(target, [cut], card_frames=0))
    if options.reel:
        target = folder / f"00-{slug(lecture.name, 'clips')}-reel.mp4"
        result.reel = writer.write(target, cuts, card_frames=card_frames)


class _VideoFiles:
    """Writes MP4 files of cuts from one reader, each atomically."""

    def __init__(
        self, lecture: Lecture, reader: FilmReader, options: ClipOptions, meter: _Meter
    ) -> None:
        self.lecture, self.reader, self.options, self.meter = lecture, reader, options, meter
        info = reader.info
        self.turns = info.rotation // 90
        self.size = picture_size(
            info.width, info.height, self.turns, options.height, info.sample_aspect_ratio
        )

    def write(self, target: Path, cuts: list[_Cut], card_frames: int) -> Path:
        with claimed(target) as tmp:
            self._write(tmp, target, cuts, card_frames)
        return target

    def _write(self, tmp: Path, target: Path, cuts: list[_Cut], card_frames: int) -> None:
        writer: ClipWriter | None = None
        try:
            writer = ClipWriter(
                tmp,
                size=self.size,
                fps=self.reader.info.fps,
                sound=self.reader.sound,
                preset=self.options.preset,
                crf=self.options.crf,
                colors=self.reader.colors(),
            )
            for cut in cuts:
                if card_frames:
                    self._card(writer, cut, card_frames)
                self._clip(writer, cut)
            writer.close()
            publish(tmp, target)
        except (OSError, av.error.FFmpegError) as exc:
            _discard(writer)
            raise ExportError(f"cannot write {target.name}: {_reason(exc)}.") from exc
        except BaseException:
            _discard(writer)
            raise

    def _card(self, writer: ClipWriter, cut: _Cut, frames: int) -> None:
        clip = cut.clip
        text = CardText(
            f"{clip.number} / {len(self.lecture.clips)}",
            clip.title or f"Clip {clip.number}",
            self.lecture.span_of(clip),
            clip.caption,
        )
        card = title_card(text, *self.size)
        writer.add_segment((card.copy() for _ in range(frames)), None, frames, self.meter.tick)

    def _clip(self, writer: ClipWriter, cut: _Cut) -> None:
        frames = self.reader.frames(cut.first, cut.last)
        head = next(frames, None)
        if head is None:
            raise ExportError(f"no picture of clip {cut.clip.number} could be decoded.")
        sound = self.reader.sound_from(self.reader.frame_time_s(head[1]))
        shape = self._shape(cut.clip)
        pictures = (shape(i, f) for i, f in itertools.chain((head,), frames))
        writer.add_segment(pictures, sound, cut.frames, self.meter.tick)

    def _shape(self, clip: ClipItem) -> Shape:
        info, time_map = self.reader.info, self.lecture.time_map()
        caption = caption_layer(clip.caption, *self.size) if self.options.captions else None
        timeline = self.reader.timeline

        def timecode(index: int) -> str:
            return format_ms(time_map.to_film(timeline.start_ms(index)), "hms")

        label = timecode if self.options.timecode else None
        return Shape((info.width, info.height), self.turns, self.size, caption, label)


def _discard(writer: ClipWriter | None) -> None:
    """Stop an unfinished writer (its temporary file is removed by :func:`claimed`)."""
    if writer is not None:
        writer.abort()


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)
