"""Reading WebVTT (with webvtt-py) and SubRip (with srt) files into cues, checking what the
lenient parsers accept: every timing line, times in order and in range, and the number and
length of the cues (the limits of :mod:`desk.interchange.subtitles`), naming the line or the
subtitle at fault."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from datetime import timedelta

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp
from webvtt.vtt import WebVTTCueBlock

from desk.core.timecode import format_ms
from desk.errors import ImportFormatError
from desk.interchange.formats import Options, Parsed
from desk.interchange.model import MAX_FILM_MS
from desk.interchange.subtitles.cues import _Header, _Line, _Read
from desk.interchange.subtitles.decoding import decode
from desk.interchange.subtitles.messages import _clip, _error, _named
from desk.interchange.subtitles.snapshot import _parsed
from desk.interchange.subtitles.text import _DASH

_VOICE = re.compile(r"<v(?:\.[^\s<>]*)*(?:[ \t\f]+(?P<name>[^<>]*))?>")
_TAG = re.compile(r"<[^<>]*>")
_SRT_TAG = re.compile(r"</?(?:[ibus]|font)(?:\s[^<>]*)?>", re.IGNORECASE)
_ASS_TAG = re.compile(r"\{\\[^{}]*\}")
_SRT_TIMING = re.compile(
    rf"\s*(?P<start>{srt.RGX_TIMESTAMP}) *-[ -] *> *(?P<end>{srt.RGX_TIMESTAMP})"
)
#: A timing line's two times as written, whatever they hold, and what may follow them.
_SRT_TIMES = re.compile(r"\s*(?P<start>\S*?) *-[ -] *> *(?P<end>\S*)")
#: A time as SubRip writes it (``00:01:02,500``; a dot and fewer digits are common too).
_SRT_TIME = re.compile(r"(\d+):([0-5]\d):([0-5]\d)(?:[,.]\d{1,3})?")
_SRT_INDEX = re.compile(r"-?\d+")


#: The most cues a file may hold (a feature film has ~1,500, a season of a series ~10,000).
MAX_CUES = 50_000
#: The longest text one cue may hold, in characters.
MAX_CUE_CHARS = 5_000
#: The latest time a cue may have.
MAX_TIME_MS = MAX_FILM_MS


def _check_times(source: str, where: int | str, start_ms: int, end_ms: int) -> None:
    if end_ms < start_ms:
        raise _error(
            source,
            where,
            f"the cue ends at {format_ms(end_ms, 'hms')}, before it starts at "
            f"{format_ms(start_ms, 'hms')}.",
        )
    if end_ms > MAX_TIME_MS:
        message = f"{format_ms(end_ms, 'hms')} is past the 1,000 hours desk reads."
        raise _error(source, where, message)


def _check_size(source: str, cues: Sequence[_Read]) -> None:
    if not cues:
        raise ImportFormatError(f"{_named(source)} holds no cues.")
    if len(cues) > MAX_CUES:
        raise ImportFormatError(
            f"{_named(source)} holds {len(cues):,} cues; desk imports up to {MAX_CUES:,}."
        )
    for cue in cues:
        if sum(len(text) for _, text in cue.lines) > MAX_CUE_CHARS:
            raise _error(
                source, cue.where, f"the cue holds more than {MAX_CUE_CHARS:,} characters."
            )


def _vtt_blocks(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """(number of its first line, its lines) of each block, split where webvtt-py splits them:
    at blank lines, and at a timing line that cannot belong to the block before it."""
    block: list[str] = []
    first, in_header = 1, True
    for number, line in enumerate(lines, 1):
        starts_cue = bool(block) and "-->" in line
        ends = not line or (starts_cue and (in_header or len(block) > 1 or "-->" in block[0]))
        if ends and block:
            yield first, block
            block, in_header = [], False
        if line:
            if not block:
                first = number
            block.append(line)
    if block:
        yield first, block


def _vtt_timing_lines(source: str, lines: Sequence[str]) -> list[int]:
    """The number of the timing line of each cue, checking each as webvtt-py reads it."""
    numbers = []
    for first, block in list(_vtt_blocks(lines))[1:]:
        at = next((k for k, line in enumerate(block) if "-->" in line), None)
        if at is None:
            continue
        line, number = block[at], first + at
        found = WebVTTCueBlock.CUE_TIMINGS_PATTERN.match(line)
        try:
            if found is None or at > 1:
                raise MalformedCaptionError(line)
            Timestamp.from_string(found.group(1))
            Timestamp.from_string(found.group(2))
        except MalformedCaptionError:
            raise _error(source, number, f"'{_clip(line)}' is not a cue timing.") from None
        numbers.append(number)
    return numbers


def _vtt_line(raw: str) -> _Line:
    """A line's voice and text. The voice span may follow a dialogue dash or open inside
    formatting (``- <v Ani>``, ``<i><v Ani>``): only tags and a dash may come before it."""
    voice = _VOICE.search(raw)
    before = _TAG.sub("", raw[: voice.start()]).strip() if voice is not None else ""
    if before and not _DASH.fullmatch(before):
        voice = None
    name = html.unescape(voice["name"] or "").strip() if voice is not None else None
    return name, _ASS_TAG.sub("", _TAG.sub("", raw))


def read_vtt(data: bytes, options: Options, source: str) -> Parsed:
    """A WebVTT file as a reference tier (``options.as_ == "dialogue"``) or as notes."""
    text, warnings = decode(data, source)
    lines = text.split("\n")
    head = lines[0]
    if not head.startswith("WEBVTT") or head[6:7] not in ("", " ", "\t"):
        hint = " (this looks like SubRip: import it as srt)" if _SRT_TIMING.search(text) else ""
        raise _error(source, 1, f"a WebVTT file begins with 'WEBVTT', not '{_clip(head)}'{hint}.")
    numbers = _vtt_timing_lines(source, lines)
    try:
        vtt = webvtt.from_string(text)
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        message = f"{_named(source)} is not a WebVTT file desk can read: {exc}."
        raise ImportFormatError(message) from None
    if len(vtt.captions) != len(numbers):
        raise ImportFormatError(f"{_named(source)} has cues desk cannot tell apart.")
    cues = []
    for number, caption in zip(numbers, vtt.captions, strict=True):
        start, end = caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()
        _check_times(source, number, start, end)
        read = tuple(_vtt_line(raw) for raw in caption.lines)
        cues.append(_Read(number, start, end, read, caption.identifier or ""))
    _check_size(source, cues)
    title = vtt.header_text.strip()
    found = (re.match(r"\s*language\s*[:=]\s*(\S+)", x, re.I) for x in vtt.metadata)
    language = next((m[1] for m in found if m), "")
    header = _Header(title[1:].strip() if title.startswith("-") else "", language)
    return _parsed(cues, options, source, header, html.unescape, warnings)


def _srt_parse_error(text: str, exc: srt.SRTParseError, source: str) -> ImportFormatError:
    """The error for what the SubRip parser could not read, at the line where it begins."""
    pieces = exc.unmatched_content.split("\n")
    timing = next((k for k, piece in enumerate(pieces) if "->" in piece), None)
    first = next((k for k, piece in enumerate(pieces) if piece.strip()), 0)
    at = first if timing is None else timing
    line = text.count("\n", 0, exc.expected_start) + at + 1
    if timing is not None:
        return _error(source, line, f"'{_clip(pieces[at])}' is not a cue timing.")
    return _error(
        source,
        line,
        "a subtitle begins with its number and a timing such as '00:01:02,500 --> "
        f"00:01:04,000', not '{_clip(pieces[at])}'.",
    )


def _check_srt_timing(source: str, number: int, line: str) -> None:
    """Each time of a timing line written in full (the parser would read ``00:00:0x,000`` as
    ``00:00:00``), and nothing but cue settings after them."""
    found = _SRT_TIMES.match(line)
    assert found is not None  # the line matched the looser _SRT_TIMING
    for which in ("start", "end"):
        if not _SRT_TIME.fullmatch(found[which]):
            raise _error(
                source,
                number,
                f"the {which} time '{_clip(found[which], 20)}' cannot be read; SubRip writes a "
                "time as 00:01:02,500.",
            )


def _check_srt_index(source: str, lines: Sequence[str], at: int) -> None:
    """The line before a timing line (``lines[at]``) that opens a subtitle is its number: a
    subtitle with another first line would be read as more text of the one before."""
    if at == 0:
        return
    before = lines[at - 1].strip().lstrip("\ufeff")
    opens = at == 1 or not lines[at - 2].strip()
    if before and opens and not _SRT_INDEX.fullmatch(before):
        raise _error(
            source,
            at,
            f"a subtitle begins with its number, not '{_clip(before)}' (the line before its "
            "timing).",
        )


def _srt_timing_lines(text: str, source: str) -> list[int]:
    """The number of each timing line, checking its times and the subtitle's number."""
    numbers = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        found = _SRT_TIMING.match(line)
        if found is None:
            continue
        _check_srt_timing(source, number, line)
        _check_srt_index(source, lines, number - 1)
        try:
            start, end = (srt.srt_timestamp_to_timedelta(found[k]) for k in ("start", "end"))
            start_ms, end_ms = (t // timedelta(milliseconds=1) for t in (start, end))
        except (srt.TimestampParseError, OverflowError, ValueError):
            raise _error(source, number, f"'{_clip(line)}' is not a cue timing.") from None
        _check_times(source, number, start_ms, end_ms)
        numbers.append(number)
    return numbers


def _srt_line(raw: str) -> _Line:
    return None, _ASS_TAG.sub("", _SRT_TAG.sub("", raw))


def read_srt(data: bytes, options: Options, source: str) -> Parsed:
    """A SubRip file as a reference tier (``options.as_ == "dialogue"``) or as notes."""
    text, warnings = decode(data, source)
    if text.lstrip("\ufeff \t\n").startswith("WEBVTT"):
        raise _error(source, 1, "this is a WebVTT file: import it as vtt.")
    numbers = _srt_timing_lines(text, source)
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise _srt_parse_error(text, exc, source) from None
    except (srt.TimestampParseError, OverflowError, ValueError) as exc:
        message = f"{_named(source)} is not a SubRip file desk can read: {exc}."
        raise ImportFormatError(message) from None
    places: Sequence[int | str] = numbers
    if len(numbers) != len(subtitles):  # timing-like text inside a subtitle: count subtitles
        places = [f"subtitle {k}" for k in range(1, len(subtitles) + 1)]
    cues = []
    for number, subtitle in zip(places, subtitles, strict=True):
        start_ms = subtitle.start // timedelta(milliseconds=1)
        end_ms = subtitle.end // timedelta(milliseconds=1)
        _check_times(source, number, start_ms, end_ms)
        read = tuple(_srt_line(raw) for raw in subtitle.content.split("\n"))
        cues.append(_Read(number, start_ms, end_ms, read))
    _check_size(source, cues)
    return _parsed(cues, options, source, _Header(), lambda s: s, warnings)
