"""A teacher's clip lists: made from scenes, beats, paragraphs and marks, ordered, undoable, and
carried forward from files written before clip lists existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.errors import InvalidEdit, ProjectError
from desk.store import clip_lists, edits, queries, schema
from desk.store.changes import Changed
from desk.store.project import Project
from tests.store.layouts import layout


@pytest.fixture
def project(project_path: Path):
    with Project.create(project_path, title="Anora") as p:
        yield p


def titles(project: Project, list_id: int) -> list[str]:
    return [c["title"] for c in clip_lists.clips_of(project, list_id)]


def spans(project: Project, list_id: int) -> list[tuple[int, int]]:
    return [(c["start_ms"], c["end_ms"]) for c in clip_lists.clips_of(project, list_id)]


def test_a_lecture_is_made_from_a_scene_beats_a_paragraph_and_the_marks(project: Project) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Week 3: endings")
    scene, _ = edits.add_scene(project, "The final scene", 18_000, 120_000)
    ring, _ = edits.add_beat(project, start_ms=20_000, end_ms=26_000, label="The ring")
    kiss, _ = edits.add_beat(project, start_ms=60_000, end_ms=70_000, label="She refuses the kiss")
    para, _ = edits.add_paragraph(project, "Igor hands the ring back, and she takes it in silence.")
    edits.link(project, paragraph_id=para, start_ms=22_000, end_ms=28_000)
    edits.link(project, paragraph_id=para, start_ms=5_000, end_ms=6_000, label="The snow")

    clip_lists.clip_from_scene(project, lecture, scene, caption="Brighton Beach, winter")
    clip_lists.clip_from_beats(project, lecture, [kiss, ring], handle_before_ms=1000)
    first, changes = clip_lists.clips_from_paragraph(project, lecture, para)
    clip_lists.clip_from_marks(project, lecture, 90_000, 85_000, title="Sobbing")

    assert len(changes.ids(Changed.CLIPS)) == 2
    assert first in changes.ids(Changed.CLIPS)
    assert titles(project, lecture) == [
        "The final scene",
        "The ring … She refuses the kiss",
        "The snow",
        "Igor hands the ring back, and she takes it in silence.",
        "Sobbing",
    ]
    assert spans(project, lecture) == [
        (18_000, 120_000),
        (20_000, 70_000),
        (5_000, 6_000),
        (22_000, 28_000),
        (85_000, 90_001),  # the out mark's moment is in the clip (no frame rate is known)
    ]
    clips = clip_lists.clips_of(project, lecture)
    assert clips[0]["caption"] == "Brighton Beach, winter"
    assert clips[1]["handle_before_ms"] == 1000
    assert clips[1]["handle_after_ms"] == 0
    assert [c["position"] for c in clips] == [0, 1, 2, 3, 4]


def test_a_clip_from_the_marks_ends_with_the_frame_on_screen_at_the_out_mark(
    project: Project,
) -> None:
    edits.add_media(
        project, path="anora.mkv", duration_ms=200_000, fps_num=24, fps_den=1, is_reference=True
    )
    lecture, _ = clip_lists.add_clip_list(project, "Week 3")
    clip_lists.clip_from_marks(project, lecture, 85_000, 90_000)  # O on frame 2160
    assert spans(project, lecture) == [(85_000, 90_042)]  # frame 2161 starts at 90 041.67 ms
    rate = clip_lists.film_rate(project)
    assert clip_lists.last_frame_ms(90_042, rate) == 90_000  # shown as its out point


def test_a_clip_shorter_than_a_second_is_refused_unless_its_handles_widen_it(
    project: Project,
) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Week 3")
    para, _ = edits.add_paragraph(project, "She throws the ring.")
    edits.link(project, paragraph_id=para, start_ms=40_000)  # one moment, one frame
    with pytest.raises(ProjectError, match="less than a second: give it handles"):
        clip_lists.clips_from_paragraph(project, lecture, para)
    with pytest.raises(ProjectError, match="lasts 0.500 s"):
        clip_lists.add_clip(project, lecture, 10_000, 10_500)
    assert project.query("SELECT count(*) FROM clip") == [(0,)]
    handles = {"handle_before_ms": 1000, "handle_after_ms": 1000}
    clip, _ = clip_lists.clips_from_paragraph(project, lecture, para, **handles)
    assert spans(project, lecture) == [(40_000, 40_000)]
    with pytest.raises(ProjectError, match="less than a second"):
        clip_lists.update_clip(project, clip, handle_before_ms=0, handle_after_ms=0)


def test_clips_keep_lecture_order_when_inserted_moved_and_deleted(project: Project) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Lecture")
    a, _ = clip_lists.add_clip(project, lecture, 0, 1000, title="a")
    b, _ = clip_lists.add_clip(project, lecture, 1000, 2000, title="b")
    clip_lists.add_clip(project, lecture, 2000, 3000, title="c", position=0)
    assert titles(project, lecture) == ["c", "a", "b"]
    clip_lists.move_clip(project, b, 0)
    assert titles(project, lecture) == ["b", "c", "a"]
    clip_lists.delete_clip(project, a)
    clip_lists.update_clip(project, b, title="b, longer", caption="She breaks down.")
    assert titles(project, lecture) == ["b, longer", "c"]
    positions = [c["position"] for c in clip_lists.clips_of(project, lecture)]
    assert positions == [0, 1]


def test_every_clip_edit_is_undone_and_redone(project: Project) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Lecture")
    clip_lists.add_clip(project, lecture, 0, 1000, title="ring")
    clip_lists.add_clip(project, lecture, 2000, 3000, title="kiss")
    clip_lists.delete_clip_list(project, lecture)
    assert clip_lists.clip_lists(project) == []
    assert project.undo_labels() == ("Delete clip list", None)
    project.undo()
    assert titles(project, lecture) == ["ring", "kiss"]
    project.redo()
    assert project.query("SELECT count(*) FROM clip") == [(0,)]


def test_lists_are_found_by_name_and_made_only_once(project: Project) -> None:
    first, changes = clip_lists.ensure_clip_list(project, "Week 3")
    assert changes
    again, changes = clip_lists.ensure_clip_list(project, "  week 3 ")
    assert again == first
    assert not changes
    second, _ = clip_lists.add_clip_list(project, "Week 4")
    clip_lists.rename_clip_list(project, second, "Week 2")
    clip_lists.move_clip_list(project, second, 0)
    assert [r["name"] for r in clip_lists.clip_lists(project)] == ["Week 2", "Week 3"]
    assert clip_lists.find_clip_list(project, "week 5") is None


@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [(5000, 4000, {}), (-1, 1000, {}), (0, 1000, {"handle_before_ms": -500})],
)
def test_bad_ranges_and_handles_are_refused(project: Project, start, end, fields) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Lecture")
    with pytest.raises(ProjectError):
        clip_lists.add_clip(project, lecture, start, end, **fields)
    assert project.query("SELECT count(*) FROM clip") == [(0,)]


def test_a_run_of_beats_without_labels_makes_an_untitled_clip(project: Project) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Week 3")
    first, _ = edits.add_beat(project, start_ms=2_000, end_ms=3_000)
    second, _ = edits.add_beat(project, start_ms=4_000, end_ms=4_500)
    labelled, _ = edits.add_beat(project, start_ms=5_000, end_ms=6_000, label="The kiss")
    clip_lists.clip_from_beats(project, lecture, [first, second])
    clip_lists.clip_from_beats(project, lecture, [second, labelled])
    assert titles(project, lecture) == ["", "The kiss"]
    assert spans(project, lecture) == [(2_000, 4_500), (4_000, 6_000)]


def test_clips_need_a_list_and_a_linked_paragraph(project: Project) -> None:
    with pytest.raises(ProjectError, match="no clip list"):
        clip_lists.add_clip(project, 42, 0, 1000)
    lecture, _ = clip_lists.add_clip_list(project, "Lecture")
    para, _ = edits.add_paragraph(project, "Snow keeps falling.")
    with pytest.raises(ProjectError, match="not linked"):
        clip_lists.clips_from_paragraph(project, lecture, para)
    with pytest.raises(ProjectError, match="at least one beat"):
        clip_lists.clip_from_beats(project, lecture, [])
    clip = clip_lists.add_clip(project, lecture, 0, 1000)[0]
    with pytest.raises(ProjectError):
        clip_lists.update_clip(project, clip, end_ms=-5)


def test_a_clip_past_the_end_of_the_film_is_refused(project: Project) -> None:
    edits.add_media(project, path="anora.mkv", duration_ms=3_000, is_reference=True)
    lecture, _ = clip_lists.add_clip_list(project, "Week 3: endings")
    with pytest.raises(InvalidEdit, match="end_ms 6000 is past the end of the film at 3000"):
        clip_lists.add_clip(project, lecture, 1_000, 6_000)
    clip, _ = clip_lists.add_clip(project, lecture, 1_000, 2_000)
    with pytest.raises(InvalidEdit, match="start_ms 5000 is past the end of the film"):
        clip_lists.update_clip(project, clip, start_ms=5_000, end_ms=5_500)
    assert spans(project, lecture) == [(1_000, 2_000)]


def test_the_database_refuses_a_clip_that_ends_before_it_starts(project: Project) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Lecture")
    with pytest.raises(sqlite3.IntegrityError):
        project.conn.execute(
            "INSERT INTO clip (clip_list_id, position, start_ms, end_ms, handle_before_ms, "
            "handle_after_ms, title, caption) VALUES (?, 0, 2000, 1000, 0, 0, '', '')",
            (lecture,),
        )


def test_the_dump_lists_clip_lists_and_clips_in_order(project: Project) -> None:
    lecture, _ = clip_lists.add_clip_list(project, "Lecture")
    clip_lists.add_clip(project, lecture, 5000, 6000, title="second")
    clip_lists.add_clip(project, lecture, 0, 1000, title="first", position=0)
    dumped = queries.dump(project)
    assert [r["name"] for r in dumped["clip_list"]] == ["Lecture"]
    assert [r["title"] for r in dumped["clip"]] == ["first", "second"]


def test_short_titles_cut_at_a_word() -> None:
    text = "Igor hands the ring back without a speech, and she takes it in silence before the car."
    title = clip_lists.short_title(text, 40)
    assert title.endswith("…")
    assert len(title) <= 40
    assert text.startswith(title[:-1])
    assert clip_lists.short_title("  Snow\nfalls. ") == "Snow falls."


# -- the second schema, carried forward -------------------------------------------------------
def test_a_second_schema_file_is_upgraded_to_hold_clip_lists(tmp_path: Path) -> None:
    old = tmp_path / "v2.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(2))
    conn.execute(
        "INSERT INTO project (id, title, author, film_title, film_release, created_at)"
        " VALUES (1, 'Old', '', 'Anora', '', '')"
    )
    conn.execute(
        "INSERT INTO scene (id, position, name, start_ms, end_ms, description)"
        " VALUES (1, 0, 'The final scene', 18000, 120000, '')"
    )
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone() == (2,)
    conn.close()

    with Project.open(old, backup=False) as project:
        assert project.schema_version == schema.LATEST
        lecture, _ = clip_lists.add_clip_list(project, "Week 3")
        clip_lists.clip_from_scene(project, lecture, 1)
        assert titles(project, lecture) == ["The final scene"]
    with Project.create(tmp_path / "new.desk"):
        pass
    assert layout(old) == layout(tmp_path / "new.desk")
    check = sqlite3.connect(old)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            check.execute(
                "INSERT INTO clip (clip_list_id, position, start_ms, end_ms, handle_before_ms, "
                "handle_after_ms, title, caption) VALUES (1, 1, 2000, 1000, 0, 0, '', '')"
            )
    finally:
        check.close()
