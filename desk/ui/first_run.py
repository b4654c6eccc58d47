"""First run: render the sample project and its stand-in film once, with a progress dialog."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desk.paths import SAMPLE_NAME, data_dir
from desk.ui.background import run_task, warn_known

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

    written: list[Path] = []
    run_task(
        parent,
        "Rendering and analysing the sample project's stand-in film…",
        lambda progress, cancel: write_sample(folder, progress=progress, cancel=cancel),
        written.append,
        warn_known(parent),
        # Once the film is rendered the sample is whole, if unanalysed.
        on_cancelled=lambda: written.extend([project] if project.exists() else []),
        title="desk — first run",
        delay_ms=0,
    )
    return written[0] if written else None
