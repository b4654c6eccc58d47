"""The cues of a text subtitle track inside a film (SRT, ASS/SSA, mov_text, WebVTT), read with
PyAV, on the film's own clock.

FFmpeg's subtitle decoders turn every text format into ASS events. desk reads the event's fields
by the names its header gives (an ASS script may declare fewer fields than the standard nine), takes
the ``Name`` field as the speaker, and keeps the text plain: override blocks (``{\\i1}``,
``{\\an8}``) are dropped and ``\\N``, ``\\n`` and ``\\h`` become a line break or a space. Times are
counted from the container's start, as players count them, so a cue at 1:00.000 is shown with the
frame desk shows at 1:00.000.

Subtitles stored as pictures (Blu-ray PGS, DVD VobSub) hold no text to read; asking for one raises
:class:`~desk.errors.FilmError` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av.error

from desk.errors import Cancelled, FilmError
from desk.media.probe import FilmInfo, SubtitleTrack, open_video, probe

#: Subtitle codecs (FFmpeg's decoder names and codec names) as a person would name them.
_CODEC_NAMES = {
    "subrip": "SubRip",
    "srt": "SubRip",
    "ass": "ASS",
    "ssa": "ASS",
    "mov_text": "MP4 text",
    "webvtt": "WebVTT",
    "pgssub": "Blu-ray PGS",
    "hdmv_pgs_subtitle": "Blu-ray PGS",
    "dvdsub": "DVD VobSub",
    "dvd_subtitle": "DVD VobSub",
    "dvbsub": "DVB",
    "dvb_subtitle": "DVB",
    "xsub": "DivX XSUB",
}
#: What FFmpeg's decoders of the other text formats declare (the standard ASS event fields).
_STANDARD_FIELDS = ("Layer", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text")
_OVERRIDE = re.compile(r"\{[^{}]*\}")
_BREAK = re.compile(r"\\[Nn]")


@dataclass(frozen=True)
class TrackCue:
    """One subtitle: milliseconds from the container's start, plain text lines, the speaker the
    track names (ASS ``Name``; empty when it names none)."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""


def language(track: SubtitleTrack) -> str:
    """The track's language code, empty when it names none (MP4's ``und``, undetermined)."""
    return "" if track.language in (None, "und") else str(track.language)


def codec_name(track: SubtitleTrack) -> str:
    """The track's format as a person names it: ``SubRip``, ``Blu-ray PGS``."""
    return _CODEC_NAMES.get(track.codec, track.codec)


def describe_track(track: SubtitleTrack) -> str:
    """How a person tells a track apart: ``track 2 (English, eng, SubRip)``."""
    named = ", ".join(x for x in (track.title, language(track)) if x)
    return f"track {track.index} ({named + ', ' if named else ''}{codec_name(track)})"


def read_text_track(
    film: Path,
    stream_index: int,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[SubtitleTrack, list[TrackCue]]:
    """The track at ``stream_index`` of ``film`` and its cues in order of time.

    The whole file is read (a track's packets are spread through it), telling ``progress`` the
    fraction read and raising :class:`~desk.errors.Cancelled` once ``cancel()`` is true. Raises
    :class:`~desk.errors.FilmError` when the film cannot be read, has no subtitle track at that
    index, or the track holds pictures of text.
    """
    info = probe(film)
    track = _text_track(info, stream_index)
    container, _ = open_video(Path(film))
    try:
        try:
            stream = container.streams[stream_index]
            watch = _Watch(info.size_bytes, progress, cancel)
            cues = list(_cues(container, stream, info.start_ms, watch))
        except av.error.FFmpegError as exc:
            raise FilmError(
                f"The {describe_track(track)} of '{Path(film).name}' cannot be read: "
                f"{exc.strerror}."
            ) from None
    finally:
        container.close()
    return track, sorted(cues, key=lambda c: (c.start_ms, c.end_ms))


def _text_track(info: FilmInfo, stream_index: int) -> SubtitleTrack:
    film = info.path
    tracks = {t.index: t for t in info.subtitle_tracks}
    track = tracks.get(stream_index)
    if track is None:
        have = ", ".join(describe_track(t) for t in tracks.values())
        offer = f"its subtitle tracks are {have}" if have else "it has no subtitle tracks"
        raise FilmError(f"'{Path(film).name}' has no subtitle track {stream_index}; {offer}.")
    if not track.text:
        raise FilmError(
            f"The {describe_track(track)} of '{Path(film).name}' holds pictures of text, "
            "which desk cannot read as dialogue."
        )
    return track


class _Watch:
    """Progress by the position in the file, and the user's cancel, every so many packets."""

    EVERY = 200

    def __init__(
        self,
        size_bytes: int,
        progress: Callable[[float], None] | None,
        cancel: Callable[[], bool] | None,
    ) -> None:
        self.size = max(1, size_bytes)
        self.progress = progress
        self.cancel = cancel
        self.count = 0

    def packet(self, position: int | None) -> None:
        self.count += 1
        if self.count % self.EVERY != 1:  # the first packet too: a cancel is heard at once
            return
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None and position is not None and position >= 0:
            self.progress(min(1.0, position / self.size))


def _cues(container: Any, stream: Any, start_ms: int, watch: _Watch) -> Iterator[TrackCue]:
    start = Fraction(start_ms, 1000)
    fields: tuple[str, ...] | None = None
    # Demuxing every stream shows progress through a file whose subtitles are sparse; the
    # pictures and sounds are not decoded, only skipped.
    for packet in container.demux():
        watch.packet(packet.pos)
        if packet.stream.index != stream.index or packet.pts is None:
            continue
        subtitles = stream.decode2(packet)
        if subtitles is None:
            continue
        if fields is None:  # the decoder's header is there once it has decoded a packet
            fields = _event_fields(stream.codec_context.subtitle_header or b"")
        begin = packet.pts * stream.time_base + Fraction(subtitles.start_display_time, 1000)
        if packet.duration:
            end = packet.pts * stream.time_base + packet.duration * stream.time_base
        else:
            end = packet.pts * stream.time_base + Fraction(subtitles.end_display_time, 1000)
        for rect in subtitles:
            ass = getattr(rect, "ass", b"")
            if not ass:
                continue
            speaker, text = _event(ass.decode("utf-8", "replace"), fields)
            if text:
                yield TrackCue(_ms(begin - start), _ms(max(begin, end) - start), text, speaker)


def _ms(seconds: Fraction) -> int:
    return round(seconds * 1000)


def _event_fields(header: bytes) -> tuple[str, ...]:
    """The fields of a decoded event: the header's ``[Events]`` format without Start and End
    (Matroska and FFmpeg keep those as the packet's times), after FFmpeg's ``ReadOrder``."""
    events = header.decode("utf-8", "replace").partition("[Events]")[2]
    found = re.search(r"^Format:(.*)$", events, re.MULTILINE)
    if found is None:
        return ("ReadOrder", *_STANDARD_FIELDS)
    names = [name.strip() for name in found[1].split(",")]
    return ("ReadOrder", *(n for n in names if n not in ("Start", "End")))


def _event(ass: str, fields: tuple[str, ...]) -> tuple[str, str]:
    """The speaker and plain text of one decoded ASS event."""
    values = ass.split(",", len(fields) - 1)
    named = dict(zip(fields, values, strict=False))
    text = named.get("Text", values[-1])
    text = _BREAK.sub("\n", _OVERRIDE.sub("", text)).replace("\\h", " ")
    lines = (line.strip() for line in text.split("\n"))
    return named.get("Name", "").strip(), "\n".join(line for line in lines if line)
