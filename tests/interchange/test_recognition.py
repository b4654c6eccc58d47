"""A source is recognised by what it holds: a renamed, re-saved or re-encoded copy of a file
already imported adds nothing, and desk's own exports come back without conflicts or lost
links."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from desk.interchange.formats import Options, export_file, import_file
from desk.interchange.snapshot_read import read_snapshot
from desk.store.project import Project

DATA = Path(__file__).parent.parent / "data" / "interchange"
VTT = (
    "WEBVTT - Anora, the ending\n\n"
    "00:00:01.000 --> 00:00:02.400\n<v Igor>Ty v poryadke?\n\n"
    "00:00:03.000 --> 00:00:04.100\n<v Ani>Don’t.  Please.\n"
)


def cue_count(project: Project) -> int:
    return int(project.query("SELECT count(*) FROM cue")[0][0])


def test_a_renamed_copy_saved_with_a_bom_and_crlf_adds_nothing(
    empty: Project, tmp_path: Path
) -> None:
    first = tmp_path / "anora.en.vtt"
    first.write_text(VTT, "utf-8")
    assert import_file(empty, "vtt", first).added == {"tier": 1}
    copy = tmp_path / "Anora (2024) final.vtt"
    copy.write_bytes(codecs.BOM_UTF8 + VTT.replace("\n", "\r\n").encode("utf-8"))
    again = import_file(empty, "vtt", copy)
    assert again.describe() == "nothing new; 1 already there"
    assert cue_count(empty) == 2


def test_the_same_lines_in_another_format_and_encoding_add_nothing(
    empty: Project, tmp_path: Path
) -> None:
    first = tmp_path / "anora.en.vtt"
    first.write_text(VTT, "utf-8")
    import_file(empty, "vtt", first)
    legacy = (
        "1\r\n00:00:01,000 --> 00:00:02,400\r\nIgor: Ty v poryadke?\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:04,100\r\nAni: Don’t. Please.\r\n"
    )
    copy = tmp_path / "anora.srt"
    copy.write_bytes(legacy.encode("cp1252"))
    again = import_file(empty, "srt", copy)
    assert again.describe() == "nothing new; 1 already there"
    assert again.warnings == ["'anora.srt' is not UTF-8; it was read as Windows-1252."]
    assert cue_count(empty) == 2


def test_a_renamed_elan_file_adds_nothing(empty: Project, tmp_path: Path) -> None:
    first = import_file(empty, "eaf", DATA / "elan-dialogue.eaf")
    cues = cue_count(empty)
    renamed = tmp_path / "interview-final-v2.eaf"
    shutil.copy(DATA / "elan-dialogue.eaf", renamed)
    again = import_file(empty, "eaf", renamed)
    assert again.added == {}
    assert again.duplicates == first.added["tier"]
    assert cue_count(empty) == cues


def test_other_lines_under_the_same_name_are_still_imported(empty: Project, tmp_path: Path) -> None:
    first = tmp_path / "anora.en.vtt"
    first.write_text(VTT, "utf-8")
    import_file(empty, "vtt", first)
    first.write_text(VTT.replace("Please.", "Please, no."), "utf-8")
    assert import_file(empty, "vtt", first).added == {"tier": 1}
    assert cue_count(empty) == 4


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("csv", Options()),
        ("jsonld", Options()),
        ("eaf", Options()),
        ("vtt", Options(what="dialogue")),
        ("srt", Options(what="dialogue")),
    ],
    ids=["csv", "jsonld", "eaf", "vtt", "srt"],
)
def test_desks_own_export_reimported_adds_nothing_and_loses_no_link(
    reference: Project, tmp_path: Path, fmt: str, options: Options
) -> None:
    before = read_snapshot(reference)
    links = reference.query("SELECT count(*) FROM time_link")
    path = tmp_path / f"anora.{fmt}"
    export_file(reference, fmt, path, options)
    summary = import_file(reference, fmt, path)
    assert (summary.added, summary.conflicts) == ({}, [])
    assert summary.duplicates > 0
    assert read_snapshot(reference) == before
    assert reference.query("SELECT count(*) FROM time_link") == links
