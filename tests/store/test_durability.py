"""Killing desk mid-edit loses nothing it acknowledged."""

from __future__ import annotations

import random
from pathlib import Path

from desk.store.durability import kill_during_edits
from desk.store.project import Project


def test_a_killed_desk_loses_no_acknowledged_edit(project_path: Path) -> None:
    rng = random.Random(7)
    for after in (1, 37, 120):
        result = kill_during_edits(project_path, after_acks=after, rng=rng)
        assert result.acknowledged == after
        assert result.lost == 0
        assert result.integrity == "ok"
    with Project.open(project_path) as project:  # the lock died with the process
        assert project.query("SELECT count(*) FROM note")[0][0] >= 158
