"""A snapshot as a JSON-LD ``AnnotationCollection``: one ``Annotation`` for each paragraph,
scene, beat, note, reading and cue, its time links as Media Fragment targets on the film.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from desk.core.timecode import format_ms
from desk.interchange.jsonld.vocabulary import (
    ANNO_CONTEXT,
    DESK_CONTEXT,
    DESK_NS,
    FILM_IRI,
    MEDIA_FRAGMENTS,
)
from desk.interchange.model import MAX_FILM_MS, Film, Link, Snapshot
from desk.store.models import BlockKind, NoteKind

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Written


def _urn(uid: str, seed: str = "") -> str:
    """The IRI of an annotation with this desk uid (a stable one made from ``seed`` if it has
    none)."""
    try:
        return f"urn:uuid:{uuid.UUID(hex=uid)}"
    except ValueError:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, DESK_NS + (uid or seed))}"


def film_iri(fingerprint: str) -> str:
    return f"{FILM_IRI}:{quote(fingerprint, safe=':')}" if fingerprint else FILM_IRI


def _seconds(ms: int) -> str:
    return format_ms(ms, "seconds")


def frame_ms(film: Film) -> int:
    """How long one frame of the film lasts, in whole milliseconds (at least 1)."""
    if film.fps_num <= 0 or film.fps_den <= 0:
        return round(1000 / 24)
    return max(1, round(1000 * film.fps_den / film.fps_num))


@dataclass(frozen=True)
class _Film:
    """The film targets point to: its IRI, and the length of one of its frames."""

    iri: str
    frame_ms: int

    def target(self, start_ms: int, end_ms: int, label: str = "") -> dict[str, Any]:
        # Media Fragments read ``t=21`` as "from 21 s to the end": a moment is written as the
        # frame it shows, and marked as a moment so that desk reads it back as one.
        moment = start_ms == end_ms
        shown_until = min(start_ms + self.frame_ms, MAX_FILM_MS) if moment else end_ms
        times = f"{_seconds(start_ms)},{_seconds(shown_until)}"
        value = f"t={times}"
        selector = {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": value}
        target: dict[str, Any] = {"type": "SpecificResource", "source": self.iri}
        if moment:
            target["deskMoment"] = True
        target["selector"] = selector
        if label:
            target["label"] = label
        return target

    def targets(self, links: tuple[Link, ...]) -> Any:
        return _one_or_many([self.target(x.start_ms, x.end_ms, x.label) for x in links]) or self.iri


def _body(value: str, purpose: str, language: str = "") -> dict[str, str]:
    body = {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": purpose}
    if language:
        body["language"] = language
    return body


def _one_or_many(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _annotation(uid: str, kind: str, motivation: str, seed: str = "", **fields: Any) -> dict:
    node = {"id": _urn(uid, seed), "type": "Annotation", "deskKind": kind, "motivation": motivation}
    fields["body"] = _one_or_many([b for b in fields["body"] if b["value"]])
    node.update({k: v for k, v in fields.items() if v not in ("", None, [])})
    return node


def _items(snap: Snapshot, film: _Film) -> Iterator[dict[str, Any]]:
    for p in snap.paragraphs:
        yield _annotation(
            p.uid,
            "paragraph",
            "commenting",
            p.text,
            blockKind="" if p.kind == BlockKind.BODY else p.kind,
            body=[_body(p.text, "commenting")],
            target=film.targets(p.links),
        )
    for s in snap.scenes:
        yield _annotation(
            s.uid,
            "scene",
            "describing",
            s.name,
            label=s.name,
            body=[_body(s.description, "describing")],
            target=film.target(s.start_ms, s.end_ms),
        )
    for b in snap.beats:
        yield _annotation(
            b.uid,
            "beat",
            "classifying",
            b.label,
            label=b.label,
            body=[
                _body(b.description, "describing"),
                _body(b.emotion, "classifying"),
                *(_body(name, "tagging") for name in b.characters),
            ],
            target=film.target(b.start_ms, b.end_ms),
            valence=b.valence,
            intensity=b.intensity,
            creator={"type": "Person", "name": b.annotator} if b.annotator else None,
        )
    for n in snap.notes:
        motivation = "questioning" if n.kind == NoteKind.QUESTION else "commenting"
        yield _annotation(
            n.uid,
            "note",
            motivation,
            n.text,
            noteKind=n.kind,
            body=[_body(n.text, motivation), _body(n.character, "tagging")],
            target=film.targets(n.links),
            created=n.created_at,
            paragraph=_urn(n.paragraph) if n.paragraph else "",
        )
    for r in snap.readings:
        evidence = [
            {
                "stance": e.stance,
                "cites": _urn(e.target),
                "citesKind": e.target_kind,
                **({"comment": e.comment} if e.comment else {}),
            }
            for e in r.evidence
        ]
        yield _annotation(
            r.uid,
            "reading",
            "assessing",
            r.title,
            label=r.title,
            body=[_body(r.summary, "assessing")],
            target=_urn(r.scene) if r.scene else film.iri,
            evidence=evidence,
        )
    for t in snap.tiers:
        for number, c in enumerate(t.cues):
            yield _annotation(
                "",
                "cue",
                "describing",
                f"{_urn(t.uid, t.name)} cue {number}",
                body=[_body(c.text, "describing", t.language)],
                target=film.target(c.start_ms, c.end_ms),
                speaker=c.speaker,
                tier=_urn(t.uid, t.name),
            )


def _frame_rate(film: Film) -> str:
    return str(film.fps_num) if film.fps_den == 1 else f"{film.fps_num}/{film.fps_den}"


def to_document(snap: Snapshot) -> dict[str, Any]:
    """The snapshot as a JSON-LD ``AnnotationCollection``."""
    film = film_iri(snap.film.fingerprint)
    items = list(_items(snap, _Film(film, frame_ms(snap.film))))
    f = snap.film
    film_node = {
        "id": film,
        "label": f.title,
        "year": f.year,
        "durationMs": f.duration_ms,
        "frameRate": _frame_rate(f),
    }
    tiers = [
        {
            "id": _urn(t.uid, t.name),
            "label": t.name,
            "tierKind": t.kind,
            "language": t.language,
            "tierSource": t.source,
        }
        for t in snap.tiers
    ]
    seed = f"{film} {snap.title}"
    doc: dict[str, Any] = {
        "@context": [ANNO_CONTEXT, DESK_CONTEXT],
        "id": _urn("", f"collection {seed}"),
        "type": "AnnotationCollection",
        "label": snap.title,
        "dek": snap.dek,
        "generator": {"type": "Software", "name": "desk"},
        "film": {k: v for k, v in film_node.items() if v not in ("", None)},
        "characters": [{"label": n, "color": c} for n, c in snap.characters.items()],
        "emotions": [{"label": n, "color": c} for n, c in snap.emotions.items()],
        "tiers": [{k: v for k, v in t.items() if v} for t in tiers],
        "total": len(items),
        "first": {
            "id": _urn("", f"page {seed}"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return {k: v for k, v in doc.items() if v not in ("", [])}


def write_jsonld(snapshot: Snapshot, options: Options) -> Written:
    from desk.interchange.formats import Written

    text = json.dumps(to_document(snapshot), ensure_ascii=False, indent=2)
    return Written((text + "\n").encode("utf-8"))
