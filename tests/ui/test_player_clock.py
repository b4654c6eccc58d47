"""The player counts on the container's clock, as VLC and mpv do: in a film whose pictures start
23 ms after its sound, the frame paused at a time is the one other players show there. A film
opened for the first time has its frame times read in the background, and says how far."""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.core.timemap import TimeMap
from desk.ui.player_view import PlayerView
from desk.ui.transport import Transport
from tests.rips import ffmpeg, make_late_video, make_pal_dvd
from tests.ui.test_player import shown_frame

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

LEAD_MS = 23
FPS = Fraction(25)


@pytest.fixture(scope="module")
def late_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_late_video(tmp_path_factory.mktemp("late"))


def starts(frame: int) -> int:
    """Where ``frame`` starts on the container's clock (the first frame: at 0)."""
    return 0 if frame == 0 else math.ceil(LEAD_MS + frame * 1000 / FPS)


@pytest.fixture
def player(qtbot, late_video: Path):
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    progress: list[float] = []
    view.frame_times_progress.connect(progress.append)
    view.load(late_video, TimeMap(), (25, 1), 3023)
    qtbot.waitUntil(lambda: progress[-1:] == [1.0], timeout=10000)
    yield view
    view.close_media()


def wait_for(qtbot, view: PlayerView, frame: int) -> None:
    qtbot.waitUntil(lambda: view._shown_film_ms == starts(frame), timeout=5000)


def test_the_paused_frame_at_a_time_is_the_one_other_players_show(qtbot, player) -> None:
    for frame in (1, 2, 13, 50, 74):
        player.seek(starts(frame) - 1)  # a millisecond before: the frame before is on screen
        wait_for(qtbot, player, frame - 1)
        assert shown_frame(player) == frame - 1
        player.seek(starts(frame))
        wait_for(qtbot, player, frame)
        assert shown_frame(player) == frame
        assert player.transport.position_ms == starts(frame)


def test_stepping_moves_one_frame_on_the_containers_clock(qtbot, player) -> None:
    player.seek(0)
    wait_for(qtbot, player, 0)
    for expected in (1, 2, 3):
        qtbot.keyClick(player, Qt.Key.Key_Right)
        wait_for(qtbot, player, expected)
        assert shown_frame(player) == expected
    qtbot.keyClick(player, Qt.Key.Key_Left)
    wait_for(qtbot, player, 2)
    assert player.transport.position_ms == 103


def test_a_project_from_before_opens_on_the_same_frames_and_reads_the_film_s_frame_times(
    qtbot, late_video: Path, tmp_path: Path
) -> None:
    from desk.store import queries
    from desk.ui.main_window import MainWindow
    from tests.media.test_one_clock import old_project

    # Schema 4 counted from the first picture: its 40 ms was frame 1's first millisecond.
    project_file = old_project(tmp_path / "old.desk", late_video, [40])
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    assert window.open_project(project_file, trusted_media=True)
    try:
        session = window.session
        assert session is not None
        media = queries.reference_media(session.project)
        assert media is not None
        assert not media.clock_pending
        player = window.workspace.player  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: any("frame times are read" in m for m in messages), timeout=10000)
        player.seek(40)  # where the old project's link points
        qtbot.waitUntil(lambda: player._shown_film_ms == 40, timeout=5000)
        assert shown_frame(player) == 1
        assert session.project.undo_labels() == (None, None)  # nothing of the user's to undo
    finally:
        window.close_project()


def drifts_paused(film: Path) -> list[int]:
    """Play ``film`` through libVLC in a window on the X display, pause it five times, and say
    each time how many frames desk's frame at libVLC's time is past the one on screen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("pause_probe.py")), str(film), "40", "5"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    drifts: list[int] = json.loads(done.stdout.strip().splitlines()[-1])["drifts"]
    assert len(drifts) == 5
    return drifts


@pytest.mark.slow  # ten seconds of real playback, in child processes on the X display
@pytest.mark.gui
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
def test_pausing_a_dvd_vob_shows_the_frame_that_was_on_screen(tmp_path: Path) -> None:
    """Paused at the time libVLC reports, the frame desk shows is the one libVLC drew, as near
    as in the same pictures in Matroska. (Through libVLC's own MPEG-PS demuxer a DVD VOB's clock
    ran 6 to 11 frames ahead of its picture, the Matroska copy's 2 to 5 behind.)"""
    vob = make_pal_dvd(tmp_path, duration_s=6.0, authored=True)
    mkv = tmp_path / "same.mkv"
    ffmpeg("-i", str(vob), "-map", "0:v", "-map", "0:a", "-c", "copy", str(mkv))
    vob_drift = statistics.median(drifts_paused(vob))
    mkv_drift = statistics.median(drifts_paused(mkv))
    assert abs(vob_drift - mkv_drift) <= 3, (vob_drift, mkv_drift)
    assert abs(vob_drift) <= 6


@pytest.mark.slow  # five seconds of real playback per film, in a child process on the X display
@pytest.mark.gui
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
@pytest.mark.parametrize("suffix", [".mkv", ".mp4"])
def test_pausing_mid_play_keeps_the_frame_that_was_on_screen(tmp_path: Path, suffix: str) -> None:
    """libVLC reports its time in steps a quarter of a second apart; paused between two, the
    frame desk shows is the one on screen, not one from the last step (3 to 12 frames back)."""
    vob = make_pal_dvd(tmp_path, duration_s=6.0, authored=True)
    film = tmp_path / f"same{suffix}"
    ffmpeg("-i", str(vob), "-map", "0:v", "-map", "0:a", "-c:v", "copy", "-c:a", "aac", str(film))
    drifts = drifts_paused(film)
    assert abs(statistics.median(drifts)) <= 1, drifts
    assert all(abs(d) <= 3 for d in drifts), drifts
