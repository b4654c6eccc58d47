"""On a real X display the player shows the exact frame asked for; libVLC draws in the window."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
def test_paused_seeks_show_the_exact_frame_on_screen(small_film: Path) -> None:
    frames = random.Random(3).sample(range(0, 8 * 24 - 1), 12)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("screen_probe.py")), str(small_film),
         "24", "1", "8000", *map(str, frames)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["frames"] == frames
    assert result["backend"] == "libVLC"
    assert result["vlc_drew"], "libVLC did not draw into the embedded window"
