"""Leaving and starting over, as other players do: Esc leaves the full-screen player and the
presentation, pressing play on the film's last frame plays it again from the start, and a film
whose frames keep no rate has its SMPTE timecode marked nominal.

libVLC plays with its dummy outputs; the films show their frame numbers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.core.timemap import TimeMap
from desk.media.probe import probe
from desk.media.synth import render_film
from desk.ui.main_window import MainWindow
from desk.ui.player_view import PlayerView
from desk.ui.presentation import PresentationWindow
from desk.ui.transport import Transport
from tests import rips
from tests.ui.test_actions import press
from tests.ui.test_player import shown_frame
from tests.ui.test_presentation import lecture_of

#: The last frame of the film whose sound outlasts it.
LAST = 49


def test_esc_leaves_the_full_screen_player_with_its_panels_back(
    qtbot, sample_window: MainWindow
) -> None:
    player = sample_window.workspace.player  # type: ignore[union-attr]
    docks = sample_window.docks
    open_before = {name for name, dock in docks.items() if dock.isVisible()}
    press(qtbot, player, Qt.Key.Key_F)
    qtbot.waitUntil(sample_window.isFullScreen, timeout=3000)
    press(qtbot, player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not sample_window.isFullScreen(), timeout=3000)
    assert {name for name, dock in docks.items() if dock.isVisible()} == open_before


def test_esc_in_the_full_screen_player_keeps_the_marks(qtbot, sample_window: MainWindow) -> None:
    """Esc there means "leave full screen", not "clear the marks" as it does in the window."""
    player = sample_window.workspace.player  # type: ignore[union-attr]
    transport = sample_window.workspace.transport  # type: ignore[union-attr]
    transport.set_marks(1000, 2000)
    press(qtbot, player, Qt.Key.Key_F)
    qtbot.waitUntil(sample_window.isFullScreen, timeout=3000)
    press(qtbot, player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not sample_window.isFullScreen(), timeout=3000)
    assert (transport.in_ms, transport.out_ms) == (1000, 2000)
    press(qtbot, player, Qt.Key.Key_Escape)  # in the window, Esc clears them
    assert (transport.in_ms, transport.out_ms) == (None, None)


def test_esc_ends_the_presentation(qtbot, small_film: Path) -> None:
    window = PresentationWindow(lecture_of(small_film), small_film)
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(window.isFullScreen, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)


@pytest.fixture(scope="module")
def long_sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Numbered pictures for 2 s (25 frames/s) and sound for 2.5 s, as many rips end: the film
    lasts longer than its last frame."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    folder = tmp_path_factory.mktemp("long-sound")
    pictures = render_film(
        folder / "pictures.mp4", width=160, height=90, fps=Fraction(25), duration_s=2.0,
        keyframe_interval=25, audio=False,
    )  # fmt: skip
    film = folder / "long-sound.mkv"
    rips.ffmpeg("-i", str(pictures), "-f", "lavfi", "-i", "sine=d=2.5", "-c:v", "copy",
                "-c:a", "flac", str(film))  # fmt: skip
    return film


def shown_player(qtbot, film: Path, width: int) -> PlayerView:
    """A player on the screen with ``film`` loaded at its own rate and length."""
    info = probe(film)
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(width, 320)
    view.show()
    fps = Fraction(info.fps)
    view.load(film, TimeMap(), (fps.numerator, fps.denominator), info.duration_ms)
    return view


@pytest.fixture
def player(qtbot, long_sound: Path) -> Iterator[PlayerView]:
    view = shown_player(qtbot, long_sound, 480)
    qtbot.waitUntil(lambda: view.picture.shown_image() is not None, timeout=10000)
    yield view
    view.close_media()


def plays_from_the_start(qtbot, view: PlayerView) -> None:
    """Playing again from the start: in its first second, and still playing there."""
    qtbot.waitUntil(lambda: view.playing and 0 < view.transport.position_ms < 1000, timeout=5000)
    view.toggle_play()
    qtbot.waitUntil(lambda: not view.playing, timeout=5000)
    qtbot.waitUntil(lambda: shown_frame(view) < LAST - 10, timeout=10000)


def test_play_on_the_last_frame_plays_again_from_the_start(qtbot, player: PlayerView) -> None:
    player.seek(player.duration_ms - 1)
    qtbot.waitUntil(lambda: shown_frame(player) == LAST, timeout=10000)
    player.toggle_play()  # Space on the last frame
    plays_from_the_start(qtbot, player)


def test_play_after_playing_to_the_end_plays_again_from_the_start(
    qtbot, player: PlayerView
) -> None:
    player.seek(1500)
    qtbot.waitUntil(lambda: shown_frame(player) == 37, timeout=10000)
    player.toggle_play()
    qtbot.waitUntil(lambda: player.playing, timeout=5000)
    qtbot.waitUntil(lambda: not player.playing, timeout=8000)  # the end
    qtbot.waitUntil(lambda: shown_frame(player) == LAST, timeout=10000)
    player.toggle_play()
    plays_from_the_start(qtbot, player)


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    return rips.make_phone_vfr(tmp_path_factory.mktemp("phone"))


def test_the_smpte_timecode_of_a_phone_film_is_marked_nominal(qtbot, phone: Path) -> None:
    """Its frames do not keep a rate: the SMPTE form beside the time is counted at the average
    rate, and says so with a ~, once the film's frame times are read."""
    assert probe(phone).variable_frame_rate
    view = shown_player(qtbot, phone, 900)
    try:
        view.seek(15_000)
        qtbot.waitUntil(lambda: view.transport.position_ms == 15_000, timeout=10000)
        qtbot.waitUntil(lambda: "[~00:00:" in view.controls.time_label.text(), timeout=5000)
        assert view.controls.time_label.text().startswith("0:15.000")
    finally:
        view.close_media()
