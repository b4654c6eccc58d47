"""Cues read from a subtitle file as a snapshot: a reference tier of dialogue, one cue per
speaker's turn, or notes, one per distinct text with a link per cue."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import PurePath

from desk.errors import ImportFormatError
from desk.interchange.formats import Options, Parsed
from desk.interchange.model import Cue, Link, Note, Snapshot, Tier
from desk.interchange.subtitles.cues import _Header, _Read
from desk.interchange.subtitles.messages import _named, _plural
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

#: What desk writes as a WebVTT identifier: a note's uid, ``p<number>`` or a cue's number, then
#: ``/<link>`` from the second link on, then `` moment``.
_IDENTIFIER = re.compile(r"(?P<key>[0-9a-f]{32}|p\d+|\d+)(?:/(?P<link>\d+))?(?P<moment> moment)?")
#: Parts of subtitle file names that mark a version, not a language.
_NOT_LANGUAGES = {"sdh", "cc", "hi"}


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
        # A cue says nothing of a note's paragraph, when it was written or its links' labels.
        snap = Snapshot(notes=_notes_of(cues, unescape), uncarried=NOTE_FIELDS_UNCARRIED)
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


#: What a note exported as cues cannot bring back (see :attr:`Snapshot.uncarried`).
NOTE_FIELDS_UNCARRIED = frozenset({"note.paragraph", "note.created_at", "link.label"})


def _notes_of(cues: Sequence[_Read], unescape: Callable[[str], str]) -> list[Note]:
    """One note per distinct (uid, kind, character, text), with the times of its cues as links."""
    notes: dict[tuple[str, str, str, str], list[Link]] = {}
    for cue in cues:
        lines = [(v, t.strip()) for v, t in cue.lines if t.strip()]
        if not lines:
            continue
        character = lines[0][0] or ""
        text = "\n".join(t for _, t in lines)
        dash = _DASH.match(text)
        if dash is not None and (character or _speaker_at(text[dash.end() :])):
            text = text[dash.end() :]  # the dash only opens the speaker's turn
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
