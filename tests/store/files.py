"""Project files for the tests: a small one made, a file's fingerprint to show it was left
exactly as it was, and a file read back as another program would."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from desk.store import edits
from desk.store.project import Project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make(path: Path) -> Path:
    """A project with a title and one paragraph."""
    with Project.create(path, title="Anora") as project:
        edits.add_paragraph(project, "Igor hands the ring back.")
    return path


def in_file(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read the project file itself, read-only, as another program would (the window keeps it
    open)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
