"""A rip's subtitle tracks become dialogue and its chapters scenes, read from the film itself.

The films are muxed by ffmpeg from subtitle files the tests write, the way rips carry them: SubRip
and ASS in Matroska, mov_text in MP4, WebVTT in Matroska, and Blu-ray PGS and DVD VobSub tracks that
hold pictures, not text (:mod:`tests.rips`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.cli import main
from desk.errors import Cancelled, FilmError, ImportFormatError
from desk.film_tasks import new_project, relink
from desk.interchange.film_tracks import (
    import_chapters,
    import_track,
    project_film,
    track_snapshot,
)
from desk.store.project import Project
from tests.rips import SRT, VIDEO, ffmpeg, make_bluray, make_dvd, make_rip

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


def _tier_rows(path: Path) -> list[tuple[str, str, list[tuple[int, int, str, str]]]]:
    with Project.open(path, readonly=True) as project:
        tiers = project.query("SELECT id, name, language FROM tier ORDER BY id")
        return [
            (
                name,
                language,
                project.query(
                    "SELECT start_ms, end_ms, speaker, text FROM cue WHERE tier_id = ? "
                    "ORDER BY start_ms, id",
                    tier_id,
                ),
            )
            for tier_id, name, language in tiers
        ]


@pytest.fixture(scope="module")
def rip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_rip(tmp_path_factory.mktemp("rip"))


@pytest.fixture
def project(rip: Path, tmp_path: Path) -> Path:
    new_project(tmp_path / "rip.desk", rip).close()
    return tmp_path / "rip.desk"


def test_a_subrip_track_becomes_a_tier_of_dialogue_on_the_films_clock(project: Path) -> None:
    with Project.open(project) as opened:
        summary = import_track(opened, 1)
    assert summary.added == {"tier": 1}
    # The container's clock starts at 0.5 s, the cues at 1.5 s and 3.5 s on it: 1 s and 3 s in.
    assert _tier_rows(project) == [
        (
            "English (eng)",
            "eng",
            [(1000, 2000, "", "Hello there"), (3000, 4000, "", "Bye")],
        )
    ]


def test_an_ass_track_keeps_its_speakers_and_loses_its_override_tags(project: Path) -> None:
    with Project.open(project) as opened:
        import_track(opened, 2)
    assert _tier_rows(project) == [
        (
            "rus",
            "rus",
            [(1000, 2000, "Ani", "Ne nado,\nпожалуйста"), (2500, 3000, "", "[snow falls]")],
        )
    ]


def test_importing_a_track_is_one_undoable_edit(project: Path) -> None:
    with Project.open(project) as opened:
        import_track(opened, 1)
        changes = opened.undo()
        assert changes is not None
        assert opened.query("SELECT count(*) FROM tier") == [(0,)]
        assert opened.query("SELECT count(*) FROM cue") == [(0,)]


def test_a_relinked_copy_brings_its_cues_onto_the_projects_timeline(
    project: Path, rip: Path
) -> None:
    with Project.open(project) as opened:
        relink(opened, rip, [(0, 500)])  # this copy runs half a second behind the film
        import_track(opened, 1)
    ((_, _, cues),) = _tier_rows(project)
    assert [(start, end) for start, end, _, _ in cues] == [(500, 1500), (2500, 3500)]


def test_reading_a_track_can_be_cancelled_and_adds_nothing(project: Path) -> None:
    with Project.open(project) as opened:
        film = project_film(opened)
        with pytest.raises(Cancelled):
            track_snapshot(film, 1, cancel=lambda: True)
        assert opened.query("SELECT count(*) FROM tier") == [(0,)]


@pytest.mark.parametrize(("codec", "suffix"), [("mov_text", "mp4"), ("webvtt", "mkv")])
def test_mp4_text_and_webvtt_tracks_are_read_too(codec: str, suffix: str, tmp_path: Path) -> None:
    (tmp_path / "en.srt").write_text(SRT)
    film = tmp_path / f"film.{suffix}"
    ffmpeg(*VIDEO, "-i", str(tmp_path / "en.srt"), "-c:v", "libx264", "-c:s", codec, str(film))
    new_project(tmp_path / "p.desk", film).close()
    with Project.open(tmp_path / "p.desk") as opened:
        import_track(opened, 1, tier="Subtitles")
    assert _tier_rows(tmp_path / "p.desk") == [
        ("Subtitles", "", [(1000, 2000, "", "Hello there"), (3000, 4000, "", "Bye")])
    ]


@pytest.mark.parametrize(("make", "kind"), [(make_bluray, "Blu-ray PGS"), (make_dvd, "DVD VobSub")])
def test_a_picture_subtitle_track_is_named_as_not_readable(
    make: Callable[[Path], Path], kind: str, tmp_path: Path
) -> None:
    film = make(tmp_path)
    new_project(tmp_path / "p.desk", film).close()
    with Project.open(tmp_path / "p.desk") as opened, pytest.raises(FilmError) as refused:
        import_track(opened, 1)
    assert str(refused.value) == (
        f"The track 1 (jpn, {kind}) of '{film.name}' holds pictures of text, which desk cannot "
        "read as dialogue."
    )


def test_a_stream_that_is_no_subtitle_track_is_refused_naming_the_tracks(project: Path) -> None:
    with Project.open(project) as opened, pytest.raises(FilmError) as refused:
        import_track(opened, 0)
    assert str(refused.value) == (
        "'rip.mkv' has no subtitle track 0; its subtitle tracks are track 1 (English, eng, "
        "SubRip), track 2 (rus, ASS)."
    )


def test_chapters_become_scenes_once(project: Path) -> None:
    with Project.open(project) as opened:
        first = import_chapters(opened)
        again = import_chapters(opened)
        scenes = opened.query("SELECT name, start_ms, end_ms FROM scene ORDER BY position")
    assert first.added == {"scene": 2}
    assert (again.added, again.duplicates) == ({}, 2)
    # The marks at 0, 2.5 s and 4 s are on the container's clock, which starts at 0.5 s.
    assert scenes == [("The car", 0, 2000), ("The snow", 2000, 3500)]


def test_a_chapter_wholly_in_a_copys_leader_is_left_out(project: Path, rip: Path) -> None:
    with Project.open(project) as opened:
        relink(opened, rip, [(0, 2000)], force=True)  # the film starts 2 s into this copy
        summary = import_chapters(opened)
        scenes = opened.query("SELECT name, start_ms, end_ms FROM scene")
    assert scenes == [("The snow", 0, 1500)]
    assert summary.warnings == ["1 chapter before the film's start was left out."]


def test_a_film_without_chapters_says_so(tmp_path: Path) -> None:
    film = tmp_path / "plain.mkv"
    ffmpeg(*VIDEO, "-c:v", "libx264", str(film))
    new_project(tmp_path / "p.desk", film).close()
    with Project.open(tmp_path / "p.desk") as opened, pytest.raises(ImportFormatError) as refused:
        import_chapters(opened)
    assert str(refused.value) == "'plain.mkv' has no chapters."


# -- the command line -------------------------------------------------------------------------
def test_desk_import_track_and_chapters(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "track", str(project), "--stream", "2"]) == 0
    assert main(["import", "chapters", str(project)]) == 0
    out = capsys.readouterr().out
    assert "imported the film's subtitle track 2: 1 tier" in out
    assert "imported the film's chapters: 2 scenes" in out
    assert [name for name, _, _ in _tier_rows(project)] == ["rus"]


def test_desk_import_track_without_a_stream_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["import", "track", str(project)])
    assert usage.value.code == 2
    assert "import track needs --stream N" in capsys.readouterr().err


def test_desk_import_track_of_a_stream_that_is_no_subtitle_track_exits_1_with_one_line(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "track", str(project), "--stream", "0"]) == 1
    err = capfd.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("desk: 'rip.mkv' has no subtitle track 0")
    assert _tier_rows(project) == []
