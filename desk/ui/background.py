"""Long work (rendering, exporting, reading a film) in a thread, with a progress dialog that can
cancel it, and its outcome handed to typed callbacks on the GUI thread.

The work gets ``progress(fraction)`` and ``cancel() -> bool`` callbacks, the same ones the CLI
passes, and stops by raising :class:`~desk.errors.Cancelled` once ``cancel()`` is true. It runs
off the GUI thread while the dialog keeps the window responsive; :func:`run_task` returns once the
work is over and one of ``on_done``, ``on_failed`` or ``on_cancelled`` has run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk.errors import Cancelled, KnownError
from desk.ui import messages

T = TypeVar("T")
Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]


class _Relay(QObject):
    progress = Signal(float)
    finished = Signal()


def _nothing() -> None:
    pass


def run_task(
    parent: QWidget | None,
    label: str,
    work: Callable[[Progress, CancelCheck], T],
    on_done: Callable[[T], None],
    on_failed: Callable[[BaseException], None],
    *,
    on_cancelled: Callable[[], None] = _nothing,
    title: str = "desk",
    delay_ms: int = 300,
) -> None:
    """Run ``work(progress, cancel)`` in a thread behind a progress dialog shown after
    ``delay_ms``; then, on the GUI thread: ``on_done(result)``, ``on_cancelled()`` if it raised
    :class:`~desk.errors.Cancelled`, or ``on_failed(exception)`` for anything else it raised."""
    dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(delay_ms)
    relay = _Relay()
    relay.progress.connect(lambda f: dialog.setValue(int(f * 100)))
    loop = QEventLoop()
    relay.finished.connect(loop.quit)
    stop = threading.Event()
    dialog.canceled.connect(stop.set)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work(relay.progress.emit, stop.is_set))
        except Exception as exc:  # handed back to the GUI thread
            errors.append(exc)
        relay.finished.emit()

    threading.Thread(target=run, name="desk-work", daemon=True).start()
    loop.exec()
    dialog.close()
    if results:
        on_done(results[0])
    elif isinstance(errors[0], Cancelled):
        on_cancelled()
    else:
        on_failed(errors[0])


def warn_known(
    parent: QWidget | None, *, title: str = "desk", prefix: str = ""
) -> Callable[[BaseException], None]:
    """An ``on_failed`` that shows a known error in a message box (after ``prefix``) and raises
    anything else, which is a bug."""

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            raise exc
        messages.warning(parent, title, f"{prefix}{exc}")

    return failed
