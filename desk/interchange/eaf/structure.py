"""The ELAN structure of a reference tier, kept beside its cues so that an ELAN export writes
the tier as it was read: its parent tier, its linguistic type (constraint, time alignment,
controlled vocabulary), the vocabulary itself, the languages it and its vocabulary name, and, for
a tier of reference annotations, which annotation of the parent tier each of its cues refers to.

It travels as one JSON text (:attr:`desk.interchange.model.Tier.elan`, the ``tier.elan`` column):
nothing else in desk reads it, and it is always read whole with the tier's cues. Keys:

``parent``      the uid of the parent reference tier ("" for a tier at the top)
``participant`` and ``annotator``: the tier's PARTICIPANT and ANNOTATOR
``type``        the linguistic type's attributes (LINGUISTIC_TYPE_ID, CONSTRAINTS, ...)
``vocabulary``  ``{"id", "descriptions": [[language, text]], "entries": [[id, [[language,
                description, value]]]]}`` when the type has a controlled vocabulary
``languages``   ``{id: [definition, label]}`` of the tier's language and its vocabulary's
``refs``        for reference annotations, the index among the parent's cues (in film order) of
                the cue each cue refers to, in the tier's own cue order
``cve``         the vocabulary entry each cue was chosen from ("" for none), when any was

A tier's uid is made from its content (with its parent's uid), so the same tier read again, from
the same file or a renamed copy, is the same tier.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from desk.interchange.eaf.document import _Annotation, _Document, _Tier, _Vocabulary
from desk.interchange.model import Cue

#: The ELAN stereotypes whose tiers hold reference annotations (no times of their own).
REFERRING = ("Symbolic_Association", "Symbolic_Subdivision")


@dataclass
class Structure:
    """A tier's ELAN structure, as :func:`parse` reads it back from its JSON."""

    parent: str = ""
    participant: str = ""
    annotator: str = ""
    type: dict[str, str] = field(default_factory=dict)
    vocabulary: dict[str, Any] | None = None
    languages: dict[str, list[str]] = field(default_factory=dict)
    refs: list[int] | None = None
    cve: list[str] | None = None

    @property
    def type_id(self) -> str:
        return self.type.get("LINGUISTIC_TYPE_ID", "")

    @property
    def constraint(self) -> str:
        return self.type.get("CONSTRAINTS", "")


def _vocabulary_json(cv: _Vocabulary) -> dict[str, Any]:
    return {
        "id": cv.id,
        "descriptions": [list(d) for d in cv.descriptions],
        "entries": [[entry_id, [list(v) for v in values]] for entry_id, values in cv.entries],
    }


def kept_cues(tier: _Tier, referred: set[str]) -> list[_Annotation]:
    """The tier's annotations that become cues, in film order: those with text, and those
    without that an annotation of a child tier refers to (the children need them)."""
    kept = [a for a in tier.annotations if a.value.strip() or a.id in referred]
    order = {id(a): n for n, a in enumerate(kept)}
    return sorted(kept, key=lambda a: (a.start_ms, a.end_ms, order[id(a)]))


def describe(
    doc: _Document,
    tier: _Tier,
    annotations: list[_Annotation],
    parent_uid: str,
    parent_order: dict[str, int],
) -> str:
    """The JSON of ``tier``'s structure; ``parent_order`` gives each annotation of the parent
    tier its index among the parent's cues."""
    type_attributes = doc.type_attributes.get(tier.type, {})
    spec: dict[str, Any] = {"type": dict(sorted(type_attributes.items()))}
    if parent_uid:
        spec["parent"] = parent_uid
    for key, value in (("participant", tier.participant), ("annotator", tier.annotator)):
        if value:
            spec[key] = value
    languages = {tier.language} if tier.language else set()
    cv = doc.vocabularies.get(type_attributes.get("CONTROLLED_VOCABULARY_REF", ""))
    if cv is not None:
        spec["vocabulary"] = _vocabulary_json(cv)
        languages.update(lang for lang, _ in cv.descriptions)
        languages.update(lang for _, values in cv.entries for lang, _, _ in values)
    # A language named but not defined (EAF 2.7 and older define none) is written back defined,
    # labelled with its code: read it so here too, so that a round trip changes nothing.
    known = {lang: list(doc.languages.get(lang, ("", lang))) for lang in sorted(languages)}
    if known:
        spec["languages"] = known
    if any(not a.slots for a in annotations):
        spec["refs"] = [parent_order.get(a.parent, -1) for a in annotations]
    if any(a.cve for a in annotations):
        spec["cve"] = [a.cve for a in annotations]
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def uid_of(name: str, elan: str, cues: tuple[Cue, ...]) -> str:
    """A uid made from the tier's content: the same tier read again is the same tier."""
    digest = hashlib.sha256()
    digest.update(json.dumps([name, elan], ensure_ascii=False).encode())
    for cue in cues:
        digest.update(f"\n{cue.start_ms}\t{cue.end_ms}\t{cue.speaker}\t{cue.text}".encode())
    return digest.hexdigest()[:32]


def _strings(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_vocabulary(value: Any) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return False
    descriptions, entries = value.get("descriptions"), value.get("entries")
    return (
        isinstance(descriptions, list)
        and all(_texts(d, 2) for d in descriptions)
        and isinstance(entries, list)
        and all(
            isinstance(e, list)
            and len(e) == 2
            and isinstance(e[0], str)
            and isinstance(e[1], list)
            and all(_texts(v, 3) for v in e[1])
            for e in entries
        )
    )


def _texts(value: Any, n: int) -> bool:
    return isinstance(value, list) and len(value) == n and all(isinstance(v, str) for v in value)


def parse(text: str, cues: int) -> Structure | None:
    """The structure a tier's JSON describes, or None when there is none or it is not what
    :func:`describe` writes (a tier from a bundle someone edited by hand, say)."""
    if not text:
        return None
    try:
        spec = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(spec, dict) or not _strings(spec.get("type")):
        return None
    found = Structure(type=spec["type"])
    for key in ("parent", "participant", "annotator"):
        value = spec.get(key, "")
        if not isinstance(value, str):
            return None
        setattr(found, key, value)
    vocabulary, languages = spec.get("vocabulary"), spec.get("languages", {})
    if vocabulary is not None and not _is_vocabulary(vocabulary):
        return None
    if not isinstance(languages, dict) or not all(_texts(v, 2) for v in languages.values()):
        return None
    found.vocabulary, found.languages = vocabulary, languages
    refs, cve = spec.get("refs"), spec.get("cve")
    if refs is not None and not (
        isinstance(refs, list) and len(refs) == cues and all(type(r) is int for r in refs)
    ):
        return None
    if cve is not None and not (
        isinstance(cve, list) and len(cve) == cues and all(isinstance(c, str) for c in cve)
    ):
        return None
    found.refs, found.cve = refs, cve
    return found
