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

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello there\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"
ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, Bold, Italic, Alignment, MarginV
Style: Default,DejaVu Sans,20,&H00FFFFFF,0,0,2,10

[Events]
Format: Layer, Start, End, Style, Text
Dialogue: 0,0:00:01.00,0:00:02.00,Default,Привет
"""
CHAPTERS = """;FFMETADATA1
[CHAPTER]
TIMEBASE=1/1000
START=0
END=2500
title=The car
[CHAPTER]
TIMEBASE=1/1000
START=2500
END=4000
title=The snow
"""


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def rip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NTSC DVD rip in Matroska: 720×480 at 32:27, its video 23 ms after its sound, an SRT
    and an ASS track, two chapters."""
    folder = tmp_path_factory.mktemp("rip")
    (folder / "en.srt").write_text(SRT)
    (folder / "ru.ass").write_text(ASS)
    (folder / "chapters.txt").write_text(CHAPTERS)
    out = folder / "rip.mkv"
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=720x480:rate=30000/1001:d=4"),
        *("-f", "lavfi", "-i", "sine=d=4"),
        *("-i", str(folder / "en.srt"), "-i", str(folder / "ru.ass")),
        *("-i", str(folder / "chapters.txt")),
        *("-map", "0", "-map", "1", "-map", "2", "-map", "3", "-map_chapters", "4"),
        *("-c:v", "libx264", "-aspect", "16:9", "-c:a", "aac", "-c:s:0", "srt", "-c:s:1", "ass"),
        *("-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English"),
        *("-metadata:s:s:1", "language=rus", "-output_ts_offset", "0.023"),
        str(out),
    )
    return out


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
