"""ELAN's structure kept: a linguist's file with dependent tiers of every constraint, a
controlled vocabulary and languages goes through a desk project and comes out as the same
tiers, in a file the EAF 3.0 schema accepts; what desk has no place for is named on import.

``tests/data/interchange/EAFv3.0.xsd`` is the Max Planck Institute's schema for EAF 3.0, as
ELAN and pympi-ling ship it.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from desk.errors import ImportFormatError
from desk.interchange.eaf import read_eaf, write_eaf
from desk.interchange.formats import Options, export_file, import_file
from desk.store.project import Project
from desk.store.reads.found import found_in_film
from tests.interchange.elan_files import STRUCTURED, write_transcription

SCHEMA = Path(__file__).parent.parent / "data" / "interchange" / "EAFv3.0.xsd"


def schema_problems(data: bytes) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.validate(etree.fromstring(data))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def times(root: Any) -> dict[str, int | None]:
    """Each time slot's time; the one slot of the file without a time (a boundary between
    two phases) takes the time halfway between its neighbours, as ELAN shows it."""
    slots: dict[str, int | None] = {
        s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE")) if s.get("TIME_VALUE") else None
        for s in root.iter("TIME_SLOT")
    }
    aligned = list(root.iter("ALIGNABLE_ANNOTATION"))
    for ann in aligned:
        start, end = ann.get("TIME_SLOT_REF1"), ann.get("TIME_SLOT_REF2")
        if slots[end] is None:
            after = next(a for a in aligned if a.get("TIME_SLOT_REF1") == end)
            known_start, known_end = slots[start], slots[after.get("TIME_SLOT_REF2")]
            assert known_start is not None
            assert known_end is not None
            slots[end] = (known_start + known_end) // 2
    return slots


def tiers(data: bytes) -> dict[str, dict[str, Any]]:
    """Each tier as ELAN shows it: its attributes, its linguistic type, and its annotations,
    a reference annotation named by the place of the annotations it refers to and follows."""
    root = etree.fromstring(data)
    slot_time = times(root)
    types = {t.get("LINGUISTIC_TYPE_ID"): dict(t.attrib) for t in root.iter("LINGUISTIC_TYPE")}
    place: dict[str, tuple[str, int]] = {}
    found: dict[str, dict[str, Any]] = {}
    for tier in root.iter("TIER"):
        annotations = []
        for n, ann in enumerate(a for wrapper in tier for a in wrapper):
            place[ann.get("ANNOTATION_ID")] = (tier.get("TIER_ID"), n)
            value = ann.findtext("ANNOTATION_VALUE")
            if ann.tag == "ALIGNABLE_ANNOTATION":
                ends = ann.get("TIME_SLOT_REF1"), ann.get("TIME_SLOT_REF2")
                span = tuple(slot_time[end] for end in ends)
                annotations.append(("timed", span, value, ann.get("CVE_REF")))
            else:
                refers = ann.get("ANNOTATION_REF"), ann.get("PREVIOUS_ANNOTATION")
                annotations.append(("refers", refers, value, ann.get("CVE_REF")))
        attributes = {k: v for k, v in tier.attrib.items() if k != "LINGUISTIC_TYPE_REF"}
        kind = types[tier.get("LINGUISTIC_TYPE_REF")]
        found[tier.get("TIER_ID")] = {"tier": attributes, "type": kind, "annotations": annotations}
    for tier in found.values():  # annotation ids differ from file to file; places do not
        tier["annotations"] = [
            (how, tuple(place.get(r) for r in at) if how == "refers" else at, value, cve)
            for how, at, value, cve in tier["annotations"]
        ]
    return found


def vocabulary_and_languages(data: bytes) -> tuple[bytes, dict[str, dict[str, str]]]:
    root = etree.fromstring(data)
    pos = next(cv for cv in root.iter("CONTROLLED_VOCABULARY") if cv.get("CV_ID") == "pos")
    for element in pos.iter():  # layout between elements is not content
        element.tail = None
        if len(element):
            element.text = None
    languages = {lang.get("LANG_ID"): dict(lang.attrib) for lang in root.iter("LANGUAGE")}
    return etree.tostring(pos, method="c14n"), languages


def without_the_empty_translation(data: bytes) -> bytes:
    empty = b'<REF_ANNOTATION ANNOTATION_ID="a11" ANNOTATION_REF="a2">'
    root = etree.fromstring(data)
    for ann in root.iter("REF_ANNOTATION"):
        if ann.get("ANNOTATION_ID") == "a11":
            wrapper = ann.getparent()
            wrapper.getparent().remove(wrapper)
    assert empty in data
    return etree.tostring(root)


@pytest.fixture
def linguists_file(tmp_path: Path) -> Path:
    path = tmp_path / "igor.eaf"
    path.write_text(STRUCTURED, encoding="utf-8")
    return path


def test_the_linguists_file_is_one_the_eaf_schema_accepts(linguists_file: Path) -> None:
    assert schema_problems(linguists_file.read_bytes()) == []


def test_an_elan_files_structure_survives_a_desk_project_tier_by_tier(
    empty: Project, linguists_file: Path, tmp_path: Path
) -> None:
    import_file(empty, "eaf", linguists_file)
    summary = export_file(empty, "eaf", tmp_path / "out.eaf")
    written = (tmp_path / "out.eaf").read_bytes()

    assert summary.warnings == []
    assert schema_problems(written) == []
    expected = tiers(without_the_empty_translation(linguists_file.read_bytes()))
    assert tiers(written) == expected
    assert expected["Igor pos"]["type"]["CONTROLLED_VOCABULARY_REF"] == "pos"
    assert expected["Igor words"]["annotations"][1] == (
        "refers", (("Igor", 0), ("Igor words", 0)), "v", None
    )  # fmt: skip
    pos, languages = vocabulary_and_languages(written)
    source_pos, source_languages = vocabulary_and_languages(linguists_file.read_bytes())
    assert pos == source_pos
    assert {k: languages[k] for k in source_languages} == source_languages


def test_phases_that_divide_a_line_share_its_boundaries_and_each_others(
    empty: Project, linguists_file: Path, tmp_path: Path
) -> None:
    """ELAN drags a Time_Subdivision boundary along with its parent's only when the two
    annotations share the time slot."""
    import_file(empty, "eaf", linguists_file)
    export_file(empty, "eaf", tmp_path / "out.eaf")
    root = etree.parse(str(tmp_path / "out.eaf")).getroot()

    def slots(tier_id: str) -> list[tuple[str, str]]:
        tier = next(t for t in root.iter("TIER") if t.get("TIER_ID") == tier_id)
        return [
            (a.get("TIME_SLOT_REF1"), a.get("TIME_SLOT_REF2"))
            for a in tier.iter("ALIGNABLE_ANNOTATION")
        ]

    (line_start, line_end), _ = slots("Igor")
    (question_start, question_end), (pause_start, pause_end) = slots("Igor phases")
    assert (question_start, question_end, pause_end) == (line_start, pause_start, line_end)
    assert slots("Igor gesture")[0][0] != line_start  # Included_In shares nothing


def test_what_desk_has_no_place_for_is_named_with_counts(
    empty: Project, linguists_file: Path
) -> None:
    summary = import_file(empty, "eaf", linguists_file)

    assert summary.added == {"tier": 6}
    assert summary.warnings == [
        "1 ELAN annotation had no text; it was left out.",
        "Left out of the ELAN file, as desk has no place for them: 1 external reference, "
        "1 external reference of an annotation, 1 licence, 1 media file reference, "
        "1 header property.",
    ]


def test_an_annotation_without_text_that_others_refer_to_is_kept() -> None:
    data = STRUCTURED.replace("<ANNOTATION_VALUE>Da.</ANNOTATION_VALUE>", "<ANNOTATION_VALUE/>")
    parsed = read_eaf(data.encode(), Options(), "igor.eaf")

    igor = next(t for t in parsed.snapshot.tiers if t.name == "Igor")
    assert [c.text for c in igor.cues] == ["Ty v poryadke?", ""]
    assert parsed.warnings[0] == "1 ELAN annotation had no text; it was left out."


def test_desks_own_elan_export_imports_again_as_nothing_new(
    empty: Project, linguists_file: Path, tmp_path: Path
) -> None:
    import_file(empty, "eaf", linguists_file)
    export_file(empty, "eaf", tmp_path / "out.eaf")

    again = import_file(empty, "eaf", tmp_path / "out.eaf")

    assert again.describe() == "nothing new; 6 already there"


def test_elan_tiers_import_as_notes_when_asked(empty: Project, linguists_file: Path) -> None:
    summary = import_file(empty, "eaf", linguists_file, Options(as_="notes"))

    assert summary.added == {"character": 1, "note": 13}
    notes = read_eaf(STRUCTURED.encode(), Options(as_="notes"), "igor.eaf").snapshot.notes
    question = next(n for n in notes if n.text == "Ty v poryadke?")
    assert (question.character, [(k.start_ms, k.end_ms) for k in question.links]) == (
        "Igor", [(1000, 2400)]
    )  # fmt: skip


def test_a_tier_whose_parent_was_removed_is_written_with_times_of_its_own() -> None:
    snap = read_eaf(STRUCTURED.encode(), Options(), "igor.eaf").snapshot
    snap.tiers = [t for t in snap.tiers if t.name != "Igor words"]

    written = write_eaf(snap, Options())

    assert written.warnings == [
        "1 tier read from ELAN no longer fits the tier it was part of (deleted or changed in "
        "desk), so it was written with times of its own, not as dependent tiers."
    ]
    assert schema_problems(written.data) == []
    pos = tiers(written.data)["Igor pos"]
    assert "PARENT_REF" not in pos["tier"]
    assert [a[:3] for a in pos["annotations"]] == [
        ("timed", (1000, 1466), "pronoun"),
        ("timed", (1466, 1933), "preposition"),
        ("timed", (1933, 2400), "noun"),
    ]


def test_references_that_no_longer_fit_their_parent_tier_are_written_with_times() -> None:
    """The words, the translation and the parts of speech of the words (3 tiers) referred to
    the first line, which is gone."""
    snap = read_eaf(STRUCTURED.encode(), Options(), "igor.eaf").snapshot
    igor = next(n for n, t in enumerate(snap.tiers) if t.name == "Igor")
    snap.tiers[igor] = replace(snap.tiers[igor], cues=snap.tiers[igor].cues[1:])

    written = write_eaf(snap, Options())

    assert written.warnings == [
        "3 tiers read from ELAN no longer fit the tiers they were part of (deleted or changed "
        "in desk), so they were written with times of their own, not as dependent tiers."
    ]
    assert schema_problems(written.data) == []
    words = tiers(written.data)["Igor words"]["annotations"]
    assert [(how, value) for how, _, value, _ in words] == [
        ("timed", "ty"), ("timed", "v"), ("timed", "poryadke"), ("timed", "da")
    ]  # fmt: skip


def test_imported_elan_annotations_are_found_by_search_and_undone_whole(
    empty: Project, linguists_file: Path
) -> None:
    import_file(empty, "eaf", linguists_file)
    assert [hit.kind for hit in found_in_film(empty, "poryadke")] == ["cue", "cue"]

    empty.undo()

    assert found_in_film(empty, "poryadke") == []
    assert empty.query("SELECT count(*) FROM cue") == [(0,)]


def test_a_bundle_carries_the_elan_structure_to_another_project(
    empty: Project, linguists_file: Path, tmp_path: Path
) -> None:
    import_file(empty, "eaf", linguists_file)
    export_file(empty, "deskz", tmp_path / "igor.deskz")
    export_file(empty, "eaf", tmp_path / "before.eaf")

    with Project.create(tmp_path / "student.desk") as student:
        import_file(student, "deskz", tmp_path / "igor.deskz")
        export_file(student, "eaf", tmp_path / "after.eaf")

    after = (tmp_path / "after.eaf").read_bytes()
    assert tiers(after) == tiers((tmp_path / "before.eaf").read_bytes())
    assert schema_problems(after) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '<REF_ANNOTATION ANNOTATION_ID="a6" ANNOTATION_REF="a2">',
            '<ALIGNABLE_ANNOTATION ANNOTATION_ID="a6" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">',
            "annotation a6 has times of its own, but its tier 'Igor words' is of the linguistic "
            "type 'words' (Symbolic_Subdivision), whose annotations refer to their parent's "
            "instead.",
        ),
        (
            '<ALIGNABLE_ANNOTATION ANNOTATION_ID="a14" TIME_SLOT_REF1="ts8" TIME_SLOT_REF2="ts9">',
            '<REF_ANNOTATION ANNOTATION_ID="a14" ANNOTATION_REF="a1">',
            "annotation a14 refers to annotation a1, but its tier 'Igor gesture' is of the "
            "linguistic type 'gesture' (Included_In), whose annotations have times of their own.",
        ),
    ],
)
def test_an_annotation_of_the_wrong_kind_for_its_tier_is_refused_at_its_line(
    old: str, new: str, message: str
) -> None:
    closing = "</REF_ANNOTATION>" if "REF_" in old else "</ALIGNABLE_ANNOTATION>"
    start = STRUCTURED.index(old)
    end = STRUCTURED.index(closing, start)
    changed = (
        STRUCTURED[:start]
        + new
        + STRUCTURED[start + len(old) : end]
        + ("</ALIGNABLE_ANNOTATION>" if "ALIGNABLE" in new else "</REF_ANNOTATION>")
        + STRUCTURED[end + len(closing) :]
    )
    line = STRUCTURED[:start].count("\n") + 1

    with pytest.raises(ImportFormatError) as refused:
        read_eaf(changed.encode(), Options(), "igor.eaf")

    assert str(refused.value) == f"line {line}: {message}"


def test_a_whole_project_with_elan_tiers_beside_desks_own_is_a_valid_eaf_file(
    reference: Project, linguists_file: Path, tmp_path: Path
) -> None:
    import_file(reference, "eaf", linguists_file)
    export_file(reference, "eaf", tmp_path / "all.eaf")

    written = (tmp_path / "all.eaf").read_bytes()
    assert schema_problems(written) == []
    assert {"Essay", "Scenes", "Igor", "Igor words", "Dialogue (en)"} <= set(tiers(written))


@pytest.mark.slow
def test_a_hundred_thousand_annotations_import_within_the_memory_and_time_set(
    tmp_path: Path,
) -> None:
    """In a fresh process, so that its peak memory is the import's; CPU time rather than the
    wall clock, which on a shared machine measures the other work too."""
    path = tmp_path / "transcription.eaf"
    assert write_transcription(path) == 100_000
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from desk.interchange.formats import import_file\n"
        "from desk.store.project import Project\n"
        "before = resource.getrusage(resource.RUSAGE_SELF)\n"
        "with Project.create(Path(sys.argv[2])) as project:\n"
        "    import_file(project, 'eaf', Path(sys.argv[1]))\n"
        "    print(project.query('SELECT count(*) FROM cue')[0][0])\n"
        "after = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)\n"
        "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(tmp_path / "big.desk")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    cues, cpu_seconds, peak_kb = int(out[0]), float(out[1]), int(out[2])

    assert cues == 100_000
    assert cpu_seconds <= 10
    assert peak_kb <= 300 * 1024
