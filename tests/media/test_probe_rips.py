"""What a rip carries, as `desk probe` tells it: the pixel shape of a DVD, the clock of a file
whose video starts late or whose container starts at 0.5 s, subtitle tracks and chapters.

The films are made by ffmpeg the way DVD and Blu-ray rips are muxed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from desk.media.probe import Chapter, SubtitleTrack, probe
from tests.rips import ffmpeg, make_rip

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture(scope="module")
def rip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_rip(tmp_path_factory.mktemp("rip"), dvd=True)


def test_an_anamorphic_dvd_is_shown_wide(rip: Path) -> None:
    info = probe(rip)
    assert (info.width, info.height) == (720, 480)
    assert info.sample_aspect_ratio == Fraction(32, 27)
    assert (info.display_width, info.display_height) == (853, 480)


def test_a_pal_dvd_at_64_45_is_shown_wide(tmp_path: Path) -> None:
    out = tmp_path / "pal.mpg"
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=720x576:rate=25:d=1"),
        *("-c:v", "mpeg2video", "-aspect", "16:9", "-f", "vob"),
        str(out),
    )
    info = probe(out)
    assert info.sample_aspect_ratio == Fraction(64, 45)
    assert (info.display_width, info.display_height) == (1024, 576)


def test_the_clock_starts_where_the_container_starts(rip: Path, tmp_path: Path) -> None:
    info = probe(rip)
    assert (info.start_ms, info.video_start_ms) == (0, 23)
    program = tmp_path / "dvd.mpg"  # MPEG program streams start their clock at 0.5 s or so
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:d=1", "-c:v", "mpeg2video", str(program)
    )
    assert probe(program).start_ms >= 500


def test_subtitle_tracks_and_chapters_are_named(rip: Path) -> None:
    info = probe(rip)
    assert info.subtitle_tracks == (
        SubtitleTrack(index=2, codec="srt", language="eng", title="English", text=True),
        SubtitleTrack(index=3, codec="ssa", language="rus", title=None, text=True),
    )
    assert info.chapters == (Chapter(0, 2500, "The car"), Chapter(2500, 4000, "The snow"))


def test_probe_json_carries_shape_clock_tracks_and_chapters(rip: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desk", "probe", str(rip), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    assert data["sample_aspect_ratio"] == "32/27"
    assert (data["display_width"], data["display_height"], data["start_ms"]) == (853, 480, 0)
    assert [t["language"] for t in data["subtitle_tracks"]] == ["eng", "rus"]
    assert [c["title"] for c in data["chapters"]] == ["The car", "The snow"]


def test_a_broadcast_transport_stream_lasts_until_its_last_frame_ends(tmp_path: Path) -> None:
    """Its last keyframe interval is read too: the film's length is past its last frame's
    start, so the last millisecond shows the last frame."""
    from desk.media.frames import FrameDecoder
    from desk.media.synth import read_frame_number
    from tests.rips import make_transport_stream

    film = make_transport_stream(tmp_path)
    info = probe(film)
    assert info.frame_count == 96  # 4 s at 24000/1001
    with FrameDecoder(film) as decoder:
        last = decoder.frame_at(info.duration_ms - 1)
        assert (last.index, read_frame_number(last.rgb)) == (95, 95)
        assert info.duration_ms >= last.pts_ms + 41  # it stays up for a frame's time


def test_a_rip_with_two_sounds_two_subtitle_tracks_and_chapters_names_them_all(
    tmp_path: Path,
) -> None:
    from tests.rips import make_full_rip

    done = subprocess.run(
        [sys.executable, "-m", "desk", "probe", str(make_full_rip(tmp_path)), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(done.stdout)
    assert (data["frame_count"], data["fps"]) == (100, "25")
    assert [(a["index"], a["language"], a["title"]) for a in data["audio_tracks"]] == [
        (1, "eng", None),
        (2, "eng", "Commentary"),
    ]
    tracks = [(s["index"], s["codec"], s["language"], s["text"]) for s in data["subtitle_tracks"]]
    # FFmpeg names ASS after its older form, SSA.
    assert tracks == [(3, "srt", "eng", True), (4, "ssa", "rus", True)]
    assert data["chapters"] == [
        {"start_ms": 0, "end_ms": 2500, "title": "The car"},
        {"start_ms": 2500, "end_ms": 4000, "title": "The snow"},
    ]
