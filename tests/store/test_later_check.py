"""A project the window shows before its ``quick_check``: every write waits for the verdict, and a
damaged file is never written."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.errors import KnownError, ProjectCorrupt
from desk.store import edits
from desk.store.project import Project, backup_dir
from tests.bulk import write_large_project
from tests.store.files import damage_index, digest, in_file


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = write_large_project(tmp_path / "damaged.desk", paragraphs=20, notes=2_000,
                               duration_ms=60_000)  # fmt: skip
    damage_index(path)
    return path


def test_the_cli_still_refuses_a_damaged_file_before_using_it(damaged: Path) -> None:
    before = digest(damaged)
    with pytest.raises(ProjectCorrupt, match="is damaged"):
        Project.open(damaged)
    assert digest(damaged) == before


def test_a_damaged_file_checked_later_turns_read_only_and_is_never_written(damaged: Path) -> None:
    before = digest(damaged)
    found: list[KnownError] = []
    project = Project.open(damaged, check_later=True)
    try:
        assert not project.readonly  # not yet known
        assert project.query("SELECT count(*) FROM paragraph") == [(20,)]
        project.start_check(found.append)
        with pytest.raises(ProjectCorrupt, match="damaged.desk is damaged"):
            edits.add_paragraph(project, "Igor hands the ring back.")
        assert project.readonly
        assert len(found) == 1
        assert "is damaged" in str(found[0])
        with pytest.raises(ProjectCorrupt):
            project.save_copy(damaged.with_name("copy.desk"))
    finally:
        project.close()
    assert digest(damaged) == before
    assert not damaged.with_name("copy.desk").exists()
    # The backups it had are what is left of it: none was made from the damaged file.
    assert not any(backup_dir(damaged).glob("*.desk"))


def test_the_first_edit_waits_for_the_check_it_starts(tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "sound.desk", paragraphs=20, notes=500,
                               duration_ms=60_000)  # fmt: skip
    with Project.open(path, check_later=True) as project:  # start_check never called
        edits.add_paragraph(project, "Igor hands the ring back.")
        assert not project.readonly
    assert in_file(path, "SELECT count(*) FROM paragraph") == [(21,)]
    assert len(list(backup_dir(path).glob("*.desk"))) == 1  # made once the file passed
