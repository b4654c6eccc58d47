"""The critic's edits: each one durable, undoable, and visible to search."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.errors import InvalidEdit
from desk.store import edits, queries
from desk.store.changes import Changed
from desk.store.project import Project
from desk.store.search import search


@pytest.fixture
def project(project_path: Path):
    with Project.create(project_path, title="Anora") as p:
        yield p


def texts(project: Project) -> list[str]:
    return [r[0] for r in project.query("SELECT text FROM paragraph ORDER BY position")]


def test_paragraphs_are_reordered_split_and_merged(project: Project) -> None:
    a, _ = edits.add_paragraph(project, "Igor returns the ring.")
    b, _ = edits.add_paragraph(project, "He carries her bags. She climbs onto him.")
    edits.add_paragraph(project, "Snow keeps falling.", position=0)
    assert texts(project) == [
        "Snow keeps falling.",
        "Igor returns the ring.",
        "He carries her bags. She climbs onto him.",
    ]
    edits.move_paragraph(project, a, 2)
    assert texts(project)[2] == "Igor returns the ring."
    edits.link(project, paragraph_id=b, start_ms=1000, end_ms=2000)
    new, _ = edits.split_paragraph(project, b, len("He carries her bags."))
    assert texts(project) == [
        "Snow keeps falling.",
        "He carries her bags.",
        "She climbs onto him.",
        "Igor returns the ring.",
    ]
    edits.link(project, paragraph_id=new, start_ms=3000)
    edits.merge_paragraphs(project, b, new)
    assert texts(project)[1] == "He carries her bags. She climbs onto him."
    links = project.query("SELECT paragraph_id, start_ms FROM time_link ORDER BY start_ms")
    assert links == [(b, 1000), (b, 3000)]
    for _ in range(3):
        project.undo()
    assert texts(project) == [
        "Snow keeps falling.",
        "He carries her bags. She climbs onto him.",
        "Igor returns the ring.",
    ]


def test_a_note_at_a_moment_is_linked_and_searchable(project: Project) -> None:
    pid, _ = edits.add_paragraph(project, "The kiss is refused.")
    note_id, changes = edits.add_note(
        project,
        "Her hands push against his chest",
        start_ms=5000,
        kind="evidence",
        paragraph_id=pid,
    )
    assert changes.ids(Changed.NOTES) == {note_id}
    assert changes.touches(Changed.LINKS)
    assert project.query("SELECT note_id, start_ms, end_ms FROM time_link") == [
        (note_id, 5000, 5000)
    ]
    assert [(h.kind, h.ref_id) for h in search(project.conn, "chest")] == [("note", note_id)]
    edits.delete_paragraph(project, pid)
    assert project.query("SELECT paragraph_id FROM note") == [(None,)]
    project.undo()
    assert project.query("SELECT paragraph_id FROM note") == [(pid,)]


def test_beats_carry_characters_emotion_valence_and_intensity(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    igor, _ = edits.add_character(project, "Игорь")
    grief = project.query("SELECT id FROM emotion WHERE name = 'grief'")[0][0]
    beat, _ = edits.add_beat(
        project,
        start_ms=60_000,
        end_ms=75_000,
        label="she sobs",
        emotion_id=grief,
        valence=-0.9,
        intensity=1.0,
        characters=[ani, igor],
    )
    edits.update_beat(project, beat, start_ms=61_000, end_ms=76_000, characters=[ani])
    assert project.query("SELECT start_ms, end_ms FROM beat") == [(61_000, 76_000)]
    assert project.query("SELECT character_id FROM beat_character") == [(ani,)]
    project.undo()
    assert sorted(project.query("SELECT character_id FROM beat_character")) == [(ani,), (igor,)]
    with pytest.raises(InvalidEdit, match="valence must be between -1 and 1, not 2"):
        edits.add_beat(project, start_ms=0, valence=2.0)
    assert project.query("SELECT count(*) FROM beat") == [(1,)]


def test_a_reading_collects_supporting_and_contradicting_evidence(project: Project) -> None:
    scene, _ = edits.add_scene(project, "Final scene", 0, 120_000)
    reading, _ = edits.add_reading(project, "The transactional reading", scene_id=scene)
    beat, _ = edits.add_beat(project, start_ms=10_000, label="ring")
    note, _ = edits.add_note(project, "He says nothing", start_ms=20_000)
    edits.add_evidence(project, reading, "supports", beat_id=beat)
    edits.add_evidence(project, reading, "contradicts", note_id=note)
    assert project.query("SELECT stance FROM evidence ORDER BY id") == [
        ("supports",),
        ("contradicts",),
    ]
    edits.delete_beat(project, beat)
    assert project.query("SELECT stance FROM evidence") == [("contradicts",)]


def test_evidence_marked_again_takes_the_new_stance(project: Project) -> None:
    """One note cannot both support and contradict the same reading."""
    reading, _ = edits.add_reading(project, "The agency reading")
    note, _ = edits.add_note(project, "She sets the terms", start_ms=5_000)
    first, _ = edits.add_evidence(project, reading, "supports", note_id=note)
    again, changes = edits.add_evidence(project, reading, "contradicts", note_id=note)
    assert again == first
    assert changes.ids(Changed.EVIDENCE) == {first}
    assert project.query("SELECT stance FROM evidence") == [("contradicts",)]
    assert project.undo_labels()[0] == "Mark evidence (contradicts)"
    project.undo()
    assert project.query("SELECT stance FROM evidence") == [("supports",)]
    _, unchanged = edits.add_evidence(project, reading, "supports", note_id=note)
    assert not unchanged  # nothing to undo for a click that changed nothing
    other, _ = edits.add_reading(project, "The transactional reading")
    edits.add_evidence(project, other, "supports", note_id=note)
    assert project.query("SELECT count(*) FROM evidence") == [(2,)]


def test_scenes_are_ordered_by_time_and_reorderable(project: Project) -> None:
    late, _ = edits.add_scene(project, "Car", 50_000, 90_000)
    early, _ = edits.add_scene(project, "Wedding chapel", 0, 40_000)
    assert project.query("SELECT name FROM scene ORDER BY position") == [
        ("Wedding chapel",),
        ("Car",),
    ]
    edits.move_scene(project, late, 0)
    edits.update_scene(project, early, name="Chapel")
    assert project.query("SELECT name FROM scene ORDER BY position") == [("Car",), ("Chapel",)]


def test_the_dump_lists_everything_in_a_stable_order(project: Project) -> None:
    edits.import_essay(project, "Title", "Dek", [("heading", "Part one"), ("body", "Text.")])
    first = queries.dump(project)
    assert first["essay_text"] == {
        "title": "Title",
        "dek": "Dek",
        "blocks": [{"kind": "heading", "text": "Part one"}, {"kind": "body", "text": "Text."}],
    }
    assert queries.dump(project) == first
    with pytest.raises(Exception, match="already has an essay"):
        edits.import_essay(project, "Other", "", [("body", "x")])
    edits.import_essay(project, "Other", "", [("body", "x")], replace=True)
    assert queries.dump(project)["essay_text"]["title"] == "Other"
    project.undo()
    assert queries.dump(project)["essay_text"] == first["essay_text"]


# -- bad values are refused before they reach SQLite -------------------------------------------
def with_film(project: Project, duration_ms: int = 180_000) -> None:
    edits.add_media(project, path="anora.mkv", duration_ms=duration_ms, is_reference=True)


def test_a_refused_edit_leaves_nothing_of_itself(project: Project) -> None:
    with_film(project)
    ani, _ = edits.add_character(project, "Ani")
    before = project.undo_labels()
    with pytest.raises(InvalidEdit, match="there is no character 9"):
        edits.add_beat(project, start_ms=1_000, label="sobs", characters=[ani, 9])
    edits.add_note(project, "she sobs", start_ms=1_000)
    with pytest.raises(InvalidEdit, match="intensity must be between 0 and 1, not 1.5"):
        edits.add_beat(project, start_ms=1_000, intensity=1.5)
    assert project.query("SELECT count(*) FROM beat") == [(0,)]
    assert project.query("SELECT count(*) FROM beat_character") == [(0,)]
    assert project.undo_labels()[0] == "Add note"  # the refused beats are not in the history
    assert before[0] == "Add character"


def test_times_fall_inside_the_film_and_ranges_run_forward(project: Project) -> None:
    with_film(project, duration_ms=180_000)
    with pytest.raises(InvalidEdit, match="start_ms 200000 is past the end of the film at 180000"):
        edits.add_beat(project, start_ms=200_000)
    with pytest.raises(InvalidEdit, match="start_ms must be 0 or later, not -1"):
        edits.add_note(project, "before the film", start_ms=-1)
    with pytest.raises(InvalidEdit, match="end_ms 1000 is before start_ms 2000"):
        edits.add_scene(project, "Car", 2_000, 1_000)
    beat, _ = edits.add_beat(project, start_ms=60_000, end_ms=75_000)
    with pytest.raises(InvalidEdit, match="end_ms 75000 is before start_ms 80000"):
        edits.update_beat(project, beat, start_ms=80_000)  # past the end it keeps
    edits.update_beat(project, beat, start_ms=70_000)
    assert project.query("SELECT start_ms, end_ms FROM beat") == [(70_000, 75_000)]
    assert project.query("SELECT count(*) FROM note") == [(0,)]


def test_edits_that_name_what_does_not_exist_are_refused(project: Project) -> None:
    pid, _ = edits.add_paragraph(project, "The kiss is refused.")
    refusals = [
        (lambda: edits.link(project, start_ms=0, paragraph_id=pid + 1), "no paragraph"),
        (lambda: edits.link(project, start_ms=0), "exactly one of paragraph_id or note_id"),
        (lambda: edits.delete_note(project, 42), "there is no note 42"),
        (lambda: edits.add_reading(project, "Agency", scene_id=3), "there is no scene 3"),
        (lambda: edits.add_evidence(project, 1, "supports", paragraph_id=pid), "no reading 1"),
        (lambda: edits.add_beat(project, start_ms=0, emotion_id=999), "no emotion 999"),
        (lambda: edits.update_note(project, 1, text="x"), "there is no note 1"),
    ]
    for edit, reason in refusals:
        with pytest.raises(InvalidEdit, match=reason):
            edit()
    assert project.query("SELECT count(*) FROM time_link") == [(0,)]
    assert project.undo_labels()[0] == "Add paragraph"


def test_fields_of_the_wrong_type_or_unknown_are_named(project: Project) -> None:
    edits.add_character(project, "Ani")
    note, _ = edits.add_note(project, "wipers")
    refusals = [
        (lambda: edits.add_note(project, 5), "text must be a string, not 5"),
        (lambda: edits.add_note(project, "x", start_ms=1.5), "whole number, not 1.5"),
        (lambda: edits.add_note(project, "x", start_ms=True), "whole number, not true"),
        (lambda: edits.add_note(project, "x", kind="hunch"), 'kind must be one of .* "hunch"'),
        (lambda: edits.update_note(project, note, mood="sad"), "a note has no field mood"),
        (lambda: edits.add_beat(project, start_ms=0, valence="high"), "valence must be a number"),
        (lambda: edits.add_character(project, "Ani"), "already a character named 'Ani'"),
        (lambda: edits.add_character(project, "Igor", "red"), "colour like #d1495b"),
        (lambda: edits.add_paragraph(project, "x", position=-2), "0 or more, not -2"),
    ]
    for edit, reason in refusals:
        with pytest.raises(InvalidEdit, match=reason):
            edit()
    edits.update_note(project, note, paragraph_id=None, kind="question")  # null detaches
    assert project.query("SELECT kind, paragraph_id FROM note") == [("question", None)]


def test_a_bidi_override_in_an_edited_note_comes_back_without_it(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.desk") as project:
        note, _ = edits.add_note(project, "she \u202erefuses\u202c him\x00", start_ms=0)
        text = project.query("SELECT text FROM note WHERE id = ?", note)[0][0]
        assert text == "she refuses him"
        pid, _ = edits.add_paragraph(project, "line one\r\nline\ttwo \u2067isolated\u2069")
        text = project.query("SELECT text FROM paragraph WHERE id = ?", pid)[0][0]
        assert text == "line one\nline\ttwo isolated"


def test_a_reading_is_renamed_and_deleted_with_its_evidence_in_one_undo_step(
    project: Project,
) -> None:
    first, _ = edits.add_reading(project, "The transactional reading")
    second, _ = edits.add_reading(project, "The agency reading")
    beat, _ = edits.add_beat(project, start_ms=1000, end_ms=2000, label="She refuses")
    mark, _ = edits.add_evidence(project, first, "supports", beat_id=beat)
    edits.update_reading(project, first, title="The market reading", summary="All is a deal.")
    _, changes = edits.update_evidence(project, mark, stance="contradicts")
    assert changes.ids(Changed.EVIDENCE) == {mark}
    assert project.query("SELECT title, summary FROM reading WHERE id = ?", first) == [
        ("The market reading", "All is a deal.")
    ]
    assert project.query("SELECT stance FROM evidence") == [("contradicts",)]
    with pytest.raises(InvalidEdit, match="stance must be one of supports, contradicts"):
        edits.update_evidence(project, mark, stance="maybe")
    with pytest.raises(InvalidEdit, match="title must not be empty"):
        edits.update_reading(project, first, title="  ")

    _, changes = edits.delete_reading(project, first)
    assert changes.touches(Changed.READINGS, Changed.EVIDENCE)
    assert project.query("SELECT id, position FROM reading") == [(second, 0)]
    assert project.query("SELECT count(*) FROM evidence") == [(0,)]
    project.undo()
    assert project.query("SELECT id FROM reading ORDER BY position") == [(first,), (second,)]
    assert project.query("SELECT stance FROM evidence") == [("contradicts",)]


def test_the_undo_history_keeps_its_newest_steps_up_to_its_limit(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.store import commands

    monkeypatch.setattr(commands, "JOURNAL_LIMIT", 3)
    for n in range(5):
        edits.add_note(project, f"Note {n}.")
    undone = []
    while (changes := project.undo()) is not None:
        undone.append(changes.label)
    assert undone == ["Add note"] * 3
    assert [r[0] for r in project.query("SELECT text FROM note ORDER BY id")] == [
        "Note 0.",
        "Note 1.",
    ]
