"""Importing an essay: the critic's file becomes a title, a dek, headings and paragraphs."""

from __future__ import annotations

import builtins
import os
import socket
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.core.essay import (
    MAX_ESSAY_BYTES,
    Block,
    ParsedEssay,
    parse_essay_text,
    read_essay,
)
from desk.core.essay import word as essay_word
from desk.errors import ImportFormatError, KnownError

ESSAYS = Path(__file__).parents[1] / "data" / "essays"
ONE_PER_LINE = ESSAYS / "anora-ending-one-per-line.txt"

RUSSIAN = (
    "Ваня на пристани\n\nКороткое чтение последней сцены\n\n"
    "Финальная сцена начинается на пустой пристани. Ваня стоит у воды и долго смотрит, "
    "как катер уходит к материку без него.\n\n"
    "Никто ничего не объясняет. Старый смотритель молча отдаёт ему ключ от маяка.\n"
)
FRENCH = (
    "La dernière lampe\n\n"
    "Le café du port ferme à minuit. « Déjà ? » demande Maren, et le gardien hausse les "
    "épaules — c’était prévu.\n\n"
    "À l’écran, la neige tombe encore ; l’œil suit le faisceau du phare.\n"
)
ARMENIAN = (
    "Թորոսի վերջին տեսարանը\n\n"
    "Թորոսը կանգնած է նավամատույցին։ Նա նայում է, թե ինչպես է նավակը հեռանում։\n\n"
    "Ոչ ոք ոչինչ չի բացատրում։ Լույսը շարունակում է պտտվել։\n"
)


def write(tmp_path: Path, name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


# --- one paragraph per line -----------------------------------------------------------------------


def test_one_paragraph_per_line_reads_as_a_title_a_dek_and_eleven_paragraphs() -> None:
    essay = read_essay(ONE_PER_LINE)
    assert essay.title == "The Last Scene of Anora: A Ring, a Car, and the Snow"
    assert essay.dek.startswith("A reading of the final two minutes")
    assert len(essay.body_paragraphs) == 11
    assert all(block.kind == "body" for block in essay.blocks)
    lines = [line.strip() for line in ONE_PER_LINE.read_text(encoding="utf-8").splitlines()]
    assert list(essay.body_paragraphs) == [line for line in lines[2:] if line]


# --- plain text --------------------------------------------------------------------------------


def test_a_hard_wrapped_essay_joins_its_lines_into_paragraphs() -> None:
    essay = read_essay(ESSAYS / "harbour-light-wrapped.txt")
    assert essay.title == "Harbour Light: The Keeper Who Stays"
    assert essay.dek == "A reading of the last four minutes, and of the lamp that never goes out"
    assert [block.kind for block in essay.blocks] == ["body", "body", "heading", "body", "body"]
    assert essay.blocks[2] == Block("heading", "The ending")
    first = essay.body_paragraphs[0]
    assert first.startswith("The final scene of Harbour Light opens on the gallery")
    assert first.endswith("watch her watch it.")
    assert "\n" not in first
    assert "  " not in first


def test_a_word_hyphenated_across_a_line_break_is_rejoined() -> None:
    essay = read_essay(ESSAYS / "harbour-light-wrapped.txt")
    assert "It is a well-known trick" in essay.body_paragraphs[-1]


def test_one_paragraph_per_line_without_blank_lines() -> None:
    text = (
        "Snow on the Jetty\n"
        "The keeper hands over the key without a word.\n"
        "Maren looks at it for a long time before she closes her hand.\n"
        "The boat leaves, and the lamp begins to turn.\n"
    )
    essay = parse_essay_text(text, "text")
    assert essay.title == "Snow on the Jetty"
    assert essay.dek == "The keeper hands over the key without a word."
    assert essay.body_paragraphs == (
        "Maren looks at it for a long time before she closes her hand.",
        "The boat leaves, and the lamp begins to turn.",
    )


def test_markdown_style_headings_in_a_text_file_are_headings() -> None:
    text = (
        "# Harbour Light\n\n"
        "The storm has passed. The boat is waiting at the jetty with its engine running.\n"
        "It has been waiting for some time, and nobody on board seems to mind at all.\n\n"
        "## What the key means\n\n"
        "It is the first thing anyone has given her without wanting something back.\n"
    )
    essay = parse_essay_text(text, "text")
    assert essay.title == "Harbour Light"
    assert Block("heading", "What the key means") in essay.blocks
    assert essay.body_paragraphs[-1].startswith("It is the first thing")


def test_a_first_paragraph_that_is_a_sentence_is_not_a_title() -> None:
    text = "The boat leaves without her.\n\nThe lamp begins to turn, and the film ends.\n"
    essay = parse_essay_text(text, "text")
    assert essay.title == ""
    assert essay.dek == ""
    assert len(essay.body_paragraphs) == 2


def test_a_lone_paragraph_is_body_text_not_a_title() -> None:
    essay = parse_essay_text("Snow keeps falling", "text")
    assert essay.title == ""
    assert essay.body_paragraphs == ("Snow keeps falling",)


def test_newlines_and_unicode_are_normalised() -> None:
    text = "Café Noir\r\n\r\nThe café closes;\rthe keeper waits."
    essay = parse_essay_text(unicodedata.normalize("NFD", text), "text")
    assert essay.title == "Café Noir"
    assert essay.body_paragraphs == ("The café closes; the keeper waits.",)
    assert unicodedata.is_normalized("NFC", essay.body_paragraphs[0])


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_headings_emphasis_links_and_images_are_stripped() -> None:
    essay = read_essay(ESSAYS / "harbour-light.md")
    assert essay.title == "The Last Lamp: Reading the Final Shot of Harbour Light"
    assert essay.dek == "Why the keeper's silence says more than any line of dialogue"
    kinds = ["body", "heading", "body", "body", "heading", "body", "body", "body"]
    assert [block.kind for block in essay.blocks] == kinds
    assert essay.body_paragraphs[0] == (
        "The final scene of Harbour Light opens on the gallery of the lighthouse, where Maren "
        "has spent most of the film pretending she is only passing through."
    )
    everything = " ".join([essay.title, essay.dek, *(block.text for block in essay.blocks)])
    for markup in ("*", "[", "](", "https://", "`", "lamp.png", "<!--", "timecode", "#"):
        assert markup not in everything
    assert "The boat leaves without her." in essay.body_paragraphs


def test_a_second_level_heading_under_the_title_is_the_dek() -> None:
    text = "# Harbour Light\n\n## The keeper who stays\n\nThe boat leaves without her.\n"
    essay = parse_essay_text(text, "markdown")
    assert (essay.title, essay.dek) == ("Harbour Light", "The keeper who stays")
    assert essay.blocks == (Block("body", "The boat leaves without her."),)


def test_a_long_first_paragraph_under_a_markdown_title_stays_in_the_body() -> None:
    first = "The boat leaves without her. " * 12
    text = f"# Harbour Light\n\n{first}\n\nThe lamp begins to turn.\n"
    essay = parse_essay_text(text, "markdown")
    assert essay.dek == ""
    assert essay.body_paragraphs[0] == first.strip()


def test_markdown_front_matter_supplies_the_title_and_dek() -> None:
    text = (
        '---\ntitle: "Harbour Light"\nsubtitle: The keeper who stays\ntags:\n  - essays\n---\n\n'
        "The boat leaves without her.\n\nThe lamp begins to turn.\n"
    )
    essay = parse_essay_text(text, "markdown")
    assert (essay.title, essay.dek) == ("Harbour Light", "The keeper who stays")
    assert essay.body_paragraphs == ("The boat leaves without her.", "The lamp begins to turn.")


def test_markdown_without_a_heading_guesses_the_title_like_plain_text() -> None:
    text = "Harbour Light\n\nThe boat leaves without her.\n\nThe lamp begins to turn.\n"
    essay = parse_essay_text(text, "markdown")
    assert essay.title == "Harbour Light"
    assert essay.dek == "The boat leaves without her."
    assert essay.body_paragraphs == ("The lamp begins to turn.",)


# --- HTML --------------------------------------------------------------------------------------


def test_html_keeps_the_article_and_ignores_scripts_styles_and_page_furniture() -> None:
    essay = read_essay(ESSAYS / "harbour-light.html")
    assert essay.title == "The Last Lamp"
    assert essay.dek == "Why the keeper’s silence says more than any line of dialogue"
    key = "Tomas does not ask her to stay. He hands her the brass key to the lamp room."
    assert essay.blocks == (
        Block(
            "body",
            "The final scene of Harbour Light opens on the gallery of the lighthouse, where "
            "Maren has spent most of the film pretending she is only passing through.",
        ),
        Block("heading", "The key"),
        Block("body", key),
        Block("body", "“You’ll want to oil it before winter,” he says."),
        Block("heading", "The ending"),
        Block("body", "The boat leaves without her."),
        Block("body", "The lamp begins to turn."),
    )
    everything = " ".join(block.text for block in essay.blocks)
    assert "TEXT" not in everything
    assert "root:" not in everything


def test_an_image_pointing_at_a_local_file_yields_no_text_and_is_never_fetched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = (
        '<h1>Harbour Light</h1><p><img src="file:///etc/passwd" alt="">The lamp turns.</p>'
        '<p><img src="https://example.org/still.png"><img src="../../secret.png"></p>'
        "<p>The boat leaves.</p>"
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the parser tried to open {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    essay = parse_essay_text(html, "html")
    assert essay.blocks == (Block("body", "The lamp turns."), Block("body", "The boat leaves."))


def test_html_without_an_h1_takes_its_title_from_the_title_element() -> None:
    html = (
        "<html><head><title>Harbour Light</title></head><body>"
        "<p class='standfirst'>The keeper who stays</p><p>The boat leaves.</p></body></html>"
    )
    essay = parse_essay_text(html, "html")
    assert (essay.title, essay.dek) == ("Harbour Light", "The keeper who stays")
    assert essay.body_paragraphs == ("The boat leaves.",)


def test_an_h2_right_after_the_h1_is_the_dek() -> None:
    html = "<h1>Harbour Light</h1><h2>The keeper who stays</h2><h2>Part one</h2><p>Snow.</p>"
    essay = parse_essay_text(html, "html")
    assert essay.dek == "The keeper who stays"
    assert essay.blocks == (Block("heading", "Part one"), Block("body", "Snow."))


@pytest.mark.parametrize(
    "dek_markup",
    [
        '<p class="lead">The keeper who stays</p>',
        '<div class="c-subtitle">The keeper who stays</div>',
    ],
)
def test_a_lead_paragraph_or_a_subtitle_class_is_the_dek(dek_markup: str) -> None:
    essay = parse_essay_text(f"<h1>Harbour Light</h1>{dek_markup}<p>Snow.</p>", "html")
    assert (essay.title, essay.dek) == ("Harbour Light", "The keeper who stays")
    assert essay.blocks == (Block("body", "Snow."),)


def test_html_paragraphs_set_apart_by_double_line_breaks_are_split() -> None:
    html = "<div>The boat leaves.<br><br>The lamp<br>begins to turn.</div>"
    essay = parse_essay_text(html, "html")
    assert essay.body_paragraphs == ("The boat leaves.", "The lamp begins to turn.")


def test_text_nested_around_a_list_keeps_its_order() -> None:
    html = "<h1>Lists</h1><ul><li>Before<ul><li>Inside</li></ul>After</li></ul>"
    assert parse_essay_text(html, "html").body_paragraphs == ("Before", "Inside", "After")


def test_deeply_nested_html_is_read_without_recursion_errors() -> None:
    html = "<div>" * 5000 + "The lamp turns." + "</div>" * 5000
    assert parse_essay_text(html, "html").body_paragraphs == ("The lamp turns.",)


def test_html_that_looks_like_a_file_name_raises_no_warning() -> None:
    essay = parse_essay_text("essay.html", "html")
    assert essay.body_paragraphs == ("essay.html",)


# --- Word documents ----------------------------------------------------------------------------


def test_a_word_document_uses_its_title_subtitle_and_heading_styles(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Harbour Light", style="Title")
    document.add_paragraph("The keeper who stays", style="Subtitle")
    document.add_paragraph("The final scene opens on the gallery of the lighthouse.")
    document.add_paragraph("")
    document.add_heading("The ending", level=2)
    document.add_paragraph("The boat leaves   without her.\nThe lamp begins to turn.")
    path = tmp_path / "harbour.docx"
    document.save(str(path))

    essay = read_essay(path)
    assert (essay.title, essay.dek) == ("Harbour Light", "The keeper who stays")
    assert essay.blocks == (
        Block("body", "The final scene opens on the gallery of the lighthouse."),
        Block("heading", "The ending"),
        Block("body", "The boat leaves without her. The lamp begins to turn."),
    )


def test_a_word_document_without_a_title_style_guesses_title_and_dek(tmp_path: Path) -> None:
    document = docx.Document()
    for text in (
        "Harbour Light",
        "A reading of the last four minutes",
        "The final scene opens on the gallery of the lighthouse. Nobody speaks.",
        "The boat leaves without her.",
    ):
        document.add_paragraph(text)
    path = tmp_path / "untitled.docx"
    document.save(str(path))

    essay = read_essay(path)
    assert (essay.title, essay.dek) == ("Harbour Light", "A reading of the last four minutes")
    assert len(essay.body_paragraphs) == 2


# --- encodings ---------------------------------------------------------------------------------


def test_a_cyrillic_essay_in_cp1251_is_decoded() -> None:
    essay = read_essay(ESSAYS / "vanya-cp1251.txt")
    assert essay.title == "Ваня на пристани"
    assert essay.dek == "Короткое чтение последней сцены"
    assert essay.body_paragraphs[0].startswith("Финальная сцена начинается")
    assert "Ваня стоит у воды" in essay.body_paragraphs[0]
    assert "отдаёт" in essay.body_paragraphs[1]


def test_an_armenian_essay_in_utf16_with_a_bom_is_decoded(tmp_path: Path) -> None:
    essay = read_essay(write(tmp_path, "toros.txt", ARMENIAN, "utf-16"))
    assert essay.title == "Թորոսի վերջին տեսարանը"
    assert "Թորոս" in essay.body_paragraphs[0]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param(RUSSIAN, "koi8_r", id="koi8-r"),
        pytest.param(RUSSIAN, "cp1251", id="cp1251"),
        pytest.param(RUSSIAN, "utf-8-sig", id="utf-8 with bom"),
        pytest.param(RUSSIAN, "utf-16-be", id="utf-16 big-endian"),
        pytest.param(FRENCH, "cp1252", id="cp1252"),
        pytest.param(FRENCH.replace("’", "'").replace("—", "-").replace("œ", "oe"), "latin-1"),
        pytest.param(FRENCH, "utf-8", id="utf-8"),
    ],
)
def test_common_encodings_come_out_right(tmp_path: Path, text: str, encoding: str) -> None:
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    essay = read_essay(write(tmp_path, "essay.txt", raw))
    expected = parse_essay_text(text, "text")
    assert essay == expected


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("essay", "<!DOCTYPE html><h1>Harbour Light</h1><p>The boat leaves.</p>", "html"),
        ("essay.export", "<p>The boat leaves.</p><p>The lamp turns.</p>", "html"),
        ("essay", "Harbour Light\n\nThe boat <em> leaves.\n\nThe lamp turns.\n", "text"),
    ],
)
def test_a_file_without_a_known_extension_is_sniffed(
    tmp_path: Path, name: str, content: str, kind: str
) -> None:
    essay = read_essay(write(tmp_path, name, content))
    assert essay == parse_essay_text(content, kind)


# --- refusals ----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(range(256)) * 4


def refuse_to_import(path: Path) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        read_essay(path)
    message = str(caught.value)
    assert path.name in message
    assert message.endswith(".")
    assert "\n" not in message
    return caught.value


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("empty.txt", b"", id="empty"),
        pytest.param("blank.md", b" \n\t\r\n  \n", id="whitespace only"),
        pytest.param("still.txt", PNG, id="png renamed"),
        pytest.param("scene.txt", MP4, id="video renamed"),
        pytest.param("noise.txt", bytes(range(1, 32)) * 40, id="control bytes"),
        pytest.param("scripts.html", b"<script>alert(1)</script><style>p{}</style>", id="no text"),
        pytest.param("rules.txt", b"* * *\n\n---\n", id="only rules"),
        pytest.param("headings.md", b"# Harbour Light\n\n## Part one\n", id="headings only"),
        pytest.param("essay.docx", b"Harbour Light\n\nThe boat leaves.\n", id="text as docx"),
        pytest.param("essay.pdf", b"%PDF-1.7\n", id="pdf"),
    ],
)
def test_files_that_hold_no_essay_are_refused(tmp_path: Path, name: str, content: bytes) -> None:
    refuse_to_import(write(tmp_path, name, content))


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("notes.txt", "The boat leaves.")
    refuse_to_import(path)


def test_a_truncated_word_document_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("The boat leaves.")
    whole = tmp_path / "whole.docx"
    document.save(str(whole))
    refuse_to_import(write(tmp_path, "cut.docx", whole.read_bytes()[:-200]))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    error = refuse_to_import(tmp_path / "gone.md")
    assert isinstance(error, KnownError)
    assert "does not exist" in str(error)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "essay.txt"
    folder.mkdir()
    refuse_to_import(folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs an unprivileged user")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "private.txt", "The boat leaves.")
    path.chmod(0)
    try:
        refuse_to_import(path)
    finally:
        path.chmod(0o600)


def test_an_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(MAX_ESSAY_BYTES + 1)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", refuse)
    error = refuse_to_import(path)
    assert "too large" in str(error)


def test_a_word_document_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = docx.Document()
    document.add_paragraph("The boat leaves. " * 2000)
    path = tmp_path / "bomb.docx"
    document.save(str(path))
    monkeypatch.setattr(essay_word, "MAX_DOCX_UNPACKED_BYTES", 10_000)
    assert "too large" in str(refuse_to_import(path))


def test_text_parsing_names_no_file_and_refuses_an_unknown_format() -> None:
    with pytest.raises(ImportFormatError, match="The essay text"):
        parse_essay_text("   \n", "markdown")
    with pytest.raises(ValueError, match="docx"):
        parse_essay_text("The boat leaves.", "docx")


# --- anything at all ---------------------------------------------------------------------------

MARKUP = st.text(alphabet=st.sampled_from(list("<>/!-#*_=[]()`&;:.?\"' \n\tahpbrli1é")))


@settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=st.one_of(st.text(), MARKUP), fmt=st.sampled_from(["text", "markdown", "html"]))
def test_any_text_is_parsed_or_refused_with_a_known_error(text: str, fmt: str) -> None:
    try:
        essay = parse_essay_text(text, fmt)
    except ImportFormatError:
        return
    assert isinstance(essay, ParsedEssay)
    assert essay.body_paragraphs
    for block in essay.blocks:
        assert block.text == block.text.strip()
        assert block.text
        assert "\n" not in block.text
