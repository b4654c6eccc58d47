"""A project desk checked and closed cleanly reopens without SQLite's full ``quick_check``; any
change to the file since (damage, truncation, a copy put in its place, another program's edit, an
edit left in a ``-wal`` by a desk that stopped) brings the full check back, and a damaged file is
refused with the sentence that says so."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk.errors import ProjectCorrupt
from desk.store import checked_files, edits
from desk.store.project import Project
from tests.store.files import damage_index, digest, make

DAMAGED = r"(?s)anora\.desk is damaged \(.*\); open one of its backups instead"


def checked_and_closed(path: Path) -> Path:
    make(path)
    Project.open(path, backup=False).close()
    assert checked_files.recorded(path)
    return path


def test_a_project_closed_cleanly_stays_known_as_checked_through_its_own_edits(
    project_path: Path,
) -> None:
    make(project_path)
    assert not checked_files.recorded(project_path)  # made here, never checked
    Project.open(project_path, backup=False).close()
    assert checked_files.recorded(project_path)
    with Project.open(project_path, backup=False) as project:  # opened on its record
        edits.add_paragraph(project, "She refuses the kiss.")
    assert checked_files.recorded(project_path)
    with Project.open(project_path, backup=False) as project:
        assert len(project.query("SELECT id FROM paragraph")) == 2


def test_a_project_damaged_after_a_clean_close_is_checked_in_full_and_refused(
    project_path: Path,
) -> None:
    checked_and_closed(project_path)
    damage_index(project_path)
    before = digest(project_path)
    with pytest.raises(ProjectCorrupt, match=DAMAGED):
        Project.open(project_path)
    assert digest(project_path) == before


def test_damage_whose_modification_time_was_set_back_is_still_found(project_path: Path) -> None:
    checked_and_closed(project_path)
    st = project_path.stat()
    damage_index(project_path)
    os.utime(project_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (project_path.stat().st_size, project_path.stat().st_mtime_ns) == (
        st.st_size,
        st.st_mtime_ns,
    )
    with pytest.raises(ProjectCorrupt, match=DAMAGED):
        Project.open(project_path)


def test_a_damaged_copy_put_in_the_projects_place_is_refused(project_path: Path) -> None:
    checked_and_closed(project_path)
    copy = project_path.with_name("copy.desk")
    shutil.copy2(project_path, copy)
    damage_index(copy)
    st = project_path.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(copy, project_path)
    with pytest.raises(ProjectCorrupt, match=DAMAGED):
        Project.open(project_path)


def test_a_project_truncated_after_a_clean_close_is_refused(project_path: Path) -> None:
    checked_and_closed(project_path)
    data = project_path.read_bytes()
    project_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectCorrupt, match="truncated"):
        Project.open(project_path)


def test_a_project_another_program_wrote_to_while_open_is_checked_in_full_next_time(
    project_path: Path,
) -> None:
    checked_and_closed(project_path)
    with Project.open(project_path, backup=False):
        other = sqlite3.connect(project_path)
        other.execute("UPDATE paragraph SET text = 'Rewritten elsewhere.'")
        other.commit()
        other.close()
    assert not checked_files.recorded(project_path)


def test_a_project_desk_stopped_before_closing_is_checked_in_full(project_path: Path) -> None:
    checked_and_closed(project_path)
    stopped = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from desk.store import edits\n"
        "from desk.store.project import Project\n"
        "project = Project.open(Path(sys.argv[1]), backup=False)\n"
        "edits.add_paragraph(project, 'Written, never closed.')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", stopped, str(project_path)], check=True, timeout=60)
    assert project_path.with_name("anora.desk-wal").stat().st_size > 0
    assert not checked_files.recorded(project_path)
    with Project.open(project_path, backup=False) as project:
        assert ("Written, never closed.",) in project.query("SELECT text FROM paragraph")
    assert checked_files.recorded(project_path)  # checked in full, then closed cleanly
