"""Long work (rendering, exporting) in a thread, with a progress dialog that can cancel it.

The work gets ``progress(fraction)`` and ``cancel() -> bool`` callbacks, the same ones the CLI
passes; it runs off the GUI thread while the dialog keeps the window responsive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Work = Callable[[Callable[[float], None], Callable[[], bool]], object]


class _Relay(QObject):
    progress = Signal(float)
    finished = Signal(object)  # the result, or the exception raised


def run_with_progress(
    parent: QWidget | None, label: str, work: Work, *, title: str = "desk", delay_ms: int = 300
) -> object:
    """Run ``work(progress, cancel)`` in a thread; returns its result or the exception it raised."""
    dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(delay_ms)
    relay = _Relay()
    relay.progress.connect(lambda f: dialog.setValue(int(f * 100)))
    loop = QEventLoop()
    outcome: list[object] = []

    def finished(result: object) -> None:
        outcome.append(result)
        loop.quit()

    relay.finished.connect(finished)
    stop = threading.Event()
    dialog.canceled.connect(stop.set)

    def run() -> None:
        try:
            result = work(relay.progress.emit, stop.is_set)
        except Exception as exc:  # handed back to the GUI thread
            result = exc
        relay.finished.emit(result)

    threading.Thread(target=run, name="desk-work", daemon=True).start()
    loop.exec()
    dialog.close()
    return outcome[0]
