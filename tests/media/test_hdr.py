"""HDR films look as they were graded: a still and a clip of a 10-bit HEVC film with PQ or HLG
light in BT.2020 are tone-mapped to SDR, close to the SDR film they were made from, where reading
the values as SDR fades them to grey; the burned-in frame number still reads.

The films are made by ffmpeg (zscale, x265) from desk's numbered SDR film, SDR white at 203 nits."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from desk.export.clip_encode import FilmReader
from desk.media.hdr import is_hdr
from desk.media.stills import save_still
from desk.media.synth import read_frame_number
from tests.rips import make_hdr


def _encoders() -> str:
    if shutil.which("ffmpeg") is None:
        return ""
    done = subprocess.run(["ffmpeg", "-hide_banner", "-encoders"], capture_output=True, text=True)
    return done.stdout


pytestmark = pytest.mark.skipif("libx265" not in _encoders(), reason="needs ffmpeg with libx265")

TRANSFERS = ["smpte2084", "arib-std-b67"]


@pytest.fixture(scope="module", params=TRANSFERS)
def hdr(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hdr(tmp_path_factory.mktemp("hdr"), request.param)


def _sdr_source(hdr: Path, index: int) -> np.ndarray:
    with av.open(str(hdr.parent / "numbered-hdr.mp4")) as container:
        for number, frame in enumerate(container.decode(video=0)):
            if number == index:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame {index}")


def _naive(hdr: Path, index: int) -> np.ndarray:
    """The HDR frame's values read as SDR, which is what a still was before tone mapping."""
    with av.open(str(hdr)) as container:
        for number, frame in enumerate(container.decode(video=0)):
            if number == index:
                assert is_hdr(frame)
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame {index}")


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def _saturation(rgb: np.ndarray) -> float:
    """Mean chroma: how far each pixel's strongest channel is from its weakest."""
    return float((rgb.max(axis=2).astype(int) - rgb.min(axis=2)).mean())


def test_a_still_of_an_hdr_film_looks_like_its_sdr_grade(hdr: Path, tmp_path: Path) -> None:
    frame = save_still(hdr, 250, tmp_path / "still.png")  # frame 6 at 24 frames/s
    still = np.asarray(Image.open(tmp_path / "still.png").convert("RGB"))
    sdr, naive = _sdr_source(hdr, 6), _naive(hdr, 6)

    assert (frame.index, read_frame_number(still)) == (6, 6)
    assert _difference(still, sdr) < 10  # compression, and full white rolled off to 90 % light
    assert _difference(naive, sdr) > 25  # grey and faded
    assert _saturation(still) > 0.9 * _saturation(sdr)
    assert _saturation(naive) < 0.75 * _saturation(sdr)


def test_a_clip_of_an_hdr_film_is_encoded_from_sdr_pictures(hdr: Path) -> None:
    reader = FilmReader(hdr)
    try:
        (index, frame), *_ = reader.frames(6, 6)
    finally:
        reader.close()
    assert frame.format.name == "yuv420p"
    assert index == 6
    rgb = frame.to_ndarray(format="rgb24")
    assert read_frame_number(rgb) == 6
    assert _difference(rgb, _sdr_source(hdr, 6)) < 10


def _whole_planes(frame: av.VideoFrame, width: int | None, height: int | None) -> np.ndarray:
    """The tone map's sums done over whole planes at once, as they were before bands of rows."""
    from desk.media import hdr as tone

    coded = frame.reformat(
        format="gbrp16le", width=width, height=height, interpolation="AREA" if width else None,
        src_colorspace=tone.BT2020, src_color_range=frame.color_range or 1,
        dst_color_range=tone.FULL_RANGE,
    )  # fmt: skip
    size = (coded.height, coded.width)
    g, b, r = (
        tone._to_light(frame.color_trc)[np.frombuffer(p, np.uint16).reshape(size[0], -1)].astype(
            np.int64
        )[:, : size[1]]
        for p in coded.planes
    )
    weights = np.round(tone.BT2020_TO_BT709 * (1 << tone.MIX_BITS)).astype(np.int64)
    light = [np.clip((r * w[0] + g * w[1] + b * w[2]) >> tone.MIX_BITS, 0, 65535) for w in weights]
    return np.stack([tone._to_bt709()[channel] for channel in light], axis=-1)


def test_the_tone_map_by_bands_of_rows_is_the_sums_over_whole_planes(hdr: Path) -> None:
    """Rows are tone-mapped a band at a time (whole 4K planes cost a third more): every pixel is
    the same, whatever the band a row falls in, at the film's size and scaled."""
    from desk.media.hdr import BAND_ROWS, sdr_rgb

    with av.open(str(hdr)) as container:
        frame = next(container.decode(video=0))
    assert frame.height > BAND_ROWS  # more than one band
    assert frame.height % BAND_ROWS  # and a short last one
    for width, height in ((None, None), (250, 142)):
        expected = _whole_planes(frame, width, height)
        mapped = sdr_rgb(frame, width, height, "AREA" if width else None)
        assert mapped.shape == expected.shape
        assert np.array_equal(mapped, expected)
