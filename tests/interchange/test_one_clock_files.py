"""Interchange files are timed on the film's container clock, as VLC, mpv, ffmpeg and ELAN count
it: a project made before desk counted so exports its links at the times other tools show the
linked frames, and a file another tool timed imports onto the frames it names.

The film is a Matroska file whose video starts 23 ms after the container's start; each frame
shows its number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desk.interchange.formats import parse
from desk.media.frames import FrameDecoder
from desk.media.synth import read_frame_number
from desk.store import queries
from desk.store.project import Project
from tests.media.test_one_clock import ffmpeg_frame_number, old_clock_frame, old_project
from tests.rips import make_late_video
from tests.running import desk

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

SIZE = (160, 90)
#: Links of the old project, at the first millisecond of frames 1, 25 and 37 as desk marked them.
LINKS = [40, 1000, 1480]


@pytest.fixture(scope="module")
def late_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_late_video(tmp_path_factory.mktemp("late"))


def exported_times(project: Path, fmt: str, out: Path) -> tuple[list[int], str]:
    """The link times an export of ``project`` writes (read back as the file says them), and
    what it warned."""
    done = desk("export", fmt, str(project), "-o", str(out))
    assert done.returncode == 0, done.stderr
    snapshot = parse(fmt, out.read_bytes()).snapshot
    times = [x.start_ms for n in snapshot.notes for x in n.links]
    times += [c.start_ms for t in snapshot.tiers for c in t.cues]
    return sorted(times), done.stderr


@pytest.mark.parametrize("fmt", ["srt", "vtt", "eaf", "jsonld", "csv"])
def test_an_old_project_exports_its_links_at_the_times_ffmpeg_shows_their_frames(
    fmt: str, late_video: Path, tmp_path: Path
) -> None:
    project = old_project(tmp_path / "old.desk", late_video, LINKS)
    times, warned = exported_times(project, fmt, tmp_path / f"links.{fmt}")
    assert "clock" not in warned
    assert times == [link + 23 for link in LINKS]  # the video starts 23 ms into the container
    for link, time in zip(LINKS, times, strict=True):
        # ffmpeg's first picture at or after the time is the frame the link was made on.
        assert ffmpeg_frame_number(late_video, time, SIZE) == old_clock_frame(link)


def test_a_subrip_file_reads_as_players_show_it(late_video: Path, tmp_path: Path) -> None:
    project = old_project(tmp_path / "old.desk", late_video, [40])
    done = desk("export", "srt", str(project), "-o", str(tmp_path / "links.srt"))
    assert done.returncode == 0, done.stderr
    assert "00:00:00,063 -->" in (tmp_path / "links.srt").read_text()


def test_an_old_project_without_its_film_says_its_times_are_not_on_the_films_clock(
    late_video: Path, tmp_path: Path
) -> None:
    project = old_project(tmp_path / "old.desk", tmp_path / "gone.mkv", LINKS)
    times, warned = exported_times(project, "srt", tmp_path / "links.srt")
    (line,) = [x for x in warned.splitlines() if "clock" in x]  # one line says so
    assert "the film's clock could not be read" in line
    assert times == LINKS  # as the project counted them, and said so


def test_a_file_timed_by_another_tool_imports_onto_the_frames_it_names(
    late_video: Path, tmp_path: Path
) -> None:
    # Frame 1 is on screen from 63 ms on the container's clock, frame 25 from 1023 ms.
    subtitles = tmp_path / "from-elsewhere.srt"
    subtitles.write_text(
        "1\n00:00:00,063 --> 00:00:00,103\nThe first step\n\n"
        "2\n00:00:01,023 --> 00:00:01,063\nOne second in\n"
    )
    project = old_project(tmp_path / "old.desk", late_video, [])
    done = desk("import", "srt", str(project), str(subtitles), "--as", "notes")
    assert done.returncode == 0, done.stderr
    with Project.open(project) as opened, FrameDecoder(late_video) as decoder:
        media = queries.reference_media(opened)
        assert media is not None
        assert not media.clock_pending
        starts = sorted(t for (t,) in opened.query("SELECT start_ms FROM time_link"))
        shown = [decoder.frame_at(media.film_map.to_copy(t)) for t in starts]
        assert [read_frame_number(f.rgb) for f in shown] == [1, 25]
    # And it goes out again as it came in.
    times, _ = exported_times(project, "srt", tmp_path / "again.srt")
    assert times == [63, 1023]


def test_a_sheet_of_plain_notes_timed_by_another_tool_imports_onto_the_frames_it_names(
    late_video: Path, tmp_path: Path
) -> None:
    # A sheet's plain notes go in as they are read, on the same clock as the rest of a file.
    sheet = tmp_path / "from-a-spreadsheet.csv"
    sheet.write_text(
        "type,start,end,text\n"
        "note,00:00:00.063,00:00:00.103,The first step\n"
        "note,00:00:01.023,00:00:01.063,One second in\n"
    )
    project = old_project(tmp_path / "old.desk", late_video, [])
    done = desk("import", "csv", str(project), str(sheet))
    assert done.returncode == 0, done.stderr
    with Project.open(project) as opened, FrameDecoder(late_video) as decoder:
        media = queries.reference_media(opened)
        assert media is not None
        starts = sorted(t for (t,) in opened.query("SELECT start_ms FROM time_link"))
        assert starts == [40, 1000]  # film time: the video starts 23 ms into the container
        shown = [decoder.frame_at(media.film_map.to_copy(t)) for t in starts]
        assert [read_frame_number(f.rgb) for f in shown] == [1, 25]
