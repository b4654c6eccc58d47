"""Three-way merging of bundles: a teacher sends the class a bundle, keeps working, and merges a
student's bundle back; the bundle says what both started from, so only what changed on both sides
is asked about."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk.errors import ImportFormatError
from desk.interchange.bundle import merge_bundle, open_as_project, write_bundle
from desk.interchange.formats import Options, export_file, import_file
from desk.interchange.model import DELETED, OnConflict, Summary
from desk.store import edits, models
from desk.store.project import Project

RING = "The ring is shown in close-up in his open hand; he does not put it on her finger."


@dataclass
class Class:
    """A teacher's project, the bundle sent to the class and one student's copy of it."""

    teacher: Project
    student: Project
    folder: Path

    def homework(self, on_conflict: OnConflict = "ours", **kwargs: object) -> Summary:
        """The student's bundle, merged into the teacher's project."""
        bundle = self.folder / "homework.deskz"
        bundle.unlink(missing_ok=True)
        write_bundle(self.student, bundle, Options())
        return merge_bundle(self.teacher, bundle, Options(on_conflict=on_conflict), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def lesson(reference: Project, tmp_path: Path) -> Iterator[Class]:
    write_bundle(reference, tmp_path / "lecture.deskz", Options())
    open_as_project(tmp_path / "student.desk", tmp_path / "lecture.deskz")
    with Project.open(tmp_path / "student.desk", backup=False) as student:
        yield Class(reference, student, tmp_path)


def note_id(project: Project, text: str) -> int:
    (found,) = project.query("SELECT id FROM note WHERE text = ?", text)
    return int(found[0])


def note_texts(project: Project) -> list[str]:
    return [t for (t,) in project.query("SELECT text FROM note ORDER BY id")]


def paragraphs(project: Project) -> list[str]:
    return [t for (t,) in project.query("SELECT text FROM paragraph ORDER BY position, id")]


def test_the_teachers_later_edit_stands_when_the_student_left_the_note_alone(
    lesson: Class,
) -> None:
    edits.update_note(lesson.teacher, note_id(lesson.teacher, RING), text="Edited after class.")
    summary = lesson.homework(on_conflict="theirs")
    assert summary.conflicts == []
    assert "Edited after class." in note_texts(lesson.teacher)
    assert RING not in note_texts(lesson.teacher)


def test_the_students_edit_is_taken_without_asking_when_the_teacher_left_the_note_alone(
    lesson: Class,
) -> None:
    edits.update_note(lesson.student, note_id(lesson.student, RING), text="He keeps his hand open.")
    summary = lesson.homework()
    assert (summary.conflicts, summary.updated) == ([], {"note": 1})
    assert summary.applied == ["took their edit of note 'He keeps his hand open.'"]
    assert "He keeps his hand open." in note_texts(lesson.teacher)


def test_a_note_edited_on_both_sides_is_a_conflict_shown_with_what_both_started_from(
    lesson: Class,
) -> None:
    edits.update_note(lesson.teacher, note_id(lesson.teacher, RING), text="Teacher's reading.")
    edits.update_note(lesson.student, note_id(lesson.student, RING), text="Student's reading.")
    summary = lesson.homework()
    assert [(c.kind, c.base, c.ours, c.theirs) for c in summary.conflicts] == [
        ("note", RING, "Teacher's reading.", "Student's reading.")
    ]
    assert "Teacher's reading." in note_texts(lesson.teacher)


def test_a_conflict_shows_what_differs_when_the_text_is_the_same_on_both_sides(
    lesson: Class,
) -> None:
    edits.update_note(lesson.teacher, note_id(lesson.teacher, RING), kind="question")
    edits.update_note(lesson.student, note_id(lesson.student, RING), kind="interpretation")
    (conflict,) = lesson.homework().conflicts
    assert (conflict.base, conflict.ours, conflict.theirs) == (
        f"{RING}\nkind: evidence",
        f"{RING}\nkind: question",
        f"{RING}\nkind: interpretation",
    )


def test_a_note_added_on_both_sides_with_the_same_text_and_time_comes_in_once(
    lesson: Class,
) -> None:
    for side, written in (
        (lesson.teacher, "2026-01-05T10:00:00"),
        (lesson.student, "2026-01-06T21:30:00"),
    ):
        added, _ = edits.add_note(side, "Snow keeps falling.", start_ms=8_200_000)
        side.run("Date", lambda tx, n=added, w=written: tx.update(models.Note, n, created_at=w))
    summary = lesson.homework()
    assert summary.added == {}
    assert note_texts(lesson.teacher).count("Snow keeps falling.") == 1


def test_the_students_new_character_scene_and_reading_are_added_and_listed(
    lesson: Class,
) -> None:
    edits.add_character(lesson.student, "Toros's wife", "#aa5500")
    edits.add_scene(lesson.student, "The drive back", 7_900_000, 8_000_000)
    edits.add_reading(lesson.student, "The ending as a new start")
    summary = lesson.homework()
    assert summary.added == {"scene": 1, "reading": 1, "character": 1}
    assert summary.applied == [
        "added scene 'The drive back'",
        "added reading 'The ending as a new start'",
        "added character 'Toros's wife'",
    ]
    assert lesson.teacher.query("SELECT color FROM character WHERE name = ?", "Toros's wife") == [
        ("#aa5500",)
    ]


def test_a_note_the_student_deleted_and_the_teacher_left_alone_is_removed_and_listed(
    lesson: Class,
) -> None:
    edits.delete_note(lesson.student, note_id(lesson.student, RING))
    summary = lesson.homework()
    assert (summary.conflicts, summary.removed) == ([], {"note": 1})
    assert summary.applied == [f"removed note '{RING[:59]}…'"]
    assert RING not in note_texts(lesson.teacher)


def test_a_note_the_teacher_deleted_stays_deleted_when_the_student_left_it_alone(
    lesson: Class,
) -> None:
    edits.delete_note(lesson.teacher, note_id(lesson.teacher, RING))
    summary = lesson.homework(on_conflict="theirs")
    assert (summary.conflicts, summary.added) == ([], {})
    assert RING not in note_texts(lesson.teacher)


@pytest.mark.parametrize(("policy", "kept"), [("ours", True), ("theirs", False), ("both", True)])
def test_a_note_deleted_by_the_student_and_edited_by_the_teacher_is_a_conflict(
    lesson: Class, policy: OnConflict, kept: bool
) -> None:
    edits.update_note(lesson.teacher, note_id(lesson.teacher, RING), text="Still thinking.")
    edits.delete_note(lesson.student, note_id(lesson.student, RING))
    summary = lesson.homework(on_conflict=policy)
    # The student's bundle carries no words of what the student deleted.
    assert [(c.base, c.ours, c.theirs) for c in summary.conflicts] == [
        ("(not in the file: its sender deleted it)", "Still thinking.", DELETED)
    ]
    assert ("Still thinking." in note_texts(lesson.teacher)) is kept


def test_a_note_deleted_by_the_teacher_and_edited_by_the_student_comes_back_if_taken(
    lesson: Class,
) -> None:
    edits.delete_note(lesson.teacher, note_id(lesson.teacher, RING))
    edits.update_note(lesson.student, note_id(lesson.student, RING), text="Worth keeping.")
    summary = lesson.homework(on_conflict="theirs")
    assert [(c.ours, c.theirs) for c in summary.conflicts] == [(DELETED, "Worth keeping.")]
    assert "Worth keeping." in note_texts(lesson.teacher)


def test_a_new_paragraph_lands_after_the_paragraph_it_followed_not_at_the_end(
    lesson: Class,
) -> None:
    third = paragraphs(lesson.student)[2]
    edits.add_paragraph(lesson.student, "A thought after the third.", position=3)
    edits.add_paragraph(lesson.teacher, "The teacher's closing line.")
    lesson.homework()
    merged = paragraphs(lesson.teacher)
    assert merged[2:4] == [third, "A thought after the third."]
    assert merged[-1] == "The teacher's closing line."
    assert len(merged) == 12


def test_keeping_both_puts_the_students_version_right_after_the_teachers(
    lesson: Class,
) -> None:
    first = lesson.teacher.query("SELECT id FROM paragraph ORDER BY position LIMIT 1")[0][0]
    edits.edit_paragraph(lesson.teacher, first, "The teacher's opening.")
    first = lesson.student.query("SELECT id FROM paragraph ORDER BY position LIMIT 1")[0][0]
    edits.edit_paragraph(lesson.student, first, "The student's opening.")
    summary = lesson.homework(on_conflict="both")
    assert len(summary.conflicts) == 1
    assert paragraphs(lesson.teacher)[:2] == ["The teacher's opening.", "The student's opening."]
    assert len(paragraphs(lesson.teacher)) == 11


def test_each_conflict_can_be_settled_its_own_way(lesson: Class) -> None:
    texts = note_texts(lesson.teacher)[:2]
    for side in (lesson.teacher, lesson.student):
        for text in texts:
            edits.update_note(side, note_id(side, text), text=f"{text} ({side.path.stem})")
    uid = lesson.teacher.query("SELECT uid FROM note WHERE text = ?", f"{texts[1]} (reference)")
    summary = lesson.homework(resolutions={uid[0][0]: "theirs"})
    assert len(summary.conflicts) == 2
    assert note_texts(lesson.teacher)[:2] == [f"{texts[0]} (reference)", f"{texts[1]} (student)"]


def test_merging_back_and_forth_asks_only_about_what_changed_since(lesson: Class) -> None:
    edits.update_note(lesson.student, note_id(lesson.student, RING), text="First draft.")
    lesson.homework()
    back = lesson.folder / "back.deskz"
    write_bundle(lesson.teacher, back, Options())
    edits.update_note(lesson.student, note_id(lesson.student, "First draft."), text="Second draft.")
    assert merge_bundle(lesson.student, back, Options()).conflicts == []
    summary = lesson.homework()
    assert (summary.conflicts, summary.updated) == ([], {"note": 1})
    assert "Second draft." in note_texts(lesson.teacher)


def test_undoing_a_merge_brings_back_the_project_and_what_it_knew_of_the_student(
    lesson: Class,
) -> None:
    before = lesson.teacher.query("SELECT kind, uid, content FROM merge_base ORDER BY id")
    edits.delete_note(lesson.student, note_id(lesson.student, RING))
    lesson.homework()
    lesson.teacher.undo()
    assert RING in note_texts(lesson.teacher)
    assert lesson.teacher.query("SELECT kind, uid, content FROM merge_base ORDER BY id") == before


def test_a_bundle_that_records_no_base_merges_two_way_and_says_so(
    reference: Project, tmp_path: Path
) -> None:
    write_bundle(reference, tmp_path / "lecture.deskz", Options())
    open_as_project(tmp_path / "copy.desk", tmp_path / "lecture.deskz")
    edits.update_note(reference, note_id(reference, RING), text="Edited after class.")
    summary = merge_bundle(reference, tmp_path / "lecture.deskz", Options(on_conflict="theirs"))
    assert [(c.base, c.ours, c.theirs) for c in summary.conflicts] == [
        (None, "Edited after class.", RING)
    ]
    assert summary.warnings[-1].startswith("the bundle does not record what it was made from")


# -- desk's own files, read back ----------------------------------------------------------------
def attachments(project: Project) -> list[tuple[str, str | None, str]]:
    """Each note's text, the paragraph it belongs to and the labels of its links."""
    return project.query(
        "SELECT n.text, p.uid, group_concat(l.label, '|') FROM note n "
        "LEFT JOIN paragraph p ON p.id = n.paragraph_id LEFT JOIN time_link l ON l.note_id = n.id "
        "GROUP BY n.id ORDER BY n.id"
    )


@pytest.mark.parametrize("policy", ["ours", "theirs", "both"])
def test_desks_own_notes_vtt_read_back_as_notes_is_nothing_new(
    reference: Project, tmp_path: Path, policy: OnConflict
) -> None:
    reference.run("Label", lambda tx: tx.update(models.TimeLink, 1, label="the ring"))
    before = attachments(reference)
    export_file(reference, "vtt", tmp_path / "notes.vtt", Options(what="notes"))
    summary = import_file(
        reference, "vtt", tmp_path / "notes.vtt", Options(as_="notes", on_conflict=policy)
    )
    assert (summary.describe(), summary.conflicts) == ("nothing new; 8 already there", [])
    assert attachments(reference) == before


def test_a_note_edited_in_desks_vtt_keeps_its_paragraph_when_taken(
    reference: Project, tmp_path: Path
) -> None:
    before = {text: paragraph for text, paragraph, _ in attachments(reference)}
    export_file(reference, "vtt", tmp_path / "notes.vtt", Options(what="notes"))
    vtt = tmp_path / "notes.vtt"
    vtt.write_text(vtt.read_text("utf-8").replace("in his open hand", "in his palm"), "utf-8")
    summary = import_file(reference, "vtt", vtt, Options(as_="notes", on_conflict="theirs"))
    palm = RING.replace("in his open hand", "in his palm")
    assert [(c.ours, c.theirs) for c in summary.conflicts] == [(RING, palm)]
    after = {text: paragraph for text, paragraph, _ in attachments(reference)}
    assert after[palm] == before[RING]


def test_a_bundle_whose_record_of_its_start_is_damaged_is_refused_and_nothing_changes(
    lesson: Class,
) -> None:
    edits.delete_note(lesson.student, note_id(lesson.student, RING))
    lesson.student.run(
        "Tamper",
        lambda tx: tx.update(models.MergeBase, 1, content="{not json"),
    )
    before = note_texts(lesson.teacher)
    with pytest.raises(ImportFormatError, match=r"record of what it was made from is damaged"):
        lesson.homework()
    assert note_texts(lesson.teacher) == before


def test_the_teachers_next_bundle_brings_the_teachers_edits_into_the_students_copy(
    lesson: Class,
) -> None:
    edits.update_note(lesson.teacher, note_id(lesson.teacher, RING), text="Week two's reading.")
    week_two = lesson.folder / "week-two.deskz"
    write_bundle(lesson.teacher, week_two, Options())
    summary = merge_bundle(lesson.student, week_two, Options())
    assert (summary.conflicts, summary.updated, summary.warnings) == ([], {"note": 1}, [])
    assert "Week two's reading." in note_texts(lesson.student)


def test_when_the_two_records_disagree_on_who_changed_a_note_the_merge_asks(
    lesson: Class,
) -> None:
    """One student's edit merged by the teacher and sent to the class: for another student the
    teacher's bundle says that student changed the note, the student's copy says the teacher did;
    neither is taken on trust."""
    open_as_project(lesson.folder / "other.desk", lesson.folder / "lecture.deskz")
    with Project.open(lesson.folder / "other.desk", backup=False) as other:
        edits.update_note(other, note_id(other, RING), text="The other student's reading.")
        write_bundle(other, lesson.folder / "other.deskz", Options())
    merge_bundle(lesson.teacher, lesson.folder / "other.deskz", Options())
    write_bundle(lesson.teacher, lesson.folder / "week-two.deskz", Options())
    summary = merge_bundle(lesson.student, lesson.folder / "week-two.deskz", Options())
    assert [(c.ours, c.theirs) for c in summary.conflicts] == [
        (RING, "The other student's reading.")
    ]


def move_paragraph(project: Project, text: str, position: int) -> None:
    (row,) = project.query("SELECT id FROM paragraph WHERE text = ?", text)
    edits.move_paragraph(project, row[0], position)


def test_paragraphs_the_student_moved_are_moved_in_the_teachers_essay(lesson: Class) -> None:
    before = paragraphs(lesson.teacher)
    move_paragraph(lesson.student, before[5], 1)
    edits.add_paragraph(lesson.teacher, "The teacher's closing line.")
    summary = lesson.homework()
    assert paragraphs(lesson.teacher) == [
        before[0],
        before[5],
        *before[1:5],
        *before[6:],
        "The teacher's closing line.",
    ]
    assert "took their order of the essay's paragraphs" in summary.applied


def test_when_both_sides_reordered_the_essay_the_teachers_order_stands_and_the_merge_says_so(
    lesson: Class,
) -> None:
    before = paragraphs(lesson.teacher)
    move_paragraph(lesson.student, before[5], 1)
    move_paragraph(lesson.teacher, before[7], 0)
    mine = paragraphs(lesson.teacher)
    summary = lesson.homework()
    assert paragraphs(lesson.teacher) == mine
    assert summary.warnings == [
        "both sides reordered the essay's paragraphs; the project's order was kept."
    ]


def retitle(project: Project, title: str) -> None:
    (essay,) = project.query("SELECT id FROM essay")[0]
    project.run("Retitle", lambda tx: tx.update(models.Essay, essay, title=title))


def title(project: Project) -> str:
    return str(project.query("SELECT title FROM essay")[0][0])


def test_the_students_new_title_for_the_essay_is_taken_when_the_teacher_kept_the_old(
    lesson: Class,
) -> None:
    retitle(lesson.student, "Snow, and What It Covers")
    summary = lesson.homework()
    assert title(lesson.teacher) == "Snow, and What It Covers"
    assert summary.applied == ["took their title of the essay, 'Snow, and What It Covers'"]


def test_when_both_retitled_the_essay_the_teachers_title_stands_and_the_merge_says_so(
    lesson: Class,
) -> None:
    retitle(lesson.student, "Snow, and What It Covers")
    retitle(lesson.teacher, "The Ring Held Out")
    summary = lesson.homework()
    assert title(lesson.teacher) == "The Ring Held Out"
    assert summary.warnings == [
        "both sides changed the essay's title or dek; the project's were kept."
    ]


def test_a_note_the_teacher_did_not_keep_does_not_travel_to_the_class_in_the_next_bundle(
    lesson: Class,
) -> None:
    private = "A note for the teacher alone: I missed the last two classes."
    edits.add_note(lesson.student, private)
    lesson.homework()
    edits.delete_note(lesson.teacher, note_id(lesson.teacher, private))
    write_bundle(lesson.teacher, lesson.folder / "week-two.deskz", Options())
    with zipfile.ZipFile(lesson.folder / "week-two.deskz") as archive:
        inside = archive.read("project.desk")
    assert b"I missed the last two classes" not in inside
    assert RING.encode() in inside


def test_a_note_deleted_at_home_is_still_removed_though_its_words_do_not_travel(
    lesson: Class,
) -> None:
    edits.delete_note(lesson.student, note_id(lesson.student, RING))
    write_bundle(lesson.student, lesson.folder / "homework.deskz", Options())
    with zipfile.ZipFile(lesson.folder / "homework.deskz") as archive:
        assert RING.encode() not in archive.read("project.desk")
    summary = merge_bundle(lesson.teacher, lesson.folder / "homework.deskz", Options())
    assert summary.removed == {"note": 1}
    assert RING not in note_texts(lesson.teacher)
