"""CSV: a project opened as a spreadsheet, one row per annotation, and the spreadsheet saved back
and imported; what a table cannot hold is named, the rest comes back the same."""

from __future__ import annotations

import contextlib
import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.cli import main
from desk.errors import ImportFormatError
from desk.interchange.csvfile import COLUMNS, stream_csv, uid_of
from desk.interchange.formats import (
    MAX_IMPORT_BYTES,
    Options,
    export_file,
    import_file,
    parse,
    render,
)
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import (
    Beat,
    Cue,
    Film,
    Link,
    Note,
    Scene,
    Snapshot,
    Tier,
)
from desk.interchange.snapshot_read import read_snapshot
from desk.store import queries
from desk.store.changes import Changed
from desk.store.project import Project
from desk.store.search import search
from tests.interchange.conftest import fill_reference
from tests.interchange.fuzzing import fuzz, parse_or_refuse, valid_and_target

DATA = Path(__file__).parent.parent / "data" / "interchange"
HEADER = ",".join(COLUMNS)


def read(text: str | bytes, source: str = "") -> Snapshot:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse("csv", data, Options(), source).snapshot


def table(snap: Snapshot) -> list[list[str]]:
    text = render("csv", snap).data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def what_a_table_keeps(snap: Snapshot) -> Snapshot:
    """The snapshot as it comes back from a CSV file through a new project."""
    return replace(
        snap,
        title="",
        dek="",
        film=Film(),
        readings=[],  # no place for them
        tiers=[replace(t, language="", source="") for t in snap.tiers if t.cues],
        characters=dict.fromkeys(snap.characters, "#888888"),  # colours are the project's own
    )


# -- round trip -------------------------------------------------------------------------------
def test_a_project_sent_as_a_spreadsheet_comes_back_without_what_a_table_cannot_hold(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    path = tmp_path / "anora.csv"
    summary = export_file(reference, "csv", path)
    assert summary.warnings == [
        "a CSV file has no place for readings, so they were left out.",
        "a CSV file has no place for the essay's title and dek, so they were left out.",
        "a CSV file has no place for the colours of characters and emotions, so they were left "
        "out.",
        "a CSV file has no place for the film's details, so they were left out.",
        "a CSV file has no place for the language and source of reference tiers, so they were "
        "left out.",
    ]
    imported = import_file(empty, "csv", path)
    assert imported.warnings == []
    ours = read_snapshot(reference)
    back = read_snapshot(empty)
    assert back == what_a_table_keeps(ours)  # paragraphs, notes, beats, scenes whole
    assert len(back.beats) == 12


def test_importing_the_same_sheet_twice_adds_nothing(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    path = tmp_path / "anora.csv"
    export_file(reference, "csv", path)
    import_file(empty, "csv", path)
    before = queries.dump(empty)
    assert import_file(empty, "csv", path).added == {}
    assert queries.dump(empty) == before


def test_the_sheet_opens_as_it_is_utf8_with_a_bom_crlf_and_editors_timecodes(
    reference: Project,
) -> None:
    data = render("csv", read_snapshot(reference)).data
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    assert data.count(b"\r\n") == data.count(b"\n")
    rows = table(read_snapshot(reference))
    ring = read_snapshot(reference).beats[0]
    beat = dict(zip(COLUMNS, next(r for r in rows if r[0] == "beat"), strict=True))
    assert beat == {
        **dict.fromkeys(COLUMNS, ""),
        "type": "beat",
        "uid": str(uuid.UUID(ring.uid)),
        "start": "00:00:20.000",
        "end": "00:00:26.000",
        "duration": "00:00:06.000",
        "label": "He gives back the ring",
        "text": ring.description,
        "emotion": "tenderness",
        "valence": "0.45",
        "intensity": "0.35",
        "characters": "Igor",
    }
    cues = [(r[2], r[3], r[6], r[11], r[14]) for r in rows if r[0] == "cue"]
    assert cues[0] == ("00:00:01.000", "00:00:02.400", "Ty v poryadke?", "Igor", "Dialogue (en)")


def test_a_note_pinned_to_several_moments_is_one_row_per_moment_and_one_note_again() -> None:
    note = Note(
        "She keeps the ring\nin her fist.",
        "evidence",
        (Link(1_500, 1_500, "first"), Link(12_500, 15_040)),
        "Ani",
        uid="c" * 32,
    )
    rows = [r for r in table(Snapshot(notes=[note])) if r[0] == "note"]
    assert [(r[1], r[2], r[3], r[5]) for r in rows] == [
        ("cccccccc-cccc-cccc-cccc-cccccccccccc", "00:00:01.500", "00:00:01.500", "first"),
        ("cccccccc-cccc-cccc-cccc-cccccccccccc", "00:00:12.500", "00:00:15.040", ""),
    ]
    assert read(render("csv", Snapshot(notes=[note])).data).notes == [note]


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text_and_read_back() -> None:
    texts = ['=HYPERLINK("http://x.test")', "+1 for Igor", "-- she says", "@Ani", "'quoted'"]
    snap = Snapshot(notes=[Note(t, uid=f"{i:032x}") for i, t in enumerate(texts)])
    cells = [r[6] for r in table(snap)[1:]]
    assert cells == ["'" + t for t in texts]
    assert read(render("csv", snap).data).notes == snap.notes


@given(
    st.lists(
        st.builds(
            Note,
            text=st.text(),
            kind=st.sampled_from(["free", "question", "evidence"]),
            links=st.lists(
                st.builds(Link, st.integers(0, 10**9), st.integers(0, 10**9)).filter(
                    lambda link: link.start_ms <= link.end_ms
                ),
                max_size=3,
            ).map(tuple),
            character=st.text(st.characters(codec="utf-8")).map(str.strip),
            uid=st.uuids().map(lambda u: u.hex),
        ),
        max_size=4,
    )
)
def test_any_notes_come_back_exactly(notes: list[Note]) -> None:
    # a carriage return inside a cell comes back as a line feed (see the round trip above)
    notes = [
        replace(n, text=n.text.replace("\r", ""), character=n.character.replace("\r", ""))
        for n in notes
    ]
    assert read(render("csv", Snapshot(notes=notes)).data).notes == notes


# -- files spreadsheets write -----------------------------------------------------------------
def test_a_sheet_libreoffice_saved_with_semicolons_and_decimal_commas_is_read(
    empty: Project,
) -> None:
    parsed = parse("csv", (DATA / "sheet-libreoffice-semicolons.csv").read_bytes())
    snap = parsed.snapshot
    said_no = 'She says "no" before the blows.'
    assert snap.beats == [
        Beat(20_000, 26_000, "He gives back the ring", "Igor hands back the ring without a speech.",
             "tenderness", 0.45, 0.35, "", ("Igor",), "356e439190f04c7b87382cb5745cbe8f"),
        Beat(48_000, 62_000, "She climbs onto him", "A practised gesture,\nquick and businesslike.",
             "desire", 0.1, 0.6, "", ("Ani",)),
    ]  # fmt: skip
    assert snap.notes == [
        Note("The ring is shown in close-up.", "evidence", (Link(21_000, 21_000),),
             uid=uid_of("n1")),
        Note(said_no, "evidence", (Link(70_000, 70_000), Link(72_000, 78_000)), "Ani",
             uid=uid_of("n2")),
    ]  # fmt: skip
    assert snap.scenes == [
        Scene("The final scene", 18_000, 120_000, "Outside her house in Brighton Beach.")
    ]
    assert snap.tiers == [
        Tier("Dialogue (ru)", (Cue(1_000, 2_400, "Ty v poryadke?", "Igor"),
                               Cue(3_000, 4_100, "Ne nado.", "Ani")))
    ]  # fmt: skip
    assert parsed.warnings == [
        "desk does not know the columns 'seen in class'; they were left out."
    ]
    summary = import_file(empty, "csv", DATA / "sheet-libreoffice-semicolons.csv")
    assert summary.added == {"scene": 1, "character": 2, "beat": 2, "note": 2, "tier": 1}


def test_a_sheet_excel_saved_in_windows_1252_without_a_bom_is_read() -> None:
    snap = read((DATA / "sheet-excel-french-cp1252.csv").read_bytes())
    assert snap.notes == [
        Note("Igor rend la bague : un geste déjà vu ?", "question", (Link(21_000, 21_000),), "Igor")
    ]
    assert snap.beats == [
        Beat(64_000, 68_000, "Il se penche pour l'embrasser",
             "Le seul geste qu'il demande — et elle le refuse.", "espoir", 0.65, 0.7,
             "Élodie Marchand", ("Igor",))
    ]  # fmt: skip


def test_excels_unicode_text_utf16_with_tabs_is_read(reference: Project) -> None:
    rows = table(read_snapshot(reference))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t").writerows(rows)
    data = out.getvalue().encode("utf-16")
    expected = read(render("csv", read_snapshot(reference)).data)
    assert read(data) == expected


def test_an_excel_sep_line_chooses_the_delimiter() -> None:
    text = 'sep=;\r\ntype;start;text\r\nnote;1,5;"A; B"\r\n'
    (note,) = read(text).notes
    assert note == Note("A; B", links=(Link(1_500, 1_500),))
    assert type(note.kind) is str


def test_columns_in_any_order_case_and_common_names_are_read() -> None:
    text = "Comment,End,Begin,Speaker,Kind\nShe looks away.,0:25,00:00:24,Ani,Evidence\n"
    assert read(text).notes == [Note("She looks away.", "evidence", (Link(24_000, 25_000),), "Ani")]


@pytest.mark.parametrize(
    ("start", "end", "duration", "link"),
    [
        ("00:01:23.500", "", "", Link(83_500, 83_500)),
        ("00:01:23,500", "00:01:24,000", "", Link(83_500, 84_000)),
        ("01:23.5", "", "00:00:02.000", Link(83_500, 85_500)),
        ("83.5", "84", "99", Link(83_500, 84_000)),  # end wins over duration
        ("83,5", "", "", Link(83_500, 83_500)),
        ("", "", "", None),
    ],
)
def test_every_common_way_of_writing_a_time_is_read(
    start: str, end: str, duration: str, link: Link | None
) -> None:
    (note,) = read(f"type;start;end;duration;text\nnote;{start};{end};{duration};x\n").notes
    assert note.links == ((link,) if link else ())


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("note,1:2:x,,x", "sheet.csv, row 3: 'start' is '1:2:x', not a timecode."),
        ("note,10,5,x", "row 3: 'end' is 00:00:05.000, before 'start' (00:00:10.000)."),
        ("note,,5,x", "row 3: 'start' is empty, but 'end' is not."),
        ("note,-5,,x", "row 3: 'start' is '-5', not a time in a film."),
        ("note,00:00:01:12,,x", "row 3: 'start' is '00:00:01:12', not a timecode."),
        ("hunch,1,2,x", "row 3: 'type' is 'hunch', not one of paragraph, scene, beat, note, cue."),
        ("beat,,,x", "row 3: 'start' is empty, but a beat needs a time."),
        ("scene,1,2,x,,,,,n9\r\nscene,3,4,y,,,,,n9", "row 4: 'uid' is the same as row 3's"),
        ("note,1,2,x,,,,,n9\r\nnote,3,4,y,,,,,n9", "row 4: 'text' differs from row 3's"),
        ("note,1,2,x,rumour", "row 3: 'kind' is 'rumour', not one of"),
        ("beat,1,2,x,,,high", "row 3: 'valence' is 'high', not a number from -1 to 1."),
        ("beat,1,2,x,,,,1.5", "row 3: 'intensity' is '1.5', not a number from 0 to 1."),
        ("beat,1,2,x,,,nan", "row 3: 'valence' is 'nan', not a number from -1 to 1."),
        ("note,1" + "0" * 5000 + ",,x", "row 3: 'start' is '1000000"),
    ],
)
def test_a_bad_row_is_refused_naming_it_as_the_spreadsheet_numbers_it(
    rows: str, message: str
) -> None:
    # row 2 holds a cell over two lines: rows are counted as a spreadsheet shows them
    header = "type,start,end,text,kind,emotion,valence,intensity,uid"
    text = f'{header}\r\nnote,1,,"two\r\nlines"\r\n{rows}'
    with pytest.raises(ImportFormatError) as refused:
        read(text, "sheet.csv")
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\r\n,,\r\n", "'sheet.csv' has no rows."),
        (b"name,age\r\nAni,23\r\n", "does not start with a header desk knows"),
        (b"start,text,Start\r\n", "the header names 'start' twice."),
        (b"start,text\x00\x01\x02", "holds binary data"),
        (b"\xff\xfes\x00\xd8", "is not valid UTF-16 text"),
        (b"start,text\r\n1," + b"x" * 200_000, "row 2 (line 2): field larger than field limit"),
        (b"x" * 200_000, "row 1 (line 1): field larger than field limit"),
        (
            b'type,start,text\r\nnote,1,"two\r\nlines"\r\nnote,2,"Hello\r\nnote,3,world\r\n',
            "'sheet.csv', row 3 (line 4): a quoted cell opens there and is never closed.",
        ),
        (
            b'type,start,text\r\nnote,1,"She said "no"",x\r\nnote,3,world\r\n',
            "'sheet.csv', row 2 (line 2): ',' expected after '\"'.",
        ),
        (b'sep="\r\nstart,text\r\n', "does not start with a header desk knows"),
    ],
)
def test_a_file_that_is_not_a_sheet_desk_knows_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError) as refused:
        read(data, "sheet.csv")
    assert message in str(refused.value)


def test_a_bad_row_at_the_end_of_a_sheet_leaves_the_project_as_it_was(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    data = render("csv", read_snapshot(reference)).data + b"beat,,00:00:01.000,00:00:00.500\r\n"
    path = tmp_path / "broken.csv"
    path.write_bytes(data)
    rows = data.decode("utf-8-sig").count("\r\n") - data.decode().count('"\r\n"')
    with pytest.raises(ImportFormatError, match=rf"broken.csv, row {rows}: 'end' is"):
        import_file(empty, "csv", path)
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert empty.undo_labels() == (None, None)


def test_the_command_line_imports_and_exports_sheets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    teacher, student, out = (tmp_path / n for n in ("teacher.desk", "student.desk", "a.csv"))
    with Project.create(teacher) as project:
        fill_reference(project)
    Project.create(student).close()
    assert main(["export", "csv", str(teacher), "-o", str(out)]) == 0
    assert "desk: warning: a CSV file has no place for readings" in capsys.readouterr().err
    assert main(["import", "csv", str(student), str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "imported a.csv: 10 paragraphs, 3 scenes, 2 characters, 12 beats, 8 notes, 1 tier"
    )
    out.write_text("type,start\nbeat,soon\n")
    assert main(["import", "csv", str(student), str(out)]) == 1
    err = capsys.readouterr().err
    assert "a.csv, row 2: 'start' is 'soon', not a timecode." in err
    assert len(err.strip().splitlines()) == 1


def test_a_file_larger_than_desk_imports_is_refused_before_it_is_read() -> None:
    with pytest.raises(ImportFormatError, match="larger than the 32 MB desk imports"):
        parse("csv", b" " * (MAX_IMPORT_BYTES + 1), Options(), "huge.csv")


# -- fuzzing ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzzing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[list[str]], Project]]:
    """The rows of a valid sheet, and a project to merge mutants into."""
    folder = tmp_path_factory.mktemp("fuzz-csv")
    with valid_and_target(folder, lambda teacher: table(read_snapshot(teacher))) as (rows, target):
        kinds = {r[0]: r for r in reversed(rows)}
        yield list(kinds.values()), target


FUZZ = fuzz(max_examples=60)
CELLS = st.text(max_size=12) | st.sampled_from(
    ["", "00:00:01.000", "1,5", "-1", "n1", "beat", "cue", "note", "0.5", "'=1", '"', "\r\n", ";"]
)


@FUZZ
@given(data=st.binary(max_size=2_000))
def test_any_bytes_are_read_or_refused_never_a_crash(data: bytes) -> None:
    parse_or_refuse("csv", data)


@FUZZ
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "Begin", "x"]), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_table_is_read_or_refused_never_a_crash(
    header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    parse_or_refuse("csv", out.getvalue().encode("utf-8"))


@FUZZ
@given(data=st.data())
def test_a_mutated_desk_sheet_is_merged_or_refused_never_a_crash(
    fuzzing: tuple[list[list[str]], Project], data: st.DataObject
) -> None:
    valid, target = fuzzing
    rows = [list(COLUMNS), *(list(r) for r in valid)]
    for _ in range(data.draw(st.integers(1, 5))):
        row = data.draw(st.integers(0, len(rows) - 1))
        column = data.draw(st.integers(0, len(COLUMNS) - 1))
        rows[row][column] = data.draw(CELLS | st.sampled_from(COLUMNS))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=data.draw(st.sampled_from([",", ";", "\t"]))).writerows(rows)
    snap = parse_or_refuse(
        "csv", out.getvalue().encode(data.draw(st.sampled_from(["utf-8", "utf-16"])))
    )
    if snap is not None:
        with contextlib.suppress(ImportFormatError):
            apply_snapshot(target, snap, "Fuzz", on_conflict="theirs")


def test_a_sheet_is_read_row_by_row_not_held_whole() -> None:
    from desk.interchange.csvfile.table import table

    # a broken row far down is not reached before the rows above it are taken
    text = "type,start,text\r\n" + "note,1,fine\r\n" * 3 + 'note,2,"never closed\r\n'
    sheet = table(text, "'sheet.csv'")
    assert next(sheet.rows) == (2, ["note", "1", "fine"])
    with pytest.raises(ImportFormatError, match=r"row 5 \(line 5\): a quoted cell opens there"):
        list(sheet.rows)


def test_a_sheet_of_many_rows_is_one_undoable_edit(empty: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "shots.csv"
    rows = (f"note,{k}.5,{k + 1},Shot {k}\r\n" for k in range(5_000))
    sheet.write_text("type,start,end,text\r\n" + "".join(rows), "utf-8")
    assert import_file(empty, "csv", sheet).added == {"note": 5_000}
    assert empty.query("SELECT count(*) FROM time_link") == [(5_000,)]
    assert empty.query("SELECT count(*) FROM journal") == [(1,)]
    imported = read_snapshot(empty)
    empty.undo()
    assert empty.query("SELECT count(*) FROM note") == [(0,)]
    assert empty.query("SELECT count(*) FROM time_link") == [(0,)]
    assert search(empty.conn, "4999") == []
    empty.redo()
    assert read_snapshot(empty) == imported
    assert [h.kind for h in search(empty.conn, "4999")] == ["note"]


def test_a_large_import_reports_every_note_skips_repeated_rows_and_undoes_after_reopening(
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "beats.csv"
    rows = [f"note,{k}.250,{k + 2},Beat {k},Ani\r\n" for k in range(3_000)]
    sheet.write_text("type,start,end,text,characters\r\n" + "".join(rows + rows[:40]), "utf-8")
    with Project.create(tmp_path / "film.desk") as project:
        summary = import_file(project, "csv", sheet)
        assert summary.added == {"character": 1, "note": 3_000}
        assert summary.duplicates == 40
        ids = {row_id for (row_id,) in project.query("SELECT id FROM note")}
        assert summary.changes.ids(Changed.NOTES) == ids
        assert project.query("SELECT count(DISTINCT uid) FROM note") == [(3_000,)]
        imported = read_snapshot(project)
    with Project.open(tmp_path / "film.desk") as project:  # the journal entry is on disk
        project.undo()
        assert project.query("SELECT count(*) FROM note") == [(0,)]
        project.redo()
        assert read_snapshot(project) == imported
        assert [h.kind for h in search(project.conn, "2999")] == ["note"]


def test_a_sheet_of_thousands_of_plain_notes_is_one_transaction_and_comes_back_as_nothing_new(
    empty: Project, tmp_path: Path
) -> None:
    sheet = tmp_path / "frames.csv"
    rows = (
        f"note,{clock(k * 40)},{clock(k * 40 + 1500)},Frame {k} snow,{'Ani' if k % 3 else ''}\r\n"
        for k in range(4_000)
    )
    sheet.write_text("type,start,end,text,characters\r\n" + "".join(rows), "utf-8")
    statements: list[str] = []
    empty.conn.set_trace_callback(statements.append)
    summary = import_file(empty, "csv", sheet)
    empty.conn.set_trace_callback(None)
    assert summary.added == {"character": 1, "note": 4_000}
    assert [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT", "ROLLBACK")] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ]
    assert summary.changes.ids(Changed.NOTES) == set(range(1, 4_001))
    assert summary.changes.ids(Changed.LINKS) == set(range(1, 4_001))
    assert empty.query("SELECT count(*), count(character_id), count(DISTINCT uid) FROM note") == [
        (4_000, 2_666, 4_000)
    ]
    assert empty.query("SELECT min(start_ms), max(end_ms) FROM time_link") == [(0, 161_460)]
    assert [h.ref_id for h in search(empty.conn, "frame 3999 snow")] == [4_000]
    again = import_file(empty, "csv", sheet)
    assert again.describe() == "nothing new; 4000 already there"
    assert empty.query("SELECT count(*) FROM journal") == [(1,)]  # nothing to undo was added
    empty.undo()
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert search(empty.conn, "snow") == []


def clock(ms: int) -> str:
    return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"


def test_plain_rows_read_as_they_stream_are_the_notes_a_whole_read_makes(tmp_path: Path) -> None:
    # plain rows (no uid, no paragraph, times as desk writes them) and rows like them that are
    # not quite: each comes out as the one reader of every row makes it
    sheet = (
        "type,uid,start,end,duration,text,kind,characters,label,created,paragraph\r\n"
        "note,,00:00:01.000,00:00:02.500,,Plain,,Ani,,,\r\n"
        ",,00:00:03.000,,,No type and a moment,question, Igor ,on the ring,2025-01-02,\r\n"
        "Note,,,,,No times at all,EVIDENCE,,,,\r\n"
        "note,,1.5,2,,A time in seconds,,,,,\r\n"
        "note,,00:00:04.000,,00:00:01.000,A duration,,,,,\r\n"
        "note,,00:00:05.000,00:00:06.000,,'=1+1,,,,,\r\n"
        'note,,00:00:07.000,00:00:08.000,,"Two\r\nlines",,,,,\r\n'
        "note,n7,00:00:09.000,00:00:10.000,,With a uid,,,,,\r\n"
        "note,,00:00:01.000,00:00:02.500,,Plain,,Ani,,,\r\n"
    )
    whole = read(sheet).notes
    stream = stream_csv(sheet.encode(), Options(), "")
    streamed = list(stream)
    rest = stream.parsed().snapshot.notes
    assert sorted(streamed + rest, key=repr) == sorted(whole, key=repr)
    assert [n.text for n in rest] == ["With a uid"]
    assert whole[1] == Note(
        "No type and a moment", "question", (Link(3_000, 3_000, "on the ring"),), "Igor", "",
        "2025-01-02",
    )  # fmt: skip
    assert whole[5].text == "=1+1"
    assert whole[6].text == "Two\nlines"


def test_a_bad_row_after_thousands_of_plain_notes_leaves_the_project_as_it_was(
    empty: Project, tmp_path: Path
) -> None:
    sheet = tmp_path / "frames.csv"
    rows = [f"note,{clock(k * 40)},{clock(k * 40 + 40)},Frame {k}\r\n" for k in range(3_000)]
    rows.append("note,00:00:09.000,00:00:08.000,Backwards\r\n")
    sheet.write_text("type,start,end,text\r\n" + "".join(rows), "utf-8")
    with pytest.raises(ImportFormatError, match=r"frames.csv, row 3002: 'end' is 00:00:08.000"):
        import_file(empty, "csv", sheet)
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert empty.undo_labels() == (None, None)
    assert search(empty.conn, "frame") == []


@pytest.mark.slow  # 300,000 rows imported and undone: about 35 s here
def test_a_sheet_of_300000_rows_imports_whole_as_one_edit(empty: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "frames.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        out.write("type,start,end,text,characters\r\n")
        for k in range(300_000):
            out.write(f"note,{k * 20 / 1000:.3f},{(k * 20 + 1500) / 1000:.3f},Frame {k},Ani\r\n")
    summary = import_file(empty, "csv", sheet)
    assert summary.added == {"character": 1, "note": 300_000}
    assert empty.query("SELECT count(*), min(start_ms), max(end_ms) FROM time_link") == [
        (300_000, 0, 5_999_980 + 1_500)
    ]
    assert empty.query("SELECT count(*) FROM journal") == [(1,)]
    assert [h.kind for h in search(empty.conn, "299999")] == ["note"]
    empty.undo()
    assert empty.query("SELECT count(*) FROM note") == [(0,)]
