"""A report on a film copy that was cut short: the stills before the break are the linked frames,
the links after it show a placeholder, not the last frame again, and a warning says where the
film ends."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desk.export.report import export_report
from desk.export.report.context import timecode
from desk.export.stills import decode_stills
from desk.film_tasks import new_project
from desk.media.probe import probe
from desk.media.synth import read_frame_number, render_film
from desk.store import edits

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

FPS = Fraction(24)
BEFORE_MS = (1_000, 3_000)  # linked moments the cut copy still holds
AFTER_MS = (7_000, 9_000)  # and moments past its readable end


@pytest.fixture(scope="module")
def cut_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a project about a 10 s film, its film) whose film file was then cut to half its bytes."""
    folder = tmp_path_factory.mktemp("cut-short")
    film = render_film(
        folder / "film.mp4", width=320, height=180, fps=FPS, duration_s=10.0, keyframe_interval=48
    )
    path = folder / "cut.desk"
    project = new_project(path, film, title="Cut short")
    try:
        for number, at_ms in enumerate((*BEFORE_MS, *AFTER_MS), start=1):
            paragraph, _ = edits.add_paragraph(project, f"Paragraph {number} cites a moment.")
            edits.link(project, start_ms=at_ms, paragraph_id=paragraph)
    finally:
        project.close()
    data = film.read_bytes()
    film.write_bytes(data[: len(data) // 2])
    return path, film


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(out.split())


def frame_numbers(pdf: Path, folder: Path) -> list[int]:
    folder.mkdir()
    subprocess.run(["pdfimages", "-j", str(pdf), str(folder / "img")], check=True)
    numbers = []
    for jpeg in sorted(folder.glob("img-*.jpg")):
        with Image.open(jpeg) as image:
            numbers.append(read_frame_number(np.asarray(image.convert("RGB"))))
    return numbers


def test_links_past_the_end_of_a_cut_short_film_show_placeholders_and_a_warning(
    cut_project: tuple[Path, Path], tmp_path: Path
) -> None:
    project, film = cut_project
    readable_ms = probe(film).duration_ms
    assert BEFORE_MS[-1] < readable_ms < AFTER_MS[0]
    out = tmp_path / "report.pdf"
    result = export_report(project, out)

    assert result.stills == len(BEFORE_MS)
    cut = [w for w in result.warnings if "cut short" in w]
    assert len(cut) == 1
    assert timecode(readable_ms) in cut[0]
    seen = set(frame_numbers(out, tmp_path / "img"))
    assert seen == {round(ms * FPS / 1000) for ms in BEFORE_MS}  # never the last frame again
    text = pdf_text(out)
    assert "cut short" in text
    assert timecode(readable_ms) in text
    assert text.count("past the film's end") >= len(AFTER_MS)


def test_decoding_stills_past_the_readable_end_gives_none_not_the_last_frame(
    cut_project: tuple[Path, Path],
) -> None:
    _, film = cut_project
    stills = decode_stills(film, [*BEFORE_MS, *AFTER_MS], workers=1)
    assert sorted(stills) == list(BEFORE_MS)
    assert [stills[ms].index for ms in BEFORE_MS] == [round(ms * FPS / 1000) for ms in BEFORE_MS]
