"""Long work in a thread behind a progress dialog: its outcome comes to the GUI thread typed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from desk.errors import Cancelled, FilmError
from desk.ui import messages
from desk.ui.background import CancelCheck, Progress, run_task, warn_known


def test_the_works_result_reaches_the_success_callback_on_the_gui_thread(qtbot) -> None:
    worked_on: list[threading.Thread] = []
    done: list[tuple[Path, threading.Thread]] = []
    failed: list[BaseException] = []

    def work(progress: Progress, cancel: CancelCheck) -> Path:
        worked_on.append(threading.current_thread())
        progress(0.5)
        return Path("/films/anora.mkv")

    run_task(None, "Reading…", work, lambda p: done.append((p, threading.current_thread())),
             failed.append)  # fmt: skip

    assert done == [(Path("/films/anora.mkv"), threading.main_thread())]
    assert worked_on[0] is not threading.main_thread()  # the window stayed free meanwhile
    assert not failed


def test_an_error_in_the_work_reaches_the_failure_callback_as_raised(qtbot) -> None:
    damaged = FilmError("The film is damaged at 0:41:07.")
    done: list[object] = []
    failed: list[BaseException] = []

    def work(progress: Progress, cancel: CancelCheck) -> int:
        raise damaged

    run_task(None, "Reading…", work, done.append, failed.append)

    assert failed == [damaged]
    assert not done


def test_cancelling_from_the_progress_dialog_stops_the_work_and_reports_neither_outcome(
    qtbot,
) -> None:
    outcomes: list[str] = []
    gave_up = threading.Event()

    def work(progress: Progress, cancel: CancelCheck) -> str:
        progress(0.1)
        for _ in range(1000):  # 10 s at most, so a test that cannot cancel fails, not hangs
            if cancel():
                raise Cancelled
            gave_up.wait(0.01)
        return "finished"

    def press_cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible():
                widget.findChild(QPushButton).click()  # the user's Cancel

    poll = QTimer()
    poll.timeout.connect(press_cancel)
    poll.start(20)
    run_task(None, "Rendering…", work, lambda r: outcomes.append(r),
             lambda e: outcomes.append(f"failed: {e}"),
             on_cancelled=lambda: outcomes.append("cancelled"), delay_ms=0)  # fmt: skip
    poll.stop()

    assert outcomes == ["cancelled"]


def test_a_known_error_is_shown_in_one_sentence(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "warning", lambda _p, title, text: shown.append((title, text)))

    def work(progress: Progress, cancel: CancelCheck) -> None:
        raise FilmError("The film has no video stream.")

    run_task(None, "Reading…", work, lambda _: None,
             warn_known(None, prefix="Nothing was imported: "))  # fmt: skip

    assert shown == [("desk", "Nothing was imported: The film has no video stream.")]


def test_a_bug_in_the_work_is_raised_not_shown(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda _parent, _title, text: shown.append(text))

    def work(progress: Progress, cancel: CancelCheck) -> float:
        return 1 / 0

    with pytest.raises(ZeroDivisionError):
        run_task(None, "Reading…", work, lambda _: None, warn_known(None))
    assert not shown
