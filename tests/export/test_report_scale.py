"""Reports of large projects: thousands of notes laid out in one pass, an index and contents that
give the right pages, time and memory held down."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desk.export.report import export_report
from tests.bulk import write_large_project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pages_of(pdf: Path) -> list[str]:
    """The text of each page, whitespace collapsed."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return [re.sub(r"\s+", " ", page) for page in out.split("\f")]


def test_each_note_in_the_index_gives_the_page_it_is_printed_on(tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "many.desk", paragraphs=20, notes=1_500)
    out = tmp_path / "many.pdf"
    result = export_report(path, out)
    pages = pages_of(out)
    assert result.pages == len(pages) - 1  # pdftotext ends the last page with a form feed too
    printed = {}  # note number -> the page its heading is on
    for number, text in enumerate(pages, start=1):
        for found in re.findall(r"Note (\d+) · note", text):
            printed[int(found)] = number
    assert sorted(printed) == list(range(1, 1_501))
    index = " ".join(pages[pages.index(next(p for p in pages if "Index of timecodes" in p)) :])
    cited = {int(n): int(p) for n, p in re.findall(r"note (\d+) \(p\. (\d+)\)", index)}
    assert cited == printed


def test_the_contents_give_the_page_of_each_heading(tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "p.desk", paragraphs=300, notes=600, scenes=3, beats=40)
    out = tmp_path / "p.pdf"
    export_report(path, out)
    pages = pages_of(out)
    contents = pages[1]
    listed = re.findall(r"(Readings|Still boards|Film copy|Index of timecodes)[ .]+(\d+)", contents)
    assert [heading for heading, _page in listed] == [
        "Still boards",
        "Film copy",
        "Index of timecodes",
    ]
    for heading, page in listed:
        first = next(n for n, text in enumerate(pages[2:], start=3) if heading in text)
        assert first == int(page) > 3


@pytest.mark.slow
def test_a_report_of_20000_notes_takes_seconds_and_little_memory(tmp_path: Path) -> None:
    path = write_large_project(
        tmp_path / "big.desk", paragraphs=500, notes=20_000, beats=200, scenes=20
    )
    # The bulk project's film is missing: this is the layout and writing alone.
    child = textwrap.dedent(
        f"""
        import json, resource
        from pathlib import Path
        from desk.export.report import export_report
        result = export_report(Path({str(path)!r}), Path({str(tmp_path / "big.pdf")!r}))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({{"seconds": result.total_s, "peak_mb": peak, "pages": result.pages}}))
        """
    )
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["pages"] > 1_000
    assert figures["seconds"] <= 30
    assert figures["peak_mb"] <= 500
