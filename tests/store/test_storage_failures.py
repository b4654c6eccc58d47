"""Every way the disk can fail desk is told as itself, and changes nothing: a full disk, an I/O
error, read-only media, a lock held elsewhere, a newer version hidden in the ``-wal``. What can
only be read is opened for viewing and export, and reading leaves nothing behind that would
stop a later edit."""

from __future__ import annotations

import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk.cli import main
from desk.errors import ProjectError, ProjectLocked, ProjectReadOnly, ProjectTooNew
from desk.store import edits, schema
from desk.store.project import Project
from desk.store.sqlite import read_header
from tests.store.files import digest, make
from tests.store.mounts import as_user, read_only_view, small_disk


def integrity_and_notes(path: Path) -> tuple[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return integrity, [t for (t,) in conn.execute("SELECT text FROM note ORDER BY id")]
    finally:
        conn.close()


def apply_line(op: str, **fields: object) -> str:
    return json.dumps({"op": op, **fields}) + "\n"


# -- the disk gives way -----------------------------------------------------------------------
def fill(folder: Path) -> Path:
    """A file that takes every free byte of ``folder``'s disk."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            try:
                os.write(fd, bytes(4096))
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                return filler
    finally:
        os.close(fd)


def test_a_full_disk_says_so_and_loses_no_saved_edit(tmp_path: Path) -> None:
    with small_disk(tmp_path / "usb", size_kb=1024) as disk:
        path = make(disk / "anora.desk")
        with Project.open(path, backup=False) as project:
            edits.add_note(project, "She laughs, then does not.")
            filler = fill(disk)
            with pytest.raises(ProjectError) as refused:
                edits.add_note(project, "Snow keeps falling. " * 10_000)
            assert str(refused.value) == (
                "anora.desk could not be saved: the disk is full; nothing was changed."
            )
            assert project.query("SELECT count(*) FROM note") == [(1,)]
            filler.unlink()  # space again: desk goes on where it was
            edits.add_note(project, "Snow keeps falling.")
        assert integrity_and_notes(path) == (
            "ok",
            ["She laughs, then does not.", "Snow keeps falling."],
        )


IO_ERROR = """
import resource, signal, sys
from pathlib import Path
from desk.cli import main
from desk.errors import KnownError
from desk.store import edits
from desk.store.project import Project

with Project.open(Path(sys.argv[1]), backup=False) as project:
    # No file may grow: each write fails with EFBIG, which SQLite reports as an I/O error.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
    try:
        edits.add_note(project, "She laughs, then does not.")
    except KnownError as exc:
        print(exc)
"""


def test_an_input_output_error_says_so_and_changes_nothing(project_path: Path) -> None:
    make(project_path)
    said = subprocess.run(
        [sys.executable, "-c", IO_ERROR, str(project_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert said.strip() == (
        "anora.desk could not be saved: the disk reported an input/output error; "
        "nothing was changed."
    )
    assert integrity_and_notes(project_path) == ("ok", [])


def test_another_program_writing_the_file_is_told_as_such(project_path: Path) -> None:
    make(project_path)
    with Project.open(project_path, backup=False) as project:
        other = sqlite3.connect(project_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another SQLite tool, holding the write lock
        with pytest.raises(ProjectError, match="could not be saved: another program is writing"):
            edits.add_note(project, "She laughs, then does not.")
        other.execute("ROLLBACK")
        other.close()
        edits.add_note(project, "She laughs, then does not.")
    assert integrity_and_notes(project_path) == ("ok", ["She laughs, then does not."])


# -- versions and locks -----------------------------------------------------------------------
def test_a_newer_version_written_only_in_the_wal_is_refused(project_path: Path) -> None:
    make(project_path)
    newer = sqlite3.connect(project_path, isolation_level=None)
    newer.execute("PRAGMA wal_autocheckpoint = 0")  # the bump stays in the -wal
    newer.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    header = read_header(project_path)
    assert header is not None
    assert header.user_version == schema.LATEST  # the file's own header does not show it
    wal = project_path.with_name(project_path.name + "-wal")
    before = (digest(project_path), digest(wal))
    try:
        with pytest.raises(ProjectTooNew, match=rf"newer desk \(schema {schema.LATEST + 1}"):
            Project.open(project_path)
        with pytest.raises(ProjectTooNew):
            Project.open(project_path, readonly=True)
        assert (digest(project_path), digest(wal)) == before
    finally:
        newer.close()


def test_the_same_project_through_a_symbolic_link_is_refused_while_open(tmp_path: Path) -> None:
    path = make(tmp_path / "anora.desk")
    link = tmp_path / "shortcut.desk"
    link.symlink_to(path)
    with (
        Project.open(path, backup=False),
        pytest.raises(ProjectLocked, match="shortcut.desk is open in another desk"),
    ):
        Project.open(link, backup=False)
    assert integrity_and_notes(path) == ("ok", [])


# -- read-only media --------------------------------------------------------------------------
def test_a_project_on_a_read_only_disk_opens_for_viewing_and_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "course"
    source.mkdir()
    make(source / "anora.desk")
    with Project.open(source / "anora.desk", backup=False) as project:
        edits.add_note(project, "She laughs, then does not.")
    files = {p.name: digest(p) for p in source.iterdir()}
    with read_only_view(source, tmp_path / "dvd") as dvd:
        path = dvd / "anora.desk"
        with pytest.raises(ProjectReadOnly, match="anora.desk is on a read-only disk"):
            Project.open(path)
        with Project.open(path, readonly=True) as project:
            assert project.readonly
            assert project.query("SELECT text FROM note") == [("She laughs, then does not.",)]
            with pytest.raises(ProjectReadOnly, match="open read-only, for viewing and export"):
                edits.add_note(project, "Snow keeps falling.")
            with pytest.raises(ProjectReadOnly):
                project.undo()
        assert main(["info", str(path)]) == 0
        assert "note 1" in capsys.readouterr().out
        assert main(["dump", str(path)]) == 0
        (note,) = json.loads(capsys.readouterr().out)["note"]
        assert note["text"] == "She laughs, then does not."
        notes = tmp_path / "notes.csv"
        assert main(["export", "csv", str(path), "-o", str(notes)]) == 0
        assert "She laughs, then does not." in notes.read_text()
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(apply_line("add_note", text="Snow.")))
        assert main(["apply", str(path)]) == 1
        assert capsys.readouterr().err.startswith("desk: anora.desk is on a read-only disk")
    assert {p.name: digest(p) for p in source.iterdir()} == files


def test_an_older_project_on_a_read_only_disk_is_upgraded_in_memory_only(tmp_path: Path) -> None:
    source = tmp_path / "course"
    source.mkdir()
    conn = sqlite3.connect(source / "v3.desk")
    conn.executescript(schema.frozen_schema(3))
    conn.execute("INSERT INTO note (kind, text, created_at) VALUES ('free', 'Snow.', '')")
    conn.commit()
    conn.close()
    before = digest(source / "v3.desk")
    with (
        read_only_view(source, tmp_path / "dvd") as dvd,
        Project.open(dvd / "v3.desk", readonly=True) as project,
    ):
        assert project.schema_version == schema.LATEST
        assert project.query("SELECT text, length(uid) FROM note") == [("Snow.", 32)]
    assert [p.name for p in source.iterdir()] == ["v3.desk"]
    assert digest(source / "v3.desk") == before


def test_a_project_in_a_read_only_folder_is_viewed_and_nothing_is_left_beside_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "handed-in"
    folder.mkdir()
    path = make(folder / "anora.desk")
    (folder / "anora.desk.lock").unlink(missing_ok=True)
    folder.chmod(0o555)
    try:
        info = as_user("info", str(path))
        assert info.returncode == 0, info.stderr
        edit = as_user("apply", str(path), stdin=apply_line("add_note", text="Snow."))
        assert edit.returncode == 1
        assert edit.stderr.startswith(f"desk: anora.desk is in a read-only folder ({folder})")
        assert [p.name for p in folder.iterdir()] == ["anora.desk"]
    finally:
        folder.chmod(0o755)


def test_reading_a_read_only_file_leaves_nothing_that_stops_later_edits(
    project_path: Path,
) -> None:
    """Read-only, then made writable again: the edit works without deleting any file by hand."""
    make(project_path)
    project_path.chmod(0o444)
    info = as_user("info", str(project_path))
    assert info.returncode == 0, info.stderr
    refused = as_user("apply", str(project_path), stdin=apply_line("add_note", text="Snow."))
    assert refused.returncode == 1
    assert refused.stderr.startswith("desk: anora.desk is read-only")
    for leftover in ("-shm", "-wal"):
        assert not project_path.with_name(project_path.name + leftover).exists()
    project_path.chmod(0o644)
    edit = as_user("apply", str(project_path), stdin=apply_line("add_note", text="Snow."))
    assert edit.returncode == 0, edit.stderr
    assert integrity_and_notes(project_path) == ("ok", ["Snow."])


def test_a_read_only_file_with_edits_still_in_its_wal_is_refused_with_a_reason(
    project_path: Path,
) -> None:
    make(project_path)
    writer = sqlite3.connect(project_path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO note (kind, text, created_at, uid) VALUES ('free', 'x', '', 'u')")
    # A desk killed here leaves the edit in the -wal; copy the pair as it would be found.
    crashed = project_path.with_name("crashed.desk")
    crashed.write_bytes(project_path.read_bytes())
    crashed.with_name("crashed.desk-wal").write_bytes(
        project_path.with_name("anora.desk-wal").read_bytes()
    )
    writer.close()
    crashed.chmod(0o444)
    said = as_user("info", str(crashed))
    assert said.returncode == 1
    assert "edits not yet folded into it wait in crashed.desk-wal" in said.stderr
    assert not crashed.with_name("crashed.desk-shm").exists()
