"""What an edit reports as changed: kinds of thing the user sees, their ids, and who asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.store import edits
from desk.store.changes import BY_TABLE, Changed
from desk.store.commands import KEYS
from desk.store.project import Project


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project.create(project_path, title="Anora") as p:
        yield p


class NotesView:
    """Stands for the view that made an edit: any object, compared by identity."""


def test_a_note_edit_reports_the_note_and_whoever_asked(project: Project) -> None:
    note, _ = edits.add_note(project, "Igor hands the ring back")
    other, _ = edits.add_note(project, "Snow keeps falling")
    view = NotesView()
    _, changes = edits.update_note(project, note, text="Igor hands the ring back, unasked")
    told = changes.by(view)
    assert told.rows == {Changed.NOTES: {note}}
    assert told.ids(Changed.NOTES) == {note}
    assert other not in told.ids(Changed.NOTES)
    assert told.label == "Edit note"
    assert told.initiator is view
    assert told.made_by(view)
    assert not told.made_by(NotesView())
    assert not changes.made_by(view)


def test_a_moved_link_reports_its_paragraph_and_so_do_its_undo_and_redo(project: Project) -> None:
    para, _ = edits.add_paragraph(project, "She refuses the kiss.")
    note, _ = edits.add_note(project, "Her hands push against his chest", start_ms=5_000)
    link, _ = edits.link(project, paragraph_id=para, start_ms=60_000, end_ms=62_000)
    _, moved = edits.move_link(project, link, 61_000, 63_000)
    undone = project.undo()
    redone = project.redo()
    for changes in (moved, undone, redone):
        assert changes is not None
        assert changes.rows == {Changed.LINKS: {link}, Changed.PARAGRAPHS: {para}}
        assert changes.initiator is None
    _, removed = edits.unlink(project, link)
    assert removed.rows == {Changed.LINKS: {link}, Changed.PARAGRAPHS: {para}}
    assert project.undo() == removed.by(None)
    _, gone = edits.delete_note(project, note)
    assert gone.ids(Changed.NOTES) == {note}
    assert not gone.touches(Changed.PARAGRAPHS)


def test_changing_who_is_in_a_beat_reports_the_beat(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    igor, _ = edits.add_character(project, "Igor")
    beat, _ = edits.add_beat(project, start_ms=60_000, end_ms=70_000, characters=[ani])
    _, changes = edits.update_beat(project, beat, characters=[ani, igor])
    assert changes.rows == {Changed.BEATS: {beat}}
    assert not changes.touches(Changed.CHARACTERS)


def test_every_table_an_edit_can_change_reports_a_kind_of_thing() -> None:
    assert list(BY_TABLE) == list(KEYS)
