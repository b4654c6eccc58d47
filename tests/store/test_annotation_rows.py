"""A project's annotations read back as typed rows, in the order exports and reports list them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.store import annotation_rows as rows
from desk.store import clip_lists, edits
from desk.store.project import Project


@pytest.fixture
def project(project_path: Path):
    with Project.create(project_path, title="Anora", film_title="Anora", film_year=2024) as p:
        yield p


def test_links_are_read_for_their_owners_in_film_order(project: Project) -> None:
    ring, _ = edits.add_paragraph(project, "Igor hands the ring back.")
    kiss, _ = edits.add_note(project, "She refuses the kiss.", start_ms=60_000, end_ms=70_000)
    edits.link(project, paragraph_id=ring, start_ms=30_000, end_ms=31_000, label="the ring")
    edits.link(project, paragraph_id=ring, start_ms=20_000)
    edits.link(project, paragraph_id=ring, start_ms=20_000, end_ms=26_000)

    assert rows.links_of(project, "paragraph") == [
        rows.LinkRow(ring, 20_000, 20_000, ""),
        rows.LinkRow(ring, 20_000, 26_000, ""),
        rows.LinkRow(ring, 30_000, 31_000, "the ring"),
    ]
    assert rows.links_of(project, "note") == [rows.LinkRow(kiss, 60_000, 70_000, "")]


def test_beats_come_in_film_order_with_their_emotion_and_who_feels_them(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani", "#c0392b")
    igor, _ = edits.add_character(project, "Igor", "#2c3e50")
    grief, _ = edits.add_emotion(project, "despair", "#445566")
    sobbing, _ = edits.add_beat(
        project, start_ms=90_000, end_ms=120_000, label="Sobbing", emotion_id=grief,
        valence=-0.9, intensity=1.0, characters=[igor, ani],
    )  # fmt: skip
    snow, _ = edits.add_beat(project, start_ms=90_000, end_ms=95_000, label="Snow falls")

    found = rows.beats(project)

    assert [(b.id, b.label, b.emotion, b.emotion_color) for b in found] == [
        (snow, "Snow falls", None, None),
        (sobbing, "Sobbing", "despair", "#445566"),
    ]
    assert (found[1].valence, found[1].intensity) == (-0.9, 1.0)
    assert found[1].uid != found[0].uid
    assert rows.beat_characters(project) == [
        rows.BeatCharacterRow(sobbing, ani),
        rows.BeatCharacterRow(sobbing, igor),
    ]


def test_a_reading_names_its_scene_and_its_evidence_by_row(project: Project) -> None:
    scene, _ = edits.add_scene(project, "The final scene", 18_000, 120_000)
    beat, _ = edits.add_beat(project, start_ms=60_000, end_ms=70_000, label="The refused kiss")
    note, _ = edits.add_note(project, "She hits him.")
    reading, _ = edits.add_reading(project, "The agency reading", "She decides.", scene)
    edits.add_evidence(project, reading, "supports", beat_id=beat, comment="her choice")
    edits.add_evidence(project, reading, "contradicts", note_id=note)

    (found,) = rows.readings(project)

    assert (found.id, found.title, found.summary, found.scene_id) == (
        reading, "The agency reading", "She decides.", scene,
    )  # fmt: skip
    assert [(e.stance, e.comment, e.beat_id, e.note_id, e.paragraph_id) for e in
            rows.evidence(project)] == [
        ("supports", "her choice", beat, None, None),
        ("contradicts", "", None, note, None),
    ]  # fmt: skip
    assert [(s.id, s.name, s.start_ms, s.end_ms) for s in rows.scenes(project)] == [
        (scene, "The final scene", 18_000, 120_000)
    ]


def test_the_essay_and_its_paragraphs_are_read_in_reading_order(project: Project) -> None:
    assert rows.essay_heading(project) is None
    edits.import_essay(
        project, "Ending", "On the last scene", [("heading", "I"), ("body", "Snow.")]
    )
    first, _ = edits.add_paragraph(project, "The ring.", position=1)

    essay = rows.essay_heading(project)

    assert essay is not None
    assert (essay.title, essay.dek) == ("Ending", "On the last scene")
    paragraphs = rows.paragraphs_of(project, essay.id)
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "I"),
        ("body", "The ring."),
        ("body", "Snow."),
    ]
    assert paragraphs[1].id == first
    assert all(p.uid for p in paragraphs)


def test_notes_are_read_in_the_order_they_were_made_with_their_owners(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    para, _ = edits.add_paragraph(project, "The ring.")
    late, _ = edits.add_note(project, "Later.", start_ms=90_000)
    early, _ = edits.add_note(project, "Earlier.", paragraph_id=para, character_id=ani)

    found = rows.notes(project)

    assert [(n.id, n.text, n.paragraph_id, n.character_id) for n in found] == [
        (late, "Later.", None, None),
        (early, "Earlier.", para, ani),
    ]
    assert all(n.created_at and n.uid for n in found)
    assert [tuple(n) for n in rows.note_texts(project)] == [
        (late, "free", "Later.", None, None),
        (early, "free", "Earlier.", para, ani),
    ]
    assert rows.characters(project) == [rows.CharacterRow(ani, "Ani", "#888888")]


def test_the_film_is_known_by_the_reference_copys_fingerprint_or_the_first_known(
    project: Project,
) -> None:
    assert rows.film_fingerprint(project) is None
    edits.add_media(project, path="/films/dvd.mkv", fingerprint="v1:dvd")
    assert rows.film_fingerprint(project) == "v1:dvd"
    reference, _ = edits.add_media(project, path="/films/anora.mkv", is_reference=True)
    assert rows.film_fingerprint(project) == "v1:dvd"  # the reference copy is not fingerprinted
    edits.update_media(project, reference, fingerprint="v1:anora")
    assert rows.film_fingerprint(project) == "v1:anora"


def test_the_projects_details_are_empty_for_a_file_without_them(project_path: Path) -> None:
    with Project.create(project_path, author="Sean", film_title="Anora", film_year=2024) as p:
        details = rows.project_details(p)
    assert (details.title, details.author, details.film_title, details.film_year) == (
        "anora", "Sean", "Anora", 2024,
    )  # fmt: skip
    conn = sqlite3.connect(project_path)
    conn.execute("DELETE FROM project")
    conn.commit()
    conn.close()
    with Project.open(project_path, backup=False) as p:
        assert rows.project_details(p) == rows.ProjectDetails()


def test_clip_lists_are_read_by_name_with_their_clips_in_lecture_order(project: Project) -> None:
    week, _ = clip_lists.add_clip_list(project, "Week 3")
    clip_lists.add_clip(project, week, 60_000, 70_000, title="The kiss", handle_before_ms=500)
    clip_lists.add_clip(project, week, 20_000, 26_000, title="The ring", position=0)
    clip_lists.add_clip_list(project, "Empty")

    assert rows.clip_lists_by_name(project) == {
        "Week 3": (
            rows.ClipRow(20_000, 26_000, 0, 0, "The ring", ""),
            rows.ClipRow(60_000, 70_000, 500, 0, "The kiss", ""),
        ),
        "Empty": (),
    }


def test_the_reference_tiers_are_read_with_their_cues_by_tier(project: Project) -> None:
    from desk.store import models

    def add(tx):
        english = tx.insert(models.Tier, name="English", language="en", source="anora.srt")
        tx.insert(models.Cue, tier_id=english, start_ms=5_000, end_ms=6_000, text="Ani?")
        tx.insert(models.Cue, tier_id=english, start_ms=1_000, end_ms=2_000, text="Snow.")
        return english

    english, _ = project.run("Add tier", add)

    (tier,) = rows.tiers(project)
    assert (tier.id, tier.name, tier.kind, tier.language, tier.source) == (
        english, "English", "dialogue", "en", "anora.srt",
    )  # fmt: skip
    assert [(c.tier_id, c.start_ms, c.text) for c in rows.cues(project)] == [
        (english, 1_000, "Snow."),
        (english, 5_000, "Ani?"),
    ]
