"""What a teacher exports from a DVD rip keeps the picture's true shape: an anamorphic film's
report stills and clips are as wide as players show the film, a clip of an interlaced film is not
combed, and the frames are still the exact ones."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from desk.export.clips import ClipOptions, export_clips
from desk.export.report import export_report
from desk.film_tasks import new_project
from desk.media.probe import probe
from desk.media.synth import read_frame_number, render_film
from desk.store import clip_lists, edits

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("pdfimages") is None,
    reason="needs ffmpeg and poppler-utils",
)

NTSC = Fraction(30000, 1001)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def dvd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NTSC DVD rip: 720×480 at 32:27 (16:9 on screen), every frame numbered, with sound."""
    folder = tmp_path_factory.mktemp("dvd")
    source = render_film(
        folder / "numbered.mp4", width=720, height=480, fps=NTSC, duration_s=1.0,
        keyframe_interval=12,
    )  # fmt: skip
    out = folder / "dvd.mkv"
    ffmpeg("-i", str(source), "-c:v", "libx264", "-c:a", "copy", "-aspect", "16:9", str(out))
    return out


@pytest.fixture(scope="module")
def interlaced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Interlaced MPEG-2, top field first, of a picture that moves sideways."""
    out = tmp_path_factory.mktemp("tv") / "tv.mpg"
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=352x288:rate=50:d=1"),
        *("-vf", "scroll=horizontal=0.02,tinterlace=interleave_top,fieldorder=tff,format=yuv420p"),
        *("-c:v", "mpeg2video", "-flags", "+ilme+ildct", "-top", "1", "-q:v", "2", str(out)),
    )
    return out


def lecture(film: Path, folder: Path) -> Path:
    path = folder / "lecture.desk"
    with new_project(path, film) as project:
        week, _ = clip_lists.add_clip_list(project, "Week 5: formats")
        # The whole film: a clip lasts a second at least.
        clip_lists.add_clip(project, week, 0, 1000, title="The wide shot")
    return path


def display_aspect(path: Path) -> Fraction:
    info = probe(path)
    return Fraction(info.display_width, info.display_height)


def combing(rgb: np.ndarray) -> float:
    luma = rgb.astype(float).mean(axis=2)
    return float(np.abs(luma[1:-1:2] - (luma[0:-2:2] + luma[2::2]) / 2).mean())


def test_a_clip_of_an_anamorphic_film_plays_as_wide_as_the_film(dvd: Path, tmp_path: Path) -> None:
    clip = export_clips(lecture(dvd, tmp_path), tmp_path / "out").clips[0]
    info = probe(clip)
    assert info.sample_aspect_ratio == 1  # square pixels: captions and timecode drawn unsqueezed
    assert (info.width, info.height) == (852, 480)
    assert abs(display_aspect(clip) - display_aspect(dvd)) < Fraction(1, 100)
    with av.open(str(clip)) as container:
        numbers = [
            read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)
        ]
    assert numbers == list(range(30))  # 0 s to 1 s at 29.97 frames/s


def test_a_clip_scaled_to_a_height_keeps_the_display_aspect(dvd: Path, tmp_path: Path) -> None:
    options = ClipOptions(height=360)
    clip = export_clips(lecture(dvd, tmp_path), tmp_path / "out", options=options).clips[0]
    assert (probe(clip).width, probe(clip).height) == (640, 360)


def test_a_clip_of_an_interlaced_film_is_not_combed(interlaced: Path, tmp_path: Path) -> None:
    clip = export_clips(lecture(interlaced, tmp_path), tmp_path / "out").clips[0]
    with av.open(str(clip)) as container:
        made = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(str(interlaced)) as container:
        woven = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)][:25]
    assert len(made) == len(woven)  # frames 0 to 24 at 25 frames/s: frames, not fields
    assert np.mean([combing(p) for p in woven]) > 5 * np.mean([combing(p) for p in made])


def test_the_report_prints_an_anamorphic_still_wide(dvd: Path, tmp_path: Path) -> None:
    path = tmp_path / "essay.desk"
    with new_project(path, dvd) as project:
        paragraph, _ = edits.add_paragraph(project, "The frame opens out.")
        edits.link(project, start_ms=500, paragraph_id=paragraph)
    out = tmp_path / "report.pdf"
    export_report(path, out)
    listing = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    sizes = {(int(line.split()[3]), int(line.split()[4])) for line in listing}
    assert sizes == {(640, 360)}  # 16:9 at the report's still width, not 640×427
    folder = tmp_path / "img"
    folder.mkdir()
    subprocess.run(["pdfimages", "-j", str(out), str(folder / "img")], check=True)
    from PIL import Image

    seen = {read_frame_number(np.asarray(Image.open(p).convert("RGB"))) for p in folder.iterdir()}
    assert 14 in seen


def test_a_missing_still_of_an_anamorphic_film_keeps_its_place_wide(
    dvd: Path, tmp_path: Path
) -> None:
    path = tmp_path / "essay.desk"
    with new_project(path, dvd) as project:
        paragraph, _ = edits.add_paragraph(project, "Past the end of this copy, which starts late.")
        edits.link(project, start_ms=100, paragraph_id=paragraph)
        edits.link(project, start_ms=900, paragraph_id=paragraph)  # 1.4 s in a 1 s copy
        late = '{"kind": "affine", "offset_ms": "500", "rate": "1"}'
        edits.update_media(project, 1, time_map=late)
    out = tmp_path / "report.pdf"
    export_report(path, out)
    pages = pdf_pages(out)
    page = next(n for n, text in enumerate(pages, start=1) if "not in this copy" in text)
    subprocess.run(
        ["pdftoppm", "-r", "144", "-f", str(page), "-l", str(page), "-png", "-singlefile",
         str(out), str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    from PIL import Image

    rgb = np.asarray(Image.open(tmp_path / "page.png").convert("RGB")).astype(int)
    grey = np.all(np.abs(rgb - 237) <= 1, axis=2)  # the placeholder's fill
    # Long runs only: the edges of anti-aliased text pass through this grey too.
    rows, columns = np.flatnonzero(grey.sum(axis=1) > 50), np.flatnonzero(grey.sum(axis=0) > 50)
    width, height = columns[-1] - columns[0] + 1, rows[-1] - rows[0] + 1
    assert abs(width / height - 16 / 9) < 0.05  # the shape of the still beside it, not 3:2


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")
