"""Writing notes, paragraphs or a reference tier as WebVTT (with webvtt-py) or SubRip (with
srt): cues in the order they are shown, a moment shown for :data:`MOMENT_SHOWN_MS`, and WebVTT
text escaped and guarded so that it reads back the same."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import timedelta

import srt
import webvtt

from desk.core.timecode import format_ms
from desk.errors import ExportError
from desk.interchange.formats import Options, Written
from desk.interchange.model import Snapshot, Tier
from desk.interchange.subtitles.cues import _Header
from desk.interchange.subtitles.messages import _plural
from desk.interchange.subtitles.text import (
    _DASH,
    _LANGUAGE_CODE,
    _UID,
    _kind_at,
    _one_line,
    _speaker_at,
    clean_text,
)
from desk.store.models import NoteKind

#: How long a moment (a link with ``end == start``) is shown as a subtitle.
MOMENT_SHOWN_MS = 2_000


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
    """Notes, paragraphs or a reference tier as WebVTT (see :mod:`desk.interchange.subtitles`)."""
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
    """Notes, paragraphs or a reference tier as SubRip (see :mod:`desk.interchange.subtitles`)."""
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
