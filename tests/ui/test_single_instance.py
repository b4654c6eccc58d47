"""One desk at a time: a second start hands its file to the desk already running, and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile

from desk.app import configure
from desk.desktop import ICON_SIZES
from desk.errors import KnownError
from desk.paths import data_dir
from desk.ui import messages, single_instance
from desk.ui.main_window import MainWindow
from desk.ui.single_instance import Instance, hand_over


@pytest.fixture
def running(sample_window: MainWindow) -> Iterator[MainWindow]:
    """The sample open in desk's window, listening for files from later starts."""
    instance = Instance.claim()
    assert instance is not None
    instance.serve(sample_window.open_sent)
    yield sample_window
    instance.release()


def run_desk(qtbot, *args: str) -> tuple[int, str]:
    """``desk ARGS`` as a file manager starts it (same user, same data folder), while this
    desk's event loop keeps running; its exit status and standard error."""
    with subprocess.Popen(
        [sys.executable, "-m", "desk", *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as started:
        qtbot.waitUntil(lambda: started.poll() is not None, timeout=30000)
        _, err = started.communicate()
    return started.returncode, err


def test_opening_a_project_while_desk_runs_opens_it_in_the_running_window(
    running: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(messages, "question", lambda *_: True)  # yes, play its film
    other = tmp_path / "other" / "second essay.desk"
    other.parent.mkdir()
    assert running.session is not None
    running.session.project.save_copy(other)

    status, err = run_desk(qtbot, "open", str(other))

    assert status == 0, err
    qtbot.waitUntil(lambda: running.session is not None
                    and running.session.project.path == other, timeout=10000)  # fmt: skip
    assert running.windowTitle().startswith("second essay")


def test_a_desk_that_crashed_does_not_stop_the_next_one_from_starting(qtbot) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", "import os; from PySide6.QtCore import QCoreApplication; "
         "from desk.ui.single_instance import Instance; app = QCoreApplication(); "
         "i = Instance.claim(); i.serve(print); os._exit(9)"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=False,
    )  # fmt: skip
    assert crashed.returncode == 9
    assert (data_dir() / "desk.instance.lock").exists()

    instance = Instance.claim()

    assert instance is not None
    received: list[Path | None] = []
    instance.serve(received.append)
    status, err = run_desk(qtbot)  # plain `desk`: bring the running window forward
    assert status == 0, err
    qtbot.waitUntil(lambda: received == [None])
    instance.release()


def test_a_running_desk_that_does_not_answer_is_told_in_one_sentence(monkeypatch) -> None:
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_MS", 300)
    hung = QLockFile(str(data_dir() / "desk.instance.lock"))  # holds the lock, never listens
    assert hung.tryLock(0)
    try:
        assert Instance.claim() is None
        with pytest.raises(KnownError, match="another desk is running .* does not answer"):
            hand_over(Path("anora.desk"))
    finally:
        hung.unlock()


def test_every_window_shows_desks_icon(qapp) -> None:
    configure(qapp)
    window = MainWindow()

    icon = window.windowIcon()
    assert {s.width() for s in icon.availableSizes()} >= set(ICON_SIZES)
    image = icon.pixmap(64, 64).toImage()
    corner, middle = image.pixelColor(0, 0), image.pixelColor(32, 40)
    assert corner.alpha() == 0  # a rounded tile on a transparent ground
    assert middle.alpha() == 255
    assert qapp.desktopFileName() == "desk"
    window.close()


def test_a_bundle_sent_to_desk_becomes_a_new_project_where_the_user_says(
    running: MainWindow, tmp_path: Path, qtbot, monkeypatch
) -> None:
    from desk.interchange.bundle import write_bundle
    from desk.interchange.formats import Options
    from desk.ui import main_window

    assert running.session is not None
    bundle = tmp_path / "from the teacher.deskz"
    write_bundle(running.session.project, bundle, Options())
    target = tmp_path / "mine.desk"
    asked: list[str] = []

    def save_as(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(main_window.QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(messages, "question", lambda *_: False)  # not the film, thanks

    status, err = run_desk(qtbot, "open", str(bundle))

    assert status == 0, err
    qtbot.waitUntil(lambda: running.session is not None
                    and running.session.project.path == target, timeout=10000)  # fmt: skip
    assert asked == [str(tmp_path / "from the teacher.desk")]
