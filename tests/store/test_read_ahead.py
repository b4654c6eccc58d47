"""A read made ahead on another thread is used only while it is still true of the file."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from desk.store import edits
from desk.store.project import Project
from desk.store.read_ahead import ReadAhead
from desk.store.reads import timeline as timeline_reads
from tests.bulk import write_large_project


def test_a_read_ahead_is_the_read_made_now(tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "p.desk", paragraphs=30, notes=3_000, duration_ms=60_000)
    with Project.open(path, backup=False) as project:
        ahead = ReadAhead.start(project, timeline_reads.link_rows)
        assert ahead is not None
        taken = ahead.take()
        assert taken is not None
        (columns, kinds), (now_columns, now_kinds) = taken, timeline_reads.link_rows(project)
        assert len(columns.starts) == 3_030
        for a, b in zip((*kinds, columns.starts, columns.ends, columns.note_ids),
                        (*now_kinds, now_columns.starts, now_columns.ends, now_columns.note_ids),
                        strict=True):  # fmt: skip
            assert np.array_equal(a, b)
        assert ahead.take() is None  # handed over once


def test_a_read_overtaken_by_an_edit_is_dropped(tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "p.desk", paragraphs=30, notes=300, duration_ms=60_000)
    reading, edited = threading.Event(), threading.Event()

    def slow_count(project: Project) -> int:
        (count,) = project.query("SELECT count(*) FROM time_link")[0]
        reading.set()
        edited.wait(10)  # the edit is committed while this read's snapshot is open
        return int(count)

    with Project.open(path, backup=False) as project:
        ahead = ReadAhead.start(project, slow_count)
        assert ahead is not None
        assert reading.wait(10)
        edits.link(project, paragraph_id=1, start_ms=1_000)
        edited.set()
        assert ahead.take() is None  # 330 links, no longer true: the caller reads for itself
        again = ReadAhead.start(project, slow_count)
        assert again is not None
        assert again.take() == 331


def test_no_read_ahead_of_a_project_opened_read_only(tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "p.desk", paragraphs=3, notes=3, duration_ms=60_000)
    with Project.open(path, readonly=True) as project:
        assert ReadAhead.start(project, timeline_reads.link_rows) is None
