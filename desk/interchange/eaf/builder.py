"""An EAF document being built: tiers (with further lanes for annotations that overlap and
dependent tiers for their fields), time slots numbered in time order, linguistic types,
languages, the emotions vocabulary and the vocabularies of tiers read from ELAN files.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from desk.interchange.eaf.names import EMOTIONS_CV, FIELDS, MOMENT_MS, STEREOTYPES

SCHEMA_URL = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_WRITTEN_IDS = re.compile(r"(a|ts)[0-9]+\Z")  # the ids desk gives annotations and slots
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
        self.ann_slots: dict[str, tuple[int, int]] = {}  # aligned annotation → its two slots
        self.tiers: dict[str, etree._Element] = {}
        self.types: dict[str, dict[str, str]] = {}
        self.languages: dict[str, tuple[str, str]] = {}  # LANG_ID → (LANG_DEF, LANG_LABEL)
        self.emotions: dict[str, str] = {}
        self.vocabularies: dict[str, dict[str, Any]] = {}  # CV_ID → what structure.py keeps
        self.annotations = 0
        self.lost_characters = 0

    def text(self, value: str) -> str:
        """``value`` without the characters XML cannot hold (counted, for a warning)."""
        clean, lost = _NOT_XML.subn("", value)
        self.lost_characters += lost
        return clean

    def property(self, name: str, value: str) -> None:
        etree.SubElement(self.header, "PROPERTY", NAME=name).text = self.text(value)

    def language(self, code: str, label: str = "", definition: str = "") -> str:
        """The LANG_ID for a language code, or "" when the code cannot be one."""
        if not _NCNAME.match(code) or _WRITTEN_IDS.match(code) or code in STEREOTYPES:
            return ""
        self.languages.setdefault(code, (definition, label or code))
        return code

    def _unique(self, wanted: str, taken: dict[str, Any], value: Any) -> str:
        """``wanted``, or ``wanted (2)``, ... when another definition already has that id."""
        name, number = wanted, 1
        while name in taken and taken[name] != value:
            number += 1
            name = f"{wanted} ({number})"
        taken[name] = value
        return name

    def foreign_type(
        self,
        attributes: dict[str, str],
        vocabulary: dict[str, Any] | None,
        languages: dict[str, list[str]],
    ) -> str:
        """The LINGUISTIC_TYPE_ID of a linguistic type read from an ELAN file (renamed when
        another type of the document has its id), with its vocabulary."""
        kind = {
            key: value
            for key, value in attributes.items()
            if key in ("TIME_ALIGNABLE", "GRAPHIC_REFERENCES")
            and value in ("true", "false")
            or key == "CONSTRAINTS"
            and value in STEREOTYPES
        }
        if vocabulary is not None:
            kind["CONTROLLED_VOCABULARY_REF"] = self.vocabulary(vocabulary, languages)
        wanted = self.text(attributes.get("LINGUISTIC_TYPE_ID", "")) or "reference"
        if wanted.startswith("desk-"):  # desk reads those types as its own
            wanted = f"elan-{wanted}"
        return self._unique(wanted, self.types, kind)

    def vocabulary(self, cv: dict[str, Any], languages: dict[str, list[str]]) -> str:
        """The CV_ID of a controlled vocabulary read from an ELAN file, its languages defined."""

        def lang(code: str) -> str:
            definition, label = (languages.get(code) or ["", ""])[:2]
            return self.language(code, label, definition) or self.language("und", "undetermined")

        kept = {
            "descriptions": [[lang(code), self.text(text)] for code, text in cv["descriptions"]],
            "entries": [
                [self.text(entry_id), [[lang(c), self.text(d), self.text(v)] for c, d, v in values]]
                for entry_id, values in cv["entries"]
            ],
        }
        wanted = self.text(cv["id"]) or "vocabulary"
        wanted = f"elan-{wanted}" if wanted == EMOTIONS_CV else wanted
        return self._unique(wanted, self.vocabularies, kept)

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

    def align(
        self,
        tier: str,
        start_ms: int,
        end_ms: int,
        value: str,
        cve: str = "",
        shared: tuple[int | None, int | None] = (None, None),
    ) -> str:
        """An aligned annotation; ``shared`` names time slots (by index) it starts or ends on
        that another annotation already uses, as ELAN's Time_Subdivision tiers do."""
        ann_id, element = self._annotation(tier, "ALIGNABLE_ANNOTATION")
        ends = []
        for attr, ms, slot in zip(
            ("TIME_SLOT_REF1", "TIME_SLOT_REF2"), (start_ms, end_ms), shared, strict=True
        ):
            if slot is None:
                slot = len(self.slots)
                self.slots.append(ms)
            self.slot_refs.append((element, attr, slot))
            ends.append(slot)
        self.ann_slots[ann_id] = (ends[0], ends[1])
        if cve:
            element.set("CVE_REF", self.text(cve))
        etree.SubElement(element, "ANNOTATION_VALUE").text = self.text(value)
        return ann_id

    def refer(self, tier: str, parent: str, value: str, cve: str = "", previous: str = "") -> str:
        ann_id, element = self._annotation(tier, "REF_ANNOTATION")
        element.set("ANNOTATION_REF", parent)
        if previous:
            element.set("PREVIOUS_ANNOTATION", previous)
        if cve:
            element.set("CVE_REF", self.text(cve))
        etree.SubElement(element, "ANNOTATION_VALUE").text = self.text(value)
        return ann_id

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
            attributes = {"GRAPHIC_REFERENCES": "false", **attrs, "LINGUISTIC_TYPE_ID": type_id}
            etree.SubElement(self.root, "LINGUISTIC_TYPE", attributes)
        if self.emotions:
            self.language("und", "undetermined (und)")
        for code, (definition, label) in self.languages.items():
            language = etree.SubElement(self.root, "LANGUAGE", LANG_ID=code)
            if definition:
                language.set("LANG_DEF", self.text(definition))
            language.set("LANG_LABEL", self.text(label))
        for stereotype, description in STEREOTYPES.items():
            etree.SubElement(
                self.root, "CONSTRAINT", DESCRIPTION=description, STEREOTYPE=stereotype
            )
        self._write_vocabularies()
        data: bytes = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return data

    def _write_vocabularies(self) -> None:
        if self.emotions:
            vocabulary = etree.SubElement(self.root, "CONTROLLED_VOCABULARY", CV_ID=EMOTIONS_CV)
            description = etree.SubElement(vocabulary, "DESCRIPTION", LANG_REF="und")
            description.text = "The emotions of desk's beats."
            for name, cve_id in self.emotions.items():
                entry = etree.SubElement(vocabulary, "CV_ENTRY_ML", CVE_ID=cve_id)
                etree.SubElement(entry, "CVE_VALUE", LANG_REF="und").text = self.text(name)
        for cv_id, cv in self.vocabularies.items():
            vocabulary = etree.SubElement(self.root, "CONTROLLED_VOCABULARY", CV_ID=cv_id)
            for code, text in cv["descriptions"]:
                etree.SubElement(vocabulary, "DESCRIPTION", LANG_REF=code).text = text
            for entry_id, values in cv["entries"]:
                entry = etree.SubElement(vocabulary, "CV_ENTRY_ML", CVE_ID=entry_id)
                for code, description, text in values:
                    value = etree.SubElement(entry, "CVE_VALUE", LANG_REF=code)
                    if description:
                        value.set("DESCRIPTION", description)
                    value.text = text


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
