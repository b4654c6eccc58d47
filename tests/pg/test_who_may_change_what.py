"""Who may change what in a class is decided by the server: the teacher owns the film, essay,
scenes and readings; each student adds and edits only their own notes, beats and evidence, and
sees the others' only when the teacher lets the class see them. A student who tries otherwise is
refused by PostgreSQL, through desk and by raw SQL with their own role."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from desk.errors import ProjectError
from desk.store import commands, edits, queries
from desk.store.class_project import enrol, set_share_work
from desk.store.project import Project
from tests.pg.classes import new_class
from tests.pg.server import Server


def _as(server: Server, teacher_address: str, role: str) -> str:
    return teacher_address.replace("user=ms_lee", f"user={role}")


def _ana_writes_a_note(server: Server, where: str) -> int:
    with Project.open(_as(server, where, "ana")) as ana:
        note_id, _ = edits.add_note(ana, "Ani looks away from the ring.", start_ms=2_000)
    return int(note_id)


def test_a_student_cannot_edit_anothers_note_through_desk(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    note_id = _ana_writes_a_note(pg_server, where)
    with Project.open(_as(pg_server, where, "ben")) as ben:
        with pytest.raises(ProjectError, match="refused the edit"):
            edits.update_note(ben, note_id, text="Ani is relieved.")
        with pytest.raises(ProjectError, match="refused the edit"):
            edits.delete_note(ben, note_id)
        assert ben.query("SELECT text FROM note WHERE id = ?", note_id) == [
            ("Ani looks away from the ring.",)
        ]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE note SET text = 'Ani is relieved.' WHERE id = %s",
        "UPDATE note SET owner = current_user WHERE id = %s",
        "DELETE FROM note WHERE id = %s",
    ],
)
def test_a_student_cannot_edit_anothers_note_by_raw_sql(
    pg_server: Server, tmp_path: Path, statement: str
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    note_id = _ana_writes_a_note(pg_server, where)
    class_name = where.rsplit("class=", 1)[1]
    with psycopg.connect(pg_server.conninfo("ben"), autocommit=True) as ben:
        ben.execute(f"SET search_path TO {class_name}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ben.execute(statement, (note_id,))
    with Project.open(where) as teacher:
        assert teacher.query("SELECT text FROM note WHERE id = ?", note_id) == [
            ("Ani looks away from the ring.",)
        ]


def test_a_student_cannot_change_the_teachers_essay_or_scenes(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(_as(pg_server, where, "ana")) as ana:
        first = queries.paragraphs(ana, queries.essay_heading(ana).id)[0]  # type: ignore[union-attr]
        with pytest.raises(ProjectError, match="refused the edit"):
            edits.edit_paragraph(ana, first.id, "Igor keeps the ring.")
        with pytest.raises(ProjectError, match="refused the edit"):
            edits.add_scene(ana, "The car", 0, 1_000)


def test_students_see_only_their_own_work_until_the_teacher_shares_it(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=False)
    note_id = _ana_writes_a_note(pg_server, where)
    with Project.open(_as(pg_server, where, "ben")) as ben:
        assert ben.query("SELECT id FROM note WHERE id = ?", note_id) == []
        assert queries.counts(ben)["paragraph"] > 0  # the teacher's work is there for all
    with Project.open(where) as teacher:
        assert teacher.query("SELECT id FROM note WHERE id = ?", note_id) == [(note_id,)]


def test_each_student_adds_beats_and_undoes_only_their_own(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    with Project.open(_as(pg_server, where, "ana")) as ana:
        edits.add_beat(ana, start_ms=1_000, label="she hesitates")
    with Project.open(_as(pg_server, where, "ben")) as ben:
        edits.add_note(ben, "He is ashamed.", start_ms=3_000)
        assert ben.undo_labels() == ("Add note", None)
        ben.undo()
        assert ben.undo_labels() == (None, "Add note")
    with Project.open(_as(pg_server, where, "ana")) as ana:
        assert ana.undo_labels() == ("Add beat", None)
        beats = ana.query("SELECT label, owner, annotator FROM beat WHERE owner = 'ana'")
        assert beats == [("she hesitates", "ana", "ana")]  # her arc is named for her


def test_a_role_not_enrolled_cannot_open_the_class(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path)
    with pytest.raises(ProjectError, match="not enrolled"):
        Project.open(_as(pg_server, where, "dora"))


def test_the_teacher_enrols_a_student_later(pg_server: Server, tmp_path: Path) -> None:
    from desk.cli import main

    where = new_class(pg_server, tmp_path)
    assert main(["class", "enrol", where, "dora"]) == 0
    with Project.open(_as(pg_server, where, "dora")) as dora:
        edits.add_note(dora, "The snow is the film's last word.")


def test_the_teacher_opens_the_students_work_to_the_whole_class(
    pg_server: Server, tmp_path: Path
) -> None:
    from desk.cli import main

    where = new_class(pg_server, tmp_path, share_work=False)
    note_id = _ana_writes_a_note(pg_server, where)
    with pytest.raises(ProjectError, match="refused"):  # not a student's decision
        set_share_work(_as(pg_server, where, "ben"), True)
    assert main(["class", "share-work", where, "on"]) == 0
    with Project.open(_as(pg_server, where, "ben")) as ben:
        assert ben.query("SELECT id FROM note WHERE id = ?", note_id) == [(note_id,)]


def test_a_student_undoes_the_deletion_of_their_own_note(pg_server: Server, tmp_path: Path) -> None:
    where = new_class(pg_server, tmp_path)
    enrol(where, ["ana"])  # enrolled again, as a class shared by an earlier desk is: no harm
    with Project.open(_as(pg_server, where, "ana")) as ana:
        note_id, _ = edits.add_note(ana, "Ani looks away from the ring.", start_ms=2_000)
        edits.delete_note(ana, note_id)
        ana.undo()  # puts her note back, in her name
        assert ana.query("SELECT text, owner FROM note WHERE id = ?", note_id) == [
            ("Ani looks away from the ring.", "ana")
        ]
        assert ana.query("SELECT start_ms FROM time_link WHERE note_id = ?", note_id) == [(2_000,)]


def test_a_student_cannot_add_a_note_in_anothers_name_by_raw_sql(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path, share_work=True)
    class_name = where.rsplit("class=", 1)[1]
    with psycopg.connect(pg_server.conninfo("ben"), autocommit=True) as ben:
        ben.execute(f"SET search_path TO {class_name}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ben.execute(
                "INSERT INTO note (kind, text, created_at, uid, owner) "
                "VALUES ('free', 'Ana thinks Igor is cruel.', '', 'x', 'ana')"
            )
    with Project.open(where) as teacher:
        assert teacher.query("SELECT count(*) FROM note WHERE owner <> 'ms_lee'") == [(0,)]


def test_the_teacher_corrects_and_removes_a_students_note(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    note_id = _ana_writes_a_note(pg_server, where)
    with Project.open(where) as teacher:
        edits.update_note(teacher, note_id, text="Ani looks away from the ring (00:02).")
        assert teacher.query("SELECT owner FROM note WHERE id = ?", note_id) == [("ana",)]
    with Project.open(_as(pg_server, where, "ana")) as ana:  # still hers to change
        edits.update_note(ana, note_id, text="Ani looks at the ring, then away.")
    with Project.open(where) as teacher:
        edits.delete_note(teacher, note_id)
        assert teacher.query("SELECT count(*) FROM note WHERE id = ?", note_id) == [(0,)]
        teacher.undo()  # the teacher's undo puts it back as the student's
        assert teacher.query("SELECT text, owner FROM note WHERE id = ?", note_id) == [
            ("Ani looks at the ring, then away.", "ana")
        ]


def test_each_person_keeps_their_own_undo_history_in_a_busy_class(
    pg_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "JOURNAL_LIMIT", 4)  # a thousand, in a class
    where = new_class(pg_server, tmp_path)
    with (
        Project.open(_as(pg_server, where, "ana")) as ana,
        Project.open(_as(pg_server, where, "ben")) as ben,
    ):
        for n in range(6):  # their edits take turns, so the class's journal ids interleave
            edits.add_note(ana, f"Ana's note {n}.")
            edits.add_note(ben, f"Ben's note {n}.")
        assert ana.query("SELECT count(*) FROM journal") == [(4,)]
        for _ in range(4):
            assert ana.undo() is not None
        assert ana.undo() is None
        assert ana.query("SELECT text FROM note WHERE owner = 'ana' ORDER BY id") == [
            ("Ana's note 0.",),
            ("Ana's note 1.",),
        ]
