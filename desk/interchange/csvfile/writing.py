"""Writing a snapshot as desk's CSV: one row per annotation (or per time link), spreadsheet-safe."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from desk.core.timecode import format_ms
from desk.interchange.csvfile.columns import COLUMNS, FORMULA_STARTS, TEXT_COLUMNS
from desk.interchange.model import Link, Snapshot

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Written


def _uuid(uid: str) -> str:
    try:
        return str(uuid.UUID(hex=uid))
    except ValueError:
        return uid


def _times(start_ms: int, end_ms: int) -> dict[str, str]:
    return {
        "start": format_ms(start_ms),
        "end": format_ms(end_ms),
        "duration": format_ms(end_ms - start_ms),
    }


def _link_rows(base: dict[str, str], links: tuple[Link, ...]) -> Iterator[dict[str, str]]:
    if not links:
        yield base
    for link in links:
        yield {**base, **_times(link.start_ms, link.end_ms), "label": link.label}


def _number(value: float) -> str:
    return repr(float(value)).removesuffix(".0")


def _rows(snap: Snapshot) -> Iterator[dict[str, str]]:
    for p in snap.paragraphs:
        base = {"type": "paragraph", "uid": _uuid(p.uid), "text": p.text, "kind": p.kind}
        yield from _link_rows(base, p.links)
    for s in snap.scenes:
        yield {
            "type": "scene",
            "uid": _uuid(s.uid),
            **_times(s.start_ms, s.end_ms),
            "label": s.name,
            "text": s.description,
        }
    for b in snap.beats:
        yield {
            "type": "beat",
            "uid": _uuid(b.uid),
            **_times(b.start_ms, b.end_ms),
            "label": b.label,
            "text": b.description,
            "emotion": b.emotion,
            "valence": _number(b.valence),
            "intensity": _number(b.intensity),
            "characters": ", ".join(b.characters),
            "annotator": b.annotator,
        }
    for n in snap.notes:
        base = {
            "type": "note",
            "uid": _uuid(n.uid),
            "text": n.text,
            "kind": n.kind,
            "characters": n.character,
            "paragraph": _uuid(n.paragraph),
            "created": n.created_at,
        }
        yield from _link_rows(base, n.links)
    for t in snap.tiers:
        for c in t.cues:
            yield {
                "type": "cue",
                "uid": _uuid(t.uid),
                **_times(c.start_ms, c.end_ms),
                "text": c.text,
                "characters": c.speaker,
                "tier": t.name,
                "kind": t.kind,
            }


def _cell(column: str, value: str) -> str:
    if column in TEXT_COLUMNS and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _left_out(snap: Snapshot) -> list[str]:
    left = {
        "readings": len(snap.readings),
        "the essay's title and dek": bool(snap.title or snap.dek),
        "the colours of characters and emotions": bool(snap.characters or snap.emotions),
        "the film's details": bool(snap.film.fingerprint or snap.film.title),
        "the language and source of reference tiers": any(
            t.language or t.source for t in snap.tiers
        ),
        "reference tiers without lines": sum(not t.cues for t in snap.tiers),
    }
    return [
        f"a CSV file has no place for {what}, so they were left out."
        for what, n in left.items()
        if n
    ]


def write_csv(snapshot: Snapshot, options: Options) -> Written:
    from desk.interchange.formats import Written

    out = io.StringIO(newline="")
    writer = csv.writer(out)  # the "excel" dialect: commas, quotes where needed, CRLF
    writer.writerow(COLUMNS)
    for row in _rows(snapshot):
        writer.writerow([_cell(c, row.get(c, "")) for c in COLUMNS])
    return Written(("\ufeff" + out.getvalue()).encode("utf-8"), _left_out(snapshot))
