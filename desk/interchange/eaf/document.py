"""An ELAN file read as XML: its time slots (in milliseconds), linguistic types, languages,
controlled vocabularies, tiers and annotations, refused with the line at fault when it is not an
ELAN document or refers to anything it does not define.

The file is read as a stream (lxml's ``iterparse``), each annotation's element dropped once read:
a file of 100,000 annotations never stands whole in memory as a tree, only as the few fields
desk keeps of each. What the document holds that desk has no place for is counted by element
and attribute, for the import's summary to name.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from desk.errors import ImportFormatError
from desk.interchange.eaf.names import STEREOTYPES
from desk.interchange.formats import MAX_IMPORT_BYTES

#: Milliseconds per unit of TIME_VALUE, as a fraction.
_TIME_UNITS = {"milliseconds": (1, 1), "PAL-frames": (40, 1), "NTSC-frames": (1001, 30)}
_MAX_TIME_VALUE = 2**32 - 1  # xsd:unsignedInt


#: The attributes of a linguistic type that desk keeps (the others name things it does not).
TYPE_ATTRIBUTES = (
    "LINGUISTIC_TYPE_ID",
    "TIME_ALIGNABLE",
    "CONSTRAINTS",
    "GRAPHIC_REFERENCES",
    "CONTROLLED_VOCABULARY_REF",
)
#: Attributes and elements desk has no place for, with the words that name one and several.
NOT_KEPT = {
    "LICENSE": ("licence", "licences"),
    "MEDIA_DESCRIPTOR": ("media file reference", "media file references"),
    "LINKED_FILE_DESCRIPTOR": ("linked file", "linked files"),
    "LOCALE": ("locale", "locales"),
    "LEXICON_REF": ("lexicon reference", "lexicon references"),
    "REF_LINK_SET": ("set of reference links", "sets of reference links"),
    "EXTERNAL_REF": ("external reference", "external references"),
    "PROPERTY": ("header property", "header properties"),
    "EXT_REF": ("external reference of an annotation", "external references of annotations"),
    "LANG_REF": ("language of an annotation", "languages of annotations"),
    "SVG_REF": ("graphic reference of an annotation", "graphic references of annotations"),
}


@dataclass(slots=True)
class _Tier:
    id: str
    type: str
    parent: str
    participant: str
    annotator: str
    language: str
    line: int
    annotations: list[_Annotation] = field(default_factory=list)


@dataclass(slots=True)
class _Annotation:
    id: str
    tier: _Tier
    value: str
    line: int
    slots: tuple[str, str] | None = None
    parent: str = ""  # the annotation a reference annotation refers to
    previous: str = ""
    cve: str = ""  # the controlled vocabulary entry it was chosen from
    start_ms: int = 0
    end_ms: int = 0


@dataclass
class _Vocabulary:
    """A controlled vocabulary: descriptions and entries, each value in its language."""

    id: str
    descriptions: list[tuple[str, str]] = field(default_factory=list)  # (language, text)
    #: (entry id, [(language, description, value)])
    entries: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)


@dataclass
class _Document:
    tiers: dict[str, _Tier] = field(default_factory=dict)
    annotations: dict[str, _Annotation] = field(default_factory=dict)
    slots: dict[str, int | None] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # linguistic type → its stereotype
    type_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    languages: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (def, label)
    vocabularies: dict[str, _Vocabulary] = field(default_factory=dict)
    properties: list[tuple[str, str, int]] = field(default_factory=list)
    unit: tuple[int, int] = (1, 1)
    #: What the file holds that desk does not keep, by element or attribute (see NOT_KEPT).
    not_kept: Counter[str] = field(default_factory=Counter)


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


def _whole(value: str, digits: int) -> int | None:
    """``value`` as a whole number of at most ``digits`` digits, or None."""
    value = value.strip()
    ok = value.isascii() and value.isdigit() and len(value) <= digits
    return int(value) if ok else None


def _check_size(data: bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"the file is {len(data) / 2**20:.1f} MB; desk imports files up to "
            f"{MAX_IMPORT_BYTES // 2**20} MB."
        )


def _check_root(root: Any) -> None:
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


def _read_header(doc: _Document, header: Any) -> None:
    unit = header.get("TIME_UNITS", "milliseconds")
    if unit not in _TIME_UNITS:
        raise _fail(header, f"the file counts time in '{unit}', a unit ELAN does not define.")
    doc.unit = _TIME_UNITS[unit]
    for child in header:
        if child.tag == "PROPERTY":
            name = child.get("NAME", "")
            doc.properties.append((name, _text(child), child.sourceline or 0))
            if not name.startswith("desk:") and name != "lastUsedAnnotationId":
                doc.not_kept["PROPERTY"] += 1
        elif child.tag in NOT_KEPT:
            doc.not_kept[child.tag] += 1


def _read_slot(doc: _Document, slot: Any) -> None:
    """A time slot, in the file's unit (converted once the whole file is read)."""
    slot_id, value = _need(slot, "TIME_SLOT_ID"), slot.get("TIME_VALUE")
    if slot_id in doc.slots:
        raise _fail(slot, f"the file defines time slot {slot_id} twice.")
    if value is None:
        doc.slots[slot_id] = None
        return
    time = _whole(value, 10)
    if time is None or time > _MAX_TIME_VALUE:
        raise _fail(
            slot,
            f"time slot {slot_id} has the time '{value}', which is not a whole "
            "number of milliseconds from 0 to 4294967295.",
        )
    doc.slots[slot_id] = time


def _start_tier(doc: _Document, element: Any) -> _Tier:
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
    for attr in ("DEFAULT_LOCALE", "EXT_REF"):
        if element.get(attr):
            doc.not_kept["LOCALE" if attr == "DEFAULT_LOCALE" else "EXTERNAL_REF"] += 1
    doc.tiers[tier.id] = tier
    return tier


def _read_annotation(doc: _Document, tier: _Tier, inner: Any) -> None:
    # Called 100,000 times for a large file: the attributes are read into a dict once.
    attrs = dict(inner.attrib)
    value = inner.find("ANNOTATION_VALUE")
    text = value.text or "" if value is not None and not len(value) else _text(value)
    ann = _Annotation(
        attrs.get("ANNOTATION_ID") or _need(inner, "ANNOTATION_ID"),
        tier,
        text,
        inner.sourceline or 0,
        cve=attrs.get("CVE_REF", ""),
    )
    if ann.id in doc.annotations:
        raise _fail(inner, f"the file defines annotation {ann.id} twice.")
    if inner.tag == "ALIGNABLE_ANNOTATION":
        ann.slots = (
            attrs.get("TIME_SLOT_REF1") or _need(inner, "TIME_SLOT_REF1"),
            attrs.get("TIME_SLOT_REF2") or _need(inner, "TIME_SLOT_REF2"),
        )
    else:
        ann.parent = attrs.get("ANNOTATION_REF") or _need(inner, "ANNOTATION_REF")
        ann.previous = attrs.get("PREVIOUS_ANNOTATION", "")
    for attr in ("EXT_REF", "LANG_REF", "SVG_REF"):
        if attrs.get(attr):
            doc.not_kept[attr] += 1
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
    doc.type_attributes[type_id] = {
        a: str(element.get(a)) for a in TYPE_ATTRIBUTES if element.get(a) is not None
    }
    for attr in ("EXT_REF", "LEXICON_REF"):
        if element.get(attr):
            doc.not_kept["EXTERNAL_REF" if attr == "EXT_REF" else attr] += 1


def _read_language(doc: _Document, element: Any) -> None:
    lang_id = _need(element, "LANG_ID")
    doc.languages[lang_id] = (element.get("LANG_DEF", ""), element.get("LANG_LABEL", ""))


def _read_vocabulary(doc: _Document, element: Any) -> None:
    """A controlled vocabulary; an EAF 2.7 entry (CV_ENTRY, one value without a language)
    becomes a multilingual one (CV_ENTRY_ML, what EAF 3.0 allows) in the undetermined language."""
    cv = _Vocabulary(_need(element, "CV_ID"))
    if element.get("EXT_REF"):
        doc.not_kept["EXTERNAL_REF"] += 1
    for child in element:
        if child.tag == "DESCRIPTION":
            cv.descriptions.append((child.get("LANG_REF", "und"), _text(child)))
        elif child.tag == "CV_ENTRY_ML":
            values = [
                (v.get("LANG_REF", "und"), v.get("DESCRIPTION", ""), _text(v))
                for v in child
                if v.tag == "CVE_VALUE"
            ]
            cv.entries.append((_need(child, "CVE_ID"), values))
        elif child.tag == "CV_ENTRY":
            entry_id = child.get("CVE_ID") or f"cveid_{len(cv.entries) + 1}"
            cv.entries.append((entry_id, [("und", child.get("DESCRIPTION", ""), _text(child))]))
        if child.get("EXT_REF"):
            doc.not_kept["EXTERNAL_REF"] += 1
    if element.get("DESCRIPTION"):  # EAF 2.x kept the description as an attribute
        cv.descriptions.append(("und", str(element.get("DESCRIPTION"))))
    doc.vocabularies[cv.id] = cv


_TOP_READERS = {
    "HEADER": _read_header,
    "LINGUISTIC_TYPE": _read_type,
    "LANGUAGE": _read_language,
    "CONTROLLED_VOCABULARY": _read_vocabulary,
}


#: The elements the stream stops at, once each is read whole.
_READ = ("TIME_SLOT", "ANNOTATION", "TIER", *_TOP_READERS, *NOT_KEPT)


class _Stream:
    """Where the stream is: the document's root element and the TIER element being read."""

    def __init__(self, doc: _Document, root: Any) -> None:
        self.doc, self.root = doc, root
        self.tier_element: Any = None
        self.tier: _Tier | None = None

    def annotation(self, element: Any, parent: Any) -> None:
        if parent is not self.tier_element:
            if parent.tag != "TIER" or parent.getparent() is not self.root:
                return
            self.tier_element, self.tier = parent, _start_tier(self.doc, parent)
        for inner in element:
            if inner.tag in ("ALIGNABLE_ANNOTATION", "REF_ANNOTATION"):
                _read_annotation(self.doc, self.tier, inner)  # type: ignore[arg-type]
        _drop(element)

    def top(self, element: Any, tag: str) -> None:
        if tag == "TIER" and element is not self.tier_element:
            _start_tier(self.doc, element)  # a tier without annotations
        reader = _TOP_READERS.get(tag)
        if reader is not None:
            reader(self.doc, element)
        elif tag in NOT_KEPT and tag != "TIER":
            self.doc.not_kept[tag] += 1
        _drop(element)


def _read_document(data: bytes) -> _Document:
    """The document, read as a stream; each element is dropped from memory once read."""
    _check_size(data)
    doc, stream = _Document(), None
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=_READ,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _, element in events:
            if stream is None:
                stream = _Stream(doc, element.getroottree().getroot())
                _check_root(stream.root)
            parent, tag = element.getparent(), element.tag
            if tag == "ANNOTATION":
                stream.annotation(element, parent)
            elif tag == "TIME_SLOT":
                if parent.tag == "TIME_ORDER" and parent.getparent() is stream.root:
                    _read_slot(doc, element)
                    _drop(element)
            elif parent is stream.root:
                stream.top(element, tag)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(data, exc) from None
    if stream is None:
        _check_root(events.root)
    if doc.unit != (1, 1):
        per, every = doc.unit
        doc.slots = {k: None if v is None else v * per // every for k, v in doc.slots.items()}
    _check_references(doc)
    return doc


def _syntax_error(data: bytes, exc: etree.XMLSyntaxError) -> ImportFormatError:
    """The reason the file is not XML. The stream reports some faults only as "no element
    found" at its end; parsing the broken file whole (only ever on this path) names the
    real one, with its line."""
    try:
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as whole:
        exc = whole
    return _fail(exc.lineno or 1, f"this is not well-formed XML ({exc.msg}).")


def _drop(element: Any) -> None:
    """Free an element that has been read, and the siblings read before it."""
    element.clear()
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


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


def _check_kind(doc: _Document, ann: _Annotation) -> None:
    """An annotation of the kind its tier's linguistic type holds: references under a symbolic
    constraint, time-aligned annotations under any other."""
    stereotype = doc.types[ann.tier.type]
    symbolic = stereotype in ("Symbolic_Association", "Symbolic_Subdivision")
    if symbolic and ann.slots is not None:
        raise _fail(
            ann.line,
            f"annotation {ann.id} has times of its own, but its tier '{ann.tier.id}' is of the "
            f"linguistic type '{ann.tier.type}' ({stereotype}), whose annotations refer to "
            "their parent's instead.",
        )
    if stereotype and not symbolic and ann.slots is None:
        raise _fail(
            ann.line,
            f"annotation {ann.id} refers to annotation {ann.parent}, but its tier "
            f"'{ann.tier.id}' is of the linguistic type '{ann.tier.type}' ({stereotype}), "
            "whose annotations have times of their own.",
        )


def _check_annotation(doc: _Document, ann: _Annotation) -> None:
    _check_kind(doc, ann)
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
