"""No output lands on a project, on what SQLite and desk keep beside it, or on a read-only file;
an export killed halfway leaves nothing that the next one does not clear."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.core.files import RUN_STARTED, sweep_stale_parts, write_atomically
from desk.core.outputs import check_target
from desk.errors import ExportError
from desk.store.project import Project


@pytest.fixture
def open_project(tmp_path: Path) -> Iterator[Project]:
    """A project open for editing, with its -wal, -shm and lock beside it and one backup."""
    with Project.create(tmp_path / "anora.desk", title="Anora") as project:
        project.rotate_backups()
        yield project


def refused(target: Path, reason: str) -> None:
    before = target.read_bytes() if target.is_file() else None
    with pytest.raises(ExportError, match=reason):
        write_atomically(target, b"exported")
    if before is not None:
        assert target.read_bytes() == before


def test_an_export_onto_the_project_is_refused(open_project: Project) -> None:
    refused(open_project.path, "anora.desk is a desk project, which desk never replaces")
    assert open_project.query("SELECT title FROM project") == [("Anora",)]


@pytest.mark.parametrize(
    ("suffix", "role"),
    [
        ("-wal", "the write-ahead log"),
        ("-shm", "the shared-memory index"),
        (".lock", "the lock"),
    ],
)
def test_the_files_beside_an_open_project_are_refused(
    open_project: Project, suffix: str, role: str
) -> None:
    companion = open_project.path.with_name(open_project.path.name + suffix)
    assert companion.exists()
    refused(companion, f"{role} of the desk project anora.desk")


def test_the_backups_of_a_project_are_refused(open_project: Project) -> None:
    (backup,) = open_project.path.with_name("anora.desk-backups").glob("*.desk")
    refused(backup, "the backups of a project")
    refused(backup.with_name("notes.csv"), "the backups of a project")  # nothing new in there


def test_a_project_reached_by_a_link_or_another_name_is_refused(
    open_project: Project, tmp_path: Path
) -> None:
    symlink = tmp_path / "shortcut.csv"
    symlink.symlink_to(open_project.path)
    refused(symlink, "a link to .*anora.desk.* is a desk project")
    assert symlink.is_symlink()
    hard = tmp_path / "same-file.csv"
    os.link(open_project.path, hard)
    refused(hard, "is a desk project")
    wal_link = tmp_path / "log.csv"
    wal_link.symlink_to(open_project.path.with_name("anora.desk-wal"))
    refused(wal_link, "write-ahead log of the desk project anora.desk")


def test_another_programs_database_and_a_stray_write_ahead_log_are_refused(
    tmp_path: Path,
) -> None:
    other = tmp_path / "places.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    refused(other, "an SQLite database")
    stray = tmp_path / "export.csv"
    stray.write_bytes(bytes.fromhex("377f0682") + bytes(28))
    refused(stray, "an SQLite write-ahead log")


def test_a_read_only_file_is_refused_not_replaced(tmp_path: Path) -> None:
    kept = tmp_path / "final-report.pdf"
    kept.write_bytes(b"%PDF the version sent to the editor")
    kept.chmod(0o444)
    refused(kept, "final-report.pdf is read-only")
    assert kept.stat().st_mode & 0o777 == 0o444


def test_a_folder_a_pipe_or_a_device_is_not_a_file_to_replace(tmp_path: Path) -> None:
    refused(tmp_path, "it is a folder")
    fifo = tmp_path / "notes.csv"
    os.mkfifo(fifo)
    refused(fifo, "not a regular file")
    with pytest.raises(ExportError, match="not a regular file"):
        check_target(Path(os.devnull))


def test_an_ordinary_file_is_replaced_and_a_new_one_written(tmp_path: Path) -> None:
    old = tmp_path / "notes.csv"
    old.write_text("yesterday")
    write_atomically(old, b"today")
    write_atomically(tmp_path / "new.csv", b"new")
    assert old.read_bytes() == b"today"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.csv", "notes.csv"]


def stale(path: Path) -> Path:
    """``path`` created as a killed export leaves it: before this run began."""
    path.write_bytes(b"half a report")
    os.utime(path, (RUN_STARTED - 60, RUN_STARTED - 60))
    return path


def test_the_next_export_into_a_folder_clears_what_a_killed_one_left(tmp_path: Path) -> None:
    left = stale(tmp_path / ".report.pdf.k3x_9q2a.part")
    left_still = stale(tmp_path / ".frame.png.0abcdefg.part.png")
    mine = stale(tmp_path / "draft.part")  # not a name desk gives: the user's own file
    write_atomically(tmp_path / "notes.csv", b"x")
    assert not left.exists()
    assert not left_still.exists()
    assert mine.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.part", "notes.csv"]


def test_an_export_still_running_in_another_desk_keeps_its_file(tmp_path: Path) -> None:
    running = stale(tmp_path / ".clip.mp4.abcd1234.part")
    fd = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the desk writing it holds it
        assert sweep_stale_parts(tmp_path) == []
        assert running.exists()
    finally:
        os.close(fd)
    assert sweep_stale_parts(tmp_path) == [running]
    fresh = tmp_path / ".clip.mp4.efgh5678.part"
    fresh.write_bytes(b"")  # made during this run: not left over from before it
    assert sweep_stale_parts(tmp_path) == []
