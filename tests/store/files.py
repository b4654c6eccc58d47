"""Project files for the store's tests: a small one made, and a file's fingerprint to show it
was left exactly as it was."""

from __future__ import annotations

import hashlib
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
