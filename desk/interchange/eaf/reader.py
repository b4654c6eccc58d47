"""An ELAN file as a snapshot: desk's HEADER properties, desk's own tiers, and every other
tier as a reference tier of cues.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from desk.errors import ImportFormatError
from desk.interchange.eaf.desk_tiers import _beats, _found, _notes, _paragraphs, _scenes, _span
from desk.interchange.eaf.document import _Document, _fail, _read_document, _Tier, _whole
from desk.interchange.eaf.foreign import Foreign
from desk.interchange.eaf.names import BEAT, ESSAY, SCENE
from desk.interchange.eaf.times import _resolve_times
from desk.interchange.formats import Options, Parsed
from desk.interchange.model import Cue, Film, Snapshot, Tier

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")


def _json(value: str, line: int, name: str) -> Any:
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise _fail(line, f"the property {name} is not the JSON desk writes.") from None


def _strings(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _read_properties(doc: _Document, snap: Snapshot) -> list[tuple[dict[str, Any], int]]:
    """Fill the snapshot from desk's HEADER properties; return the reference-tier specs."""
    film: dict[str, Any] = {}
    specs = []
    for name, value, line in doc.properties:
        if name in ("desk:essay-title", "desk:essay-dek"):
            setattr(snap, "title" if name.endswith("title") else "dek", value)
        elif name in ("desk:film-fingerprint", "desk:film-title"):
            film[name.removeprefix("desk:film-")] = value
        elif name == "desk:film-year":
            film["year"] = _whole(value, 4)
            if film["year"] is None:
                raise _fail(line, f"the film's year '{value}' is not a year.")
        elif name == "desk:colours":
            colours = _json(value, line, name)
            if not isinstance(colours, dict) or not all(
                _strings(colours.get(k, {})) for k in ("characters", "emotions")
            ):
                raise _fail(line, "the property desk:colours is not the JSON desk writes.")
            snap.characters, snap.emotions = (
                {n: c for n, c in colours.get(k, {}).items() if _COLOUR.match(c)}
                for k in ("characters", "emotions")
            )
        elif name.startswith("desk:reference-tier"):
            spec = _json(value, line, name)
            tiers = spec.get("tiers") if isinstance(spec, dict) else None
            if (
                not isinstance(tiers, list)
                or not all(isinstance(t, str) for t in tiers)
                or not (_strings({k: v for k, v in spec.items() if k != "tiers"}))
            ):
                raise _fail(line, f"the property {name} is not the JSON desk writes.")
            specs.append((spec, line))
    snap.film = Film(**film)
    return specs


def _cues(tiers: Iterable[_Tier], moments: bool) -> tuple[Cue, ...]:
    cues = []
    for tier in tiers:
        for ann in tier.annotations:
            start, end = _span(ann) if moments else (ann.start_ms, ann.end_ms)
            cues.append(Cue(start, end, ann.value, tier.participant))
    return tuple(sorted(cues, key=lambda c: (c.start_ms, c.end_ms)))


def _reference_tiers(
    doc: _Document, used: set[str], specs: list[tuple[dict[str, Any], int]], source: str
) -> tuple[list[Tier], Foreign]:
    """desk's own reference tiers (those it split by speaker), then every other tier with
    its ELAN structure."""
    tiers, structured = [], {}
    for spec, _ in specs:
        if spec.get("elan") == "1" and len(spec["tiers"]) == 1 and spec["tiers"][0] in doc.tiers:
            structured[spec["tiers"][0]] = spec
            continue
        mine = [doc.tiers[t] for t in spec["tiers"] if t in doc.tiers and t not in used]
        used.update(t.id for t in mine)
        tiers.append(
            Tier(
                spec.get("name", ""),
                _cues(mine, True),
                spec.get("kind", "dialogue"),
                spec.get("language", ""),
                spec.get("source", ""),
                spec.get("uid", ""),
            )
        )
    foreign = Foreign(doc, used)
    foreign.structured({t: (s.get("name", t), s.get("uid", "")) for t, s in structured.items()})
    for tier_id, cues in foreign.cues.items():
        if cues or tier_id in structured:
            tiers.append(foreign.tier(doc.tiers[tier_id], source, structured.get(tier_id)))
    return tiers, foreign


def read_eaf(data: bytes, options: Options, source: str) -> Parsed:
    """An ELAN file's annotations as a snapshot (see the package's docstring for the mapping):
    every tier that is not desk's own as a reference tier, or as notes (``options.as_``)."""
    if options.as_ not in ("dialogue", "notes"):
        raise ImportFormatError(f"ELAN tiers import as dialogue or as notes, not '{options.as_}'.")
    doc = _read_document(data)
    _resolve_times(doc)
    snap, warnings = Snapshot(), list[str]()
    specs = _read_properties(doc, snap)
    by_type, used = _found(doc)
    paragraphs = _paragraphs(by_type.get(ESSAY, []), warnings)
    snap.paragraphs = list(paragraphs.values())
    snap.notes = _notes(by_type, paragraphs, warnings)
    snap.beats = _beats(by_type.get(BEAT, []), warnings)
    snap.scenes = _scenes(by_type.get(SCENE, []))
    if options.as_ == "notes":
        foreign = Foreign(doc, used)
        snap.notes += foreign.notes(list(foreign.cues))
    else:
        snap.tiers, foreign = _reference_tiers(doc, used, specs, source)
    warnings += foreign.warnings()
    return Parsed(snap, warnings)
