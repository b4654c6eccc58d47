"""The critic's edits: each one durable, undoable, and visible to search."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.store import edits, queries
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
    assert changes.touches("note", "time_link")
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
    with pytest.raises(Exception, match="beat_valence"):
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
    assert changes.touches("evidence")
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
