"""desk's own tiers of an ELAN document (known by linguistic type) read back as paragraphs,
notes, beats and scenes; annotations with the same desk id are one item.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from desk.interchange.eaf.document import _Annotation, _Document, _fail, _whole
from desk.interchange.eaf.names import BEAT, ESSAY, FIELDS, MOMENT_MS, NOTE, SCENE
from desk.interchange.model import Beat, Link, Note, Paragraph, Scene
from desk.store.models import BlockKind, NoteKind, new_uid


@dataclass
class _Found:
    """An annotation of one of desk's tiers, with its span and the values of its fields."""

    ann: _Annotation
    start_ms: int
    end_ms: int
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.fields.get(key, ("", 0))[0]

    @property
    def key(self) -> str:
        return self.get("id") or f"annotation {self.ann.id}"


def _is_desk(type_id: str) -> bool:
    return type_id in (ESSAY, SCENE, BEAT) or type_id.startswith(NOTE)


def _span(ann: _Annotation) -> tuple[int, int]:
    """A desk span: a 1 ms annotation is a moment."""
    length = ann.end_ms - ann.start_ms
    return ann.start_ms, ann.end_ms if length != MOMENT_MS else ann.start_ms


def _found(doc: _Document) -> tuple[dict[str, list[_Found]], set[str]]:
    """The annotations of desk's tiers by linguistic type (in time order) and the ids of the
    tiers they and their fields are on."""
    by_ann: dict[str, _Found] = {}
    by_type: dict[str, list[_Found]] = {}
    mains = {tier.id for tier in doc.tiers.values() if _is_desk(tier.type)}
    used = set(mains)
    for tier in doc.tiers.values():
        if tier.id in mains:
            for ann in tier.annotations:
                by_ann[ann.id] = _Found(ann, *_span(ann))
                by_type.setdefault(tier.type, []).append(by_ann[ann.id])
    for tier in doc.tiers.values():
        key = tier.type.removeprefix("desk-")
        if tier.parent in mains and tier.type.startswith("desk-") and key in FIELDS:
            used.add(tier.id)
            for ann in tier.annotations:
                if ann.parent in by_ann:
                    by_ann[ann.parent].fields[key] = (ann.value, ann.line)
    for found in by_type.values():
        found.sort(key=lambda f: (f.start_ms, f.end_ms))
    return by_type, used


def _grouped(found: list[_Found]) -> list[list[_Found]]:
    """Annotations that are one item (the same desk id), in order of their first."""
    groups: dict[str, list[_Found]] = {}
    for f in found:
        groups.setdefault(f.key, []).append(f)
    return list(groups.values())


def _links(group: list[_Found]) -> tuple[Link, ...]:
    return tuple(
        Link(*span) for span in sorted((f.start_ms, f.end_ms, f.get("label")) for f in group)
    )


def _number(f: _Found, key: str) -> int | None:
    value, line = f.fields.get(key, ("", 0))
    if not value:
        return None
    number = _whole(value, 9)
    if number is None:
        raise _fail(
            line,
            f"annotation {f.ann.id} has the paragraph number '{value}', which is "
            "not a whole number.",
        )
    return number


def _paragraphs(found: list[_Found], warnings: list[str]) -> dict[int, Paragraph]:
    """The essay's paragraphs by number (those without one after, in time order)."""
    numbered: dict[int, Paragraph] = {}
    loose: list[Paragraph] = []
    for group in _grouped(found):
        first = group[0]
        kind = first.get("kind") or BlockKind.BODY.value
        if kind not in {k.value for k in BlockKind}:
            raise _fail(
                first.fields["kind"][1], f"paragraph kind '{kind}' is neither 'body' nor 'heading'."
            )
        if any(f.ann.value != first.ann.value for f in group):
            warnings.append(
                f"paragraph {first.key} has different texts on different "
                "annotations; desk kept the earliest."
            )
        number = _number(first, "number")
        paragraph = Paragraph(first.ann.value, kind, _links(group), first.get("id") or new_uid())
        if number is None or number in numbered:
            loose.append(paragraph)
        else:
            numbered[number] = paragraph
    last = max(numbered, default=0)
    numbered.update({last + n: p for n, p in enumerate(loose, 1)})
    return dict(sorted(numbered.items()))


def _notes(
    by_type: dict[str, list[_Found]], paragraphs: dict[int, Paragraph], warnings: list[str]
) -> list[Note]:
    found = [f for t, fs in by_type.items() if t.startswith(NOTE) for f in fs]
    found.sort(key=lambda f: (f.start_ms, f.end_ms))
    kinds = {k.value for k in NoteKind}
    notes = []
    for group in _grouped(found):
        first = group[0]
        kind = first.ann.tier.type.removeprefix(NOTE)
        if kind not in kinds:
            raise _fail(
                first.ann.tier.line,
                f"tier '{first.ann.tier.id}' holds notes of the "
                f"kind '{kind}', which desk does not know.",
            )
        number = _number(first, "paragraph")
        if number is not None and number not in paragraphs:
            warnings.append(
                f"note {first.key} belongs to paragraph {number}, which is not in "
                "the file; it was imported on its own."
            )
        paragraph = paragraphs[number].uid if number in paragraphs else ""
        notes.append(
            Note(
                first.ann.value,
                kind,
                _links(group),
                first.ann.tier.participant,
                paragraph,
                first.get("created"),
                first.get("id"),
            )
        )
    return notes


def _fraction(f: _Found, key: str, low: float, default: float) -> float:
    value, line = f.fields.get(key, ("", 0))
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not low <= number <= 1:
        raise _fail(
            line, f"the {key} '{value}' of beat '{f.ann.value}' is not a number from {low:g} to 1."
        )
    return number


def _beat(f: _Found) -> Beat:
    return Beat(
        f.start_ms,
        f.end_ms,
        f.ann.value,
        f.get("description"),
        f.get("emotion"),
        _fraction(f, "valence", -1, 0.0),
        _fraction(f, "intensity", 0, 0.5),
        f.ann.tier.annotator,
        uid=f.get("id"),
    )


def _beats(found: list[_Found], warnings: list[str]) -> list[Beat]:
    """The beats, one for each desk id, felt by the characters of the tiers it is on."""
    beats = []
    for group in _grouped(found):
        first, *others = (_beat(f) for f in group)
        if any(other != first for other in others):
            warnings.append(
                f"beat '{first.label}' is not the same on the tiers of all its characters; desk "
                f"kept the one on tier '{group[0].ann.tier.id}'."
            )
        characters = {f.ann.tier.participant for f in group} - {""}
        beats.append(replace(first, characters=tuple(sorted(characters))))
    return beats


def _scenes(found: list[_Found]) -> list[Scene]:
    return [
        Scene(g[0].ann.value, g[0].start_ms, g[0].end_ms, g[0].get("description"), g[0].get("id"))
        for g in _grouped(found)
    ]
