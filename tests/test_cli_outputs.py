"""From a terminal, no export can replace the project it reads: each is refused in one line and the
project is left exactly as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from fractions import Fraction
from pathlib import Path

import pytest

from tests.running import desk


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desk.media.synth import render_film

    path = tmp_path_factory.mktemp("film") / "anora.mp4"
    return render_film(path, width=160, height=90, fps=Fraction(24), duration_s=2.0)


@pytest.fixture
def project(film: Path, tmp_path: Path) -> Path:
    from desk.film_tasks import new_project
    from desk.store import edits

    path = tmp_path / "self.desk"
    with new_project(path, film) as made:
        edits.add_paragraph(made, "Snow keeps falling.")
    return path


def state(project: Path) -> tuple[str, str]:
    """What the user has: the project's contents, and SQLite's verdict on the file."""
    from desk.store import queries
    from desk.store.project import Project

    with Project.open(project, readonly=True) as opened:
        dumped = json.dumps(queries.dump(opened), default=str)
    with sqlite3.connect(f"{project.as_uri()}?mode=ro", uri=True) as conn:
        (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
    conn.close()
    return dumped, integrity


def refused_in_one_line(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 1
    assert reason in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "wrote" not in done.stdout


def test_an_export_onto_the_open_project_is_refused(project: Path) -> None:
    before = state(project)
    done = desk("export", "csv", str(project), "-o", str(project))
    refused_in_one_line(done, "self.desk is a desk project, which desk never replaces")
    assert state(project) == before
    assert json.loads(before[0])["paragraph"][0]["text"] == "Snow keeps falling."
    assert before[1] == "ok"


@pytest.mark.parametrize(
    ("what", "name"),
    [
        ("report", "report.pdf"),
        ("chart", "arc.svg"),
        ("deskz", "share.deskz"),
        ("jsonld", "a.json"),
    ],
)
def test_no_kind_of_export_replaces_the_project(project: Path, what: str, name: str) -> None:
    before = state(project)
    done = desk("export", what, str(project), "-o", str(project))
    refused_in_one_line(done, "desk never replaces")
    link = project.with_name(name)
    link.symlink_to(project)
    done = desk("export", what, str(project), "-o", str(link))
    refused_in_one_line(done, "desk never replaces")
    assert state(project) == before


def test_a_still_is_not_written_over_a_project(project: Path, film: Path) -> None:
    before = state(project)
    link = project.with_name("still.png")
    link.symlink_to(project)
    done = desk("frame", str(film), "--at", "0:01", "-o", str(link))
    refused_in_one_line(done, "(a link to")
    assert state(project) == before


def test_an_export_through_a_link_to_the_project_is_refused(project: Path) -> None:
    before = state(project)
    link = project.with_name("notes.csv")
    link.symlink_to(project)
    done = desk("export", "csv", str(project), "-o", str(link))
    refused_in_one_line(done, f"(a link to {project}) is a desk project")
    assert link.is_symlink()
    assert state(project) == before


def test_an_export_onto_the_projects_write_ahead_log_is_refused(project: Path) -> None:
    wal = project.with_name("self.desk-wal")
    wal.touch()  # as a desk with the project open keeps it
    before = state(project)
    done = desk("export", "vtt", str(project), "-o", str(wal))
    refused_in_one_line(done, "the write-ahead log of the desk project self.desk")
    assert state(project) == before


def test_clips_are_not_exported_into_the_projects_backups(project: Path) -> None:
    from desk.store import clip_lists
    from desk.store.project import Project

    with Project.open(project, backup=False) as opened:
        lecture, _ = clip_lists.ensure_clip_list(opened, "Lecture")
        clip_lists.add_clip(opened, lecture, 0, 1000)
    backups = project.with_name("self.desk-backups")
    backups.mkdir(exist_ok=True)
    done = desk("export", "clips", str(project), "--out", str(backups))
    refused_in_one_line(done, "self.desk-backups, the backups of a project")
    assert not [p for p in backups.iterdir() if p.suffix == ".mp4"]


def test_a_file_made_read_only_is_refused_not_replaced(project: Path) -> None:
    kept = project.with_name("sent.csv")
    kept.write_text("the version sent to the class\n")
    kept.chmod(0o444)
    done = desk("export", "csv", str(project), "-o", str(kept))
    refused_in_one_line(done, "sent.csv is read-only")
    assert kept.read_text() == "the version sent to the class\n"


def test_the_next_export_clears_what_a_killed_export_left(project: Path) -> None:
    folder = project.parent
    left = folder / ".report.pdf.x1y2z3w4.part"
    left.write_bytes(b"%PDF-1.4 half")
    old = time.time() - 3600
    os.utime(left, (old, old))
    done = desk("export", "csv", str(project), "-o", str(folder / "notes.csv"))
    assert done.returncode == 0, done.stderr
    assert not left.exists()
    assert not list(folder.glob(".*.part*"))
