"""First run: render the sample project and its stand-in film once, with a progress dialog."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desk.errors import Cancelled, KnownError
from desk.paths import SAMPLE_NAME, data_dir

log = logging.getLogger("desk.ui")


def sample_folder() -> Path:
    return data_dir() / "sample"


class _Relay(QObject):
    progress = Signal(float)
    finished = Signal(object)  # Path, or the exception


def ensure_sample(parent: QWidget | None) -> Path | None:
    """The sample project's path, writing it first if needed; None if cancelled or failed."""
    folder = sample_folder()
    project = folder / f"{SAMPLE_NAME}.desk"
    if project.exists():
        return project
    from desk.sample import write_sample

    dialog = QProgressDialog(
        "Rendering the sample project's stand-in film…", "Cancel", 0, 100, parent
    )
    dialog.setWindowTitle("desk — first run")
    dialog.setMinimumDuration(0)
    relay = _Relay()
    relay.progress.connect(lambda f: dialog.setValue(int(f * 100)))
    loop = QEventLoop()
    outcome: list[object] = []

    def finished(result: object) -> None:
        outcome.append(result)
        loop.quit()

    relay.finished.connect(finished)
    cancelled = threading.Event()
    dialog.canceled.connect(cancelled.set)

    def work() -> None:
        try:
            result: object = write_sample(
                folder, progress=relay.progress.emit, cancel=cancelled.is_set
            )
        except Exception as exc:  # handed to the GUI thread below
            result = exc
        relay.finished.emit(result)

    threading.Thread(target=work, name="desk-sample", daemon=True).start()
    loop.exec()
    dialog.close()
    result = outcome[0]
    if isinstance(result, Cancelled):
        return None
    if isinstance(result, KnownError):
        QMessageBox.warning(parent, "desk", str(result))
        return None
    if isinstance(result, BaseException):
        raise result
    assert isinstance(result, Path)
    return result
