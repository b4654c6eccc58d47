"""Characters renamed, recoloured and deleted, and notes moved in time: each one undo step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.errors import InvalidEdit
from desk.store import edits
from desk.store.changes import Changed
from desk.store.project import Project
from desk.store.reads import editing as edit_reads


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project.create(project_path, title="Anora") as p:
        yield p


def cast(project: Project) -> list[tuple[str, str]]:
    return [(c.name, c.color) for c in edit_reads.characters(project)]


def test_a_character_is_renamed_and_recoloured_and_undo_takes_each_back(
    project: Project,
) -> None:
    ani, _ = edits.add_character(project, "Ani", "#d1495b")
    _, changes = edits.update_character(project, ani, name="Anora")
    assert changes.touches(Changed.CHARACTERS)
    edits.update_character(project, ani, color="#00aa88")
    assert cast(project) == [("Anora", "#00aa88")]
    assert project.undo_labels()[0] == "Recolour character"
    project.undo()
    assert cast(project) == [("Anora", "#d1495b")]
    project.undo()
    assert cast(project) == [("Ani", "#d1495b")]


def test_a_name_taken_or_a_colour_mistyped_is_refused_and_nothing_changes(
    project: Project,
) -> None:
    ani, _ = edits.add_character(project, "Ani", "#d1495b")
    edits.add_character(project, "Igor", "#3a7ca5")
    with pytest.raises(InvalidEdit, match="already a character named 'Igor'"):
        edits.update_character(project, ani, name="Igor")
    with pytest.raises(InvalidEdit, match="colour like #d1495b"):
        edits.update_character(project, ani, color="red")
    assert cast(project) == [("Ani", "#d1495b"), ("Igor", "#3a7ca5")]


def test_deleting_a_character_keeps_its_beats_and_notes_without_it(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    igor, _ = edits.add_character(project, "Igor")
    edits.add_beat(project, start_ms=0, end_ms=500, characters=[ani])
    edits.add_beat(project, start_ms=600, end_ms=900, characters=[ani, igor])
    note, _ = edits.add_note(project, "she resists", character_id=ani)
    uses = edit_reads.character_uses(project, ani)
    assert uses.sentence("Ani") == "Ani is in 2 beats (1 shared with others) and 1 note."
    edits.delete_character(project, ani)
    assert cast(project) == [("Igor", "#888888")]
    assert project.query("SELECT count(*) FROM beat")[0][0] == 2
    assert project.query("SELECT character_id FROM beat_character") == [(igor,)]
    assert edit_reads.note(project, note).character_id is None  # type: ignore[union-attr]
    project.undo()
    assert edit_reads.character_uses(project, ani) == uses


def test_deleting_a_character_with_its_uses_keeps_the_beats_it_shares(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    igor, _ = edits.add_character(project, "Igor")
    edits.add_beat(project, start_ms=0, end_ms=500, characters=[ani])
    shared, _ = edits.add_beat(project, start_ms=600, end_ms=900, characters=[ani, igor])
    note, _ = edits.add_note(project, "she resists", start_ms=100, character_id=ani)
    reading, _ = edits.add_reading(project, "The agency reading")
    edits.add_evidence(project, reading, "supports", note_id=note)
    edits.add_evidence(project, reading, "supports", beat_id=shared)
    assert edit_reads.character_uses(project, ani).evidence == 1  # the shared beat's stays
    edits.delete_character(project, ani, with_uses=True)
    assert project.query("SELECT beat_id FROM evidence") == [(shared,)]
    assert project.query("SELECT id FROM beat") == [(shared,)]
    assert project.query("SELECT count(*) FROM note")[0][0] == 0
    assert project.query("SELECT count(*) FROM time_link")[0][0] == 0
    project.undo()
    assert project.query("SELECT count(*) FROM beat")[0][0] == 2
    assert project.query("SELECT count(*) FROM time_link")[0][0] == 1


def test_a_note_is_moved_to_one_range_in_place_of_its_links(project: Project) -> None:
    note, _ = edits.add_note(project, "the ring", start_ms=1000)
    edits.link(project, note_id=note, start_ms=5000, end_ms=6000)
    edits.set_note_time(project, note, 2000, 2500)
    row = edit_reads.note(project, note)
    assert row is not None
    assert (row.start_ms, row.end_ms) == (2000, 2500)
    assert project.query("SELECT count(*) FROM time_link")[0][0] == 1
    edits.set_note_time(project, note, None)
    assert edit_reads.note(project, note).start_ms is None  # type: ignore[union-attr]
    project.undo()
    project.undo()
    row = edit_reads.note(project, note)
    assert row is not None
    assert (row.start_ms, row.end_ms) == (1000, 6000)


def test_a_notes_text_kind_and_time_change_in_one_undo_step(project: Project) -> None:
    note, _ = edits.add_note(project, "the ring", start_ms=1000)
    edits.revise_note(project, note, span=(3000, 4000), text="the ring, returned", kind="evidence")
    row = edit_reads.note(project, note)
    assert row is not None
    assert (row.text, row.kind, row.start_ms, row.end_ms) == (
        "the ring, returned",
        "evidence",
        3000,
        4000,
    )
    project.undo()
    row = edit_reads.note(project, note)
    assert row is not None
    assert (row.text, row.kind, row.start_ms) == ("the ring", "free", 1000)


def test_a_note_moved_to_a_bad_range_is_refused_and_keeps_its_text(project: Project) -> None:
    note, _ = edits.add_note(project, "the ring", start_ms=1000)
    with pytest.raises(InvalidEdit, match="before start_ms"):
        edits.revise_note(project, note, span=(4000, 3000), text="changed")
    assert edit_reads.note(project, note) == edit_reads.NoteRow(
        note, "the ring", "free", None, None, 1000, 1000
    )
