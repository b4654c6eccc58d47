"""What the window's views read from a project: notes, outline, readings, search hits, timeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.interchange.formats import import_file
from desk.store import edits
from desk.store.project import Project
from desk.store.reads import essay, found, outline, readings, timeline
from desk.store.reads import notes as note_reads
from desk.store.reads.notes import NoteRow


@pytest.fixture
def project(project_path: Path):
    with Project.create(project_path, title="Anora") as p:
        yield p


def add_note(project: Project, text: str, at: int | None = None, **kw: object) -> int:
    end = None if at is None else at + 1000
    note_id, _ = edits.add_note(project, text, start_ms=at, end_ms=end, **kw)  # type: ignore[arg-type]
    return int(note_id)


def test_the_notes_list_reads_linked_notes_in_film_order_then_unlinked_ones_oldest_first(
    project: Project,
) -> None:
    igor, _ = edits.add_character(project, "Igor")
    unlinked = add_note(project, "Why does the snow never stop?")
    late = add_note(project, "She sobs on his chest.", 300_000)
    ring = add_note(project, "He hands the ring back.", 60_000, character_id=igor)
    again = add_note(project, "The ring, once more.", 60_000)
    later_thought = add_note(project, "The car is hers now.")

    rows = note_reads.notes_in_film_order(project)

    assert [r[0] for r in rows] == [ring, again, late, unlinked, later_thought]
    assert rows[0] == (ring, 60_000, 61_000, "free", igor)
    assert rows[3] == (unlinked, None, None, "free", None)


def test_the_notes_list_pages_through_the_same_notes_in_the_same_order(project: Project) -> None:
    for i in range(5):
        add_note(project, f"linked {i}", (5 - i) * 10_000)
    for i in range(3):
        add_note(project, f"unlinked {i}")

    paged: list[NoteRow] = []
    after = (-1, -1)
    while page := note_reads.linked_notes_after(project, after, 2):
        paged += [row for row, _ in page]
        after = page[-1][1]
    after_id = -1
    while unlinked := note_reads.unlinked_notes_after(project, after_id, 2):
        paged += unlinked
        after_id = unlinked[-1][0]

    assert paged == note_reads.notes_in_film_order(project)


def test_a_note_linked_twice_shows_at_its_first_link_and_runs_to_the_end_of_its_last(
    project: Project,
) -> None:
    note = add_note(project, "The kiss she refuses.", 120_000)
    edits.link(project, note_id=note, start_ms=100_000, end_ms=101_000)
    edits.link(project, note_id=note, start_ms=140_000, end_ms=150_000)

    (row,) = note_reads.notes_in_film_order(project)
    ((paged, _after),) = note_reads.linked_notes_after(project, (-1, -1), 10)

    assert row[1:3] == (100_000, 150_000)
    assert paged == row  # listed once, at its first link


def test_a_row_of_notes_shows_each_notes_character_and_text(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    hers = add_note(project, "She climbs onto him.", 10_000, character_id=ani)
    nobodys = add_note(project, "Snow keeps falling.")

    texts = note_reads.note_texts(project, [hers, nobodys, 999])

    assert texts == {hers: ("Ani", "She climbs onto him."), nobodys: ("", "Snow keeps falling.")}
    assert note_reads.note_texts(project, []) == {}


def test_the_outline_lists_scenes_in_the_users_order_and_characters_by_name(
    project: Project,
) -> None:
    car, _ = edits.add_scene(project, "The car", 0, 60_000)
    door, _ = edits.add_scene(project, "The door", 60_000, 120_000)
    edits.move_scene(project, door, 0)
    edits.add_character(project, "Igor")
    edits.add_character(project, "Ani")
    ring, _ = edits.add_paragraph(project, "Igor hands the ring back.")
    edits.link(project, paragraph_id=ring, start_ms=42_000)
    add_note(project, "A note's link is not the essay's.", 7_000)

    scenes = outline.scenes(project)

    assert [(s.id, s.name, s.start_ms, s.end_ms) for s in scenes] == [
        (door, "The door", 60_000, 120_000),
        (car, "The car", 0, 60_000),
    ]
    assert [c.name for c in outline.characters_by_name(project)] == ["Ani", "Igor"]
    assert outline.paragraph_link_starts(project, limit=500) == [42_000]


def test_a_readings_evidence_reads_in_film_order_with_its_stance_and_moment(
    project: Project,
) -> None:
    reading, _ = edits.add_reading(project, "The agency reading", "She chooses to refuse.")
    beat, _ = edits.add_beat(project, start_ms=200_000, end_ms=204_000, label="She hits him")
    note = add_note(project, "She resists the kiss.", 150_000)
    paragraph, _ = edits.add_paragraph(project, "The ending is hers alone.")
    edits.add_evidence(project, reading, "supports", beat_id=beat)
    edits.add_evidence(project, reading, "contradicts", note_id=note)
    edits.add_evidence(project, reading, "supports", paragraph_id=paragraph)

    (shown,) = readings.readings(project)
    evidence = readings.evidence_of(project, shown.id)

    assert (shown.title, shown.summary) == ("The agency reading", "She chooses to refuse.")
    assert [(e.kind, e.stance, e.text, e.at_ms) for e in evidence] == [
        ("paragraph", "supports", "The ending is hers alone.", None),  # no moment: SQL sorts first
        ("note", "contradicts", "She resists the kiss.", 150_000),
        ("beat", "supports", "She hits him", 200_000),
    ]


def test_evidence_can_be_chosen_from_every_beat_the_newest_notes_and_the_paragraphs(
    project: Project,
) -> None:
    late, _ = edits.add_beat(project, start_ms=90_000, label="She sobs")
    early, _ = edits.add_beat(project, start_ms=10_000, label="He returns the ring")
    old = add_note(project, "first")
    new = add_note(project, "x" * 100)
    paragraph, _ = edits.add_paragraph(project, "The ending.")

    choices = readings.evidence_choices(project)

    assert [(b.id, b.start_ms) for b in choices.beats] == [(early, 10_000), (late, 90_000)]
    assert [n.id for n in choices.notes] == [new, old]
    assert choices.notes[0].text == "x" * readings.CHOICE_CHARS
    assert [(p.id, p.position) for p in choices.paragraphs] == [(paragraph, 0)]


def test_a_search_hit_is_placed_at_its_first_moment_in_the_film(project: Project) -> None:
    linked = add_note(project, "Igor keeps the ring warm.", 80_000)
    edits.link(project, note_id=linked, start_ms=20_000)
    add_note(project, "The ring was his grandmother's.")
    beat, _ = edits.add_beat(project, start_ms=50_000, label="The ring returns")

    hits = found.found_in_film(project, "ring")

    assert [(h.kind, h.at_ms, h.source) for h in hits] == [
        ("note", 20_000, "note"),
        ("beat", 50_000, "beat"),
        ("note", None, "note"),  # oldest rows first, whatever their kind
    ]
    assert hits[1].ref_id == beat
    assert "[ring]" in hits[1].snippet.lower()
    assert found.found_in_film(project, "   ") == []


def test_a_line_of_dialogue_found_is_named_after_its_tier(project: Project, tmp_path: Path) -> None:
    srt = tmp_path / "anora.en.srt"
    srt.write_text("1\n00:01:00,000 --> 00:01:02,500\nKeep the ring.\n", encoding="utf-8")
    import_file(project, "srt", srt)

    (hit,) = found.found_in_film(project, "ring")

    assert (hit.kind, hit.at_ms) == ("cue", 60_000)
    assert hit.source == timeline.tiers_with_cues(project)[0].name


def test_the_essay_reads_its_paragraphs_in_order_and_each_ones_links_in_film_order(
    project: Project,
) -> None:
    ring, _ = edits.add_paragraph(project, "Igor hands the ring back.")
    heading, _ = edits.add_paragraph(project, "The ending", position=0, kind="heading")
    kiss, _ = edits.add_paragraph(project, "She refuses the kiss.")
    late, _ = edits.link(project, start_ms=90_000, end_ms=95_000, paragraph_id=ring)
    early, _ = edits.link(project, start_ms=10_000, paragraph_id=ring)
    again, _ = edits.link(project, start_ms=10_000, end_ms=12_000, paragraph_id=ring)
    refused, _ = edits.link(project, start_ms=120_000, paragraph_id=kiss)
    add_note(project, "A note's link is not the essay's.", 1_000)

    essay_id = edits.essay_id(project)
    assert essay_id is not None
    paragraphs = essay.paragraph_columns(project, essay_id)
    links = essay.paragraph_links(project)

    assert paragraphs.ids == [heading, ring, kiss]
    assert paragraphs.kinds == ["heading", "body", "body"]
    assert paragraphs.texts[1] == "Igor hands the ring back."
    first, last = links.range_of(ring)
    assert links.ids[first:last].tolist() == [early, again, late]  # by start, then as made
    assert links.ends[first:last].tolist() == [10_000, 12_000, 95_000]
    first, last = links.range_of(kiss)
    assert links.ids[first:last].tolist() == [refused]
    assert links.range_of(heading)[0] == links.range_of(heading)[1]  # none
    assert len(links) == 4


def test_the_timeline_reads_beats_as_columns_in_film_order(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani", "#e0457b")
    igor, _ = edits.add_character(project, "Igor", "#3b7dd8")
    grief, _ = edits.add_emotion(project, "the quiet after the slap", "#445566")
    late, _ = edits.add_beat(
        project, start_ms=90_000, end_ms=95_000, label="She sobs", characters=[ani, igor],
        emotion_id=grief, valence=-0.8, intensity=0.9,
    )  # fmt: skip
    early, _ = edits.add_beat(project, start_ms=10_000, label="The ring", characters=[igor])

    beats = timeline.beat_columns(project)

    assert beats.ids == (early, late)
    assert (beats.starts, beats.ends) == ((10_000, 90_000), (10_000, 95_000))
    assert beats.emotion_ids == (-1, grief)  # -1: no emotion
    assert (beats.valence[1], beats.intensity[1]) == (-0.8, 0.9)
    assert beats.labels == ("The ring", "She sobs")
    assert sorted(timeline.beat_characters(project)) == sorted(
        [(late, ani), (late, igor), (early, igor)]
    )
    assert [(c.name, c.color) for c in timeline.characters(project)] == [
        ("Ani", "#e0457b"),
        ("Igor", "#3b7dd8"),
    ]
    assert (grief, "the quiet after the slap", "#445566") in [
        (e.id, e.name, e.color) for e in timeline.emotions(project)
    ]


def test_beats_and_links_that_start_together_keep_the_order_they_were_made_in(
    project: Project,
) -> None:
    first, _ = edits.add_beat(project, start_ms=30_000, label="She looks up")
    earliest, _ = edits.add_beat(project, start_ms=5_000, label="The car")
    second, _ = edits.add_beat(project, start_ms=30_000, end_ms=31_000, label="He looks away")
    one = add_note(project, "one", 30_000)
    add_note(project, "earlier", 2_000)
    two = add_note(project, "two", 30_000)

    assert timeline.beat_columns(project).ids == (earliest, first, second)
    links = timeline.link_columns(project)
    assert links.starts.tolist() == [2_000, 30_000, 30_000]
    assert links.note_ids[1:].tolist() == [one, two]


def test_an_empty_project_gives_the_timeline_empty_columns(project: Project) -> None:
    assert timeline.beat_columns(project).ids == ()
    assert timeline.scene_columns(project).names == ()
    assert timeline.start_times(project, "shot") == []
    assert timeline.tiers_with_cues(project) == []
    assert timeline.link_columns(project).starts.tolist() == []
    assert [a.tolist() for a in timeline.note_kinds(project, ["observation"])] == [[], []]
    assert len(essay.paragraph_links(project)) == 0


def test_the_timeline_reads_scenes_and_start_times_in_film_order(project: Project) -> None:
    door, _ = edits.add_scene(project, "The door", 60_000, 120_000)
    car, _ = edits.add_scene(project, "The car", 0, 60_000)
    edits.replace_shots(project, [40_000, 20_000], 120_000)
    edits.link(project, paragraph_id=edits.add_paragraph(project, "P")[0], start_ms=70_000)
    add_note(project, "N", 5_000)

    scenes = timeline.scene_columns(project)

    assert (scenes.ids, scenes.names) == ((car, door), ("The car", "The door"))
    assert timeline.start_times(project, "shot") == [0, 20_000, 40_000]
    assert timeline.start_times(project, "time_link") == [5_000, 70_000]
    with pytest.raises(ValueError, match="no start times"):
        timeline.start_times(project, "beat")


def test_the_timeline_reads_each_tier_with_its_cues_in_film_order(
    project: Project, tmp_path: Path
) -> None:
    srt = tmp_path / "anora.en.srt"
    srt.write_text(
        "1\n00:02:00,000 --> 00:02:01,000\nGoodbye.\n\n"
        "2\n00:01:00,000 --> 00:01:02,500\nKeep the ring.\n",
        encoding="utf-8",
    )
    import_file(project, "srt", srt)

    (tier,) = timeline.tiers_with_cues(project)

    assert tier.language == "en"
    assert tier.starts == (60_000, 120_000)
    assert tier.ends == (62_500, 121_000)
    assert tier.texts == ("Keep the ring.", "Goodbye.")
