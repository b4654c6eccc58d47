"""The teacher shares a project with a class on the department's server, and it is the same
project there: every command, read and dump works on it as on the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.cli import main
from desk.errors import ProjectError
from desk.store import edits, queries
from desk.store.project import Project
from desk.store.reads import essay
from tests.pg.classes import new_class, sample_project
from tests.pg.server import Server


def _dump(capsys: pytest.CaptureFixture[str], where: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["dump", where]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_shared_project_reopens_equal_to_its_dump(
    pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = sample_project(tmp_path / "anora.desk")
    before = _dump(capsys, str(local))
    assert (
        main(
            [
                "share",
                str(local),
                pg_server.url("ms_lee"),
                "--class",
                "anora_fall",
                "--students",
                "ana,ben",
            ]
        )
        == 0
    )
    assert "shared" in capsys.readouterr().out
    assert _dump(capsys, pg_server.url("ms_lee", "anora_fall")) == before
    assert before["beat"], "the sample has beats to compare"


def test_the_teachers_edits_and_undo_work_on_the_server(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as project:
        paragraphs = queries.counts(project)["paragraph"]
        edits.add_paragraph(project, "Igor hands the ring back.")
        assert queries.counts(project)["paragraph"] == paragraphs + 1
        assert project.undo_labels()[0] == "Add paragraph"
        project.undo()
        assert queries.counts(project)["paragraph"] == paragraphs
    with Project.open(where) as project:  # and the history is kept on the server
        assert project.undo_labels() == (None, "Add paragraph")


def test_a_class_that_does_not_exist_is_told_as_such(pg_server: Server) -> None:
    with pytest.raises(ProjectError, match="there is no class nowhere"):
        Project.open(pg_server.url("ms_lee", "nowhere"))


def test_an_address_with_a_password_is_refused(pg_server: Server) -> None:
    with pytest.raises(ProjectError, match="PGPASSFILE"):
        Project.open("postgresql://ms_lee:secret@localhost/course?class=anora")


def test_a_class_name_is_not_shared_twice(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path)
    name = where.rsplit("class=", 1)[1]
    local = sample_project(tmp_path / "again.desk")
    from desk.store.class_project import share

    with pytest.raises(ProjectError, match=f"already has a class {name}"):
        share(local, pg_server.url("ms_lee"), name, [])


def test_a_class_pulled_back_to_a_file_is_the_same_project(
    pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(where) as project:
        edits.add_note(project, "Snow keeps falling.", start_ms=1_000)
    target = tmp_path / "pulled.desk"
    assert main(["pull", where, str(target)]) == 0
    assert _dump(capsys, str(target)) == _dump(capsys, where)


def test_a_class_exported_as_a_bundle_opens_as_a_project(
    pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = new_class(pg_server, tmp_path)
    bundle = tmp_path / "anora.deskz"
    assert main(["export", "deskz", where, "-o", str(bundle)]) == 0
    opened = tmp_path / "from-bundle.desk"
    assert main(["import", "deskz", str(opened), str(bundle)]) == 0
    with Project.open(opened, readonly=True) as project:
        assert queries.counts(project)["beat"] > 0


def test_a_student_pulls_the_class_as_they_see_it(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path, share_work=False)
    with Project.open(where.replace("user=ms_lee", "user=ana")) as ana:
        beat_id, _ = edits.add_beat(ana, start_ms=5_000, label="she freezes")
        edits.add_note(ana, "Ana's own note.")
    with Project.open(where) as teacher:  # the teacher cites Ana's beat as evidence
        reading = teacher.query("SELECT id FROM reading ORDER BY id LIMIT 1")[0][0]
        edits.add_evidence(teacher, reading, "supports", beat_id=beat_id)
        edits.add_evidence(teacher, reading, "contradicts", beat_id=beat_id)  # a new stance
        evidence = teacher.query("SELECT stance FROM evidence WHERE beat_id = ?", beat_id)
        assert evidence == [("contradicts",)]
    target = tmp_path / "ben.desk"
    assert main(["pull", where.replace("user=ms_lee", "user=ben"), str(target)]) == 0
    with Project.open(target, readonly=True) as ben:
        assert ben.query("SELECT count(*) FROM beat WHERE id = ?", beat_id) == [(0,)]
        assert ben.query("SELECT count(*) FROM evidence WHERE beat_id = ?", beat_id) == [(0,)]
        assert ben.query("SELECT count(*) FROM note WHERE text = ?", "Ana's own note.") == [(0,)]
        assert queries.counts(ben)["paragraph"] > 0  # the teacher's work is all there


def test_the_arc_chart_of_a_class_is_exported_from_its_address(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    chart = tmp_path / "arc.svg"
    assert main(["export", "chart", where, "-o", str(chart)]) == 0
    assert "<svg" in chart.read_text("utf-8")


@pytest.mark.parametrize(("shift", "told"), [(1, "newer desk"), (-1, "older desk")])
def test_a_class_of_another_schema_is_refused_with_a_sentence(
    pg_server: Server, tmp_path: Path, shift: int, told: str
) -> None:
    from desk.store import schema

    where = new_class(pg_server, tmp_path)
    name = where.rsplit("class=", 1)[1]
    pg_server.psql(f"UPDATE {name}.desk_class SET version = {schema.LATEST + shift}")
    with pytest.raises(ProjectError, match=told):
        Project.open(where)


def test_the_teacher_imports_dialogue_into_the_class_and_it_is_searchable(
    pg_server: Server, tmp_path: Path
) -> None:
    from desk.store.search import search

    where = new_class(pg_server, tmp_path)
    vtt = tmp_path / "dialogue.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:01:02.000 --> 00:01:04.500\n<v Igor>The car is warm now.\n\n"
        "00:01:06.000 --> 00:01:08.200\n<v Ani>Don't.\n",
        "utf-8",
    )
    assert main(["import", "vtt", where, str(vtt), "--as", "dialogue"]) == 0
    with Project.open(where) as teacher:
        assert [h.kind for h in search(teacher.conn, "warm")] == ["cue"]
        # the cues' ids were given in bulk: the next cue gets a fresh one all the same
        tier = teacher.query("SELECT id FROM tier")[0][0]
        from desk.store.models import Cue

        teacher.run("Add cue", lambda tx: tx.insert(Cue, tier_id=tier, start_ms=1, end_ms=2))
        assert teacher.query("SELECT count(*) FROM cue") == [(3,)]


def test_a_sheet_of_notes_imported_into_the_class_is_undone_and_redone_whole(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    sheet = tmp_path / "notes.csv"
    rows = (f"note,{k}.5,{k + 1},Snow {k},Ani\r\n" for k in range(300))
    sheet.write_text("type,start,end,text,characters\r\n" + "".join(rows), "utf-8")
    with Project.open(where) as teacher:
        notes = teacher.query("SELECT count(*) FROM note")[0][0]
        links = teacher.query("SELECT count(*) FROM time_link")[0][0]
    assert main(["import", "csv", where, str(sheet)]) == 0
    with Project.open(where) as teacher:
        imported = teacher.rows(
            "SELECT id, text, uid FROM note WHERE text LIKE 'Snow %' ORDER BY id"
        )
        assert len(imported) == 300
        assert teacher.query("SELECT count(*) FROM time_link") == [(links + 300,)]
        teacher.undo()
        assert teacher.query("SELECT count(*) FROM note") == [(notes,)]
        assert teacher.query("SELECT count(*) FROM time_link") == [(links,)]
        teacher.redo()
        again = teacher.rows("SELECT id, text, uid FROM note WHERE text LIKE 'Snow %' ORDER BY id")
        assert again == imported
        # the notes' ids were given in bulk: the next note gets a fresh one all the same
        from desk.store.models import Note

        teacher.run("Add note", lambda tx: tx.insert(Note, text="Wipers."))
        assert teacher.query("SELECT count(*) FROM note") == [(notes + 301,)]


def test_a_student_undoes_their_own_last_edit_from_the_command_line(
    pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    ana = where.replace("user=ms_lee", "user=ana")
    with Project.open(ana) as project:
        edits.add_note(project, "A note to take back.")
    with Project.open(where) as teacher:  # the teacher's edit comes after hers
        edits.add_paragraph(teacher, "The teacher's last word.")
    assert main(["undo", ana]) == 0
    assert "Add note" in capsys.readouterr().out
    info = json.loads(_cli_json(capsys, ["info", "--json", where]))
    assert info["counts"]["note"] == _dump_counts(capsys, where)
    with Project.open(where) as teacher:
        assert teacher.query("SELECT count(*) FROM note WHERE owner = 'ana'") == [(0,)]
        assert teacher.undo_labels()[0] == "Add paragraph"  # the teacher's edit stands


def _cli_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out


def _dump_counts(capsys: pytest.CaptureFixture[str], where: str) -> int:
    return len(_dump(capsys, where)["note"])  # type: ignore[arg-type]


def test_the_essay_reads_the_same_paragraphs_and_links_from_the_class_as_from_the_file(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(tmp_path / "anora.desk") as local, Project.open(where) as shared:
        read = []
        for project in (local, shared):
            essay_id = edits.essay_id(project)
            assert essay_id is not None
            links = essay.paragraph_links(project)
            read.append(
                (
                    essay.paragraph_columns(project, essay_id).texts,
                    [column.tolist() for column in (links.starts, links.ends)],
                )
            )
    assert read[0] == read[1]
    assert read[0][1][0], "the sample's paragraphs are linked"
