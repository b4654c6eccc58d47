"""Times past the end of the film: a file timed against a longer cut, or with a slip of the
keyboard (999 hours), is listed and refused unless the user takes it anyway."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.cli import main
from desk.interchange.formats import Options, import_file
from desk.interchange.outside import OutsideFilm
from desk.interchange.snapshot_read import read_snapshot
from desk.store.project import Project
from tests.interchange.conftest import fill_reference

# The reference film runs 2:19:00 (8,340,000 ms).
PAST_THE_END = (
    "1\n00:00:01,000 --> 00:00:02,000\nTy v poryadke?\n\n"
    "2\n999:00:00,000 --> 999:00:02,000\nFar away.\n\n"
    "3\n02:20:00,000 --> 02:20:03,000\nAfter the credits.\n"
)


def subtitles(tmp_path: Path, text: str, name: str = "anora.en.srt") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_times_past_the_end_of_the_film_are_listed_and_nothing_is_imported(
    reference: Project, tmp_path: Path
) -> None:
    before = read_snapshot(reference)
    with pytest.raises(OutsideFilm) as refused:
        import_file(reference, "srt", subtitles(tmp_path, PAST_THE_END))
    assert str(refused.value) == (
        "'anora.en.srt' has 2 times past the end of the film (02:19:00.000): "
        'cue "Far away." at 999:00:00.000–999:00:02.000; '
        'cue "After the credits." at 02:20:00.000–02:20:03.000.'
    )
    assert [t.start_ms for t in refused.value.times] == [3_596_400_000, 8_400_000]
    assert read_snapshot(reference) == before


def test_times_past_the_end_are_taken_when_the_user_allows_them(
    reference: Project, tmp_path: Path
) -> None:
    path = subtitles(tmp_path, PAST_THE_END)
    summary = import_file(reference, "srt", path, Options(allow_outside=True))
    assert summary.added == {"tier": 1}
    cues = read_snapshot(reference).tiers[-1].cues
    assert [c.start_ms for c in cues] == [1_000, 8_400_000, 3_596_400_000]


def test_plain_notes_of_a_sheet_past_the_end_are_listed_with_the_rest_and_nothing_is_imported(
    reference: Project, tmp_path: Path
) -> None:
    before = read_snapshot(reference)
    sheet = tmp_path / "notes.csv"
    rows = [f"note,00:00:{k % 60:02}.000,,Inside {k},\n" for k in range(2_000)]
    rows[1_500] = "note,02:30:00.000,02:30:01.000,Far too late\n"
    rows.append("beat,999:00:00.000,999:00:05.000,,Typo\n")
    sheet.write_text("type,start,end,text,label\n" + "".join(rows), "utf-8")
    with pytest.raises(OutsideFilm) as refused:
        import_file(reference, "csv", sheet)
    assert str(refused.value) == (
        "'notes.csv' has 2 times past the end of the film (02:19:00.000): "
        'note "Far too late" at 02:30:00.000–02:30:01.000; '
        'beat "Typo" at 999:00:00.000–999:00:05.000.'
    )
    assert read_snapshot(reference) == before
    summary = import_file(reference, "csv", sheet, Options(allow_outside=True))
    assert summary.added == {"note": 2_000, "beat": 1}


def test_a_last_line_that_stays_up_a_moment_past_the_last_frame_is_inside(
    reference: Project, tmp_path: Path
) -> None:
    last = "1\n02:18:58,000 --> 02:19:01,500\nDo svidaniya.\n"
    assert import_file(reference, "srt", subtitles(tmp_path, last)).added == {"tier": 1}


def test_a_project_without_a_film_takes_any_time(empty: Project, tmp_path: Path) -> None:
    summary = import_file(empty, "srt", subtitles(tmp_path, PAST_THE_END))
    assert summary.added == {"tier": 1}


def test_the_cli_lists_times_past_the_end_and_takes_them_with_allow_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "anora.desk"
    with Project.create(project) as created:
        fill_reference(created)
    csv = tmp_path / "beats.csv"
    csv.write_text("type,start,end,label\nbeat,999:00:00,999:00:05,Typo\n", "utf-8")
    before = project.read_bytes()
    assert main(["import", "csv", str(project), str(csv)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "desk: 'beats.csv' has 1 time past the end of the film (02:19:00.000): "
        'beat "Typo" at 999:00:00.000–999:00:05.000. Nothing was imported; --allow-outside '
        "takes them."
    )
    assert project.read_bytes() == before
    assert main(["import", "csv", str(project), str(csv), "--allow-outside"]) == 0
    assert "imported beats.csv: 1 beat" in capsys.readouterr().out
