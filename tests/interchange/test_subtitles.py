"""WebVTT and SubRip: notes, paragraphs and dialogue go out as cues and come back (as notes or as
a reference tier), subtitle files from other tools come in as dialogue, and broken files are
refused with the line at fault, leaving the project as it was."""

from __future__ import annotations

import codecs
import contextlib
from dataclasses import astuple, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from desk.cli import main
from desk.errors import ExportError, ImportFormatError
from desk.interchange import subtitles
from desk.interchange.formats import Options, export_file, import_file, parse, render
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import (
    Cue,
    Link,
    Note,
    Paragraph,
    Snapshot,
    Tier,
)
from desk.interchange.snapshot_read import read_snapshot
from desk.interchange.subtitles import MOMENT_SHOWN_MS, clean_text
from desk.store import queries
from desk.store.project import Project

DATA = Path(__file__).parent.parent / "data" / "interchange"
FORMATS = ("vtt", "srt")
#: A note with two links (one a moment), a link label, a creation time and a paragraph.
TWO_LINKS = Note(
    "She counts the bags: two, not three.",
    kind="question",
    links=(Link(30_000, 33_000, "first look"), Link(40_000, 40_000)),
    character="Ani",
    created_at="2025-01-05T10:00:00",
    uid="0" * 31 + "1",
)


def add_two_link_note(project: Project) -> None:
    paragraph = read_snapshot(project).paragraphs[3].uid
    apply_snapshot(project, Snapshot(notes=[replace(TWO_LINKS, paragraph=paragraph)]), "Add")


def round_trip(
    source: Project, target: Project, tmp_path: Path, fmt: str, what: str, as_: str, **kw: str
) -> tuple[list[str], list[str]]:
    """Export ``what`` from ``source``, import it ``as_`` into ``target``: both warnings."""
    path = tmp_path / f"anora.en.{fmt}"
    written = export_file(source, fmt, path, Options(what=what))
    read = import_file(target, fmt, path, Options(as_=as_, **kw))
    return written.warnings, read.warnings


def shown(link: Link) -> Link:
    """A link as SubRip brings it back: a moment becomes a range of the time it was shown."""
    if link.end_ms > link.start_ms:
        return replace(link, label="")
    return Link(link.start_ms, link.start_ms + MOMENT_SHOWN_MS)


def by_uid(notes: list[Note]) -> list[Note]:
    return sorted(notes, key=lambda n: n.uid)


def by_text(notes: list[Note]) -> list[Note]:
    return sorted(notes, key=lambda n: n.text)


# -- round trips ----------------------------------------------------------------------------------
def test_notes_sent_as_webvtt_come_back_as_the_same_notes(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    add_two_link_note(reference)
    written, read = round_trip(reference, empty, tmp_path, "vtt", "notes", "notes")
    assert (written, read) == ([], [])
    ours, theirs = read_snapshot(reference).notes, read_snapshot(empty).notes
    # WebVTT carries a note's uid, kind, character, text and times, moments included; it drops
    # the paragraph a note belongs to, when it was written and the labels of its links.
    dropped = [
        replace(n, paragraph="", created_at="", links=tuple(replace(k, label="") for k in n.links))
        for n in ours
    ]
    assert by_uid(theirs) == by_uid(dropped)
    assert any(n.paragraph for n in ours)
    assert TWO_LINKS.links[0].label == "first look"
    assert read_snapshot(empty).characters.keys() == {"Ani", "Igor"}


def test_notes_sent_as_subrip_lose_their_ids_and_moments_get_a_length(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    add_two_link_note(reference)
    written, _ = round_trip(reference, empty, tmp_path, "srt", "notes", "notes")
    ours = read_snapshot(reference).notes
    moments = sum(1 for n in ours for k in n.links if k.end_ms == k.start_ms)
    assert written == [
        f"{moments} moments have no length; SubRip shows each for 2 s and reads it back as a "
        "range that long."
    ]
    theirs = read_snapshot(empty).notes
    # SubRip carries the kind, the character (as text prefixes), the text and the times; it
    # drops the uid, the paragraph, the creation time, link labels and the moments' zero length.
    expected = [
        Note(n.text, n.kind, tuple(shown(k) for k in n.links), n.character, uid=t.uid)
        for n, t in zip(by_text(ours), by_text(theirs), strict=True)
    ]
    assert by_text(theirs) == expected
    assert all(t.uid not in {n.uid for n in ours} for t in theirs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraphs_sent_as_cues_come_back_as_notes_with_all_their_links(
    reference: Project, empty: Project, tmp_path: Path, fmt: str
) -> None:
    round_trip(reference, empty, tmp_path, fmt, "paragraphs", "notes")
    paragraphs = read_snapshot(reference).paragraphs
    notes = read_snapshot(empty).notes
    # A paragraph comes back as a free note with its text and links; the essay (order, kinds,
    # uids, title) stays behind, and SubRip gives moments a length as above.
    assert by_text(notes) == by_text(
        [
            Note(p.text, "free", p.links, uid=n.uid)
            for p, n in zip(by_text(paragraphs), by_text(notes), strict=True)
        ]
    )
    assert read_snapshot(empty).paragraphs == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraphs_read_as_dialogue_are_one_cue_per_link(
    reference: Project, empty: Project, tmp_path: Path, fmt: str
) -> None:
    round_trip(reference, empty, tmp_path, fmt, "paragraphs", "dialogue")
    (tier,) = read_snapshot(empty).tiers
    links = sorted((k.start_ms, k.end_ms, p.text) for p in read_snapshot(reference).paragraphs
                   for k in p.links)  # fmt: skip
    assert sorted((c.start_ms, c.end_ms, c.text) for c in tier.cues) == links
    assert tier.name == ("Snow on the Windshield" if fmt == "vtt" else "anora (en)")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_tier_of_dialogue_comes_back_whole_but_for_its_source_and_id(
    reference: Project, empty: Project, tmp_path: Path, fmt: str
) -> None:
    round_trip(reference, empty, tmp_path, fmt, "dialogue", "dialogue", tier="Dialogue (en)")
    (ours,), (theirs,) = read_snapshot(reference).tiers, read_snapshot(empty).tiers
    assert theirs == replace(ours, source=f"anora.en.{fmt}", uid=theirs.uid)
    assert ours.source == "anora.en.srt"
    assert theirs.uid != ours.uid


def test_webvtt_names_the_tier_and_its_language_in_its_header(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    path = tmp_path / "untitled.vtt"
    export_file(reference, "vtt", path, Options(what="dialogue"))
    assert path.read_text().startswith("WEBVTT - Dialogue (en)\nLanguage: en\n")
    import_file(empty, "vtt", path)
    (tier,) = read_snapshot(empty).tiers
    assert (tier.name, tier.language, tier.source) == ("Dialogue (en)", "en", "untitled.vtt")


def test_subrip_names_the_tier_after_its_file_and_its_language_code(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    path = tmp_path / "Anora.2024.pt-BR.sdh.srt"
    export_file(reference, "srt", path, Options(what="dialogue"))
    assert path.read_bytes().startswith(codecs.BOM_UTF8 + b"1\r\n00:00:01,000 --> 00:00:02,400\r\n")
    assert "Igor: Ty v poryadke?" in path.read_text(encoding="utf-8-sig")
    import_file(empty, "srt", path)
    (tier,) = read_snapshot(empty).tiers
    assert (tier.name, tier.language) == ("Anora.2024 (pt-BR)", "pt-BR")


def test_notes_imported_back_into_their_project_add_nothing(
    reference: Project, tmp_path: Path
) -> None:
    path = tmp_path / "notes.vtt"
    export_file(reference, "vtt", path)
    before = queries.dump(reference)
    summary = import_file(reference, "vtt", path, Options(as_="notes"))
    assert summary.added == {}
    assert summary.conflicts == []  # what the file cannot carry is not a difference
    assert queries.dump(reference) == before


def test_the_cli_exports_a_tier_and_imports_it_into_another_project(
    reference: Project, empty: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference.close()
    empty.close()
    out = tmp_path / "dialogue.en.vtt"
    assert main(["export", "vtt", str(reference.path), "-o", str(out), "--what", "dialogue"]) == 0
    assert main(["import", "vtt", str(empty.path), str(out), "--tier", "Subtitles"]) == 0
    assert "imported dialogue.en.vtt: 1 tier" in capsys.readouterr().out
    with Project.open(empty.path, readonly=True) as project:
        assert project.query("SELECT name, language FROM tier") == [("Subtitles", "en")]
        assert project.query("SELECT count(*) FROM cue") == [(3,)]


# -- writing --------------------------------------------------------------------------------------
def test_cue_text_is_escaped_so_it_cannot_end_a_cue() -> None:
    text = "A <b> & B --> C\n\n\n  next line  "
    snap = Snapshot(notes=[Note(text, links=(Link(1_000, 2_000),), uid="a" * 32)])
    vtt = render("vtt", snap).data.decode()
    assert "A &lt;b&gt; &amp; B --&gt; C\nnext line\n" in vtt
    back = parse("vtt", vtt.encode(), Options(as_="notes")).snapshot.notes
    assert back == [replace(snap.notes[0], text="A <b> & B --> C\nnext line")]


@pytest.mark.parametrize(
    "text",
    ["Note: the ring is fake", "- he says nothing", "[question] is it a question?", "Ani: x"],
)
def test_webvtt_text_that_looks_like_a_prefix_reads_back_as_it_was(text: str) -> None:
    snap = Snapshot(notes=[Note(text, links=(Link(0, 1_000),), uid="b" * 32)])
    vtt = render("vtt", snap).data
    assert parse("vtt", vtt, Options(as_="notes")).snapshot.notes == snap.notes
    tier = Snapshot(tiers=[Tier("D", (Cue(0, 1_000, text),))])
    back = parse("vtt", render("vtt", tier, Options(what="dialogue")).data).snapshot.tiers
    assert back[0].cues == tier.tiers[0].cues


def test_notes_without_links_or_text_are_counted_not_written() -> None:
    snap = Snapshot(notes=[Note("unplaced"), Note("  ", links=(Link(0, 0),)), TWO_LINKS])
    written = render("srt", snap)
    assert written.warnings[:2] == [
        "1 note has no time link, so nothing to show.",
        "1 note has no text, so nothing to show.",
    ]
    assert written.data.decode("utf-8-sig").count("-->") == 2


def test_exporting_dialogue_needs_a_tier_that_exists(reference: Project) -> None:
    with pytest.raises(ExportError, match="no reference tier 'French'; it has 'Dialogue"):
        render("vtt", read_snapshot(reference), Options(what="dialogue", tier="French"))
    with pytest.raises(ExportError, match="no reference tier"):
        render("srt", Snapshot(), Options(what="dialogue"))
    with pytest.raises(ExportError, match="not 'beats'"):
        render("srt", Snapshot(), Options(what="beats"))


def test_cues_are_written_in_time_order() -> None:
    snap = Snapshot(
        paragraphs=[
            Paragraph("late", links=(Link(9_000, 10_000),)),
            Paragraph("early", links=(Link(1_000, 2_000), Link(5_000, 5_000))),
        ]
    )
    vtt = render("vtt", snap, Options(what="paragraphs")).data.decode()
    blocks = [b.split("\n")[:2] for b in vtt.split("\n\n")[1:] if b]
    assert blocks == [
        ["p2", "00:00:01.000 --> 00:00:02.000"],
        ["p2/2 moment", "00:00:05.000 --> 00:00:07.000"],
        ["p1", "00:00:09.000 --> 00:00:10.000"],
    ]


# -- files other tools wrote -----------------------------------------------------------------------
def read_file(name: str, as_: str = "dialogue") -> tuple[Snapshot, list[str]]:
    parsed = parse(name.rsplit(".", 1)[1], (DATA / name).read_bytes(), Options(as_=as_), name)
    return parsed.snapshot, parsed.warnings


def cues_of(snap: Snapshot) -> list[tuple[int, int, str, str]]:
    (tier,) = snap.tiers
    return [(c.start_ms, c.end_ms, c.speaker, c.text) for c in tier.cues]


def test_a_subrip_file_from_a_subtitle_editor_imports_as_dialogue() -> None:
    snap, warnings = read_file("subs-editor.srt")  # UTF-8 with a BOM, CRLF, tags, SDH names
    assert warnings == []
    assert (snap.tiers[0].name, snap.tiers[0].language) == ("subs-editor", "")
    assert cues_of(snap) == [
        (1_120, 3_400, "", "(wipers squeaking)"),
        (4_000, 6_250, "IGOR", "I got it back for you.\nThe ring."),
        (6_900, 8_800, "", "What do you want for it?"),
        (6_900, 8_800, "", "Nothing."),
        (9_300, 11_000, "ANI", "(IN RUSSIAN) Spasibo."),
        (12_500, 15_040, "", "Your bags are by the door."),
        (16_000, 18_480, "ANI", "Why are you doing this?"),
        (16_000, 18_480, "IGOR", "Because it's snowing."),
        (20_000, 22_750, "", "It's cold. Get in the car."),
    ]


def test_a_legacy_subrip_file_in_windows_1252_imports_with_a_warning() -> None:
    snap, warnings = read_file("subs-legacy.fr.srt")
    assert warnings == ["'subs-legacy.fr.srt' is not UTF-8; it was read as Windows-1252."]
    assert (snap.tiers[0].name, snap.tiers[0].language) == ("subs-legacy (fr)", "fr")
    assert cues_of(snap) == [
        (2_000, 4_500, "", "Déjà l’hiver à Brighton Beach."),
        (5_000, 7_250, "IGOR", "Tu veux que je t’aide ?"),
        (8_000, 10_000, "", "Non."),
        (8_000, 10_000, "", "Très bien… comme tu veux."),
        (11_000, 13_000, "", "« Garde la bague. »"),
    ]


def test_a_webvtt_file_with_header_notes_styles_voices_and_settings_imports() -> None:
    snap, warnings = read_file("subs-captions.en.vtt")
    assert warnings == []
    tier = snap.tiers[0]
    assert (tier.name, tier.language, tier.source) == (
        "Anora, last scene",
        "en-US",
        "subs-captions.en.vtt",
    )
    assert cues_of(snap) == [
        (1_000, 3_500, "", "[engine idling]"),
        (4_000, 6_200, "Igor", "I kept it for you.\nHere."),
        (7_000, 9_000, "Ani", "What & why?"),
        (7_000, 9_000, "Igor", "No reason."),
        (10_000, 12_000, "Ani", "Don't <touch> me."),
        (13_000, 13_000, "Ani", "(sobbing)"),
        (20_000, 24_000, "", "Snow keeps falling\non the windshield."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "- <v Igor>Ty v poryadke?",
        "<i><v Igor>Ty v poryadke?</v></i>",
        "<i>- <v Igor>Ty v poryadke?</v></i>",
        "<b><i><v.loud Igor>Ty v poryadke?</i></b>",
        "- Igor: Ty v poryadke?",
        "<i>- Igor: Ty v poryadke?</i>",
        "<i>Igor:</i> Ty v poryadke?",
    ],
)
@pytest.mark.parametrize("as_", ["dialogue", "notes"])
def test_a_speaker_after_a_dash_or_inside_italics_is_kept(line: str, as_: str) -> None:
    text = f"WEBVTT\n\n00:00:01.000 --> 00:00:02.400\n{line}\n"
    snap = parse("vtt", text.encode(), Options(as_=as_)).snapshot
    if as_ == "dialogue":
        assert snap.tiers[0].cues == (Cue(1_000, 2_400, "Ty v poryadke?", "Igor"),)
    else:
        assert [(n.character, n.text) for n in snap.notes] == [("Igor", "Ty v poryadke?")]


def test_a_voice_in_the_middle_of_a_line_is_not_its_speaker() -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.400\nShe says <v Igor>Ty\n"
    assert parse("vtt", text.encode(), Options()).snapshot.tiers[0].cues == (
        Cue(1_000, 2_400, "She says Ty", ""),
    )


def test_a_subtitle_file_read_as_notes_keeps_speakers_as_characters() -> None:
    snap, _ = read_file("subs-editor.srt", as_="notes")
    assert [(n.kind, n.character, n.text) for n in snap.notes][1:3] == [
        ("free", "IGOR", "I got it back for you.\nThe ring."),
        ("free", "", "- What do you want for it?\n- Nothing."),
    ]
    assert snap.tiers == []


def test_imported_dialogue_is_searchable(empty: Project) -> None:
    from desk.store.search import search

    import_file(empty, "vtt", DATA / "subs-captions.en.vtt")
    hits = search(empty.conn, "reason")
    assert [h.kind for h in hits] == ["cue"]
    assert "Igor: No [reason]" in hits[0].snippet


# -- refusals ----------------------------------------------------------------------------------
TIMED = "1\n00:00:01,000 --> 00:00:02,000\nHi.\n\n"


SRT_NOT_A_CUE = "a subtitle begins with its number and a timing such as '00:01:02,500 --> "
REFUSALS = [
    ("srt", TIMED + "2\n00:01:02,5 --> x\nHello\n",
     "x.srt, line 6: '00:01:02,5 --> x' is not a cue timing."),
    ("srt", TIMED + "2\n00:00:05,000 --> 00:00:04,000\nNo\n",
     "x.srt, line 6: the cue ends at 00:00:04.000, before it starts at 00:00:05.000."),
    ("srt", "hello\nworld\n",
     f"x.srt, line 1: {SRT_NOT_A_CUE}00:01:04,000', not 'hello'."),
    ("srt", TIMED + "2\n00:00:03,000 -> 00:00:04,000\nHi\n",
     "x.srt, line 6: '00:00:03,000 -> 00:00:04,000' is not a cue timing."),
    ("srt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n",
     "x.srt, line 1: this is a WebVTT file: import it as vtt."),
    ("srt", "1\n999999:00:00,000 --> 999999:00:01,000\nHi\n",
     "x.srt, line 2: 999999:00:01.000 is past the 1,000 hours desk reads."),
    ("srt", TIMED + "x2\n00:00:03,000 --> 00:00:04,000\nWorld\n",
     "x.srt, line 5: a subtitle begins with its number, not 'x2' (the line before its timing)."),
    ("srt", "1\n00:00:01,000 --> 00:00:0x,000\nHi\n",
     "x.srt, line 2: the end time '00:00:0x,000' cannot be read; SubRip writes a time as "
     "00:01:02,500."),
    ("srt", TIMED + "2\n00:00:03,000 --> 00:00:61,000\nHi\n",
     "x.srt, line 6: the end time '00:00:61,000' cannot be read; SubRip writes a time as "
     "00:01:02,500."),
    ("srt", "1\n0:7:01,000 --> 00:00:02,000\nHi\n",
     "x.srt, line 2: the start time '0:7:01,000' cannot be read; SubRip writes a time as "
     "00:01:02,500."),
    ("vtt", TIMED,
     "x.vtt, line 1: a WebVTT file begins with 'WEBVTT', not '1' (this looks like SubRip: "
     "import it as srt)."),
    ("vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nNOTE x\n\n00:75:00.000 --> 00:76:00.000\n",
     "x.vtt, line 8: '00:75:00.000 --> 00:76:00.000' is not a cue timing."),
    ("vtt", "WEBVTT\n\nid\n00:01.000 --> 00:00.500\nA\n",
     "x.vtt, line 4: the cue ends at 00:00:00.500, before it starts at 00:00:01.000."),
    ("vtt", "WEBVTT\n\nNOTE nothing but a comment\n",
     "'x.vtt' holds no cues."),
    ("vtt", "WEBVTT\n\n00:01.000 --> 00:02.000 \nA\n00:03,000 --> 00:04,000\nB\n",
     "x.vtt, line 5: '00:03,000 --> 00:04,000' is not a cue timing."),
    ("vtt", " \n\n",
     "'x.vtt' is empty."),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "text", "message"), REFUSALS)
def test_a_broken_file_is_refused_with_the_line_at_fault(fmt: str, text: str, message: str) -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse(fmt, text.encode(), Options(), f"x.{fmt}")
    assert str(raised.value) == message


@pytest.mark.parametrize("fmt", FORMATS)
def test_binary_data_is_refused(fmt: str) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(ImportFormatError, match="'still.png' holds binary data, not subtitles."):
        parse(fmt, png, Options(), "still.png")


def test_too_many_cues_or_too_long_a_cue_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (TIMED * 4).encode()
    monkeypatch.setattr(subtitles.reading, "MAX_CUES", 3)
    with pytest.raises(ImportFormatError, match="holds 4 cues; desk imports up to 3."):
        parse("srt", text, Options(), "x.srt")
    monkeypatch.setattr(subtitles.reading, "MAX_CUES", 10)
    monkeypatch.setattr(subtitles.reading, "MAX_CUE_CHARS", 2)
    with pytest.raises(ImportFormatError, match="line 2: the cue holds more than 2 characters"):
        parse("srt", text, Options(), "x.srt")


def test_cues_without_text_are_left_out_and_a_file_of_nothing_else_is_refused() -> None:
    text = TIMED + "2\n00:00:03,000 --> 00:00:04,000\n<i> </i>\n\n"
    parsed = parse("srt", text.encode(), Options(), "x.srt")
    assert parsed.warnings == ["1 cue has no text; it was left out."]
    assert [c.text for c in parsed.snapshot.tiers[0].cues] == ["Hi."]
    with pytest.raises(ImportFormatError, match="'x.vtt' holds no cues with text."):
        parse("vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n", Options(), "x.vtt")


def test_a_subtitle_quoting_a_timing_is_named_by_its_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quoting = TIMED + "2\n00:00:05,000 --> 00:00:06,000\nHe wrote\n00:00:01,000 --> 00:00:02,000\n"
    assert len(parse("srt", quoting.encode(), Options()).snapshot.tiers[0].cues) == 2
    monkeypatch.setattr(subtitles.reading, "MAX_CUE_CHARS", 10)
    with pytest.raises(ImportFormatError) as raised:
        parse("srt", quoting.encode(), Options(), "x.srt")
    assert str(raised.value) == "x.srt, subtitle 2: the cue holds more than 10 characters."


def test_an_unknown_way_to_import_is_refused() -> None:
    with pytest.raises(ImportFormatError, match="as dialogue or as notes, not 'beats'"):
        parse("srt", TIMED.encode(), Options(as_="beats"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_broken_at_its_last_cue_changes_nothing(
    reference: Project, tmp_path: Path, fmt: str
) -> None:
    good = render(fmt, read_snapshot(reference), Options(what="dialogue")).data
    broken = good.decode("utf-8-sig") + (
        "\n4\n00:00:09,000 --> 00:00:08,000\nlate\n"
        if fmt == "srt"
        else "\n00:00:09.000 --> 00:00:08.000\nlate\n"
    )
    path = tmp_path / f"broken.{fmt}"
    path.write_text(broken, encoding="utf-8")
    before = queries.dump(reference)
    with pytest.raises(ImportFormatError, match="before it starts"):
        import_file(reference, fmt, path)
    assert queries.dump(reference) == before
    assert reference.undo_labels()[0] == "Add the film and dialogue"


# -- properties --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
@example(data=b"WEBVTT\n\n00:00.000 --> 99999999999:00:00.000\nx")
@example(data=b"1\n00:00:00,000 --> 99999999999999999999:00:00,000\nx")
@example(data=b"\xff\xfe\x00\xd8")
def test_no_bytes_crash_a_reader(fmt: str, data: bytes) -> None:
    for as_ in ("dialogue", "notes"):
        with contextlib.suppress(ImportFormatError):
            parse(fmt, data, Options(as_=as_), "fuzz")


LINES = st.sampled_from(
    [
        "WEBVTT",
        "WEBVTT - title",
        "Language: en",
        "NOTE",
        "STYLE",
        "REGION",
        "1",
        "",
        "",
        "00:00:01,000 --> 00:00:02,000",
        "00:00:02.000 --> 00:00:01.000",
        "00:01.000 --> 00:02.000 align:start line:0",
        "0:0:1.5 --> 0:0:2",
        "00:00:03,000 --> 00:00:03,000",
        "99:99:99,999 --> 00:00:00,000",
        "-->",
        "<v Ani>Don't.",
        "<v.loud>",
        "- IGOR: No.",
        "[question] Ani: why?",
        "&amp; &lt;&#58; &bogus;",
        "{\\an8}<i>",
        "\ufeff",
    ]
)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(LINES, st.text(max_size=12)), max_size=30))
def test_no_near_miss_crashes_a_reader(fmt: str, lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    for as_ in ("dialogue", "notes"):
        try:
            parsed = parse(fmt, data, Options(as_=as_), "fuzz")
        except ImportFormatError:
            continue
        for tier in parsed.snapshot.tiers:
            assert all(0 <= c.start_ms <= c.end_ms for c in tier.cues)
            assert all(c.text == clean_text(c.text) and c.text for c in tier.cues)


SPEAKERS = st.one_of(st.just(""), st.text(min_size=1, max_size=20))
TEXTS = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=80)


@settings(max_examples=200, deadline=None)
@given(
    cues=st.lists(
        st.tuples(st.integers(0, 10**7), st.integers(0, 10**5), SPEAKERS, TEXTS),
        min_size=1,
        max_size=8,
    )
)
def test_any_dialogue_written_as_webvtt_reads_back_the_same(
    cues: list[tuple[int, int, str, str]],
) -> None:
    tier = Tier(
        "Dialogue",
        tuple(
            Cue(start, start + length, clean_text(text), " ".join(clean_text(speaker).split()))
            for start, length, speaker, text in cues
            if clean_text(text)
        ),
    )
    assume(tier.cues)
    data = render("vtt", Snapshot(tiers=[tier]), Options(what="dialogue")).data
    back = parse("vtt", data, Options()).snapshot.tiers
    # Cues are written in the order they are shown (a moment for MOMENT_SHOWN_MS).
    order = sorted(tier.cues, key=lambda c: astuple(shown(Link(c.start_ms, c.end_ms))))
    assert back[0].cues == tuple(order)


LINKS = st.lists(
    st.tuples(st.integers(0, 10**7), st.integers(0, 10**4)).map(lambda t: Link(t[0], sum(t))),
    min_size=1,
    max_size=3,
).map(lambda links: tuple(sorted(links, key=lambda k: (k.start_ms, k.end_ms))))


@settings(max_examples=200, deadline=None)
@given(
    notes=st.lists(
        st.builds(
            Note,
            text=TEXTS.map(clean_text).filter(bool),
            kind=st.sampled_from(["free", "question", "evidence", "counter-reading"]),
            links=LINKS,
            character=SPEAKERS.map(lambda s: " ".join(clean_text(s).split())),
            uid=st.uuids().map(lambda u: u.hex),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_notes_written_as_webvtt_read_back_the_same(notes: list[Note]) -> None:
    data = render("vtt", Snapshot(notes=notes)).data
    back = parse("vtt", data, Options(as_="notes")).snapshot.notes
    assert by_uid(back) == by_uid(notes)
