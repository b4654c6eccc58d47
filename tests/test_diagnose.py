"""`desk check`: one line per part of the installation, and exit status 1 when a part fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.cli import main
from desk.paths import data_dir


def test_check_names_every_part_and_passes_here(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0

    lines = capsys.readouterr().out.splitlines()
    parts = [line.split()[1] for line in lines]
    assert parts == ["desk", "data", "resources", "libVLC", "PyAV", "report"]
    assert all(line.startswith("ok ") for line in lines), lines
    assert str(data_dir()) in lines[1]


def test_check_tells_a_data_folder_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("DESK_DATA_DIR", str(blocked))

    assert main(["check"]) == 1

    problem = [line for line in capsys.readouterr().out.splitlines() if "PROBLEM" in line]
    assert len(problem) == 1
    assert f"desk cannot make its data folder {blocked}" in problem[0]
