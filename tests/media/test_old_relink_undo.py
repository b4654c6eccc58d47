"""Undoing a relink made before desk counted a copy's time on its container's clock.

Such a relink's undo history holds the copy's old time map, counted from its first picture. Undone
after the project has been carried onto the container's clock, the old copy comes back with that
map, and it must then count on the one clock too: its links land on the frames they were made on.

The project was made on a Matroska copy whose video starts 23 ms into the container, then relinked
to an MP4 of the same pictures that starts at 0; each frame shows its number."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from desk.core.timemap import TimeMap
from desk.film_tasks import settle_clock
from desk.media.frames import FrameDecoder
from desk.media.probe import video_lead_ms
from desk.media.synth import read_frame_number
from desk.store import edits, queries
from desk.store.project import Project
from tests.media.test_one_clock import old_clock_frame, old_project
from tests.rips import make_late_video

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

LINKS = [40, 1000]


def relinked_before_the_one_clock(path: Path, first: Path, second: Path) -> Path:
    """A schema-4 project made on ``first`` and relinked to ``second`` (the same cut), with the
    relink in its undo history as desk journaled it then."""
    old_project(path, first, LINKS)
    identity = json.dumps({"kind": "identity"})
    before = {"id": 1, "path": str(first), "time_map": identity, "label": "reference copy"}
    after = {"id": 1, "path": str(second), "time_map": identity, "label": "second copy"}
    conn = sqlite3.connect(path)
    conn.execute("UPDATE media SET path = ?, label = 'second copy' WHERE id = 1", (str(second),))
    conn.execute(
        "INSERT INTO journal (label, forward, backward, undone) VALUES ('Edit film copy', ?, ?, 0)",
        (json.dumps([["update", "media", after, before]]),
         json.dumps([["update", "media", before, after]])),
    )  # fmt: skip
    conn.commit()
    conn.close()
    return path


def shown_frames(project: Project) -> list[int]:
    """The numbers of the frames the project's links show in the copy it plays."""
    media = queries.reference_media(project)
    assert media is not None
    with FrameDecoder(Path(media.path)) as decoder:
        return [read_frame_number(decoder.frame_at(media.film_map.to_copy(t)).rgb) for t in LINKS]


def test_undoing_an_old_relink_brings_back_the_old_copy_on_its_containers_clock(
    tmp_path: Path,
) -> None:
    late = make_late_video(tmp_path)
    plain = tmp_path / "numbered-25fps.mp4"  # the same pictures, from the container's start
    assert video_lead_ms(plain) == 0
    assert round(video_lead_ms(late)) == 23
    made_on = [old_clock_frame(t) for t in LINKS]
    path = relinked_before_the_one_clock(tmp_path / "old.desk", late, plain)
    with Project.open(path) as project:
        assert settle_clock(project)
        assert shown_frames(project) == made_on
        project.undo()  # back to the copy with the late video
        media = queries.reference_media(project)
        assert media is not None
        assert media.path == str(late)
        assert media.clock_pending  # its map still counts from its first picture
        assert settle_clock(project)
        assert shown_frames(project) == made_on
        project.redo()
        assert settle_clock(project)
        assert shown_frames(project) == made_on


def test_a_map_changed_since_the_one_clock_is_undone_on_the_same_clock(tmp_path: Path) -> None:
    late = make_late_video(tmp_path)
    with Project.open(old_project(tmp_path / "old.desk", late, LINKS)) as project:
        assert settle_clock(project)
        settled = queries.reference_media(project)
        assert settled is not None
        moved = json.dumps(TimeMap.from_offset(100).to_json())
        edits.update_media(project, settled.id, time_map=moved)
        project.undo()
        media = queries.reference_media(project)
        assert media is not None
        assert not media.clock_pending  # undone onto a map that counts on the one clock already
        assert media.film_map == settled.film_map
        assert shown_frames(project) == [old_clock_frame(t) for t in LINKS]
