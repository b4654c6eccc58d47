"""Starting desk where a window cannot open: one sentence and exit status 1, never Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def desk_open(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environ.pop("QT_QPA_PLATFORM", None)
    environ.update(DESK_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-m", "desk", "open"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="X11 and Wayland are Linux's screens")
def test_without_a_screen_desk_says_so_in_one_line(tmp_path: Path) -> None:
    done = desk_open(tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert "there is no screen to open the window on" in done.stderr
    assert "xvfb-run" in done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="X11 and Wayland are Linux's screens")
def test_a_screen_that_does_not_answer_is_told_not_aborted(tmp_path: Path) -> None:
    done = desk_open(tmp_path, DISPLAY=":87")
    assert done.returncode == 1  # Qt alone aborts with 134
    assert done.stderr.strip().splitlines() == [
        "desk: the window cannot open (could not connect to display :87); run desk on a desktop,"
        " or on a virtual screen with `xvfb-run desk`; the commands that need no window work"
        " anywhere (desk --help)."
    ]


def test_a_missing_qt_platform_plugin_is_told_not_aborted(tmp_path: Path) -> None:
    done = desk_open(tmp_path, QT_QPA_PLATFORM="no-such-platform")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert 'Could not find the Qt platform plugin "no-such-platform"' in done.stderr


def test_a_bug_is_still_recorded_when_the_data_folder_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import desk.crash as c; print(c.record_crash(ValueError('a bug to keep')))",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DESK_DATA_DIR": str(blocker / "data"), "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    log = Path(done.stdout.strip())
    assert log.parent == tmp_path
    assert "ValueError: a bug to keep" in log.read_text()


def test_a_data_folder_desk_cannot_write_is_one_dialog_and_exit_1(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.app import run_gui

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DESK_DATA_DIR", str(blocker / "data"))
    said: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, answer)

    QTimer.singleShot(50, answer)
    assert run_gui(None) == 1
    assert len(said) == 1
    assert said[0].startswith(f"desk cannot make its data folder {blocker / 'data'}")
    assert "DESK_DATA_DIR" in said[0]


KEEPS_NO_SOURCE = """
import linecache, sys, traceback
sys.path.insert(0, sys.argv[1])
from desk.app import application
application()
import later  # a module imported once the window's application runs
held = [n for n, entry in linecache.cache.items() if n.endswith("later.py") and len(entry) > 1]
try:
    later.fail()
except ValueError:
    shown = traceback.format_exc()
print(len(held), "raise ValueError" in shown)
"""


def test_the_window_keeps_no_module_sources_yet_tracebacks_show_them(tmp_path: Path) -> None:
    # PySide6 reads each imported module's source; kept, it was some 30 MB of the window's memory
    (tmp_path / "later.py").write_text("import PySide6\n\ndef fail():\n    raise ValueError\n")
    done = subprocess.run(
        [sys.executable, "-c", KEEPS_NO_SOURCE, str(tmp_path)],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True"]


SEES_PYSIDE = """
import sys
sys.path.insert(0, sys.argv[1])
from desk.app import application
application()
import later, plain  # modules imported once the window's application runs
feature = sys.modules["shibokensupport.feature"]
print(feature.pyside_feature_dict["later"], feature.pyside_feature_dict["plain"])
"""


def test_pyside6_still_tells_the_modules_that_use_it_from_those_that_do_not(
    tmp_path: Path,
) -> None:
    """PySide6's look at each imported module (read from the file's bytes) gives its answer."""
    (tmp_path / "later.py").write_text("import PySide6\n")
    (tmp_path / "plain.py").write_text("import json\n")
    done = subprocess.run(
        [sys.executable, "-c", SEES_PYSIDE, str(tmp_path)],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "-1"]  # 0: may switch features; -1: left alone
