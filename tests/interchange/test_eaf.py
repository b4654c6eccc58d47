"""ELAN files: a project travels to ELAN and back, files ELAN wrote come in as reference tiers,
and a broken file is refused with its line, changing nothing."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from desk.errors import ImportFormatError
from desk.interchange.eaf import MOMENT_MS, read_eaf, write_eaf
from desk.interchange.formats import Options, export_file, import_file
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import (
    Beat,
    Cue,
    Film,
    Link,
    Note,
    Paragraph,
    Reading,
    Scene,
    Snapshot,
    Tier,
)
from desk.interchange.snapshot_read import read_snapshot
from desk.store import queries
from desk.store.project import Project

DATA = Path(__file__).parent.parent / "data" / "interchange"
ELAN_FILES = sorted(DATA.glob("elan-*.eaf"))

#: A small project's worth of annotations, with one of everything desk writes to ELAN.
SMALL = Snapshot(
    title="Snow on the Windshield",
    dek="The last scene of Anora",
    film=Film(fingerprint="v1:0123abcd", title="Anora", year=2024),
    paragraphs=[
        Paragraph("The ending", "heading", (Link(18_000, 18_000),), "1" * 32),
        Paragraph("He hands back the ring.", links=(Link(20_000, 26_000, "ring"),), uid="2" * 32),
        Paragraph("She refuses.", links=(Link(22_000, 28_000), Link(68_000, 72_000)), uid="3" * 32),
    ],
    notes=[
        Note(
            "Close-up on his open hand.",
            kind="evidence",
            links=(Link(21_000, 21_000),),
            character="Igor",
            paragraph="2" * 32,
            created_at="2025-01-05T10:00:00",
            uid="4" * 32,
        ),
    ],
    beats=[
        Beat(
            20_000,
            26_000,
            "He gives back the ring",
            "Without a speech.",
            "tenderness",
            0.45,
            0.35,
            "Lea",
            ("Igor",),
            "5" * 32,
        ),
        Beat(
            100_000,
            120_000,
            "Snow keeps falling",
            "",
            "numbness",
            -0.35,
            0.25,
            "",
            ("Ani", "Igor"),
            "6" * 32,
        ),
    ],
    scenes=[Scene("The final scene", 18_000, 120_000, "Outside her house.", "7" * 32)],
    tiers=[
        Tier(
            "Dialogue (en)",
            (
                Cue(1_000, 2_400, "Ty v poryadke?", "Igor"),
                Cue(3_000, 4_100, "Don't.", "Ani"),
                Cue(5_500, 5_500, "[wipers]"),
            ),
            language="en",
            source="anora.en.srt",
            uid="8" * 32,
        ),
    ],
    characters={"Ani": "#d1495b", "Igor": "#3d7ea6"},
    emotions={"tenderness": "#e8a0bf", "numbness": "#95a5a6"},
)


def read(data: bytes, source: str = "test.eaf") -> Snapshot:
    return read_eaf(data, Options(), source).snapshot


def carried(snap: Snapshot) -> Snapshot:
    """What an ELAN file carries of a snapshot into a project: all but the readings (and the
    film, which an import never changes), with notes and beats in no particular order."""
    return replace(
        snap,
        film=Film(),
        readings=[],
        notes=sorted(snap.notes, key=lambda n: n.uid),
        beats=sorted(snap.beats, key=lambda b: b.uid),
    )


# -- what ELAN can open -----------------------------------------------------------------------
#: The order of the document's elements in the EAF 3.0 schema.
ORDER = [
    "LICENSE",
    "HEADER",
    "TIME_ORDER",
    "TIER",
    "LINGUISTIC_TYPE",
    "LOCALE",
    "LANGUAGE",
    "CONSTRAINT",
    "CONTROLLED_VOCABULARY",
    "LEXICON_REF",
    "REF_LINK_SET",
    "EXTERNAL_REF",
]
REQUIRED = {
    "ANNOTATION_DOCUMENT": ("AUTHOR", "DATE", "VERSION"),
    "MEDIA_DESCRIPTOR": ("MEDIA_URL", "MIME_TYPE"),
    "TIME_SLOT": ("TIME_SLOT_ID",),
    "TIER": ("TIER_ID", "LINGUISTIC_TYPE_REF"),
    "ALIGNABLE_ANNOTATION": ("ANNOTATION_ID", "TIME_SLOT_REF1", "TIME_SLOT_REF2"),
    "REF_ANNOTATION": ("ANNOTATION_ID", "ANNOTATION_REF"),
    "LINGUISTIC_TYPE": ("LINGUISTIC_TYPE_ID",),
    "LOCALE": ("LANGUAGE_CODE",),
    "LANGUAGE": ("LANG_ID",),
    "CONSTRAINT": ("STEREOTYPE",),
    "CONTROLLED_VOCABULARY": ("CV_ID",),
    "CV_ENTRY_ML": ("CVE_ID",),
    "CVE_VALUE": ("LANG_REF",),
}
#: The attributes of type xsd:ID, which share one namespace in a document.
IDS = ("TIME_SLOT_ID", "ANNOTATION_ID", "LANGUAGE_CODE", "LANG_ID", "STEREOTYPE", "EXT_REF_ID")


def elan_problems(data: bytes) -> list[str]:
    """Why ELAN could not open a file, as far as its schema and data model say: the elements'
    order, required attributes, unique ids, references to what is defined, no overlaps."""
    root = etree.fromstring(data)
    problems: list[str] = []
    tags = [child.tag for child in root]
    if tags != sorted(tags, key=lambda t: ORDER.index(t) if t in ORDER else -1):
        problems.append(f"elements out of the schema's order: {tags}")
    if tags.count("HEADER") != 1 or tags.count("TIME_ORDER") != 1:
        problems.append("not one HEADER and one TIME_ORDER")
    datetime.fromisoformat(root.get("DATE", ""))
    for element in root.iter():
        for attr in REQUIRED.get(element.tag, ()):
            if element.get(attr) is None:
                problems.append(f"line {element.sourceline}: {element.tag} without {attr}")
    ids = [e.get(attr) for attr in IDS for e in root.iter() if e.get(attr) is not None]
    if len(ids) != len(set(ids)) or not all(re.fullmatch(r"[A-Za-z_][\w.\-]*", i) for i in ids):
        problems.append("the ids are not unique names")
    slots = {s.get("TIME_SLOT_ID"): s.get("TIME_VALUE") for s in root.iter("TIME_SLOT")}
    values = [int(v) for v in slots.values() if v is not None]
    if values != sorted(values):
        problems.append("TIME_ORDER is not in time order")
    problems += type_problems(root)
    types = {t.get("LINGUISTIC_TYPE_ID"): t for t in root.iter("LINGUISTIC_TYPE")}
    vocabularies = {v.get("CV_ID"): v for v in root.iter("CONTROLLED_VOCABULARY")}
    languages = {lang.get("LANG_ID") for lang in root.iter("LANGUAGE")}
    tiers = {t.get("TIER_ID"): t for t in root.iter("TIER")}
    if len(tiers) != len(root.findall("TIER")):
        problems.append("the tier ids are not unique")
    owner = {
        a.get("ANNOTATION_ID"): tier.get("TIER_ID")
        for tier in tiers.values()
        for a in tier.iter("ALIGNABLE_ANNOTATION", "REF_ANNOTATION")
    }
    for tier in tiers.values():
        problems += tier_problems(tier, set(tiers), types, slots, owner, vocabularies)
        if tier.get("LANG_REF") not in languages | {None}:
            problems.append(f"tier {tier.get('TIER_ID')}: undefined language")
    return problems


def type_problems(root: Any) -> list[str]:
    problems = []
    stereotypes = {c.get("STEREOTYPE") for c in root.iter("CONSTRAINT")}
    vocabularies = {v.get("CV_ID") for v in root.iter("CONTROLLED_VOCABULARY")}
    languages = {lang.get("LANG_ID") for lang in root.iter("LANGUAGE")}
    for t in root.iter("LINGUISTIC_TYPE"):
        if t.get("CONSTRAINTS") not in stereotypes | {None}:
            problems.append(f"type {t.get('LINGUISTIC_TYPE_ID')}: undefined constraint")
        if t.get("CONTROLLED_VOCABULARY_REF") not in vocabularies | {None}:
            problems.append(f"type {t.get('LINGUISTIC_TYPE_ID')}: undefined vocabulary")
    if any(v.get("LANG_REF") not in languages for v in root.iter("CVE_VALUE", "DESCRIPTION")):
        problems.append("a vocabulary refers to an undefined language")
    return problems


def tier_problems(
    tier: Any,
    tiers: set[str],
    types: dict[str, Any],
    slots: dict[str, str | None],
    owner: dict[str, str],
    vocabularies: dict[str, Any],
) -> list[str]:
    name = tier.get("TIER_ID")
    kind = types.get(tier.get("LINGUISTIC_TYPE_REF"))
    parent = tier.get("PARENT_REF")
    if kind is None or parent not in tiers | {None}:
        return [f"tier {name}: undefined type or parent"]
    problems = []
    aligned = kind.get("TIME_ALIGNABLE") == "true"
    spans = []
    for a in tier.iter("ALIGNABLE_ANNOTATION"):
        refs = a.get("TIME_SLOT_REF1"), a.get("TIME_SLOT_REF2")
        if not aligned or not all(r in slots for r in refs):
            problems.append(f"tier {name}: {a.get('ANNOTATION_ID')} is misaligned")
        elif None not in (times := [slots[r] for r in refs]):
            spans.append((int(times[0] or 0), int(times[1] or 0)))
    spans.sort()
    if any(end > start for (_, end), (start, _) in zip(spans, spans[1:], strict=False)):
        problems.append(f"tier {name}: annotations overlap")
    parents = [a.get("ANNOTATION_REF") for a in tier.iter("REF_ANNOTATION")]
    if parents and (aligned or any(owner.get(p) != parent for p in parents)):
        problems.append(f"tier {name}: reference annotations without a parent annotation")
    if kind.get("CONSTRAINTS") == "Symbolic_Association" and len(parents) != len(set(parents)):
        problems.append(f"tier {name}: two associations with one parent annotation")
    vocabulary = vocabularies.get(kind.get("CONTROLLED_VOCABULARY_REF"))
    entries = set() if vocabulary is None else {e.get("CVE_ID") for e in vocabulary.iter()}
    for a in tier.iter("ALIGNABLE_ANNOTATION", "REF_ANNOTATION"):
        if a.get("CVE_REF") not in entries | {None}:
            problems.append(f"tier {name}: {a.get('ANNOTATION_ID')} has an unknown CVE_REF")
        if len(a.findall("ANNOTATION_VALUE")) != 1:
            problems.append(f"tier {name}: {a.get('ANNOTATION_ID')} has not one value")
    return problems


@pytest.mark.parametrize("path", ELAN_FILES, ids=lambda p: p.name)
def test_the_files_elan_wrote_pass_the_checks_desk_output_must_pass(path: Path) -> None:
    assert elan_problems(path.read_bytes()) == []


def test_what_desk_writes_is_a_file_elan_opens(reference: Project) -> None:
    data = write_eaf(read_snapshot(reference), Options()).data
    root = etree.fromstring(data)
    assert (root.get("FORMAT"), root.get("VERSION")) == ("3.0", "3.0")
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation") == (
        "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
    )
    assert root.find("HEADER").get("TIME_UNITS") == "milliseconds"
    assert elan_problems(data) == []
    tiers = {t.get("TIER_ID"): t for t in root.iter("TIER")}
    assert {"Essay", "Essay 2", "Scenes", "Beats (Ani)", "Beats (Igor)"} <= set(tiers)
    assert tiers["Beats (Ani) – emotion"].get("PARENT_REF") == "Beats (Ani)"
    for speaker in ("Ani", "Igor"):
        assert tiers[f"Dialogue (en) – {speaker}"].get("PARTICIPANT") == speaker
    assert elan_problems(write_eaf(SMALL, Options()).data) == []
    assert elan_problems(write_eaf(Snapshot(), Options()).data) == []


# -- round trips ------------------------------------------------------------------------------
def test_a_project_sent_through_elan_comes_back_equal_but_for_its_readings(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    out = tmp_path / "anora.eaf"
    exported = export_file(reference, "eaf", out)
    imported = import_file(empty, "eaf", out)
    ours, theirs = read_snapshot(reference), read_snapshot(empty)
    assert carried(theirs) == carried(ours)
    assert ours.readings
    assert not theirs.readings
    assert exported.warnings == [
        "ELAN files have no place for readings: 3 readings and their evidence were left out."
    ]
    assert (imported.warnings, imported.conflicts, imported.duplicates) == ([], [], 0)
    assert imported.added["paragraph"] == len(ours.paragraphs)


def test_importing_the_same_elan_file_again_adds_nothing(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    out = tmp_path / "anora.eaf"
    export_file(reference, "eaf", out)
    import_file(empty, "eaf", out)
    before = queries.dump(empty)
    again = import_file(empty, "eaf", out)
    assert again.added == {}
    assert not again.changes
    assert queries.dump(empty) == before


def test_everything_an_elan_file_can_carry_comes_back_as_it_was() -> None:
    back = read(write_eaf(SMALL, Options()).data)
    assert carried(back) == carried(SMALL)
    assert back.film == Film("v1:0123abcd", "Anora", 2024)
    assert back.notes[0].links == (Link(21_000, 21_000),)


def test_what_elan_cannot_carry_is_named_when_the_file_is_written() -> None:
    snap = replace(
        SMALL,
        paragraphs=[*SMALL.paragraphs, Paragraph("Coda", "heading", uid="9" * 32)],
        notes=[
            *SMALL.notes,
            Note("A thought for later.", uid="a" * 32),
            Note("On the coda.", links=(Link(1, 2),), paragraph="9" * 32, uid="b" * 32),
        ],
        readings=[Reading("The agency reading")],
    )
    written = write_eaf(snap, Options())
    assert written.warnings == [
        "ELAN keeps only timed annotations: 1 paragraph without a time link (headings, say) "
        "was left out.",
        "ELAN keeps only timed annotations: 1 note without a time link was left out.",
        "1 note belongs to a paragraph without a time link; the file keeps the note but not the "
        "paragraph it belongs to.",
        "ELAN files have no place for readings: 1 reading and its evidence were left out.",
    ]
    back = read(written.data)
    assert [p.text for p in back.paragraphs] == [p.text for p in SMALL.paragraphs]
    assert [(n.text, n.paragraph) for n in back.notes] == [
        ("On the coda.", ""),
        ("Close-up on his open hand.", "2" * 32),
    ]
    assert back.readings == []


def test_a_moment_is_a_one_millisecond_annotation_in_elan() -> None:
    root = etree.fromstring(write_eaf(SMALL, Options()).data)
    slots = {s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE")) for s in root.iter("TIME_SLOT")}
    note = root.find("TIER[@LINGUISTIC_TYPE_REF='desk-note-evidence']//ALIGNABLE_ANNOTATION")
    start, end = (slots[note.get(f"TIME_SLOT_REF{n}")] for n in (1, 2))
    assert (start, end) == (21_000, 21_000 + MOMENT_MS)


def test_text_that_xml_cannot_hold_is_left_out_with_a_warning() -> None:
    written = write_eaf(Snapshot(scenes=[Scene("The bell\x07 rings", 0, 1_000)]), Options())
    assert written.warnings == [
        "1 control character that XML cannot hold was left out of the text."
    ]
    assert read(written.data).scenes[0].name == "The bell rings"


def test_a_beat_changed_on_one_characters_tier_only_keeps_the_first_with_a_warning() -> None:
    root = etree.fromstring(write_eaf(SMALL, Options()).data)
    igor = root.find("TIER[@TIER_ID='Beats (Igor) – valence']")
    igor.find(".//ANNOTATION_VALUE").text = "0.9"
    parsed = read_eaf(etree.tostring(root), Options(), "test.eaf")
    snow = next(b for b in parsed.snapshot.beats if b.label == "Snow keeps falling")
    assert (snow.valence, snow.characters) == (-0.35, ("Ani", "Igor"))
    assert parsed.warnings == [
        "beat 'Snow keeps falling' is not the same on the tiers of all its characters; desk "
        "kept the one on tier 'Beats (Ani)'."
    ]


def test_a_colour_desk_cannot_use_is_left_for_desk_to_choose() -> None:
    data = write_eaf(SMALL, Options()).data.replace(b"#d1495b", b"crimson")
    assert read(data).characters == {"Igor": "#3d7ea6"}


def test_a_file_counted_in_pal_frames_comes_in_in_milliseconds() -> None:
    text = BASE.replace('TIME_UNITS="milliseconds"', 'TIME_UNITS="PAL-frames"')
    assert read(text.encode()).tiers[0].cues == (Cue(40_000, 80_000, "I said don't."),)


# -- files written by ELAN --------------------------------------------------------------------
def test_an_elan_transcription_comes_in_as_reference_tiers(empty: Project) -> None:
    summary = import_file(empty, "eaf", DATA / "elan-dialogue.eaf")
    tiers = {t.name: t for t in read_snapshot(empty).tiers}
    assert list(tiers) == ["Igor", "Igor-en", "Ani", "Ani-words", "Sound"]  # not the empty one
    assert summary.added == {"tier": 5}
    igor = tiers["Igor"]
    assert (igor.kind, igor.language, igor.source) == ("utterance", "rus", "elan-dialogue.eaf")
    assert igor.cues == (
        Cue(1_000, 2_400, "Ty v poryadke?", "Igor"),
        Cue(9_000, 10_200, "Ladno.", "Igor"),
    )
    assert tiers["Igor-en"].language == "eng"
    assert tiers["Igor-en"].cues == (
        Cue(1_000, 2_400, "Are you all right?", "Igor"),
        Cue(9_000, 10_200, "Okay.", "Igor"),
    )
    assert tiers["Ani-words"].kind == "words"
    assert tiers["Ani-words"].cues == (
        Cue(5_000, 5_500, "I", "Ani"),
        Cue(5_500, 6_000, "said", "Ani"),
        Cue(6_000, 6_500, "don't.", "Ani"),
    )
    assert tiers["Sound"].cues == (Cue(5_500, 7_250, "wipers"),)


def test_unaligned_shots_get_times_evenly_between_the_aligned_ones() -> None:
    tiers = {t.name: t for t in read((DATA / "elan-shots.eaf").read_bytes()).tiers}
    assert [(c.start_ms, c.end_ms, c.text) for c in tiers["Shots"].cues] == [
        (18_000, 22_000, "1"),
        (22_000, 26_000, "2"),
        (26_000, 30_000, "3"),
        (30_000, 33_500, "4"),
        (33_500, 37_750, "5"),
        (37_750, 42_000, "6"),
    ]
    assert [(c.start_ms, c.end_ms) for c in tiers["Framing"].cues] == [
        (18_000, 22_000),
        (22_000, 26_000),
        (33_500, 37_750),
    ]
    assert [(c.start_ms, c.end_ms, c.text) for c in tiers["Camera"].cues] == [
        (21_000, 23_500, "slow push in"),
        (33_500, 42_000, "static"),
    ]


def test_a_desk_file_edited_in_elan_merges_back_with_its_edits(empty: Project) -> None:
    """The critic exported the essay, changed a valence and added a beat in ELAN."""
    beat = Beat(
        22_000,
        28_000,
        "She takes it in silence",
        "Ani looks at the ring as if it belonged to somebody else.",
        "numbness",
        -0.15,
        0.3,
        "Lea",
        ("Ani",),
        "91ecb0e5649c4402893d3b82e2f1c5d4",
    )
    apply_snapshot(empty, Snapshot(beats=[beat]), "Earlier import")
    theirs = Options(on_conflict="theirs")
    summary = import_file(empty, "eaf", DATA / "elan-desk-reopened.eaf", theirs)
    assert [(c.kind, c.uid) for c in summary.conflicts] == [("beat", beat.uid)]
    snap = read_snapshot(empty)
    assert [
        (b.label, b.emotion, b.valence, b.intensity, b.characters, b.annotator) for b in snap.beats
    ] == [
        ("She takes it in silence", "numbness", -0.25, 0.3, ("Ani",), "Lea"),
        ("Snow keeps falling", "grief", 0.0, 0.5, ("Ani",), "Lea"),
    ]
    assert snap.title == "Snow on the Windshield"
    assert [(p.text, p.links) for p in snap.paragraphs] == [
        ("The scene opens with a small act of decency.", (Link(20_000, 26_000),)),
        (
            "So she goes back to the car and climbs onto him.",
            (Link(41_000, 47_000), Link(48_000, 62_000)),
        ),
    ]
    (note,) = snap.notes
    assert (note.kind, note.character, note.links) == ("question", "Ani", (Link(24_000, 24_000),))
    assert note.paragraph == snap.paragraphs[0].uid
    assert [(s.name, s.start_ms, s.end_ms) for s in snap.scenes] == [
        ("The final scene", 18_000, 120_000)
    ]
    assert [(t.name, t.kind, t.source, t.cues[0].speaker) for t in snap.tiers] == [
        ("Dialogue (en)", "dialogue", "anora.en.srt", "Igor"),
        ("Music", "default-lt", "elan-desk-reopened.eaf", ""),
    ]


# -- broken files -----------------------------------------------------------------------------
#: A small file for the error cases to break: a tier, an association and a time subdivision
#: with one unaligned slot.
BASE = """\
<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2025-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
        <TIME_SLOT TIME_SLOT_ID="ts2"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="2000"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="utterance" TIER_ID="Ani">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts3">
                <ANNOTATION_VALUE>I said don't.</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="Ani" TIER_ID="Ani-de">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a2" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>Ich sagte nein.</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="phrase" PARENT_REF="Ani" TIER_ID="Ani-phrases">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>I said</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a4" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3">
                <ANNOTATION_VALUE>don't.</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" LINGUISTIC_TYPE_ID="translation"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Time_Subdivision" LINGUISTIC_TYPE_ID="phrase"/>
    <CONSTRAINT STEREOTYPE="Symbolic_Association"/>
    <CONSTRAINT STEREOTYPE="Time_Subdivision"/>
</ANNOTATION_DOCUMENT>
"""


def test_the_small_file_the_error_cases_break_is_read_whole() -> None:
    assert {t.name: t.cues for t in read(BASE.encode()).tiers} == {
        "Ani": (Cue(1_000, 2_000, "I said don't."),),
        "Ani-de": (Cue(1_000, 2_000, "Ich sagte nein."),),
        "Ani-phrases": (Cue(1_000, 1_500, "I said"), Cue(1_500, 2_000, "don't.")),
    }


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"ts1" TIME_SLOT_REF2="ts3"', '"ts1" TIME_SLOT_REF2="ts99"',
         "annotation a1 refers to time slot ts99, which the file does not define."),
        ('ANNOTATION_REF="a1"', 'ANNOTATION_REF="a17"',
         "annotation a2 refers to annotation a17, which the file does not define."),
        ('PARENT_REF="Ani" TIER_ID="Ani-de"', 'PARENT_REF="Anya" TIER_ID="Ani-de"',
         "tier 'Ani-de' refers to the parent tier 'Anya', which the file does not define."),
        ('LINGUISTIC_TYPE_REF="utterance"', 'LINGUISTIC_TYPE_REF="speech"',
         "tier 'Ani' has the linguistic type 'speech', which the file does not define."),
        ('"ts3" TIME_VALUE="2000"', '"ts3" TIME_VALUE="-40"',
         "time slot ts3 has the time '-40', which is not a whole number of milliseconds from 0 "
         "to 4294967295."),
        ('"ts3" TIME_VALUE="2000"', '"ts3" TIME_VALUE="2e3"',
         "time slot ts3 has the time '2e3', which is not a whole number of milliseconds from 0 "
         "to 4294967295."),
        ('TIER_ID="Ani">', 'TIER_ID="Ani" PARENT_REF="Ani-de">',
         "tier 'Ani' is its own ancestor: its parent tiers form a cycle."),
        ('CONSTRAINTS="Symbolic_Association"', 'CONSTRAINTS="Symbolic_Asociation"',
         "linguistic type 'translation' has the constraint 'Symbolic_Asociation', which ELAN "
         "does not define."),
        ('<TIER LINGUISTIC_TYPE_REF="utterance" TIER_ID="Ani">',
         '<TIER LINGUISTIC_TYPE_REF="utterance">',
         "TIER has no TIER_ID attribute, which ELAN requires."),
        ('TIME_UNITS="milliseconds"', 'TIME_UNITS="seconds"',
         "the file counts time in 'seconds', a unit ELAN does not define."),
    ],
)  # fmt: skip
def test_a_broken_file_is_refused_with_the_line_at_fault(old: str, new: str, message: str) -> None:
    assert BASE.count(old) == 1
    text = BASE.replace(old, new)
    with pytest.raises(ImportFormatError) as caught:
        read(text.encode())
    assert str(caught.value) == f"line {line_of(text, new)}: {message}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"ts3" TIME_VALUE="2000"', '"ts3" TIME_VALUE="500"',
         "annotation a1 ends (500 ms) before it starts (1000 ms)."),
        ('"a4" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3"',
         '"a4" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts2"',
         "the time slots after annotation a3 on tier 'Ani-phrases' have no time and form a "
         "cycle."),
        ('"a4" TIME_SLOT_REF1="ts2"', '"a4" TIME_SLOT_REF1="ts1"',
         "the time slots after annotation a3 on tier 'Ani-phrases' have no time and never reach "
         "a slot with a time."),
        ('"a3" TIME_SLOT_REF1="ts1"', '"a3" TIME_SLOT_REF1="ts2"',
         "annotation a3 has no time: time slot ts2 has none and no annotation with a time leads "
         "to it."),
        ('PARENT_REF="Ani" TIER_ID="Ani-de"', 'TIER_ID="Ani-de"',
         "annotation a2 refers to annotation a1, but its tier 'Ani-de' has no parent tier."),
        ('ANNOTATION_ID="a2"', 'ANNOTATION_ID="a1"', "the file defines annotation a1 twice."),
    ],
)  # fmt: skip
def test_a_bad_annotation_is_refused_at_its_line(old: str, new: str, message: str) -> None:
    text = BASE.replace(old, new)
    annotation = re.search(r"annotation (a\d)", message)
    assert annotation
    line = line_of(text, f'"{annotation[1]}"')
    if "twice" in message:
        line = line_of(text, '"a1" ANNOTATION_REF')  # the second one
    with pytest.raises(ImportFormatError) as caught:
        read(text.encode())
    assert str(caught.value) == f"line {line}: {message}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Speaker 1: hello", r"^line 1: this is not well-formed XML \(Start tag expected"),
        (BASE.encode()[:700], r"^line 1\d: this is not well-formed XML"),
        (b"", r"^line 1: this is not well-formed XML"),
        (b'<?xml version="1.0"?>\n<html><body/></html>',
         r"^line 2: the file is XML but not an ELAN document \(it starts with <html>"),
        (b'<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY lol "lol">]>\n<ANNOTATION_DOCUMENT/>',
         r"^the file declares a DTD; ELAN files never do, and desk does not read one\.$"),
        (b"<ANNOTATION_DOCUMENT>&lol;</ANNOTATION_DOCUMENT>", r"Entity 'lol' not defined"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_an_elan_document_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read(data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valence", "1.5",
         "the valence '1.5' of beat 'He gives back the ring' is not a number from -1 to 1."),
        ("intensity", "loud",
         "the intensity 'loud' of beat 'He gives back the ring' is not a number from 0 to 1."),
        ("number", "two", "has the paragraph number 'two', which is not a whole number."),
        ("kind", "footnote", "paragraph kind 'footnote' is neither 'body' nor 'heading'."),
    ],
)  # fmt: skip
def test_a_bad_value_in_one_of_desks_tiers_is_refused_at_its_line(
    field: str, value: str, message: str
) -> None:
    root = etree.fromstring(write_eaf(SMALL, Options()).data)
    root.findall(f"TIER[@LINGUISTIC_TYPE_REF='desk-{field}']//ANNOTATION_VALUE")[-1].text = value
    data = etree.tostring(root)
    line = next(v.getparent().sourceline for v in etree.fromstring(data).iter() if v.text == value)
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    assert str(caught.value).startswith(f"line {line}: ")
    assert str(caught.value).endswith(message)


def test_a_note_of_a_kind_desk_does_not_know_is_refused() -> None:
    data = write_eaf(SMALL, Options()).data.replace(b"desk-note-evidence", b"desk-note-aside")
    with pytest.raises(ImportFormatError, match="holds notes of the kind 'aside', which desk"):
        read(data)


@pytest.mark.parametrize("broken", ["time slot", "valence"])
def test_a_file_broken_in_its_last_tier_changes_nothing(
    reference: Project, empty: Project, tmp_path: Path, broken: str
) -> None:
    root = etree.fromstring(write_eaf(read_snapshot(reference), Options()).data)
    if broken == "time slot":
        last = root.findall("TIER")[-1].findall(".//ALIGNABLE_ANNOTATION")[-1]
        last.set("TIME_SLOT_REF2", "ts0")
    else:
        valences = root.findall("TIER[@LINGUISTIC_TYPE_REF='desk-valence']")[-1]
        valences.findall(".//ANNOTATION_VALUE")[-1].text = "-7"
    (tmp_path / "broken.eaf").write_bytes(etree.tostring(root))
    with pytest.raises(ImportFormatError):
        import_file(empty, "eaf", tmp_path / "broken.eaf")
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert empty.query("SELECT count(*) FROM cue") == [(0,)]
    assert empty.undo_labels() == (None, None)


# -- fuzzing ----------------------------------------------------------------------------------
BASES = [path.read_bytes() for path in ELAN_FILES] + [write_eaf(SMALL, Options()).data]
ODD_VALUES = [
    "",
    "-1",
    "0",
    "1",
    "1.5",
    "nan",
    "ts1",
    "ts2",
    "ts5",
    "a1",
    "a2",
    "a3",
    "Ani",
    "Essay",
    "Beats (Igor)",
    "4294967296",
    "9" * 40,
    "desk-beat",
    "desk-note-free",
    "desk-note-x",
    "desk-valence",
    "desk-id",
    "desk-number",
    "Symbolic_Subdivision",
    "Time_Subdivision",
    "Included_In",
    "PAL-frames",
    "{",
    "[]",
    '{"tiers": [1]}',
]
xml_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid ELAN file with a few elements, attributes or texts changed, copied or removed."""
    root = etree.fromstring(draw(st.sampled_from(BASES)))
    elements = list(root.iter())
    for _ in range(draw(st.integers(1, 4))):
        element = draw(st.sampled_from(elements))
        action = draw(st.sampled_from(["attribute", "remove", "text", "copy"]))
        parent = element.getparent()
        if action == "attribute" and element.attrib:
            name = draw(st.sampled_from(sorted(element.attrib)))
            element.set(name, draw(st.sampled_from(ODD_VALUES) | xml_text))
        elif action == "text":
            element.text = draw(st.sampled_from(ODD_VALUES) | xml_text)
        elif action == "remove" and parent is not None:
            parent.remove(element)
        elif parent is not None:
            parent.append(etree.fromstring(etree.tostring(element)))
    return etree.tostring(root)


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    """A valid ELAN file with a stretch of its bytes replaced by others."""
    data = draw(st.sampled_from(BASES))
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, min(len(data), start + 64)))
    return data[:start] + draw(st.binary(max_size=16)) + data[end:]


def read_or_refuse(data: bytes) -> None:
    with contextlib.suppress(ImportFormatError):
        read_eaf(data, Options(), "fuzz.eaf")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_are_read_or_refused_with_a_known_error(data: bytes) -> None:
    read_or_refuse(data)


@settings(max_examples=250, deadline=None)
@given(mutated() | spliced())
def test_damaged_elan_files_are_read_or_refused_with_a_known_error(data: bytes) -> None:
    read_or_refuse(data)


@settings(max_examples=30, deadline=None)
@given(data=mutated())
def test_damaged_elan_files_import_whole_or_not_at_all(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "damaged.eaf"
    path.write_bytes(data)
    with Project.create(path.with_suffix(".desk")) as project:
        try:
            import_file(project, "eaf", path)
        except ImportFormatError:
            assert queries.counts(project) == dict.fromkeys(queries.COUNTED, 0)
