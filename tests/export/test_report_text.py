"""Text of any length and from any script prints: long paragraphs and notes break across pages,
Hebrew, Arabic, Japanese, Korean and emoji come out in their fonts and in reading order, and every
font the PDF names is embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from desk.export import pdf_fonts, pdf_text
from desk.export.report import export_report
from desk.store import edits
from desk.store.project import Project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

HEBREW = "הסצנה האחרונה שותקת"
ARABIC = "الثلج يتساقط بصمت"
JAPANESE = "東京物語の最後の場面"
KOREAN = "마지막 장면"
EMOJI = "😢"


def project_with(tmp_path: Path, *paragraphs: str, note: str = "") -> Path:
    """A project without a film whose essay is ``paragraphs``, the first carrying ``note``."""
    path = tmp_path / "p.desk"
    with Project.create(path, title="Text") as project:
        for n, text in enumerate(paragraphs):
            pid, _ = edits.add_paragraph(project, text)
            if n == 0 and note:
                edits.add_note(project, note, start_ms=1_000, paragraph_id=pid)
    return path


def read_pdf(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    out = re.sub("[\u202a-\u202e]", "", out)  # poppler marks the direction of each run
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", out))


def words(n: int, stem: str) -> str:
    return " ".join(f"{stem}{i}" for i in range(n))


def test_a_25600_character_paragraph_and_a_long_note_print_to_their_last_words(
    tmp_path: Path,
) -> None:
    paragraph = words(3_200, "word")
    note = words(3_000, "note")
    assert len(paragraph) > 25_600
    path = project_with(tmp_path, "A short opening.", paragraph, note=note)
    with Project.open(path, backup=False) as project:
        edits.link(project, start_ms=2_000, paragraph_id=2)
    out = tmp_path / "long.pdf"
    started = time.perf_counter()
    result = export_report(path, out)
    assert time.perf_counter() - started < 30
    text = read_pdf(out)
    assert re.findall(r"\bword\d+", text) == paragraph.split()
    assert re.findall(r"\bnote\d+", text) == note.split()
    assert result.pages > 10


@pytest.mark.slow
def test_a_one_megabyte_paragraph_prints_in_seconds(tmp_path: Path) -> None:
    paragraph = words(150_000, "w")
    assert len(paragraph) > 1_000_000
    path = project_with(tmp_path, paragraph)
    started = time.perf_counter()
    export_report(path, tmp_path / "mb.pdf")
    assert time.perf_counter() - started < 60
    text = read_pdf(tmp_path / "mb.pdf")
    assert "w0 w1 w2" in text
    assert "w149998 w149999" in text


def test_hebrew_arabic_cjk_and_emoji_print_in_reading_order(tmp_path: Path) -> None:
    sentence = f"She says {HEBREW}, then {ARABIC}; the title {JAPANESE} and {KOREAN} {EMOJI} end."
    path = project_with(tmp_path, sentence, note=f"{HEBREW} {EMOJI}")
    out = tmp_path / "scripts.pdf"
    export_report(path, out)
    text = read_pdf(out)
    order = [text.find(part) for part in ("She says", HEBREW, ARABIC, JAPANESE, KOREAN, EMOJI)]
    assert -1 not in order, text
    assert order == sorted(order)
    assert "end." in text


def test_a_film_title_in_hebrew_does_not_turn_desks_own_sentence_around(tmp_path: Path) -> None:
    path = project_with(tmp_path, "One paragraph.")
    with Project.open(path, backup=False) as project:
        edits.add_media(project, path="film.mkv", duration_ms=6_000, is_reference=True)
        edits.update_project(project, film_title=f"{HEBREW} {JAPANESE}")
    out = tmp_path / "title.pdf"
    export_report(path, out)
    text = read_pdf(out)
    cited = text.index("Film copy cited.")
    assert cited < text.index(HEBREW, cited) < text.index("Runtime 0:06.", cited)
    assert text.index(JAPANESE, cited) < text.index("Runtime 0:06.", cited)


def test_every_font_the_report_names_is_embedded(tmp_path: Path) -> None:
    path = project_with(tmp_path, f"{HEBREW} {ARABIC} {JAPANESE} {EMOJI} Թորոս Ваня")
    out = tmp_path / "fonts.pdf"
    export_report(path, out)
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    fonts = listing.splitlines()[2:]
    assert len(fonts) >= 5
    for line in fonts:
        assert re.search(r"\byes\s+yes\s+yes\b", line), line  # embedded, subset, with Unicode
    assert "Helvetica" not in listing


def test_every_character_is_drawn_in_a_font_that_has_it() -> None:
    for sample in (HEBREW, ARABIC, JAPANESE, KOREAN, EMOJI, "Թորոս Ваня Ελλάδα"):
        shown = pdf_text.visual(sample)
        for font, part in pdf_text.runs(shown):
            name = font or pdf_fonts.register_fonts().serif
            chars = pdf_fonts.font_chars(name)
            assert all(ord(c) in chars for c in part if not c.isspace()), (name, part)
            if part.strip() and not sample.startswith("Թ"):  # DejaVu has no glyph for these
                assert name != pdf_fonts.register_fonts().serif, part


def test_bidi_controls_in_project_text_do_not_reverse_the_report(tmp_path: Path) -> None:
    path = project_with(tmp_path, "Plain \u202eevil text\u202c here.\x07")
    out = tmp_path / "bidi.pdf"
    export_report(path, out)
    assert "Plain evil text here." in read_pdf(out)


def test_long_text_is_cut_at_sentence_ends_into_pieces() -> None:
    text = "One sentence here. " * 400
    parts = list(pdf_text.pieces(text.strip(), limit=1_000))
    assert all(len(p) <= 1_000 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text.strip()
    assert list(pdf_text.pieces("x" * 2_500, limit=1_000)) == ["x" * 1_000] * 2 + ["x" * 500]


def test_a_report_with_hundreds_of_different_letters_prints_every_one(tmp_path: Path) -> None:
    # More than a font subset's 256 codes: later strings mix letters coded in the first subset
    # with letters coded in the second, and strings coded before with new ones.
    cyrillic = "".join(chr(c) for c in range(0x410, 0x450))
    greek = "".join(chr(c) for c in range(0x3B1, 0x3CA) if c != 0x3C2)
    latin = "".join(
        c
        for c in map(chr, range(0x100, 0x17F))
        if unicodedata.category(c) == "Ll" and unicodedata.normalize("NFKC", c) == c
    )
    first = f"Plain words & <signs>  with  spaces first. {cyrillic} Ваня"
    path = project_with(
        tmp_path, first, f"{greek} then {latin} and Ваня\u00a0again.", note=f"Ελλάδα &  {latin}"
    )
    out = tmp_path / "letters.pdf"
    export_report(path, out)
    text = read_pdf(out)
    for expected in ("Plain words & <signs> with spaces first.", "Ваня again.", "Ελλάδα &"):
        assert expected in text
    joined = text.replace(" ", "")  # a run of letters without spaces breaks anywhere
    for letters in (cyrillic, greek, latin, f"Ελλάδα&{latin}"):
        assert letters in joined


def test_text_is_encoded_for_the_pdf_as_reportlab_encodes_it() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    path = str(pdf_fonts.find_face("serif"))
    theirs, ours = TTFont("Theirs", path), pdf_fonts.SubsetFont("Ours", path)

    class Doc:  # ReportLab keeps a font's codes per document
        pass

    doc_theirs, doc_ours = Doc(), Doc()
    alphabet = [chr(c) for c in [*range(32, 127), 0xA0, 0xE9, 0x2026, 0x4E00, *range(0x400, 0x500)]]
    for n in range(3_000):
        text = "".join(
            alphabet[(n * 31 + i * i) % min(len(alphabet), 95 + n // 10)] for i in range(n % 40)
        )
        assert ours.splitString(text, doc_ours) == theirs.splitString(text, doc_theirs), text
    assert ours.state[doc_ours].subsets == theirs.state[doc_theirs].subsets
    assert len(ours.state[doc_ours].subsets) == 2
