"""A snapshot as an EAF document: the essay, scenes, beats, notes and reference tiers as
tiers, the rest as HEADER properties, with warnings naming what the file cannot carry.
"""

from __future__ import annotations

import json

from desk.interchange.eaf.builder import _Row, _write_rows, _Writer
from desk.interchange.eaf.names import BEAT, ESSAY, NOTE, SCENE
from desk.interchange.eaf.reference_out import write_reference
from desk.interchange.formats import Options, Written
from desk.interchange.model import Snapshot
from desk.store.models import BlockKind, NoteKind


def _write_essay(w: _Writer, snap: Snapshot) -> None:
    rows = [
        _Row(
            link.start_ms,
            link.end_ms,
            p.text,
            {
                "id": p.uid,
                "number": str(n),
                "kind": "" if p.kind == BlockKind.BODY.value else p.kind,
                "label": link.label,
            },
        )
        for n, p in enumerate(snap.paragraphs, 1)
        for link in p.links
    ]
    if rows:
        _write_rows(w, "Essay", ESSAY, rows)


def _write_scenes(w: _Writer, snap: Snapshot) -> None:
    rows = [
        _Row(s.start_ms, s.end_ms, s.name, {"id": s.uid, "description": s.description})
        for s in snap.scenes
    ]
    if rows:
        _write_rows(w, "Scenes", SCENE, rows)


def _write_beats(w: _Writer, snap: Snapshot) -> None:
    """One tier for each character and annotator; a beat two characters feel is on both."""
    tiers: dict[tuple[str, str], list[_Row]] = {}
    for b in snap.beats:
        row = _Row(
            b.start_ms,
            b.end_ms,
            b.label,
            {
                "id": b.uid,
                "emotion": b.emotion,
                "valence": repr(b.valence),
                "intensity": repr(b.intensity),
                "description": b.description,
            },
        )
        for character in b.characters or ("",):
            tiers.setdefault((character, b.annotator), []).append(row)
    for (character, annotator), rows in sorted(tiers.items()):
        name = f"Beats ({character})" if character else "Beats"
        name = f"{name} by {annotator}" if annotator else name
        _write_rows(w, name, BEAT, rows, PARTICIPANT=character, ANNOTATOR=annotator)


def _write_notes(w: _Writer, snap: Snapshot) -> None:
    """One tier for each kind of note and character."""
    numbers = {p.uid: str(n) for n, p in enumerate(snap.paragraphs, 1) if p.uid and p.links}
    tiers: dict[tuple[str, str], list[_Row]] = {}
    for note in snap.notes:
        for link in note.links:
            tiers.setdefault((note.kind, note.character), []).append(
                _Row(
                    link.start_ms,
                    link.end_ms,
                    note.text,
                    {
                        "id": note.uid,
                        "paragraph": numbers.get(note.paragraph, ""),
                        "created": note.created_at,
                        "label": link.label,
                    },
                )
            )
    order = {k.value: n for n, k in enumerate(NoteKind)}
    for (kind, character), rows in sorted(
        tiers.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0])
    ):
        name = f"Notes: {kind} ({character})" if character else f"Notes: {kind}"
        _write_rows(w, name, f"{NOTE}{kind}", rows, PARTICIPANT=character)


def _left_out(snap: Snapshot) -> list[str]:
    """Sentences saying what of the snapshot an ELAN file cannot carry."""
    unlinked = sum(not p.links for p in snap.paragraphs), sum(not n.links for n in snap.notes)
    timed = {p.uid for p in snap.paragraphs if p.links}
    untied = sum(bool(n.links and n.paragraph and n.paragraph not in timed) for n in snap.notes)
    warnings = []
    if unlinked[0]:
        warnings.append(
            f"ELAN keeps only timed annotations: {_count(unlinked[0], 'paragraph')} without a "
            f"time link (headings, say) {_was(unlinked[0])} left out."
        )
    if unlinked[1]:
        warnings.append(
            f"ELAN keeps only timed annotations: {_count(unlinked[1], 'note')} without a time "
            f"link {_was(unlinked[1])} left out."
        )
    if untied:
        one = untied == 1
        belong = "belongs to a paragraph" if one else "belong to paragraphs"
        warnings.append(
            f"{_count(untied, 'note')} {belong} without a time link; the file keeps the "
            f"{'note' if one else 'notes'} but not the "
            f"{'paragraph it belongs' if one else 'paragraphs they belong'} to."
        )
    if snap.readings:
        warnings.append(
            f"ELAN files have no place for readings: {_count(len(snap.readings), 'reading')} "
            f"and {'its' if len(snap.readings) == 1 else 'their'} evidence were left out."
        )
    return warnings


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def write_eaf(snapshot: Snapshot, options: Options) -> Written:
    """The snapshot as an EAF 3.0 document that ELAN opens."""
    w = _Writer()
    facts = {
        "desk:essay-title": snapshot.title,
        "desk:essay-dek": snapshot.dek,
        "desk:film-fingerprint": snapshot.film.fingerprint,
        "desk:film-title": snapshot.film.title,
        "desk:film-year": str(snapshot.film.year or ""),
    }
    for name, value in facts.items():
        if value:
            w.property(name, value)
    if snapshot.characters or snapshot.emotions:
        colours = {"characters": snapshot.characters, "emotions": snapshot.emotions}
        w.property("desk:colours", json.dumps(colours, ensure_ascii=False))
    for emotion in snapshot.emotions:
        w.emotion(emotion)
    _write_essay(w, snapshot)
    _write_scenes(w, snapshot)
    _write_beats(w, snapshot)
    _write_notes(w, snapshot)
    flattened = write_reference(w, snapshot.tiers)
    data, warnings = w.finish(), _left_out(snapshot)
    if flattened:
        one = flattened == 1
        warnings.append(
            f"{_count(flattened, 'tier')} read from ELAN no longer "
            f"{'fits the tier it was' if one else 'fit the tiers they were'} part of (deleted "
            f"or changed in desk), so {'it was' if one else 'they were'} written with times of "
            f"{'its' if one else 'their'} own, not as dependent tiers."
        )
    if w.lost_characters:
        warnings.append(
            f"{_count(w.lost_characters, 'control character')} that XML cannot hold "
            f"{_was(w.lost_characters)} left out of the text."
        )
    return Written(data, warnings)
