"""The frames kept for stepping take the decoder's bytes, not RGB's, and show the same pixels."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from desk.media.frames import FrameServer
from desk.media.synth import read_frame_number, render_film

from .conftest import Film

WAIT_S = 20


@pytest.fixture(scope="module")
def wide_film(tmp_path_factory: pytest.TempPathFactory) -> Film:
    """720 pixels wide, with B-frames: the decoder pads its rows to 768 bytes."""
    path = render_film(
        tmp_path_factory.mktemp("films") / "wide.mp4",
        width=720, height=576, duration_s=2.0, keyframe_interval=25, bframes=2, audio=False,
    )  # fmt: skip
    return Film(path, Fraction(24), 48, 25)


def rgb_of_every_frame(path: Path) -> list[np.ndarray]:
    """Each frame of the film decoded by bare PyAV from the start and converted to RGB alone."""
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


@pytest.mark.parametrize("which", ["ntsc_film", "wide_film"])
def test_frames_kept_for_stepping_back_take_half_the_bytes_of_rgb_and_show_the_same_pixels(
    which: str, request: pytest.FixtureRequest
) -> None:
    film: Film = request.getfixturevalue(which)
    expected = rgb_of_every_frame(film.path)
    height, width = expected[0].shape[:2]
    start = film.keyframe_interval + 20
    with FrameServer(film.path) as server:
        frame = server.frame_at(film.start_ms(start), timeout=WAIT_S)
        assert server.wait_idle(WAIT_S)
        kept = len(server.cache)
        assert kept > 20  # back to the keyframe, and a few ahead
        # YUV 4:2:0 is a byte and a half a pixel (with a little padding), RGB three
        assert server.cache.bytes_used <= kept * width * height * 3 * 0.55
        for index in range(start - 1, film.keyframe_interval - 1, -1):
            frame = server.step(frame.pts_ms, -1, WAIT_S)
            assert frame.index == index
            assert read_frame_number(frame.rgb) == index
            assert np.array_equal(frame.rgb, expected[index]), f"frame {index}"


def test_a_film_of_odd_sides_whose_chroma_sits_left_steps_back_to_the_same_pixels(
    tmp_path: Path,
) -> None:
    """A side of odd length converts by swscale's general path, which reads where the chroma
    samples sit: such frames are not kept as YUV, whose copy would lose it."""
    path = tmp_path / "odd.mkv"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=24",
         "-vf", "scale=321:181,setsar=1", "-t", "1", "-g", "24",
         "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
         "-pix_fmt", "yuv420p", "-chroma_sample_location", "left", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    expected = rgb_of_every_frame(path)
    with FrameServer(path) as server:
        frame = server.frame_at(server.timeline.start_ms(20), timeout=WAIT_S)
        assert server.wait_idle(WAIT_S)
        for index in range(19, 9, -1):
            frame = server.step(frame.pts_ms, -1, WAIT_S)
            assert frame.index == index
            assert np.array_equal(frame.rgb, expected[index]), f"frame {index}"


def test_a_kept_frame_asked_for_twice_gives_the_same_pixels_once_converted(
    ntsc_film: Film,
) -> None:
    """Stepping asks twice for a frame (the nearest at hand, then the exact one): the picture on
    screen is redrawn only for other pixels, so both must be the same."""
    with FrameServer(ntsc_film.path) as server:
        server.frame_at(ntsc_film.start_ms(70), timeout=WAIT_S)
        assert server.wait_idle(WAIT_S)
        near = server.nearest_cached(ntsc_film.start_ms(60))
        exact = server.step(ntsc_film.start_ms(61), -1, WAIT_S)
        assert near is not None
        assert near.index == exact.index == 60
        assert near.pixels is exact.pixels


PEAK_OF_FILLING_BEHIND = """
import sys
from desk.media.frames import FrameDecoder
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
with FrameDecoder(sys.argv[1], threads=False) as decoder:
    decoder.frame_at_index(int(sys.argv[2]))
    before = peak_mb()
    for _ in decoder.fill_behind(int(sys.argv[2])):
        pass
    print(peak_mb() - before, decoder.cache.bytes_used / 2**20, len(decoder.cache))
"""


def test_filling_behind_costs_the_frames_kept_and_not_the_decoders_buffers_too(
    tmp_path: Path,
) -> None:
    """Frames behind the playhead decoded again for stepping back are copied as they pass: held,
    each would have made the decoder's pool of buffers grow by a frame for as long as the film
    is open (132 MB more at the peak behind a 1080p frame 200 past its keyframe)."""
    path = render_film(
        tmp_path / "long_interval.mp4",
        width=640, height=360, duration_s=4.0, keyframe_interval=96, audio=False,
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", PEAK_OF_FILLING_BEHIND, str(path), "95"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    grown_mb, kept_mb, kept = (float(x) for x in out.split())
    assert kept == 96  # the frame asked for and the 95 behind it, back to the keyframe
    assert grown_mb < kept_mb * 1.25, f"{grown_mb:.0f} MB grown for {kept_mb:.0f} MB kept"
