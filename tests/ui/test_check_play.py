"""`desk check --play` on a real X display: libVLC draws the sample project into the window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desk.paths import data_dir


@pytest.mark.gui
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
def test_check_play_sees_libvlc_draw_the_sample_in_the_window(sample_folder: Path) -> None:
    shutil.copytree(sample_folder, data_dir() / "sample")  # as a first start leaves it
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}

    done = subprocess.run(
        [sys.executable, "-m", "desk", "check", "--play"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    playback = done.stdout.splitlines()[-1]
    assert playback.startswith("ok      playback     libVLC showed ")
