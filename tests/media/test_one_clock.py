"""One clock: film time is counted from the container's start, as VLC, mpv, ffmpeg and ELAN count
it, so "0:01.063" in desk is the frame other players show at 0:01.063.

The films are muxed by ffmpeg with the video starting after the container's start: a Matroska
film whose sound starts 23 ms before its pictures, and an MPEG program stream whose clock starts
at about 0.53 s and whose pictures start 11 ms after it. Each frame shows its number."""

from __future__ import annotations

import math
import shutil
import sqlite3
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from desk.film_tasks import new_project, settle_clock
from desk.media.frames import FrameDecoder
from desk.media.probe import probe
from desk.media.synth import read_frame_number
from desk.store import queries, schema
from desk.store.project import Project
from tests.rips import make_late_video, make_program_stream
from tests.running import desk

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

FPS = Fraction(25)


@pytest.fixture(scope="module")
def late_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_late_video(tmp_path_factory.mktemp("late"))


@pytest.fixture(scope="module")
def program_stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_program_stream(tmp_path_factory.mktemp("program"))


def ffmpeg_frame_number(film: Path, at_ms: int, size: tuple[int, int]) -> int:
    """The number on the first picture ffmpeg gives whose time, counted from the container's
    start, is at or after ``at_ms``. (On the program stream ffmpeg's pictures come out one
    number ahead of its own timestamps, so that film is checked against ffprobe's times.)"""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(film), "-vf", f"select='gte(t,{at_ms / 1000:.3f})'",
         "-fps_mode", "passthrough", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    width, height = size
    return read_frame_number(np.frombuffer(done.stdout, np.uint8).reshape(height, width, 3))


def lead_ms(film: Path) -> Fraction:
    """Where the video starts after the container's start, as ffprobe tells it."""
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "format=start_time:stream=start_time", "-of", "csv=p=0", str(film)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    video, container = (Fraction(line.strip().strip(",")) for line in done.stdout.split())
    return (video - container) * 1000


def shown_number(decoder: FrameDecoder, at_ms: int) -> int:
    frame = decoder.frame_at(at_ms)
    assert read_frame_number(frame.rgb) == frame.index
    return frame.index


@pytest.mark.parametrize("which", ["late_video", "program_stream"])
def test_each_frame_is_shown_from_its_time_on_the_containers_clock(
    which: str, request: pytest.FixtureRequest
) -> None:
    film: Path = request.getfixturevalue(which)
    lead = lead_ms(film)
    assert 3 <= lead <= 45  # the video starts after the container's start
    info = probe(film)
    with FrameDecoder(film) as decoder:
        assert shown_number(decoder, 0) == 0  # before the first picture: the first picture
        for n in (1, 2, 12, 13, 40, 74):
            exact = lead + n * 1000 / FPS  # frame n's time on the container's clock
            starts = math.ceil(exact)  # the first whole millisecond it is on screen
            if which == "late_video":
                # ffmpeg gives the first frame at or after a time: frame n from just before it.
                size = (info.width, info.height)
                assert ffmpeg_frame_number(film, math.floor(exact), size) == n
            assert shown_number(decoder, starts) == n
            # A millisecond earlier the previous frame is still on screen, as mpv and VLC show.
            assert shown_number(decoder, starts - 1) == n - 1
            assert decoder.frame_at(starts).pts_ms == starts


def test_the_film_lasts_until_its_last_frame_ends_on_the_containers_clock(
    late_video: Path,
) -> None:
    assert probe(late_video).duration_ms == 23 + 3000


def old_project(path: Path, film: Path, links_ms: list[int]) -> Path:
    """A project file of schema 4 (which counted a copy's time from its first picture) about
    ``film``, with a note linked to each of ``links_ms``."""
    conn = sqlite3.connect(path)
    conn.executescript(schema.frozen_schema(4))
    conn.execute(
        "INSERT INTO project (id, title, author, film_title, film_release, created_at)"
        " VALUES (1, 'Old', '', 'Late', '', '')"
    )
    conn.execute(
        "INSERT INTO media (label, path, size_bytes, fingerprint, duration_ms, fps_num, fps_den,"
        " width, height, time_map, is_reference, path_confirmed)"
        " VALUES ('reference copy', ?, 0, '', 3000, 25, 1, 160, 90, '{\"kind\": \"identity\"}',"
        " 1, 1)",
        (str(film),),
    )
    conn.execute("INSERT INTO note (id, kind, text, created_at) VALUES (1, 'free', 'x', '')")
    conn.executemany(
        "INSERT INTO time_link (note_id, start_ms, end_ms, label) VALUES (1, ?, ?, '')",
        [(t, t) for t in links_ms],
    )
    conn.commit()
    conn.close()
    return path


def old_clock_frame(link_ms: int) -> int:
    """The frame schema 4 showed at ``link_ms``: counted from the first picture at 25 frames/s."""
    return math.floor(Fraction(link_ms) * FPS / 1000)


def test_links_made_before_the_one_clock_stay_on_their_frames(
    late_video: Path, tmp_path: Path
) -> None:
    # Frame starts as desk marked them, and times inside frames, on the old clock.
    links = [0, 40, 80, 120, 500, 519, 1000, 1039, 2960]
    with Project.open(old_project(tmp_path / "old.desk", late_video, links)) as project:
        assert settle_clock(project)
        media = queries.reference_media(project)
        assert media is not None
        assert not media.clock_pending
        stored = sorted(t for (t,) in project.query("SELECT start_ms FROM time_link"))
        assert stored == links  # the project's own times are as they were
        with FrameDecoder(late_video) as decoder:
            for link in links:
                shown = shown_number(decoder, media.film_map.to_copy(link))
                assert shown == old_clock_frame(link), f"link at {link} ms"
        assert not settle_clock(project)  # once only


def test_a_project_migrated_while_its_film_was_missing_settles_when_the_film_is_found(
    late_video: Path, tmp_path: Path
) -> None:
    away = tmp_path / "away.mkv"
    project_file = old_project(tmp_path / "old.desk", away, [40, 1000])
    with Project.open(project_file) as project:
        assert not settle_clock(project)  # nothing to read the video's start from yet
        assert queries.reference_media(project).clock_pending  # type: ignore[union-attr]
    shutil.copy(late_video, away)
    with Project.open(project_file) as project:
        assert settle_clock(project)
        media = queries.reference_media(project)
        assert media is not None
        with FrameDecoder(away) as decoder:
            assert shown_number(decoder, media.film_map.to_copy(40)) == 1
            assert shown_number(decoder, media.film_map.to_copy(1000)) == 25


def test_a_new_project_counts_on_the_containers_clock_from_the_start(
    late_video: Path, tmp_path: Path
) -> None:
    with new_project(tmp_path / "new.desk", late_video) as project:
        media = queries.reference_media(project)
        assert media is not None
        assert not media.clock_pending
        assert media.film_map.is_identity
        assert not settle_clock(project)


def test_clips_exported_from_a_project_made_before_start_on_the_frames_it_linked(
    late_video: Path, tmp_path: Path
) -> None:
    project_file = old_project(tmp_path / "old.desk", late_video, [])
    conn = sqlite3.connect(project_file)
    conn.execute("INSERT INTO clip_list (id, name, position) VALUES (1, 'Lecture', 0)")
    conn.execute(
        "INSERT INTO clip (clip_list_id, position, start_ms, end_ms, handle_before_ms,"
        " handle_after_ms, title, caption) VALUES (1, 0, 1000, 1400, 0, 0, 'Scene', '')"
    )
    conn.commit()
    conn.close()
    done = desk("export", "clips", str(project_file), "--out", str(tmp_path / "clips"))
    assert done.returncode == 0, done.stderr
    (clip,) = sorted((tmp_path / "clips").glob("*.mp4"))
    with av.open(str(clip)) as container:
        numbers = [
            read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)
        ]
    # On the old clock 1000 ms was frame 25's first millisecond and 1400 ms frame 35's.
    assert numbers == list(range(old_clock_frame(1000), old_clock_frame(1400)))


def test_settling_the_clock_is_not_an_edit_to_undo(late_video: Path, tmp_path: Path) -> None:
    with Project.open(old_project(tmp_path / "old.desk", late_video, [40])) as project:
        assert settle_clock(project)
        assert project.undo_labels() == (None, None)
