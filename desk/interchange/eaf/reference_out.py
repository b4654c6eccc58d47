"""Reference tiers written to an ELAN file: a tier read from ELAN as it was read (its parent
tier, linguistic type, vocabulary, languages, and reference annotations that refer to their
parent's annotations), any other as one ELAN tier per speaker. A HEADER property per reference
tier keeps what ELAN has no place for (its uid, name, kind, language and source).
"""

from __future__ import annotations

import json

from desk.interchange.eaf.builder import _Row, _write_rows, _Writer
from desk.interchange.eaf.structure import REFERRING, Structure, parse
from desk.interchange.model import Tier


def _parents_first(tiers: list[Tier], structures: dict[str, Structure]) -> list[int]:
    """The indexes of ``tiers``, each tier after the tier it depends on."""
    index = {t.uid: n for n, t in enumerate(tiers) if t.uid in structures}

    def depth(n: int) -> int:
        seen, count = {n}, 0
        while True:
            parent = (
                index.get(structures[tiers[n].uid].parent) if tiers[n].uid in structures else None
            )
            if parent is None or parent in seen:
                return count
            seen.add(parent)
            n, count = parent, count + 1

    return sorted(range(len(tiers)), key=lambda n: (depth(n), n))


def _fits(t: Tier, refs: list[int], parent: Tier) -> bool:
    """Whether each cue lies within the parent cue it refers to: the references still say
    what they said when the tier was read."""
    cues = parent.cues
    return all(
        0 <= r < len(cues) and cues[r].start_ms <= c.start_ms <= c.end_ms <= cues[r].end_ms
        for c, r in zip(t.cues, refs, strict=True)
    )


def _write_structured(
    w: _Writer,
    t: Tier,
    st: Structure,
    parent: tuple[str, list[str]] | None,
    parent_tier: Tier | None,
) -> tuple[str, list[str]] | None:
    """Write ``t`` as the ELAN tier it was; None when it cannot be (its parent tier is gone,
    or no longer the one its references were read against)."""
    refers = st.refs is not None and st.constraint in REFERRING
    if st.parent and parent is None or refers and parent is None:
        return None
    if refers and not (parent_tier is not None and _fits(t, st.refs or [], parent_tier)):
        return None
    type_id = w.foreign_type(st.type, st.vocabulary, st.languages)
    definition, label = (st.languages.get(t.language) or ["", ""])[:2]
    tier_id = w.tier(
        t.name or "Reference",
        type_id,
        parent[0] if parent and st.parent else "",
        PARTICIPANT=st.participant,
        ANNOTATOR=st.annotator,
        LANG_REF=w.language(t.language, label, definition),
    )
    cves = st.cve or [""] * len(t.cues)
    if refers and parent is not None and st.refs is not None:
        return tier_id, _references(w, tier_id, t, st, parent[1])
    divides = st.constraint == "Time_Subdivision" and parent is not None
    return tier_id, _aligned(w, tier_id, t, cves, parent[1] if divides and parent else [])


def _references(w: _Writer, tier_id: str, t: Tier, st: Structure, parents: list[str]) -> list[str]:
    """Reference annotations, each to its parent's annotation, in order under each parent."""
    written: list[str] = []
    last: dict[int, str] = {}  # the annotation written last under each parent annotation
    for n, (cue, ref) in enumerate(zip(t.cues, st.refs or [], strict=True)):
        previous = last.get(ref, "") if st.constraint == "Symbolic_Subdivision" else ""
        cve = st.cve[n] if st.cve else ""
        last[ref] = w.refer(tier_id, parents[ref], cue.text, cve, previous)
        written.append(last[ref])
    return written


def _aligned(w: _Writer, tier_id: str, t: Tier, cves: list[str], parents: list[str]) -> list[str]:
    """Aligned annotations; under a Time_Subdivision parent (``parents`` given), sharing the
    time slots of the boundaries they have in common with it."""
    spans = [w.ann_slots[a] for a in parents if a in w.ann_slots]
    written: list[str] = []
    n, boundary = 0, None  # the parent annotation reached; the slot its last child ended on
    for cue, cve in zip(t.cues, cves, strict=True):
        while n < len(spans) and w.slots[spans[n][1]] < cue.end_ms:
            n, boundary = n + 1, None
        shared: tuple[int | None, int | None] = (None, None)
        if n < len(spans):
            shared = _shared(w, spans[n], boundary, cue.start_ms, cue.end_ms)
        written.append(w.align(tier_id, cue.start_ms, cue.end_ms, cue.text, cve, shared))
        boundary = w.ann_slots[written[-1]][1]
    return written


def _shared(
    w: _Writer, parent: tuple[int, int], previous: int | None, start_ms: int, end_ms: int
) -> tuple[int | None, int | None]:
    """The time slots an annotation of a Time_Subdivision tier shares: its parent's first and
    last, and the one the annotation before it under the same parent ended on. ELAN moves a
    boundary of such a tier with its parent's only when they share the slot."""
    first, last = parent
    if start_ms < w.slots[first]:
        return None, None  # not within this parent
    start = first if start_ms == w.slots[first] else None
    if start is None and previous is not None and w.slots[previous] == start_ms:
        start = previous
    return start, last if end_ms == w.slots[last] else None


def write_reference(w: _Writer, tiers: list[Tier]) -> int:
    """Write the reference tiers; return how many lost their ELAN structure (their parent
    tier was deleted in desk) and were written as tiers of their own."""
    structures = {t.uid: st for t in tiers if t.uid and (st := parse(t.elan, len(t.cues)))}
    written: dict[str, tuple[str, list[str]]] = {}
    by_uid = {t.uid: t for t in tiers if t.uid}
    flattened = 0
    for number in _parents_first(tiers, structures):
        t = tiers[number]
        st = structures.get(t.uid)
        names: list[str] = []
        if st is not None:
            done = _write_structured(w, t, st, written.get(st.parent), by_uid.get(st.parent))
            flattened += done is None
            if done is not None:
                written[t.uid] = done
                names = [done[0]]
        if not names:
            names = _write_flat(w, t)
        spec = {
            "uid": t.uid,
            "name": t.name,
            "kind": t.kind,
            "language": t.language,
            "source": t.source,
            "tiers": names,
        }
        if t.uid in written:
            spec["elan"] = "1"
        w.property(f"desk:reference-tier:{number + 1}", json.dumps(spec, ensure_ascii=False))
    return flattened


def _write_flat(w: _Writer, t: Tier) -> list[str]:
    """A tier as one ELAN tier per speaker."""
    speakers: dict[str, list[_Row]] = {}
    for cue in t.cues:
        speakers.setdefault(cue.speaker, []).append(_Row(cue.start_ms, cue.end_ms, cue.text))
    type_id = t.kind if t.kind and not t.kind.startswith("desk-") else "reference"
    if w.types.get(type_id, {}).get("TIME_ALIGNABLE", "true") != "true":
        type_id = "reference"  # the kind names a type of reference annotations, not timed ones
    language = w.language(t.language)
    names = []
    for speaker, rows in speakers.items() or [("", [])]:
        name = f"{t.name} – {speaker}" if speaker and len(speakers) > 1 else t.name
        names += _write_rows(
            w, name or "Reference", type_id, rows, PARTICIPANT=speaker, LANG_REF=language
        )
    return names
