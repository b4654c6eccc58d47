"""An ELAN file read as XML: its time slots (in milliseconds), linguistic types, tiers and
annotations, refused with the line at fault when it is not an ELAN document or refers to
anything it does not define.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from desk.errors import ImportFormatError
from desk.interchange.eaf.names import STEREOTYPES
from desk.interchange.formats import MAX_IMPORT_BYTES

#: Milliseconds per unit of TIME_VALUE, as a fraction.
_TIME_UNITS = {"milliseconds": (1, 1), "PAL-frames": (40, 1), "NTSC-frames": (1001, 30)}
_MAX_TIME_VALUE = 2**32 - 1  # xsd:unsignedInt


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


def _whole(value: str, digits: int) -> int | None:
    """``value`` as a whole number of at most ``digits`` digits, or None."""
    value = value.strip()
    ok = value.isascii() and value.isdigit() and len(value) <= digits
    return int(value) if ok else None


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
