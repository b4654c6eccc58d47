"""A report's stills are decoded the quick way (the pictures passed over on the way to a still that
no other picture refers to are skipped) and are still the exact frames: checked against the frame
numbers burned into a film with B-frames, at frames of every kind inside a keyframe interval, down
to the picture in the PDF the critic reads."""

from __future__ import annotations

import math
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from desk.export.report import export_report
from desk.export.stills import decode_stills
from desk.film_tasks import new_project
from desk.media.frames import FrameDecoder
from desk.media.synth import read_frame_number, render_film
from desk.store import edits

FPS = Fraction(24)
KEYINT = 96
FRAMES = 240


@pytest.fixture(scope="module", params=[".mp4", ".mkv", ".ts"])
def film(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """10 s numbered H.264 with three B-frames between references (the middle one a reference
    too, as x264 builds them), a keyframe every 96 frames, in MP4, Matroska and MPEG-TS (whose
    timestamps start late and whose seeks go by decoding time)."""
    path = tmp_path_factory.mktemp("bframes") / f"numbered{request.param}"
    return render_film(
        path, width=160, height=90, fps=FPS, duration_s=float(FRAMES / FPS),
        keyframe_interval=KEYINT, bframes=3, audio=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def unreferenced(film: Path) -> set[int]:
    """The frames of the film no other picture refers to: those a decoder may skip."""
    with av.open(str(film)) as container:
        video = container.streams.video[0]
        video.codec_context.skip_frame = "NONREF"
        first, base = video.start_time or 0, video.time_base or Fraction(1, 90_000)
        kept = {round(((f.pts or 0) - first) * base * FPS) for f in container.decode(video)}
    return set(range(FRAMES)) - kept


def at_ms(frame: int) -> int:
    """A time well inside ``frame``'s time on screen."""
    return math.ceil(frame * 1000 / FPS) + 10


#: Frames of every kind inside the second keyframe interval (96–191) and around its ends: the
#: keyframe, the frame after it, a run of neighbours (one interval decoded once for all of them),
#: and the last frames before the next keyframe.
TARGETS = [0, 1, 2, 3, 95, 96, 97, 98, 121, 130, 131, 132, 133, 150, 189, 190, 191, 192, 239]


def jpeg_number(jpeg: bytes, folder: Path, name: str) -> int:
    path = folder / name
    path.write_bytes(jpeg)
    with Image.open(path) as image:
        return read_frame_number(np.asarray(image.convert("RGB")))


def test_the_film_has_pictures_no_other_refers_to(unreferenced: set[int]) -> None:
    # Else the tests below would not try the shortcut at all.
    inside = [f for f in TARGETS if f in unreferenced]
    referenced_b = [f for f in TARGETS if f % 4 == 2 and f not in unreferenced and f % KEYINT]
    assert len(inside) >= 5
    assert referenced_b


@pytest.mark.parametrize("workers", [1, 2])
def test_every_still_is_the_exact_frame_whatever_its_kind(
    film: Path, unreferenced: set[int], tmp_path: Path, workers: int
) -> None:
    stills = decode_stills(film, [at_ms(f) for f in TARGETS], workers=workers)
    for frame in TARGETS:
        still = stills[at_ms(frame)]
        kind = "unreferenced" if frame in unreferenced else "referenced"
        assert still.index == frame, f"{kind} frame {frame}"
        assert jpeg_number(still.jpeg, tmp_path, f"{frame}.jpg") == frame, f"{kind} frame {frame}"


def test_stills_asked_out_of_order_and_twice_are_exact(film: Path, unreferenced: set[int]) -> None:
    # The window's frame server asks in any order: a decoder that skips must seek back correctly.
    order = [131, 97, 133, 130, 239, 1, 131, 192, 191, 3, 2]
    with FrameDecoder(film, threads=False, skip_passed=True) as decoder:
        for frame in order:
            shown = decoder.frame_at(at_ms(frame))
            assert (shown.index, read_frame_number(shown.rgb)) == (frame, frame)


def test_skipping_decodes_fewer_pictures_for_the_same_frames(film: Path) -> None:
    counts = {}
    for skip in (False, True):
        with FrameDecoder(film, threads=False, skip_passed=skip) as decoder:
            numbers = [read_frame_number(decoder.frame_at(at_ms(f)).rgb) for f in (95, 191)]
            counts[skip] = decoder.pictures_decoded
        assert numbers == [95, 191]
    assert counts[True] < counts[False] * 0.8


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="needs poppler-utils")
def test_the_reports_stills_show_the_cited_frames(
    film: Path, unreferenced: set[int], tmp_path: Path
) -> None:
    cited = [1, 97, 131, 133, 150, 190, 191]
    project = new_project(tmp_path / "essay.desk", film, title="Numbered")
    try:
        for frame in cited:
            pid, _ = edits.add_paragraph(project, f"The picture of frame {frame}.")
            edits.link(project, start_ms=at_ms(frame), paragraph_id=pid)
    finally:
        project.close()
    out = tmp_path / "essay.pdf"
    result = export_report(tmp_path / "essay.desk", out)
    assert result.stills == len(cited)
    images = tmp_path / "images"
    images.mkdir()
    subprocess.run(["pdfimages", "-j", str(out), str(images / "img")], check=True)
    seen = set()
    for path in sorted(images.glob("img-*.jpg")):
        with Image.open(path) as image:
            seen.add(read_frame_number(np.asarray(image.convert("RGB"))))
    assert seen == set(cited)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for frame in cited:
        assert f"The picture of frame {frame}." in text
