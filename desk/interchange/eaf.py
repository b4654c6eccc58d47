"""ELAN annotation files (``.eaf``, EAF 3.0): desk's annotations as ELAN tiers, and the tiers of
any ELAN file as reference tiers.

What desk writes. Times are milliseconds. ELAN allows no overlapping annotations on a tier, so
annotations that overlap go to further lanes (``Essay 2``, ...) of the same linguistic type.

=====================  ==============================  =====================================
desk                   tier (linguistic type)          annotation value
=====================  ==============================  =====================================
paragraph, per link    ``Essay`` (desk-essay)          the paragraph's text
note, per link         ``Notes: question (Ani)``       the note's text; PARTICIPANT is the
                       (desk-note-question)            character it is about
beat, per character    ``Beats (Ani)`` (desk-beat)     the beat's label; PARTICIPANT is the
                                                       character, ANNOTATOR the annotator
scene                  ``Scenes`` (desk-scene)         the scene's name
reference tier         its name, one ELAN tier per     the cue's text; PARTICIPANT is the
                       speaker (type: its kind)        speaker, LANG_REF its language
=====================  ==============================  =====================================

An annotation's other fields are dependent tiers (Symbolic_Association: one value per parent
annotation, same span), each written when some annotation has a value: ``desk id`` (the uid, so
that a round trip keeps identity), ``paragraph number`` (the paragraph's place in the essay),
``kind`` (of a paragraph that is not body text), ``paragraph`` (the number of the paragraph a
note belongs to), ``created``, ``link label``, ``emotion`` (from a controlled vocabulary of the
project's emotions), ``valence``, ``intensity`` and ``description``. A moment (a link that
starts and ends on the same millisecond) is a 1 ms annotation, since ELAN keeps no empty ones;
a 1 ms annotation on one of desk's tiers reads back as a moment. HEADER properties named
``desk:...`` hold the essay's title and dek, the film's fingerprint, title and year, the colours
of characters and emotions (JSON) and, for each reference tier, its uid, name, kind, language,
source and the ELAN tiers it was split into (JSON).

What an ELAN file does not carry: readings and their evidence; paragraphs and notes without a
time link; a note's paragraph when that paragraph has no time link; the film's duration, frame
rate and file (no MEDIA_DESCRIPTOR: the user links their copy in ELAN); the order of notes and of
beats that start together, which come back in time order. The writer's warnings name what a
project loses.

Reading. desk's own tiers (known by linguistic type, not by name) become paragraphs, notes,
beats and scenes again; annotations with the same desk id are one item (a beat on the tiers of
two characters is felt by both). Every other tier becomes a reference tier of cues (speaker: the
tier's PARTICIPANT; kind: its linguistic type; language: its LANG_REF). A reference annotation
takes its parent's span, or an equal part of it under Symbolic_Subdivision (in
PREVIOUS_ANNOTATION order); a time slot without a value gets a time spaced evenly between the
nearest slots with one along the chain of annotations on its tier (Time_Subdivision, Included_In).
Frame-counted files (PAL, NTSC) are converted. A file that is not XML, declares a DTD, is not an
ANNOTATION_DOCUMENT, refers to anything it does not define, has a negative or reversed time or a
cycle of tiers is refused with the line at fault; nothing else about it is required.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from desk.errors import ImportFormatError
from desk.interchange.formats import MAX_IMPORT_BYTES, Options, Parsed, Written
from desk.interchange.model import Beat, Cue, Film, Link, Note, Paragraph, Scene, Snapshot, Tier
from desk.store.models import BlockKind, NoteKind, new_uid

SCHEMA_URL = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

ESSAY, SCENE, BEAT, NOTE = "desk-essay", "desk-scene", "desk-beat", "desk-note-"
#: The fields carried by dependent tiers (linguistic type ``desk-<key>``), in the order written,
#: with the word that ends the tier's name.
FIELDS = {
    "id": "desk id",
    "number": "paragraph number",
    "kind": "kind",
    "paragraph": "paragraph",
    "created": "created",
    "label": "link label",
    "emotion": "emotion",
    "valence": "valence",
    "intensity": "intensity",
    "description": "description",
}
EMOTIONS_CV = "desk-emotions"
#: The length of the annotation that stands for a moment.
MOMENT_MS = 1
#: The stereotypes ELAN defines, with what each means.
STEREOTYPES = {
    "Time_Subdivision": "Annotations divide the parent's span in time, without gaps.",
    "Symbolic_Subdivision": "Annotations divide the parent's span in equal, ordered parts.",
    "Symbolic_Association": "One annotation per parent annotation, over the same span.",
    "Included_In": "Annotations lie within the parent's span, gaps allowed.",
}
#: Milliseconds per unit of TIME_VALUE, as a fraction.
_TIME_UNITS = {"milliseconds": (1, 1), "PAL-frames": (40, 1), "NTSC-frames": (1001, 30)}
_MAX_TIME_VALUE = 2**32 - 1  # xsd:unsignedInt
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_WRITTEN_IDS = re.compile(r"(a|ts)[0-9]+\Z")  # the ids desk gives annotations and slots
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# -- writing ----------------------------------------------------------------------------------
@dataclass
class _Row:
    """One annotation of a desk tier, with the values of its dependent tiers."""

    start_ms: int
    end_ms: int
    value: str
    fields: dict[str, str] = field(default_factory=dict)


class _Writer:
    """An EAF document being built: time slots, tiers, linguistic types and the rest."""

    def __init__(self) -> None:
        self.root = etree.Element("ANNOTATION_DOCUMENT", nsmap={"xsi": _XSI})
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for name, value in (("AUTHOR", ""), ("DATE", stamp), ("FORMAT", "3.0"), ("VERSION", "3.0")):
            self.root.set(name, value)
        self.root.set(f"{{{_XSI}}}noNamespaceSchemaLocation", SCHEMA_URL)
        self.header = etree.SubElement(
            self.root, "HEADER", MEDIA_FILE="", TIME_UNITS="milliseconds"
        )
        self.time_order = etree.SubElement(self.root, "TIME_ORDER")
        self.slots: list[int] = []
        self.slot_refs: list[tuple[etree._Element, str, int]] = []
        self.tiers: dict[str, etree._Element] = {}
        self.types: dict[str, dict[str, str]] = {}
        self.languages: dict[str, str] = {}
        self.emotions: dict[str, str] = {}
        self.annotations = 0
        self.lost_characters = 0

    def text(self, value: str) -> str:
        """``value`` without the characters XML cannot hold (counted, for a warning)."""
        clean, lost = _NOT_XML.subn("", value)
        self.lost_characters += lost
        return clean

    def property(self, name: str, value: str) -> None:
        etree.SubElement(self.header, "PROPERTY", NAME=name).text = self.text(value)

    def language(self, code: str, label: str = "") -> str:
        """The LANG_ID for a language code, or "" when the code cannot be one."""
        if not _NCNAME.match(code) or _WRITTEN_IDS.match(code) or code in STEREOTYPES:
            return ""
        self.languages.setdefault(code, label or code)
        return code

    def emotion(self, name: str) -> str:
        """The CVE_ID of an emotion in the emotions vocabulary."""
        return self.emotions.setdefault(name, f"cveid{len(self.emotions) + 1}")

    def tier(self, name: str, type_id: str, parent: str = "", **attrs: str) -> str:
        """Add a tier (a dependent one when ``parent`` is given); return its unique TIER_ID."""
        tier_id, number = self.text(name) or "tier", 1
        while tier_id in self.tiers:
            number += 1
            tier_id = f"{self.text(name)} ({number})"
        element = etree.SubElement(self.root, "TIER", LINGUISTIC_TYPE_REF=type_id, TIER_ID=tier_id)
        if parent:
            element.set("PARENT_REF", parent)
        for key, value in attrs.items():
            if value:
                element.set(key, self.text(value))
        self.tiers[tier_id] = element
        if type_id not in self.types:
            kind = {"TIME_ALIGNABLE": "true"}
            if parent:
                kind = {"CONSTRAINTS": "Symbolic_Association", "TIME_ALIGNABLE": "false"}
            if type_id == "desk-emotion":
                kind["CONTROLLED_VOCABULARY_REF"] = EMOTIONS_CV
            self.types[type_id] = kind
        return tier_id

    def _annotation(self, tier: str, tag: str) -> tuple[str, etree._Element]:
        """A new annotation element on ``tier``, with the next ANNOTATION_ID."""
        self.annotations += 1
        ann_id = f"a{self.annotations}"
        wrapper = etree.SubElement(self.tiers[tier], "ANNOTATION")
        return ann_id, etree.SubElement(wrapper, tag, ANNOTATION_ID=ann_id)

    def align(self, tier: str, start_ms: int, end_ms: int, value: str) -> str:
        ann_id, element = self._annotation(tier, "ALIGNABLE_ANNOTATION")
        for attr, ms in (("TIME_SLOT_REF1", start_ms), ("TIME_SLOT_REF2", end_ms)):
            self.slot_refs.append((element, attr, len(self.slots)))
            self.slots.append(ms)
        etree.SubElement(element, "ANNOTATION_VALUE").text = self.text(value)
        return ann_id

    def refer(self, tier: str, parent: str, value: str, cve: str = "") -> None:
        _, element = self._annotation(tier, "REF_ANNOTATION")
        element.set("ANNOTATION_REF", parent)
        if cve:
            element.set("CVE_REF", cve)
        etree.SubElement(element, "ANNOTATION_VALUE").text = self.text(value)

    def finish(self) -> bytes:
        """The document's bytes: time slots numbered in time order, then the definitions."""
        order = sorted(range(len(self.slots)), key=lambda i: (self.slots[i], i))
        rank = {slot: n for n, slot in enumerate(order, 1)}
        for slot in order:
            etree.SubElement(
                self.time_order,
                "TIME_SLOT",
                TIME_SLOT_ID=f"ts{rank[slot]}",
                TIME_VALUE=str(self.slots[slot]),
            )
        for element, attr, slot in self.slot_refs:
            element.set(attr, f"ts{rank[slot]}")
        self.property("lastUsedAnnotationId", str(self.annotations))
        for type_id, attrs in self.types.items():
            etree.SubElement(
                self.root,
                "LINGUISTIC_TYPE",
                GRAPHIC_REFERENCES="false",
                LINGUISTIC_TYPE_ID=type_id,
                **attrs,
            )
        if self.emotions:
            self.language("und", "undetermined (und)")
        for code, label in self.languages.items():
            etree.SubElement(self.root, "LANGUAGE", LANG_ID=code, LANG_LABEL=self.text(label))
        for stereotype, description in STEREOTYPES.items():
            etree.SubElement(
                self.root, "CONSTRAINT", DESCRIPTION=description, STEREOTYPE=stereotype
            )
        if self.emotions:
            vocabulary = etree.SubElement(self.root, "CONTROLLED_VOCABULARY", CV_ID=EMOTIONS_CV)
            description = etree.SubElement(vocabulary, "DESCRIPTION", LANG_REF="und")
            description.text = "The emotions of desk's beats."
            for name, cve_id in self.emotions.items():
                entry = etree.SubElement(vocabulary, "CV_ENTRY_ML", CVE_ID=cve_id)
                etree.SubElement(entry, "CVE_VALUE", LANG_REF="und").text = self.text(name)
        data: bytes = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return data


def _lanes(spans: list[tuple[int, int]]) -> list[int]:
    """The lane of each span, so that no two spans in a lane overlap (spans that touch may)."""
    lanes = [0] * len(spans)
    ends: list[tuple[int, int]] = []  # (where the lane is free from, lane), soonest first
    for i in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end = spans[i]
        if ends and ends[0][0] <= start:
            _, lanes[i] = heapq.heappop(ends)
        else:
            lanes[i] = len(ends)
        heapq.heappush(ends, (end, lanes[i]))
    return lanes


def _write_rows(w: _Writer, name: str, type_id: str, rows: list[_Row], **attrs: str) -> list[str]:
    """Write ``rows`` as a tier (and lanes when they overlap) with their dependent tiers."""
    spans = [(r.start_ms, r.end_ms + (MOMENT_MS if r.end_ms == r.start_ms else 0)) for r in rows]
    lanes = _lanes(spans)
    written = []
    for lane in range(max(lanes, default=0) + 1):
        mine = sorted((spans[i], i) for i in range(len(rows)) if lanes[i] == lane)
        tier = w.tier(name if lane == 0 else f"{name} {lane + 1}", type_id, **attrs)
        children = {
            key: w.tier(
                f"{tier} – {title}", f"desk-{key}", tier, PARTICIPANT=attrs.get("PARTICIPANT", "")
            )
            for key, title in FIELDS.items()
            if any(rows[n].fields.get(key) for _, n in mine)
        }
        for (start, end), n in mine:
            ann = w.align(tier, start, end, rows[n].value)
            for key, child in children.items():
                value = rows[n].fields.get(key, "")
                if value:
                    w.refer(child, ann, value, w.emotion(value) if key == "emotion" else "")
        written.append(tier)
    return written


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


def _write_reference(w: _Writer, snap: Snapshot) -> None:
    """Each reference tier as one ELAN tier per speaker, and a property that joins them."""
    for number, t in enumerate(snap.tiers, 1):
        speakers: dict[str, list[_Row]] = {}
        for cue in t.cues:
            speakers.setdefault(cue.speaker, []).append(_Row(cue.start_ms, cue.end_ms, cue.text))
        type_id = t.kind if t.kind and not t.kind.startswith("desk-") else "reference"
        language = w.language(t.language)
        names = []
        for speaker, rows in speakers.items() or [("", [])]:
            name = f"{t.name} – {speaker}" if speaker and len(speakers) > 1 else t.name
            names += _write_rows(
                w, name or "Reference", type_id, rows, PARTICIPANT=speaker, LANG_REF=language
            )
        spec = {
            "uid": t.uid,
            "name": t.name,
            "kind": t.kind,
            "language": t.language,
            "source": t.source,
            "tiers": names,
        }
        w.property(f"desk:reference-tier:{number}", json.dumps(spec, ensure_ascii=False))


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
    _write_reference(w, snapshot)
    data, warnings = w.finish(), _left_out(snapshot)
    if w.lost_characters:
        warnings.append(
            f"{_count(w.lost_characters, 'control character')} that XML cannot hold "
            f"{_was(w.lost_characters)} left out of the text."
        )
    return Written(data, warnings)


# -- reading: the document --------------------------------------------------------------------
@dataclass
class _Tier:
    id: str
    type: str
    parent: str
    participant: str
    annotator: str
    language: str
    line: int
    annotations: list[_Annotation] = field(default_factory=list)


@dataclass
class _Annotation:
    id: str
    tier: _Tier
    value: str
    line: int
    slots: tuple[str, str] | None = None
    parent: str = ""  # the annotation a reference annotation refers to
    previous: str = ""
    start_ms: int = 0
    end_ms: int = 0


@dataclass
class _Document:
    tiers: dict[str, _Tier] = field(default_factory=dict)
    annotations: dict[str, _Annotation] = field(default_factory=dict)
    slots: dict[str, int | None] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # linguistic type → its stereotype
    properties: list[tuple[str, str, int]] = field(default_factory=list)
    unit: tuple[int, int] = (1, 1)


def _fail(where: Any, message: str) -> ImportFormatError:
    """An error naming the line of ``where`` (an element or a line number)."""
    line = where if isinstance(where, int) else getattr(where, "sourceline", None)
    return ImportFormatError(f"line {line}: {message}" if line else message)


def _need(element: Any, attr: str) -> str:
    value = element.get(attr)
    if value is None:
        raise _fail(element, f"{element.tag} has no {attr} attribute, which ELAN requires.")
    return str(value)


def _text(element: Any) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _elements(parent: Any, tag: str) -> Iterator[Any]:
    return (child for child in parent if child.tag == tag)


def _xml(data: bytes) -> Any:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"the file is {len(data) / 2**20:.1f} MB; desk imports files up to "
            f"{MAX_IMPORT_BYTES // 2**20} MB."
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _fail(exc.lineno or 0, f"this is not well-formed XML ({exc.msg}).") from None
    if root.getroottree().docinfo.doctype:
        raise ImportFormatError(
            "the file declares a DTD; ELAN files never do, and desk does not read one."
        )
    if root.tag != "ANNOTATION_DOCUMENT":
        raise _fail(
            root,
            f"the file is XML but not an ELAN document (it starts with <{root.tag}>, "
            "not <ANNOTATION_DOCUMENT>).",
        )
    return root


def _read_header(doc: _Document, header: Any) -> None:
    unit = header.get("TIME_UNITS", "milliseconds")
    if unit not in _TIME_UNITS:
        raise _fail(header, f"the file counts time in '{unit}', a unit ELAN does not define.")
    doc.unit = _TIME_UNITS[unit]
    for prop in _elements(header, "PROPERTY"):
        doc.properties.append((prop.get("NAME", ""), _text(prop), prop.sourceline or 0))


def _read_time_order(doc: _Document, time_order: Any) -> None:
    per, every = doc.unit
    for slot in _elements(time_order, "TIME_SLOT"):
        slot_id, value = _need(slot, "TIME_SLOT_ID"), slot.get("TIME_VALUE")
        if slot_id in doc.slots:
            raise _fail(slot, f"the file defines time slot {slot_id} twice.")
        if value is None:
            doc.slots[slot_id] = None
            continue
        time = _whole(value, 10)
        if time is None or time > _MAX_TIME_VALUE:
            raise _fail(
                slot,
                f"time slot {slot_id} has the time '{value}', which is not a whole "
                "number of milliseconds from 0 to 4294967295.",
            )
        doc.slots[slot_id] = time * per // every


def _read_tier(doc: _Document, element: Any) -> None:
    tier = _Tier(
        id=_need(element, "TIER_ID"),
        type=_need(element, "LINGUISTIC_TYPE_REF"),
        parent=element.get("PARENT_REF", ""),
        participant=element.get("PARTICIPANT", ""),
        annotator=element.get("ANNOTATOR", ""),
        language=element.get("LANG_REF", ""),
        line=element.sourceline or 0,
    )
    if tier.id in doc.tiers:
        raise _fail(element, f"the file defines tier '{tier.id}' twice.")
    doc.tiers[tier.id] = tier
    for wrapper in _elements(element, "ANNOTATION"):
        for inner in wrapper:
            if inner.tag not in ("ALIGNABLE_ANNOTATION", "REF_ANNOTATION"):
                continue
            ann = _Annotation(
                _need(inner, "ANNOTATION_ID"),
                tier,
                _text(inner.find("ANNOTATION_VALUE")),
                inner.sourceline or 0,
            )
            if ann.id in doc.annotations:
                raise _fail(inner, f"the file defines annotation {ann.id} twice.")
            if inner.tag == "ALIGNABLE_ANNOTATION":
                ann.slots = (_need(inner, "TIME_SLOT_REF1"), _need(inner, "TIME_SLOT_REF2"))
            else:
                ann.parent = _need(inner, "ANNOTATION_REF")
                ann.previous = inner.get("PREVIOUS_ANNOTATION", "")
            doc.annotations[ann.id] = ann
            tier.annotations.append(ann)


def _read_type(doc: _Document, element: Any) -> None:
    type_id = _need(element, "LINGUISTIC_TYPE_ID")
    stereotype = element.get("CONSTRAINTS", "")
    if stereotype and stereotype not in STEREOTYPES:
        raise _fail(
            element,
            f"linguistic type '{type_id}' has the constraint '{stereotype}', "
            "which ELAN does not define.",
        )
    if type_id in doc.types:
        raise _fail(element, f"the file defines linguistic type '{type_id}' twice.")
    doc.types[type_id] = stereotype


def _read_document(root: Any) -> _Document:
    doc = _Document()
    header = root.find("HEADER")
    if header is not None:
        _read_header(doc, header)  # the time unit, before any time is read
    readers = {"TIME_ORDER": _read_time_order, "TIER": _read_tier, "LINGUISTIC_TYPE": _read_type}
    for child in root:
        if child.tag in readers:
            readers[child.tag](doc, child)
    _check_references(doc)
    return doc


def _check_references(doc: _Document) -> None:
    for tier in doc.tiers.values():
        if tier.type not in doc.types:
            raise _fail(
                tier.line,
                f"tier '{tier.id}' has the linguistic type '{tier.type}', "
                "which the file does not define.",
            )
        if tier.parent and tier.parent not in doc.tiers:
            raise _fail(
                tier.line,
                f"tier '{tier.id}' refers to the parent tier "
                f"'{tier.parent}', which the file does not define.",
            )
        for ann in tier.annotations:
            _check_annotation(doc, ann)


def _check_annotation(doc: _Document, ann: _Annotation) -> None:
    if ann.slots is not None:
        for slot in ann.slots:
            if slot not in doc.slots:
                raise _fail(
                    ann.line,
                    f"annotation {ann.id} refers to time slot {slot}, which the file does not "
                    "define.",
                )
        return
    for ref in (ann.parent, ann.previous) if ann.previous else (ann.parent,):
        if ref not in doc.annotations:
            raise _fail(
                ann.line,
                f"annotation {ann.id} refers to annotation {ref}, which the file does not define.",
            )
    if not ann.tier.parent:
        raise _fail(
            ann.line,
            f"annotation {ann.id} refers to annotation {ann.parent}, but its tier "
            f"'{ann.tier.id}' has no parent tier.",
        )
    if doc.annotations[ann.parent].tier.id != ann.tier.parent:
        raise _fail(
            ann.line,
            f"annotation {ann.id} refers to annotation {ann.parent}, which is not on the parent "
            f"tier '{ann.tier.parent}'.",
        )


def _tiers_parent_first(doc: _Document) -> list[_Tier]:
    depth: dict[str, int] = {}
    for tier in doc.tiers.values():
        chain, seen = [tier], {tier.id}
        while chain[-1].parent and chain[-1].parent not in depth:
            parent = doc.tiers[chain[-1].parent]
            if parent.id in seen:
                raise _fail(
                    tier.line,
                    f"tier '{tier.id}' is its own ancestor: its parent tiers form a cycle.",
                )
            chain.append(parent)
            seen.add(parent.id)
        base = depth[chain[-1].parent] + 1 if chain[-1].parent else 0
        for n, member in enumerate(reversed(chain)):
            depth[member.id] = base + n
    return sorted(doc.tiers.values(), key=lambda t: depth[t.id])


# -- reading: times ---------------------------------------------------------------------------
def _resolve_times(doc: _Document) -> None:
    """Give every annotation its span in milliseconds, or refuse the file."""
    known = {slot: value for slot, value in doc.slots.items() if value is not None}
    for tier in _tiers_parent_first(doc):
        aligned = [a for a in tier.annotations if a.slots]
        _interpolate(tier, aligned, known)
        for ann in aligned:
            assert ann.slots is not None
            ann.start_ms, ann.end_ms = known[ann.slots[0]], known[ann.slots[1]]
            if ann.end_ms < ann.start_ms:
                raise _fail(
                    ann.line,
                    f"annotation {ann.id} ends ({ann.end_ms} ms) before it "
                    f"starts ({ann.start_ms} ms).",
                )
        children: dict[str, list[_Annotation]] = {}
        for ann in tier.annotations:
            if not ann.slots:
                children.setdefault(ann.parent, []).append(ann)
        divide = doc.types[tier.type] == "Symbolic_Subdivision"
        for parent, group in children.items():
            start, end = doc.annotations[parent].start_ms, doc.annotations[parent].end_ms
            parts = _in_order(group) if divide else [[ann] for ann in group]
            for i, part in enumerate(parts):
                for ann in part:
                    ann.start_ms = start + (end - start) * i // len(parts) if divide else start
                    ann.end_ms = start + (end - start) * (i + 1) // len(parts) if divide else end


def _interpolate(tier: _Tier, aligned: list[_Annotation], known: dict[str, int]) -> None:
    """Times for the slots without one: evenly spaced along the chain of annotations (each
    starting where the one before ends) between the nearest slots that have a time."""
    following: dict[str, str] = {}
    for ann in aligned:
        assert ann.slots is not None
        following.setdefault(ann.slots[0], ann.slots[1])
    for ann in aligned:
        assert ann.slots is not None
        if ann.slots[0] not in known:
            continue
        run: list[str] = []
        seen: set[str] = set()
        slot = ann.slots[1]
        while slot not in known:
            if slot in seen or slot not in following:
                problem = "form a cycle" if slot in seen else "never reach a slot with a time"
                raise _fail(
                    ann.line,
                    f"the time slots after annotation {ann.id} on tier "
                    f"'{tier.id}' have no time and {problem}.",
                )
            run.append(slot)
            seen.add(slot)
            slot = following[slot]
        first, last = known[ann.slots[0]], known[slot]
        for i, between in enumerate(run, 1):
            known[between] = first + (last - first) * i // (len(run) + 1)
    for ann in aligned:
        assert ann.slots is not None
        if ann.slots[0] not in known:
            raise _fail(
                ann.line,
                f"annotation {ann.id} has no time: time slot {ann.slots[0]} "
                "has none and no annotation with a time leads to it.",
            )


def _in_order(group: list[_Annotation]) -> list[list[_Annotation]]:
    """Annotations that subdivide one parent, one to a part, in their PREVIOUS_ANNOTATION
    order (or the file's, when they have none)."""
    if not any(a.previous for a in group):
        return [[ann] for ann in group]
    after = {a.previous: a for a in group}
    ordered: list[_Annotation] = []
    current = after.get("")
    while current is not None and len(ordered) < len(group):
        ordered.append(current)
        current = after.get(current.id)
    if len(ordered) != len(group) or len(after) != len(group):
        raise _fail(
            group[0].line,
            f"the annotations that subdivide annotation "
            f"{group[0].parent} do not form one chain of "
            "PREVIOUS_ANNOTATION references.",
        )
    return [[ann] for ann in ordered]


# -- reading: desk's annotations --------------------------------------------------------------
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


def _whole(value: str, digits: int) -> int | None:
    """``value`` as a whole number of at most ``digits`` digits, or None."""
    value = value.strip()
    ok = value.isascii() and value.isdigit() and len(value) <= digits
    return int(value) if ok else None


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


# -- reading: properties and reference tiers --------------------------------------------------
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
) -> list[Tier]:
    tiers = []
    for spec, _ in specs:
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
    for tier in doc.tiers.values():
        if tier.id not in used and tier.annotations:
            tiers.append(Tier(tier.id, _cues([tier], False), tier.type, tier.language, source))
    return tiers


def read_eaf(data: bytes, options: Options, source: str) -> Parsed:
    """An ELAN file's annotations as a snapshot (see the module's docstring for the mapping)."""
    doc = _read_document(_xml(data))
    _resolve_times(doc)
    snap, warnings = Snapshot(), list[str]()
    specs = _read_properties(doc, snap)
    by_type, used = _found(doc)
    paragraphs = _paragraphs(by_type.get(ESSAY, []), warnings)
    snap.paragraphs = list(paragraphs.values())
    snap.notes = _notes(by_type, paragraphs, warnings)
    snap.beats = _beats(by_type.get(BEAT, []), warnings)
    snap.scenes = _scenes(by_type.get(SCENE, []))
    snap.tiers = _reference_tiers(doc, used, specs, source)
    return Parsed(snap, warnings)
