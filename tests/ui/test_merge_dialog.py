"""A teacher merges a student's bundle from the window: the conflicts side by side, what both
started from beside them, each settled on its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QRadioButton, QWidget

from desk.interchange.bundle import open_as_project, write_bundle
from desk.interchange.formats import Options
from desk.interchange.model import DELETED, Conflict
from desk.store import edits
from desk.store.project import Project
from desk.ui import merge_dialog
from desk.ui.main_window import MainWindow
from desk.ui.merge_dialog import ConflictDialog
from tests.ui.answers import OK, answer, file_named
from tests.ui.dialogs import menu_item


def note_texts(project: Project) -> list[str]:
    return [t for (t,) in project.query("SELECT text FROM note ORDER BY id")]


def rewrite(project: Project, texts: dict[str, str]) -> None:
    for old, new in texts.items():
        (row,) = project.query("SELECT id FROM note WHERE text = ?", old)
        edits.update_note(project, row[0], text=new)


def homework(teacher: Project, folder: Path, mine: dict[str, str], theirs: dict[str, str]) -> Path:
    """The class's bundle, a student's copy edited as ``theirs`` and sent back; the teacher's
    project edited as ``mine`` meanwhile."""
    write_bundle(teacher, folder / "lecture.deskz", Options())
    open_as_project(folder / "student.desk", folder / "lecture.deskz")
    with Project.open(folder / "student.desk", backup=False) as student:
        rewrite(student, theirs)
        write_bundle(student, folder / "homework.deskz", Options())
    rewrite(teacher, mine)
    return folder / "homework.deskz"


def cells(dialog: ConflictDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(4)]


def test_the_dialog_shows_base_mine_and_theirs_side_by_side_with_a_choice_each(
    qtbot: object,
) -> None:
    conflicts = [
        Conflict("note", "a" * 32, "Teacher's words.", "Student's words.", "Both began here."),
        Conflict("paragraph", "b" * 32, "Mine.", "(deleted)", "Before."),
    ]
    dialog = ConflictDialog(conflicts)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert cells(dialog, 0) == ["note\naaaaaaaa", "Both began here.", "Teacher's words.",
                                "Student's words."]  # fmt: skip
    assert not dialog.table.isColumnHidden(1)
    assert dialog.choices() == {"a" * 32: "ours", "b" * 32: "ours"}
    dialog.findChild(QRadioButton, "choice-1-1").click()
    assert dialog.choices() == {"a" * 32: "ours", "b" * 32: "theirs"}
    # Keeping both a paragraph and its deletion is no choice.
    assert not dialog.findChild(QRadioButton, "choice-1-2").isEnabled()
    assert merge_dialog.DELETED == DELETED
    dialog.all_theirs.click()
    assert set(dialog.choices().values()) == {"theirs"}
    dialog.findChild(QRadioButton, "choice-0-2").click()
    assert dialog.choices()["a" * 32] == "both"


def test_a_two_way_conflict_has_no_empty_base_column(qtbot: object) -> None:
    dialog = ConflictDialog([Conflict("note", "a" * 32, "Mine.", "Theirs.")])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.table.isColumnHidden(1)


def test_merging_a_students_bundle_from_the_window_settles_each_conflict_as_chosen(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    assert sample_window.session is not None
    teacher = sample_window.session.project
    first, second = note_texts(teacher)[:2]
    bundle = homework(
        teacher,
        tmp_path,
        mine={first: "Teacher on the ring.", second: "Teacher on her silence."},
        theirs={first: "Student on the ring.", second: "Student on her silence."},
    )
    seen: list[list[str]] = []

    def take_theirs_for_the_second(dialog: QWidget) -> None:
        assert isinstance(dialog, ConflictDialog)
        seen.extend(cells(dialog, row)[1:] for row in range(dialog.table.rowCount()))
        dialog.findChild(QRadioButton, "choice-1-1").click()
        dialog.apply.click()

    said: list[str] = []
    answer(file_named(bundle), take_theirs_for_the_second, OK, said=said)
    menu_item(sample_window.menus["File"], "Merge a desk bundle…").trigger()
    assert seen == [
        [first, "Teacher on the ring.", "Student on the ring."],
        [second, "Teacher on her silence.", "Student on her silence."],
    ]
    assert said[1].startswith("2 annotations were changed on both sides")
    assert said[2].startswith("Imported homework.deskz: nothing new; ")
    assert note_texts(teacher)[:2] == ["Teacher on the ring.", "Student on her silence."]
    sample_window.undo_action.trigger()  # the whole merge is one step
    assert note_texts(teacher)[:2] == ["Teacher on the ring.", "Teacher on her silence."]
