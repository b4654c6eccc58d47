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


def damage_index(path: Path, index: str = "ix_note_uid") -> None:
    """Overwrite one page of ``index`` with garbage, as a failing disk might: SQLite's
    ``quick_check`` finds it; reading the project's rows (which never use that index) does not."""
    conn = sqlite3.connect(path)
    try:
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        pages = [
            row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (index,))
        ]
    finally:
        conn.close()
    assert pages, f"{index} has no page of its own"
    with path.open("r+b") as f:
        f.seek((pages[-1] - 1) * page_size)
        f.write(bytes(range(256)) * (page_size // 256))
