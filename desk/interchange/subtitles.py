"""WebVTT and SubRip subtitles: notes, paragraphs or dialogue as timed cues, and subtitle files
read back as a reference tier of dialogue or as notes. webvtt-py and srt parse and write the
files; this module maps them to snapshots and checks what the (lenient) parsers accept.

Writing (``Options.what``):

- ``notes``: one cue per time link of a note. In WebVTT the cue identifier is the note's uid
  (``<uid>/2``, ``<uid>/3`` for its further links), its character a voice span ``<v Ani>`` and its
  kind a prefix ``[question]`` (free notes have none). SubRip has no identifiers or voices, so the
  kind and the character are a prefix of the text: ``[question] Ani: Is her silence…``.
- ``paragraphs``: one cue per time link of a paragraph, with the paragraph's text (WebVTT
  identifier ``p3``, ``p3/2``: the paragraph's number).
- ``dialogue``: the cues of the reference tier named ``Options.tier`` (the first by default), the
  speaker as a voice span (WebVTT) or a ``Name:`` prefix (SubRip); in WebVTT the header names the
  tier (``WEBVTT - Dialogue (en)``) and gives its ``Language:``.

Cues are written in the order they are shown. A moment (``end == start``) is shown for
:data:`MOMENT_SHOWN_MS`; WebVTT ends its identifier with `` moment`` so it reads back as a moment,
SubRip brings it back as a range that long. Notes or paragraphs without a link or text have
nothing to show and are counted in a warning.

Reading (``Options.as_``):

- ``dialogue``: one new reference tier named ``Options.tier``, else the WebVTT header's title
  (``WEBVTT - title``), else after the file (``anora.en.srt`` → ``anora (en)``); its language from
  the WebVTT ``Language:`` header or a language code before the suffix (``.en.srt``,
  ``.pt-BR.sdh.vtt``). A cue holding several speakers' turns becomes one cue per turn, with the
  same times. A turn starts at a voice span ``<v Name>`` or at a line opening with a dialogue dash
  (``- ``); its speaker is the voice, else a leading ``Name:`` (``Name :`` in French) of up to three
  capitalised words at the start of the turn (``IGOR:``, ``Mr. Smith (O.S.):``, the aside staying
  in the text).
- ``notes``: cues with the same text, kind, character (and WebVTT uid) become one note with a
  link per cue; the kind and the character are read back from the prefixes and voices above (the
  first voice of a cue; dashes are kept as text).

Text is stored plain: tags (``<i>``, ``<font …>``, ``{\\an8}``) are stripped, WebVTT character
references decoded, control characters dropped, lines trimmed and blank lines dropped. WebVTT
escapes ``&``, ``<`` and ``>`` (so ``-->`` cannot end a cue) and writes the first character of
text that would otherwise read as a speaker, a dash or a kind prefix as a character reference, so
what it writes reads back the same. SubRip has no escapes: a speaker-less cue whose text begins
like ``Name: `` or ``- `` reads back with that speaker or as two turns, text that looks like a tag
is read as formatting, and a character's name must begin with a capital to be read back.

Files are UTF-8 (a byte-order mark is honoured, UTF-16 and UTF-32 too); a file that is not UTF-8
is read as Windows-1252 (the usual legacy encoding of SubRip files), else as what
charset-normalizer finds, with a warning. Binary data, a file without cues, a cue ending before it
starts, times past 100 hours, more than :data:`MAX_CUES` cues or a cue longer than
:data:`MAX_CUE_CHARS` characters are refused, naming the line (or the subtitle) at fault. WebVTT is
written as UTF-8; SubRip as UTF-8 with a byte-order mark and CRLF line ends, as subtitle editors
write it, so players do not guess another encoding.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp
from webvtt.vtt import WebVTTCueBlock

from desk.core.timecode import format_ms
from desk.errors import ExportError, ImportFormatError
from desk.interchange.formats import Options, Parsed, Written
from desk.interchange.model import Cue, Link, Note, Snapshot, Tier
from desk.store.models import NoteKind

#: How long a moment (a link with ``end == start``) is shown as a subtitle.
MOMENT_SHOWN_MS = 2_000
#: The most cues a file may hold (a feature film has ~1,500, a season of a series ~10,000).
MAX_CUES = 50_000
#: The longest text one cue may hold, in characters.
MAX_CUE_CHARS = 5_000
#: The latest time a cue may have (100 hours).
MAX_TIME_MS = 100 * 3_600_000

_KINDS = {k.value for k in NoteKind}
_UID = re.compile(r"[0-9a-f]{32}")
#: What desk writes as a WebVTT identifier: a note's uid, ``p<number>`` or a cue's number, then
#: ``/<link>`` from the second link on, then `` moment``.
_IDENTIFIER = re.compile(r"(?P<key>[0-9a-f]{32}|p\d+|\d+)(?:/(?P<link>\d+))?(?P<moment> moment)?")
_KIND_PREFIX = re.compile(r"\[(?P<kind>[a-z-]+)\][ \t]*")
_SPEAKER = re.compile(
    r"(?P<name>[^\W\d_][\w'’.\-]*(?: [\w'’.\-]+){0,2})"
    r"(?P<aside>[ \t]*[(\[][^()\[\]\n]{1,40}[)\]])?[ \t\xa0]?(?P<colon>:)[ \t]+(?=\S)"
)
_DASH = re.compile(r"[-–—][ \t]*")
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)*(?:[ \t\f]+(?P<name>[^<>]*))?>")
_TAG = re.compile(r"<[^<>]*>")
_SRT_TAG = re.compile(r"</?(?:[ibus]|font)(?:\s[^<>]*)?>", re.IGNORECASE)
_ASS_TAG = re.compile(r"\{\\[^{}]*\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SRT_TIMING = re.compile(
    rf"\s*(?P<start>{srt.RGX_TIMESTAMP}) *-[ -] *> *(?P<end>{srt.RGX_TIMESTAMP})"
)
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?", re.IGNORECASE)
#: Parts of subtitle file names that mark a version, not a language.
_NOT_LANGUAGES = {"sdh", "cc", "hi"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: A line of cue text: the voice span it opens with (WebVTT) and its text without tags.
_Line = tuple[str | None, str]


# -- text ---------------------------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Text as a subtitle can carry it: no control characters, lines trimmed, no blank lines."""
    text = _CONTROL.sub("", text)
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def _clip(line: str, size: int = 60) -> str:
    line = line.strip()
    return line if len(line) <= size else line[: size - 1] + "…"


def _speaker_at(text: str) -> re.Match[str] | None:
    """A leading ``Name:`` of up to three capitalised words, or None."""
    found = _SPEAKER.match(text)
    if found is None:
        return None
    words = found["name"].split(" ")
    if not words[0][0].isupper() or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return None
    return found


def _kind_at(text: str) -> re.Match[str] | None:
    found = _KIND_PREFIX.match(text)
    return found if found is not None and found["kind"] in _KINDS else None


# -- decoding -----------------------------------------------------------------------------------
def _named(source: str) -> str:
    return f"'{source}'" if source else "the file"


def _error(source: str, where: int | str, message: str) -> ImportFormatError:
    """An error at a line (a number) or an element (``"subtitle 12"``) of a file."""
    place = f"line {where}" if isinstance(where, int) else where
    return ImportFormatError(f"{source}, {place}: {message}" if source else f"{place}: {message}")


def decode(data: bytes, source: str = "") -> tuple[str, list[str]]:
    """A subtitle file's text with ``\\n`` line ends, and a warning when it was not UTF-8."""
    if not data.strip():
        raise ImportFormatError(f"{_named(source)} is empty.")
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ImportFormatError(
                    f"{_named(source)} says it is {codec.upper()} but is not ({exc.reason})."
                ) from None
            break
    else:
        if b"\x00" in data:
            raise ImportFormatError(f"{_named(source)} holds binary data, not subtitles.")
        text, encoding = _legacy(data, source)
        if encoding != "utf-8":
            warnings.append(f"{_named(source)} is not UTF-8; it was read as {encoding}.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise ImportFormatError(f"{_named(source)} holds binary data, not subtitles.")
    return _CONTROL.sub("", text), warnings


def _legacy(data: bytes, source: str) -> tuple[str, str]:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), "Windows-1252" if encoding == "cp1252" else encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFormatError(f"{_named(source)} is not text in any encoding desk knows.")
    return str(best), best.encoding


# -- reading ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Read:
    """One cue as a file holds it, before it becomes dialogue or a note."""

    where: int | str  # the line of its timing (or which cue it is), for messages
    start_ms: int
    end_ms: int
    lines: tuple[_Line, ...]
    identifier: str = ""


def _check_times(source: str, where: int | str, start_ms: int, end_ms: int) -> None:
    if end_ms < start_ms:
        raise _error(
            source,
            where,
            f"the cue ends at {format_ms(end_ms, 'hms')}, before it starts at "
            f"{format_ms(start_ms, 'hms')}.",
        )
    if end_ms > MAX_TIME_MS:
        message = f"{format_ms(end_ms, 'hms')} is past the 100 hours desk reads."
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
    voice = _VOICE.match(raw)
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


def _srt_timing_lines(text: str, source: str) -> list[int]:
    """The number of each timing line, checking its times."""
    numbers = []
    for number, line in enumerate(text.split("\n"), 1):
        found = _SRT_TIMING.match(line)
        if found is None:
            continue
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


# -- what was read, as a snapshot -----------------------------------------------------------------
@dataclass(frozen=True)
class _Header:
    title: str = ""
    language: str = ""


def _parsed(
    cues: Sequence[_Read],
    options: Options,
    source: str,
    header: _Header,
    unescape: Callable[[str], str],
    warnings: list[str],
) -> Parsed:
    if options.as_ not in ("dialogue", "notes"):
        raise ImportFormatError(f"subtitles import as dialogue or as notes, not '{options.as_}'.")
    empty = sum(1 for cue in cues if not any(text.strip() for _, text in cue.lines))
    if options.as_ == "notes":
        snap = Snapshot(notes=_notes_of(cues, unescape))
    else:
        name, language = _name_from(source)
        tier_cues = [c for cue in cues for c in _dialogue_of(cue, unescape)]
        tier = Tier(
            name=options.tier or header.title or name,
            cues=tuple(tier_cues),
            language=header.language or language,
            source=source,
        )
        snap = Snapshot(tiers=[tier])
    if not snap.notes and not any(tier.cues for tier in snap.tiers):
        raise ImportFormatError(f"{_named(source)} holds no cues with text.")
    if empty:
        warnings.append(
            f"{_plural(empty, 'cue')} no text; {'it was' if empty == 1 else 'they were'} left out."
        )
    return Parsed(snap, warnings)


def _name_from(source: str) -> tuple[str, str]:
    """A tier's name and language from a file name: ``anora.en.srt`` → (``anora (en)``, ``en``)."""
    parts = PurePath(source).name.split(".")[:-1] if source else []
    for k in range(len(parts) - 1, 0, -1):
        part = parts[k]
        if part.lower() in _NOT_LANGUAGES:
            continue
        if _LANGUAGE_CODE.fullmatch(part):
            return f"{'.'.join(parts[:k])} ({part})", part
        break
    return (".".join(parts) or "Dialogue"), ""


def _moment(cue: _Read) -> tuple[int, int]:
    """The cue's times, a moment again when desk marked it as one."""
    found = _IDENTIFIER.fullmatch(cue.identifier)
    if found is not None and found["moment"]:
        return cue.start_ms, cue.start_ms
    return cue.start_ms, cue.end_ms


def _dialogue_of(cue: _Read, unescape: Callable[[str], str]) -> list[Cue]:
    """The speakers' turns of a cue, one :class:`Cue` each."""
    turns: list[tuple[str, list[str]]] = []
    for voice, raw in cue.lines:
        line = raw.strip()
        if not line:
            continue
        dash = _DASH.match(line)
        if dash is not None:
            line = line[dash.end() :]
        continues = turns and dash is None and voice in (None, turns[-1][0])
        if continues:
            turns[-1][1].append(line)
            continue
        speaker = voice
        named = _speaker_at(line) if speaker is None else None
        if named is not None:
            speaker = unescape(named["name"])
            line = (named["aside"] or "").strip() + " " + line[named.end() :]
        turns.append((speaker or "", [line]))
    start, end = _moment(cue)
    found = [(speaker, clean_text(unescape("\n".join(lines)))) for speaker, lines in turns]
    return [Cue(start, end, text, _one_line(speaker)) for speaker, text in found if text]


def _notes_of(cues: Sequence[_Read], unescape: Callable[[str], str]) -> list[Note]:
    """One note per distinct (uid, kind, character, text), with the times of its cues as links."""
    notes: dict[tuple[str, str, str, str], list[Link]] = {}
    for cue in cues:
        lines = [(v, t.strip()) for v, t in cue.lines if t.strip()]
        if not lines:
            continue
        character = lines[0][0] or ""
        text = "\n".join(t for _, t in lines)
        prefix = _kind_at(text)
        if prefix is not None:
            text = text[prefix.end() :]
        named = _speaker_at(text) if not character else None
        if named is not None:
            character = unescape(named["name"])
            text = (named["aside"] or "").strip() + " " + text[named.end() :]
        text = clean_text(unescape(text))
        if not text:
            continue
        found = _IDENTIFIER.fullmatch(cue.identifier)
        uid = found["key"] if found is not None and _UID.fullmatch(found["key"]) else ""
        key = (uid, prefix["kind"] if prefix else NoteKind.FREE.value, _one_line(character), text)
        notes.setdefault(key, []).append(Link(*_moment(cue)))
    taken: set[str] = set()
    out = []
    for (uid, kind, character, text), links in notes.items():
        in_order = tuple(sorted(links, key=lambda k: (k.start_ms, k.end_ms)))
        out.append(Note(text, kind, in_order, character, uid="" if uid in taken else uid))
        taken.add(uid)
    return out


# -- writing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Out:
    """One cue to write: its times (a moment when equal) and what it says."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""
    kind: str = ""  # a note's kind, written as a prefix ("" for none)
    key: str = ""  # what the WebVTT identifier names: a note's uid, ``p3``, a cue's number
    link: int = 1  # which link of its note or paragraph

    @property
    def shown_until_ms(self) -> int:
        return self.end_ms if self.end_ms > self.start_ms else self.start_ms + MOMENT_SHOWN_MS

    @property
    def identifier(self) -> str:
        suffix = f"/{self.link}" if self.link > 1 else ""
        return self.key + suffix + (" moment" if self.end_ms == self.start_ms else "")


def _plural(n: int, word: str, verb: tuple[str, str] = ("has", "have")) -> str:
    return f"{n} {word}{'' if n == 1 else 's'} {verb[0] if n == 1 else verb[1]}"


def _note_cues(snap: Snapshot) -> tuple[list[_Out], list[str]]:
    out, unlinked, empty = [], 0, 0
    for number, note in enumerate(snap.notes, 1):
        text = clean_text(note.text)
        if not note.links or not text:
            unlinked += not note.links
            empty += bool(note.links)
            continue
        key = note.uid if _UID.fullmatch(note.uid) else f"{number}"
        kind = "" if note.kind == NoteKind.FREE.value else note.kind
        for k, link in enumerate(note.links, 1):
            out.append(_Out(link.start_ms, link.end_ms, text, note.character, kind, key, k))
    warnings = []
    if unlinked:
        warnings.append(f"{_plural(unlinked, 'note')} no time link, so nothing to show.")
    if empty:
        warnings.append(f"{_plural(empty, 'note')} no text, so nothing to show.")
    return out, warnings


def _paragraph_cues(snap: Snapshot) -> tuple[list[_Out], list[str]]:
    out, unlinked = [], 0
    for number, paragraph in enumerate(snap.paragraphs, 1):
        text = clean_text(paragraph.text)
        if not paragraph.links or not text:
            unlinked += 1
            continue
        for k, link in enumerate(paragraph.links, 1):
            out.append(_Out(link.start_ms, link.end_ms, text, key=f"p{number}", link=k))
    warnings = []
    if unlinked:
        warnings.append(f"{_plural(unlinked, 'paragraph')} no time link, so nothing to show.")
    return out, warnings


def _tier(snap: Snapshot, name: str) -> Tier:
    if not snap.tiers:
        raise ExportError("the project has no reference tier (import subtitles first).")
    if not name:
        return snap.tiers[0]
    for tier in snap.tiers:
        if tier.name == name:
            return tier
    names = ", ".join(f"'{t.name}'" for t in snap.tiers)
    raise ExportError(f"the project has no reference tier '{name}'; it has {names}.")


def _dialogue_cues(tier: Tier) -> tuple[list[_Out], list[str]]:
    out = [
        _Out(c.start_ms, c.end_ms, clean_text(c.text), c.speaker, key=str(k))
        for k, c in enumerate(tier.cues, 1)
        if clean_text(c.text)
    ]
    empty = len(tier.cues) - len(out)
    warnings = [f"{_plural(empty, 'cue')} no text, so nothing to show."] if empty else []
    return out, warnings


def _cues(snap: Snapshot, options: Options) -> tuple[list[_Out], list[str], _Header]:
    if options.what == "notes":
        cues, warnings = _note_cues(snap)
        header = _Header("Notes" + (f": {snap.title}" if snap.title else ""))
    elif options.what == "paragraphs":
        cues, warnings = _paragraph_cues(snap)
        header = _Header(snap.title or "Essay")
    elif options.what == "dialogue":
        tier = _tier(snap, options.tier)
        cues, warnings = _dialogue_cues(tier)
        header = _Header(tier.name, tier.language)
    else:
        raise ExportError(f"subtitles hold notes, paragraphs or dialogue, not '{options.what}'.")
    cues.sort(key=lambda c: (c.start_ms, c.shown_until_ms))
    return cues, warnings, header


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_payload(cue: _Out) -> str:
    """A cue's text as WebVTT, escaped and guarded so it reads back the same."""
    lines = _vtt_escape(cue.text).split("\n")
    lines = [f"&#{ord(x[0])};{x[1:]}" if _DASH.match(x) else x for x in lines]
    first = lines[0]
    if not cue.kind and _kind_at(first):
        first = "&#91;" + first[1:]
    if not cue.speaker:
        named = _speaker_at(first)
        if named is not None:
            colon = named.start("colon")
            first = first[:colon] + "&#58;" + first[colon + 1 :]
    lines[0] = first
    voice = f"<v {_vtt_escape(_one_line(cue.speaker))}>" if cue.speaker.strip() else ""
    prefix = f"[{cue.kind}] " if cue.kind else ""
    return voice + prefix + "\n".join(lines)


def write_vtt(snapshot: Snapshot, options: Options) -> Written:
    """Notes, paragraphs or a reference tier as WebVTT (see the module's docstring)."""
    cues, warnings, header = _cues(snapshot, options)
    title = _one_line(header.title).replace("-->", "->")
    language = header.language if _LANGUAGE_CODE.fullmatch(header.language) else ""
    captions = [
        webvtt.Caption(
            format_ms(c.start_ms, "hms"),
            format_ms(c.shown_until_ms, "hms"),
            _vtt_payload(c),
            identifier=c.identifier,
        )
        for c in cues
    ]
    document = webvtt.WebVTT(
        captions=captions,
        header_text=f"- {title}" if title else "",
        metadata=[f"Language: {language}"] if language else [],
    )
    return Written(document.content.encode("utf-8"), warnings)


def _srt_text(cue: _Out) -> str:
    prefix = f"[{cue.kind}] " if cue.kind else ""
    speaker = _one_line(cue.speaker)
    return prefix + (f"{speaker}: " if speaker else "") + cue.text


def write_srt(snapshot: Snapshot, options: Options) -> Written:
    """Notes, paragraphs or a reference tier as SubRip (see the module's docstring)."""
    cues, warnings, _header = _cues(snapshot, options)
    moments = sum(1 for c in cues if c.end_ms == c.start_ms)
    if moments:
        seconds = MOMENT_SHOWN_MS / 1000
        warnings.append(
            f"{_plural(moments, 'moment')} no length; SubRip shows each for {seconds:g} s and "
            "reads it back as a range that long."
        )
    subtitles = [
        srt.Subtitle(
            k,
            timedelta(milliseconds=c.start_ms),
            timedelta(milliseconds=c.shown_until_ms),
            _srt_text(c),
        )
        for k, c in enumerate(cues, 1)
    ]
    text = srt.compose(subtitles, reindex=False, eol="\r\n")
    return Written(codecs.BOM_UTF8 + text.encode("utf-8"), warnings)
