"""The film and the essay as the window, the CLI and the exports read them: typed rows."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from desk.core.timemap import TimeMap
from desk.store import edits, queries
from desk.store.project import Project


@pytest.fixture
def project(project_path: Path):
    with Project.create(project_path, title="Anora") as p:
        yield p


def pal_copy(project: Project, path: str = "/films/anora-pal.mkv") -> int:
    time_map = TimeMap.from_anchors([(0, 0), (60_000, 57_600)])
    media_id, _ = edits.add_media(
        project,
        path=path,
        label="PAL DVD",
        size_bytes=4_700_000_000,
        fingerprint="pal",
        duration_ms=8_000_000,
        fps_num=25,
        fps_den=1,
        width=720,
        height=576,
        time_map=json.dumps(time_map.to_json()),
        is_reference=True,
    )
    return int(media_id)


def test_the_reference_film_is_the_copy_marked_as_the_reference_with_typed_fields(
    project: Project,
) -> None:
    edits.add_media(project, path="/films/anora-stream.mp4", fps_num=24000, fps_den=1001)
    pal = pal_copy(project)

    media = queries.reference_media(project)

    assert media is not None
    assert (media.id, media.path, media.label) == (pal, "/films/anora-pal.mkv", "PAL DVD")
    assert (media.size_bytes, media.duration_ms, media.width, media.height) == (
        4_700_000_000,
        8_000_000,
        720,
        576,
    )
    assert media.fps == Fraction(25)
    assert media.film_map.to_copy(60_000) == 57_600  # the PAL copy runs 25/24 faster
    assert media.is_reference
    assert media.path_confirmed


def test_a_project_without_a_film_has_no_reference_film_and_says_so_in_its_info(
    project: Project,
) -> None:
    assert queries.reference_media(project) is None
    assert queries.all_media(project) == []
    assert queries.info(project)["film"] is None


def test_every_copy_of_the_film_is_listed_oldest_first_and_a_change_to_one_shows(
    project: Project,
) -> None:
    stream, _ = edits.add_media(project, path="/films/anora-stream.mp4")
    pal = pal_copy(project)
    before = queries.all_media(project)
    assert [m.id for m in before] == [stream, pal]

    edits.update_media(project, pal, path="/films/moved/anora-pal.mkv")

    after = queries.all_media(project)
    assert after != before
    assert after[1].path == "/films/moved/anora-pal.mkv"


def test_the_info_of_a_project_names_its_film_as_plain_data(project: Project) -> None:
    pal_copy(project)
    film = queries.info(project)["film"]
    assert film["path"] == "/films/anora-pal.mkv"
    assert (film["fps_num"], film["fps_den"]) == (25, 1)
    json.dumps(film)  # what ``desk info --json`` prints


def test_the_essay_reads_as_its_heading_then_its_paragraphs_in_order_with_their_links(
    project: Project,
) -> None:
    assert queries.essay_heading(project) is None
    ring, _ = edits.add_paragraph(project, "Igor hands the ring back.")
    kiss, _ = edits.add_paragraph(project, "She resists the kiss.")
    edits.add_paragraph(project, "The final scene", position=0, kind="heading")
    late, _ = edits.link(project, paragraph_id=ring, start_ms=90_000, end_ms=91_000)
    early, _ = edits.link(project, paragraph_id=ring, start_ms=30_000, end_ms=32_000)

    heading = queries.essay_heading(project)
    assert heading is not None
    blocks = queries.paragraphs(project, heading.id)
    assert [(p.position, p.kind, p.text) for p in blocks] == [
        (0, "heading", "The final scene"),
        (1, "body", "Igor hands the ring back."),
        (2, "body", "She resists the kiss."),
    ]
    links = queries.links_by_paragraph(project)
    assert links[ring] == [(early, 30_000, 32_000), (late, 90_000, 91_000)]
    assert links[ring][0].start_ms == 30_000
    assert kiss not in links
