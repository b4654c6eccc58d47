"""The PDF report, read back as a critic would: every paragraph, timecode and name is there, the
stills are the linked frames, and a failed, cancelled or film-less export behaves."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.platypus import Flowable

from desk.core.timecode import FrameRate
from desk.errors import Cancelled
from desk.export import pdf_fonts
from desk.export.errors import ExportError, FontsMissing
from desk.export.report import export_report
from desk.export.report import plan as report_plan
from desk.export.report import writer as report_module
from desk.export.report.context import span_text
from desk.export.stills import runs
from desk.store import edits, queries
from desk.store.project import Project

ARMENIAN = "Թորոս"
EXTRA_NOTE = f"{ARMENIAN} (Торос) is absent from the last scene; Ваня is only a name on the ring."
INJECTION = 'She said <font name="x">no</font> and <img src="/etc/passwd"/> & left.'

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with its stand-in film, plus Cyrillic and Armenian names."""
    from desk.sample import write_sample

    path = write_sample(tmp_path_factory.mktemp("sample"), scale=0.5)
    with Project.open(path, backup=False) as project:
        vanya, _ = edits.add_character(project, "Ваня", "#6a994e")
        toros, _ = edits.add_character(project, "Торос", "#bc6c25")
        pid = queries.paragraphs(project, edits.essay_id(project) or 0)[5][0]
        edits.add_note(
            project, EXTRA_NOTE, start_ms=66_000, kind="interpretation", paragraph_id=pid
        )
        edits.add_beat(
            project,
            start_ms=110_000,
            end_ms=115_000,
            label="Ваня и Торос are nowhere",
            characters=[vanya, toros],
            valence=-0.2,
            intensity=0.2,
        )
    return path


@pytest.fixture
def private_copy(sample_project: Path, tmp_path: Path) -> Path:
    """A copy of the sample project this test may edit (the film stays where it is)."""
    target = tmp_path / "copy.desk"
    with Project.open(sample_project, readonly=True) as project:
        project.save_copy(target)
    return target


@pytest.fixture(scope="module")
def report_pdf(sample_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    export_report(sample_project, out, paper="a4")
    return out


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return normalise(text)


def normalise(text: str) -> str:
    text = re.sub(r"-\n(?=\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pixels(path: Path, mode: str = "RGB") -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert(mode))


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def essay_of(path: Path) -> tuple[list[str], list[str]]:
    """(body paragraph texts, every timecode the essay and notes cite) of a project."""
    with Project.open(path, readonly=True) as project:
        essay = edits.essay_id(project) or 0
        texts = [text for _id, _pos, kind, text in queries.paragraphs(project, essay)]
        spans = project.query("SELECT start_ms, end_ms FROM time_link")
    return texts, [span_text(start, end) for start, end in spans]


# -- what the report shows --------------------------------------------------------------------
def test_the_report_prints_every_paragraph_timecode_and_name(
    report_pdf: Path, sample_project: Path
) -> None:
    text = pdf_text(report_pdf)
    paragraphs, timecodes = essay_of(sample_project)
    assert len(paragraphs) == 10
    for paragraph in paragraphs:
        assert normalise(paragraph) in text
    for code in timecodes:
        assert code in text
    for name in ("Ваня", "Торос", ARMENIAN, "Snow on the Windshield", "Anora (2024)"):
        assert name in text
    for section in (
        "Contents",
        "Emotional arc: The final scene",
        "Readings",
        "Still boards",
        "Index of timecodes",
        "Film copy",
        "The agency reading",
    ):
        assert section in text
    assert "Runtime 2:08" in text


def test_every_page_renders_with_header_and_number(report_pdf: Path, tmp_path: Path) -> None:
    pages = int(pdf_info(report_pdf)["Pages"])
    assert pages >= 8
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(report_pdf), str(tmp_path / "p")], check=True
    )
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == pages
    for image in images:
        assert (pixels(image, "L") < 128).sum() > 200, f"{image.name} looks empty"
    page_texts = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", str(report_pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "Snow on the Windshield" in page_texts.splitlines()[0]
    assert "3" in [line.strip() for line in page_texts.splitlines()]


def frame_numbers(pdf: Path, folder: Path) -> tuple[set[int], list[Path]]:
    """The frame numbers burned into every still of a report, and the extracted JPEG files."""
    from desk.media.synth import read_frame_number

    folder.mkdir(exist_ok=True)
    subprocess.run(["pdfimages", "-j", str(pdf), str(folder / "img")], check=True)
    jpegs = sorted(folder.glob("img-*.jpg"))
    return {read_frame_number(pixels(p)) for p in jpegs}, jpegs


def test_the_stills_are_the_linked_frames(
    report_pdf: Path, sample_project: Path, tmp_path: Path
) -> None:
    seen, jpegs = frame_numbers(report_pdf, tmp_path)
    listing = subprocess.run(
        ["pdfimages", "-list", str(report_pdf)], capture_output=True, text=True
    ).stdout
    assert jpegs
    assert all(" jpeg " in line for line in listing.splitlines()[2:])
    with Project.open(sample_project, readonly=True) as project:
        film = queries.reference_media(project)
        assert film is not None
        rate = FrameRate(Fraction(film.fps_num, film.fps_den))
        links = project.query("SELECT start_ms FROM time_link WHERE paragraph_id IS NOT NULL")
    for (start_ms,) in links:
        assert rate.frame_at(start_ms) in seen
    assert pixels(jpegs[0]).shape[1] >= 320  # the film's own width: never upscaled, never shrunk


def test_a_copy_that_starts_later_shows_the_frames_the_links_mean(
    private_copy: Path, tmp_path: Path
) -> None:
    with Project.open(private_copy, backup=False) as project:
        late = '{"kind": "affine", "offset_ms": "1000", "rate": "1"}'
        edits.update_media(project, 1, time_map=late)
    out = tmp_path / "late.pdf"
    result = export_report(private_copy, out)
    seen, _ = frame_numbers(out, tmp_path / "img")
    assert 504 in seen  # ¶2 cites film time 0:20, which is 0:21 (frame 504) in this copy
    assert 480 not in seen
    assert any("outside the film copy" in w for w in result.warnings)
    text = pdf_text(out)
    assert "not in this copy" in text
    assert "starts 1 s later" in text


def test_a_long_paragraph_and_headings_break_across_pages(
    private_copy: Path, tmp_path: Path
) -> None:
    long_text = " ".join(f"word{i}" for i in range(1800))
    with Project.open(private_copy, backup=False) as project:
        pid, _ = edits.add_paragraph(project, long_text, position=2)
        for at in range(6):
            edits.link(project, start_ms=30_000 + at * 5_000, paragraph_id=pid)
        edits.add_paragraph(project, "Часть вторая: <the turn>", position=3, kind="heading")
    out = tmp_path / "long.pdf"
    export_report(private_copy, out)
    text = pdf_text(out)
    assert re.findall(r"word\d+", text) == long_text.split()
    assert text.count("Часть вторая: <the turn>") == 2  # in the contents and in the essay


def test_without_dejavu_the_export_says_which_fonts_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert pdf_fonts.find_face("sans") is not None
    monkeypatch.setattr(pdf_fonts, "font_dirs", lambda: [])
    assert pdf_fonts.find_face("serif") is not None  # fontconfig still knows it
    monkeypatch.setattr(pdf_fonts.shutil, "which", lambda name: None)
    pdf_fonts.register_fonts.cache_clear()
    try:
        with pytest.raises(FontsMissing, match="fonts-dejavu-core"):
            pdf_fonts.register_fonts()
    finally:
        monkeypatch.undo()
        pdf_fonts.register_fonts.cache_clear()
        pdf_fonts.register_fonts()


def test_stills_are_decoded_in_forward_runs() -> None:
    assert runs([50, 10, 40, 10, 30, 20], 2) == [[10, 20, 30], [40, 50]]
    assert runs([5], 4) == [[5]]
    assert runs([], 2) == []


def test_a4_and_letter_reports_have_their_paper_size(private_copy: Path, tmp_path: Path) -> None:
    letter = tmp_path / "letter.pdf"
    export_report(private_copy, letter, paper="letter")
    assert pdf_info(letter)["Page size"].startswith("612 x 792")
    with pytest.raises(ExportError, match="paper size"):
        export_report(private_copy, tmp_path / "x.pdf", paper="a3")


def test_report_of_a_scene_charts_that_scene(private_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "drive.pdf"
    export_report(private_copy, out, scene="drive through the snow")
    assert "Emotional arc: Drive through the snow" in pdf_text(out)
    with pytest.raises(ExportError, match="no scene called 'Nope'"):
        export_report(private_copy, tmp_path / "y.pdf", scene="Nope")


def test_a_report_of_one_scene_keeps_only_what_overlaps_the_scene(
    private_copy: Path, tmp_path: Path
) -> None:
    drive_note = "The heater hums all through the drive."
    edge_note = "The snow thickens as the car pulls up."
    drive_beat = "He checks the mirror"
    with Project.open(private_copy, backup=False) as project:
        edits.add_note(project, drive_note, start_ms=5_000)
        edits.add_note(project, edge_note, start_ms=15_000, end_ms=20_000)  # overlaps its start
        beat, _ = edits.add_beat(
            project, start_ms=4_000, end_ms=9_000, label=drive_beat, valence=0.1, intensity=0.2
        )
        drive = project.query("SELECT id FROM scene WHERE name = 'Drive through the snow'")[0][0]
        reading, _ = edits.add_reading(project, "The road-movie reading", scene_id=drive)
        edits.add_evidence(project, 1, "supports", beat_id=beat)  # a final-scene reading
        edits.add_evidence(project, reading, "supports", beat_id=beat)
        last = queries.paragraphs(project, edits.essay_id(project) or 0)[-1]
        edits.link(project, start_ms=122_000, end_ms=125_000, paragraph_id=last[0])  # credits
    paragraphs, _ = essay_of(private_copy)
    elsewhere = [drive_note, drive_beat, "The road-movie reading", "2:02.000–2:05.000"]
    elsewhere.append(normalise(paragraphs[0]))  # cites the drive only

    whole = tmp_path / "whole.pdf"
    export_report(private_copy, whole)
    assert all(part in pdf_text(whole) for part in elsewhere)

    out = tmp_path / "final.pdf"
    export_report(private_copy, out, scene="The final scene")
    text = pdf_text(out)
    for part in elsewhere:
        assert part not in text
    for part in (
        edge_note,
        EXTRA_NOTE,
        normalise(paragraphs[-1]),
        "0:20.000–0:26.000",  # the last paragraph's first link
        "She breaks down on his chest",
        "Ваня и Торос are nowhere",
        "The agency reading",
        "Emotional arc: The final scene",
        "This report covers one scene, The final scene (0:18.000–2:00.000)",
    ):
        assert part in text


def test_stills_stop_at_the_essays_limit_and_the_report_says_where(
    private_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_plan, "ESSAY_STILLS", 4)
    out = tmp_path / "capped.pdf"
    export_report(private_copy, out)
    text = pdf_text(out)
    stop = re.search(r"Stills stop here: the report shows the first (\d) of (\d+) cited", text)
    assert stop is not None
    assert int(stop[1]) <= 4 < int(stop[2])
    assert "0:00.000–0:18.000 · frame 0" in text  # ¶ 1 keeps its still and its caption
    assert "Cites 1:08.000–1:12.000, 1:12.000–1:18.000" in text  # ¶ 7, past the limit
    with Project.open(private_copy, readonly=True) as project:
        last = project.query("SELECT text FROM paragraph ORDER BY position DESC LIMIT 1")[0][0]
    assert " ".join(last.split()[-6:]) in text


# -- robustness -------------------------------------------------------------------------------
def test_a_missing_film_gives_placeholders_and_a_warning(
    private_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with Project.open(private_copy, backup=False) as project:
        edits.update_media(project, 1, path=str(tmp_path / "gone.mp4"))
    out = tmp_path / "report.pdf"
    with caplog.at_level(logging.WARNING, logger="desk.export"):
        result = export_report(private_copy, out)
    assert result.stills == 0
    assert result.warnings
    assert any("was not found" in r.getMessage() for r in caplog.records)
    text = pdf_text(out)
    assert "gone.mp4 was not found" in text
    assert "film missing" in text
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True)
    assert len(listing.stdout.strip().splitlines()) == 2  # the header only: no images


def test_the_same_project_gives_the_same_bytes(
    private_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01 UTC
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    export_report(private_copy, first)
    export_report(private_copy, second)
    assert first.read_bytes() == second.read_bytes()
    assert "1 January 2025" in pdf_text(first)
    assert "2025" in pdf_info(first)["CreationDate"]


def test_a_cancelled_export_leaves_nothing(private_copy: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        export_report(private_copy, out_dir / "r.pdf", cancel=lambda: next(calls) > 3)
    assert list(out_dir.iterdir()) == []
    shown: list[float] = []

    def laying_out() -> bool:  # every still is decoded: the layout has begun
        return bool(shown) and shown[-1] > report_module.DECODE_SHARE

    with pytest.raises(Cancelled):
        export_report(private_copy, out_dir / "r.pdf", progress=shown.append, cancel=laying_out)
    assert shown[-1] < 1
    assert list(out_dir.iterdir()) == []


def test_a_failed_export_leaves_nothing_and_keeps_the_old_report(
    private_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"the previous report")

    class Exploding(Flowable):
        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            raise RuntimeError("layout failed")

    monkeypatch.setattr(report_module.report_boards, "index", lambda ctx: [Exploding()])
    with pytest.raises(RuntimeError, match="layout failed"):
        export_report(private_copy, out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".r.pdf", "r.pdf"))] == [
        "r.pdf"
    ]
    assert out.read_bytes() == b"the previous report"
    with pytest.raises(ExportError, match="does not exist"):
        export_report(private_copy, tmp_path / "no-such-folder" / "r.pdf")


def test_markup_in_project_text_prints_literally(private_copy: Path, tmp_path: Path) -> None:
    with Project.open(private_copy, backup=False) as project:
        first = queries.paragraphs(project, edits.essay_id(project) or 0)[0][0]
        edits.edit_paragraph(project, first, INJECTION)
        edits.update_project(project, film_title="Anora <i>&amp;</i>")
    out = tmp_path / "r.pdf"
    export_report(private_copy, out)
    text = pdf_text(out)
    assert normalise(INJECTION) in text
    assert "Anora <i>&amp;</i>" in text


def test_progress_rises_to_one(private_copy: Path, tmp_path: Path) -> None:
    seen: list[float] = []
    export_report(private_copy, tmp_path / "r.pdf", progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert 0 < seen[0] < 0.7


def test_the_command_line_writes_a_report(private_copy: Path, tmp_path: Path) -> None:
    from desk.cli import main

    out = tmp_path / "cli.pdf"
    assert main(["export", "report", str(private_copy), "-o", str(out), "--paper", "letter"]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert main(["export", "report", str(private_copy), "-o", str(out), "--scene", "x"]) == 1
