"""Pictures in their true shape: an anamorphic DVD's still is as wide as players show it, the
burned-in frame number still reads, and an interlaced DVD's still is not combed.

The films are rendered by desk (each frame shows its number) and muxed by ffmpeg the way DVD rips
are: 720×480 at 32:27 in Matroska, 720×576 at 64:45 as MPEG-2 in a VOB."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desk.cli import main
from desk.media.frames import FrameDecoder
from desk.media.picture import deinterlaced_run
from desk.media.stills import save_still
from desk.media.synth import read_frame_number, render_film

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

NTSC = Fraction(30000, 1001)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def anamorphic(folder: Path, size: tuple[int, int], fps: Fraction, out: str, *codec: str) -> Path:
    """A numbered film of ``size`` stored pixels, re-encoded by ffmpeg to show 16:9."""
    source = render_film(
        folder / f"numbered-{size[0]}x{size[1]}.mp4",
        width=size[0], height=size[1], fps=fps, duration_s=1.0, keyframe_interval=12,
        audio=False,
    )  # fmt: skip
    ffmpeg("-i", str(source), *codec, "-aspect", "16:9", str(folder / out))
    return folder / out


@pytest.fixture(scope="module")
def ntsc_dvd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NTSC DVD rip in Matroska: 720×480 at a sample aspect ratio of 32:27."""
    return anamorphic(
        tmp_path_factory.mktemp("ntsc"), (720, 480), NTSC, "dvd.mkv", "-c:v", "libx264"
    )


@pytest.fixture(scope="module")
def pal_dvd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PAL DVD's MPEG-2 program stream: 720×576 at 64:45."""
    folder = tmp_path_factory.mktemp("pal")
    return anamorphic(
        folder, (720, 576), Fraction(25), "dvd.vob", "-c:v", "mpeg2video", "-q:v", "2"
    )


@pytest.fixture(scope="module")
def interlaced_dvd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Interlaced MPEG-2 as DVDs and broadcasts carry it: two moments 1/50 s apart in each frame,
    top field first, a picture that moves sideways."""
    out = tmp_path_factory.mktemp("interlaced") / "tv.mpg"
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=352x288:rate=50:d=1"),
        *("-vf", "scroll=horizontal=0.02,tinterlace=interleave_top,fieldorder=tff,format=yuv420p"),
        *("-c:v", "mpeg2video", "-flags", "+ilme+ildct", "-top", "1", "-q:v", "2", str(out)),
    )
    return out


def combing(rgb: np.ndarray) -> float:
    """How far each odd line strays from the mean of the lines around it (0 for a smooth
    picture; large where two moments are woven together)."""
    luma = rgb.astype(float).mean(axis=2)
    return float(np.abs(luma[1:-1:2] - (luma[0:-2:2] + luma[2::2]) / 2).mean())


def png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def test_a_still_of_an_ntsc_dvd_is_as_wide_as_players_show_it(
    ntsc_dvd: Path, tmp_path: Path
) -> None:
    out = tmp_path / "still.png"
    frame = save_still(ntsc_dvd, 500, out)
    assert png_size(out) == (853, 480)  # 720 × 32/27
    assert frame.index == read_frame_number(np.asarray(Image.open(out).convert("RGB"))) == 14


def test_a_still_of_a_pal_dvd_is_as_wide_as_players_show_it(pal_dvd: Path, tmp_path: Path) -> None:
    out = tmp_path / "still.png"
    save_still(pal_dvd, 200, out)
    assert png_size(out) == (1024, 576)  # 720 × 64/45
    assert read_frame_number(np.asarray(Image.open(out).convert("RGB"))) == 5


def test_desk_frame_at_a_width_keeps_the_display_aspect(ntsc_dvd: Path, tmp_path: Path) -> None:
    out = tmp_path / "small.jpg"
    assert main(["frame", str(ntsc_dvd), "--at", "0:00.500", "-o", str(out), "--width", "640"]) == 0
    assert png_size(out) == (640, 360)
    assert read_frame_number(np.asarray(Image.open(out).convert("RGB"))) == 14


def test_every_exact_frame_of_an_anamorphic_film_is_wide(ntsc_dvd: Path) -> None:
    with FrameDecoder(ntsc_dvd, max_width=426) as decoder:
        for index in (0, 7, 13, 29):
            frame = decoder.frame_at_index(index)
            assert frame is not None
            assert (frame.width, frame.height) == (426, 240)
            assert read_frame_number(frame.rgb) == index


def test_a_still_of_an_interlaced_film_is_not_combed(interlaced_dvd: Path) -> None:
    with FrameDecoder(interlaced_dvd) as decoder:
        shown = decoder.frame_at_index(10)
    assert shown is not None
    import av

    with av.open(str(interlaced_dvd)) as container:
        stored = [f for _, f in zip(range(11), container.decode(video=0), strict=False)][10]
        assert stored.interlaced_frame
        woven = stored.to_ndarray(format="rgb24")
    assert combing(woven) > 5 * combing(shown.rgb)
    assert (shown.width, shown.height) == (352, 288)


def test_a_run_of_interlaced_frames_is_made_whole_frame_for_frame(interlaced_dvd: Path) -> None:
    import av

    with av.open(str(interlaced_dvd)) as container:
        stored = list(enumerate(container.decode(video=0)))
    made = list(deinterlaced_run(iter(stored)))
    assert [i for i, _ in made] == [i for i, _ in stored]  # one frame per frame, none lost
    assert [f.pts for _, f in made] == [f.pts for _, f in stored]
    woven = np.mean([combing(f.to_ndarray(format="rgb24")) for _, f in stored[5:10]])
    whole = np.mean([combing(f.to_ndarray(format="rgb24")) for _, f in made[5:10]])
    assert woven > 5 * whole


def test_a_progressive_film_passes_through_untouched(ntsc_dvd: Path) -> None:
    import av

    with av.open(str(ntsc_dvd)) as container:
        stored = list(enumerate(container.decode(video=0)))
    assert [f for _, f in deinterlaced_run(iter(stored))] == [f for _, f in stored]
