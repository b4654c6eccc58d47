"""First run: render the sample project and its stand-in film once, with a progress dialog."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desk.errors import Cancelled, KnownError
from desk.paths import SAMPLE_NAME, data_dir
from desk.ui import messages
from desk.ui.background import run_with_progress

log = logging.getLogger("desk.ui")


def sample_folder() -> Path:
    return data_dir() / "sample"


def ensure_sample(parent: QWidget | None) -> Path | None:
    """The sample project's path, writing it first if needed; None if cancelled before the
    project was written, or failed."""
    folder = sample_folder()
    project = folder / f"{SAMPLE_NAME}.desk"
    if project.exists():
        return project
    from desk.sample import write_sample

    result = run_with_progress(
        parent,
        "Rendering and analysing the sample project's stand-in film…",
        lambda progress, cancel: write_sample(folder, progress=progress, cancel=cancel),
        title="desk — first run",
        delay_ms=0,
    )
    if isinstance(
        result, Cancelled
    ):  # once the film is rendered the sample is whole, if unanalysed
        return project if project.exists() else None
    if isinstance(result, KnownError):
        messages.warning(parent, "desk", str(result))
        return None
    if isinstance(result, BaseException):
        raise result
    assert isinstance(result, Path)
    return result
