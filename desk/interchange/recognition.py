"""Recognising a source by what it holds, not by its name or its bytes.

A subtitle or ELAN file reaches a project again under another name (``anora.en.srt`` renamed
``final.srt``), re-saved with a byte-order mark and CRLF line ends, re-encoded, or written by
another version of ELAN. Its bytes differ and its tier gets another name, yet it holds the same
lines at the same times. A tier is therefore known by the fingerprint of its normalised cues: each
cue's start and end, and its speaker and text with Unicode composed and white space collapsed.
An incoming tier with the fingerprint of a tier the project has (or of one before it in the same
file) is already there, whatever it is called.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from desk.interchange.model import Cue, Snapshot, Tier


def _normalised(text: str) -> str:
    if not text.isascii():  # ASCII is its own normal form: most lines skip the look-up
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def cues_fingerprint(cues: Iterable[Cue]) -> str:
    """The fingerprint of a tier's cues: the same for the same lines at the same times, in any
    order, however the file spelled its white space or encoded its characters."""
    speakers: dict[str, str] = {}  # a tier has few speakers and many lines
    lines = sorted(
        (
            c.start_ms,
            c.end_ms,
            speakers.get(c.speaker) or speakers.setdefault(c.speaker, _normalised(c.speaker)),
            _normalised(c.text),
        )
        for c in cues
    )
    text = "".join(f"{start}\t{end}\t{speaker}\t{text}\n" for start, end, speaker, text in lines)
    return hashlib.sha256(text.encode()).hexdigest()


def without_known_tiers(snap: Snapshot, known: Iterable[Tier]) -> tuple[Snapshot, int]:
    """``snap`` without the tiers whose cues a tier of ``known`` (or an earlier tier of ``snap``)
    already holds, and how many were left out. Tiers without cues are kept: they hold nothing
    to recognise them by."""
    seen = {cues_fingerprint(t.cues) for t in known if t.cues}
    kept: list[Tier] = []
    for tier in snap.tiers:
        if tier.cues:
            fingerprint = cues_fingerprint(tier.cues)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
        kept.append(tier)
    left_out = len(snap.tiers) - len(kept)
    return (replace(snap, tiers=kept) if left_out else snap), left_out
