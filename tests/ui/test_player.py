"""The player shows the exact frame when paused, stepped or sent somewhere, and says which."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.core.timecode import FrameRate
from desk.core.timemap import TimeMap
from desk.media.synth import read_frame_number
from desk.ui.player_view import PlayerView
from desk.ui.transport import Transport

RATE = FrameRate(Fraction(24))


@pytest.fixture
def player(qtbot, small_film: Path):
    transport = Transport()
    view = PlayerView(transport)
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    view.load(small_film, TimeMap(), (24, 1), 8000)
    yield view
    view.close_media()


def shown_frame(view: PlayerView) -> int:
    image = view.picture._pixmap.toImage()  # the exact frame, before scaling to the widget
    import numpy as np

    image = image.convertToFormat(image.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return read_frame_number(data[:, : image.width() * 3].reshape(image.height(), image.width(), 3))


def wait_for(qtbot, view: PlayerView, frame: int) -> None:
    qtbot.waitUntil(lambda: view._shown_film_ms == RATE.start_ms(frame), timeout=5000)


def test_paused_seeks_show_the_exact_frame_and_its_time(qtbot, player: PlayerView) -> None:
    for frame in random.Random(5).sample(range(8 * 24), 25):
        player.seek(RATE.start_ms(frame) + 10)  # anywhere inside the frame
        wait_for(qtbot, player, frame)
        assert shown_frame(player) == frame
        assert player.transport.position_ms == RATE.start_ms(frame)


def test_stepping_back_across_a_keyframe_shows_the_previous_frame(qtbot, player) -> None:
    player.seek(RATE.start_ms(49))
    wait_for(qtbot, player, 49)
    for expected in (48, 47, 46):  # a keyframe every 24 frames: 48 is one
        qtbot.keyClick(player, Qt.Key.Key_Left)
        wait_for(qtbot, player, expected)
        assert shown_frame(player) == expected
    qtbot.keyClick(player, Qt.Key.Key_Right)
    wait_for(qtbot, player, 47)


def test_the_go_to_field_reads_smpte_at_the_film_rate(qtbot, player: PlayerView) -> None:
    qtbot.keyClicks(player.controls.goto, "00:00:03:07")
    qtbot.keyClick(player.controls.goto, Qt.Key.Key_Return)
    wait_for(qtbot, player, 3 * 24 + 7)
    assert player.controls.time_label.text().startswith("0:03.292")


def test_marks_loop_and_jumps(qtbot, player: PlayerView) -> None:
    player.seek(2000)
    wait_for(qtbot, player, 48)
    qtbot.keyClick(player, Qt.Key.Key_I)
    player.jump(1000)
    wait_for(qtbot, player, 72)
    qtbot.keyClick(player, Qt.Key.Key_O)
    assert player.transport.marked_range() == (2000, 3000)
    qtbot.keyClick(player, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    wait_for(qtbot, player, 48)


def test_playing_moves_the_playhead_and_pausing_shows_an_exact_frame(qtbot, player) -> None:
    assert player.backend is not None
    assert player.backend.name == "libVLC"
    player.seek(1000)
    wait_for(qtbot, player, 24)
    player.play()
    qtbot.waitUntil(lambda: player.transport.position_ms > 1400, timeout=8000)
    player.pause()
    at = player.transport.position_ms
    frame = RATE.frame_at(at)
    wait_for(qtbot, player, frame)
    assert shown_frame(player) == frame


def test_a_missing_film_leaves_the_player_up_with_a_message(qtbot, tmp_path: Path) -> None:
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    notice = view.load(tmp_path / "gone.mp4", TimeMap(), (24, 1), 1000)
    assert "gone.mp4" in notice
    assert "gone.mp4" in view.picture.text()
