"""The sample project: written whole, analysed, and with nothing to undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.errors import Cancelled
from desk.sample import RENDER_SHARE, write_sample
from desk.store.project import Project


def test_the_sample_comes_analysed_with_a_clean_history(tmp_path: Path) -> None:
    path = write_sample(tmp_path, scale=0.25)
    with Project.open(path, backup=False) as project:
        assert project.undo_labels() == (None, None)
        assert {kind for (kind,) in project.query("SELECT kind FROM analysis")} == {
            "loudness",
            "cuts",
        }
        shots = project.query("SELECT count(*) FROM shot WHERE source = 'detected'")[0][0]
        assert shots > 5  # the stand-in film cuts between its cards


def test_cancelled_while_analysing_the_sample_is_whole_with_a_clean_history(
    tmp_path: Path,
) -> None:
    seen: list[float] = []
    with pytest.raises(Cancelled):
        write_sample(
            tmp_path,
            scale=0.25,
            progress=seen.append,
            cancel=lambda: bool(seen) and seen[-1] > RENDER_SHARE,  # once analysis is under way
        )
    with Project.open(tmp_path / "anora-ending.desk", backup=False) as project:
        assert project.undo_labels() == (None, None)
        assert project.query("SELECT count(*) FROM paragraph")[0][0] == 10


def test_a_sample_that_cannot_be_filled_leaves_no_project_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Otherwise the first run would open an essay-less sample at every start."""
    import desk.sample

    broken = desk.sample.load_spec()
    broken["notes"][-1]["at"] = ["not a time", "1:00"]
    monkeypatch.setattr(desk.sample, "load_spec", lambda: broken)
    with pytest.raises(ValueError, match="not a time"):
        write_sample(tmp_path, scale=0.25)
    assert not (tmp_path / "anora-ending.desk").exists()
    assert (tmp_path / "anora-ending-stand-in.mp4").exists()  # the film is kept for the next try
    monkeypatch.undo()
    with Project.open(write_sample(tmp_path, scale=0.25), backup=False) as project:
        assert project.query("SELECT count(*) FROM paragraph")[0][0] == 10
