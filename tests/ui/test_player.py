"""The player shows the exact frame when paused, stepped or sent somewhere, and says which; while
its seek bar or playhead is dragged, keyframe previews keep up with the pointer."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

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
    import numpy as np

    image = view.picture.shown_image()  # the frame, before scaling to the widget
    assert image is not None
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


def test_a_film_whose_rows_are_padded_is_shown_whole(qtbot, tmp_path: Path) -> None:
    """202 pixels make 606 bytes a row, which the decoder pads; the picture skips the padding."""
    from desk.media.synth import render_film

    film = render_film(tmp_path / "odd.mp4", width=202, height=114, duration_s=1, audio=False)
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    view.load(film, TimeMap(), (24, 1), 1000)
    view.seek(RATE.start_ms(17))
    wait_for(qtbot, view, 17)
    image = view.picture.shown_image()
    assert image is not None
    assert (image.width(), image.height()) == (202, 114)
    assert shown_frame(view) == 17
    view.close_media()


def test_a_missing_film_leaves_the_player_up_with_a_message(qtbot, tmp_path: Path) -> None:
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    notice = view.load(tmp_path / "gone.mp4", TimeMap(), (24, 1), 1000)
    assert "gone.mp4" in notice
    assert "gone.mp4" in view.picture.text()


# -- dragging the seek bar or the playhead ---------------------------------------------------------
KEYFRAME_EVERY = 24  # the small film's keyframe interval


def mouse_on(bar, kind: QEvent.Type, x: float) -> None:
    """A left-button mouse event on the seek bar, as a hand dragging it sends them."""
    held = kind != QEvent.Type.MouseButtonRelease
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    pos = QPointF(x, bar.height() / 2)
    QApplication.sendEvent(
        bar,
        QMouseEvent(
            kind, pos, QPointF(bar.mapToGlobal(pos)), button,
            Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )  # fmt: skip


def pointer_frame(view: PlayerView) -> int:
    return RATE.frame_at(view.controls.seek_bar.value())


@pytest.fixture
def wide_player(qtbot, player: PlayerView) -> PlayerView:
    """The player at a window's width, so its seek bar is long enough to drag along."""
    player.resize(1400, 500)
    qtbot.waitUntil(lambda: player.controls.seek_bar.width() > 400)
    return player


def test_dragging_the_seek_bar_shows_keyframe_previews_and_letting_go_the_exact_frame(
    qtbot, wide_player: PlayerView
) -> None:
    player = wide_player
    bar = player.controls.seek_bar
    shown: list[tuple[int, bool]] = []
    player.frame_shown.connect(lambda ms, exact: shown.append((RATE.frame_at(ms), exact)))
    mouse_on(bar, QEvent.Type.MouseButtonPress, 0.2 * bar.width())
    assert bar.isSliderDown()
    for share in (0.45, 0.7, 0.9, 0.35, 0.6):
        mouse_on(bar, QEvent.Type.MouseMove, share * bar.width())
        at = pointer_frame(player)
        keyframe = at - at % KEYFRAME_EVERY
        # the keyframe at or before the pointer, unless the frame itself was at hand
        qtbot.waitUntil(lambda k=keyframe, a=at: shown_frame(player) in (k, a), timeout=5000)
        assert shown[-1] == (shown_frame(player), shown_frame(player) == at)
        assert player.transport.position_ms == RATE.start_ms(at)  # the time under the pointer
    assert any(not exact for _, exact in shown), "no keyframe preview was shown"
    mouse_on(bar, QEvent.Type.MouseButtonRelease, 0.6 * bar.width())
    at = pointer_frame(player)
    wait_for(qtbot, player, at)
    assert shown_frame(player) == at
    assert shown[-1] == (at, True)
    assert player.transport.position_ms == RATE.start_ms(at)


def test_resting_the_pointer_mid_drag_shows_the_exact_frame(qtbot, wide_player) -> None:
    player = wide_player
    bar = player.controls.seek_bar
    mouse_on(bar, QEvent.Type.MouseButtonPress, 0.3 * bar.width())
    mouse_on(bar, QEvent.Type.MouseMove, 0.55 * bar.width())
    at = pointer_frame(player)
    assert at % KEYFRAME_EVERY, "choose a pointer position off the keyframes"
    wait_for(qtbot, player, at)  # still held: the exact frame comes once the pointer rests
    assert bar.isSliderDown()
    assert shown_frame(player) == at
    mouse_on(bar, QEvent.Type.MouseButtonRelease, 0.55 * bar.width())


def test_only_the_newest_drag_position_is_shown(qtbot, player: PlayerView) -> None:
    """Positions the pointer has left are dropped, never drawn after a newer one."""
    late: list[int] = []
    positions = [RATE.start_ms(f) for f in range(30, 8 * 24 - 1, 5)]
    for film_ms in positions:
        player.transport.scrub(film_ms)  # as a view whose playhead is dragged asks
    last = RATE.frame_at(positions[-1])
    player.frame_shown.connect(lambda ms, exact: late.append(RATE.frame_at(ms)))
    qtbot.waitUntil(lambda: shown_frame(player) in (last - last % KEYFRAME_EVERY, last))
    player.transport.seek(positions[-1])  # let go
    wait_for(qtbot, player, last)
    assert all(last - last % KEYFRAME_EVERY <= frame <= last for frame in late), late


def test_playing_and_pausing_at_once_stays_on_the_same_frame(qtbot, player) -> None:
    """A quick tap of Space twice must not walk back a frame (libVLC reports a moment early)."""
    for frame in (24, 96, 150):
        player.seek(RATE.start_ms(frame))
        wait_for(qtbot, player, frame)
        player.play()
        qtbot.wait(10)
        player.pause()
        wait_for(qtbot, player, frame)
        assert player.transport.position_ms == RATE.start_ms(frame)


def test_pausing_just_after_a_seek_while_playing_stops_where_it_was_sent(qtbot, player) -> None:
    player.seek(RATE.start_ms(24))
    wait_for(qtbot, player, 24)
    player.play()
    qtbot.waitUntil(lambda: player.transport.position_ms > 1200, timeout=8000)
    player.seek(RATE.start_ms(120))
    qtbot.wait(100)
    player.pause()
    wait_for(qtbot, player, 120)
    assert shown_frame(player) == 120


def test_the_rate_shown_is_the_rate_played(qtbot, player) -> None:
    player.shuttle(+1)  # L
    assert player.controls.rate_label.text() == "2×"
    player.shuttle(0)  # K: stopped, and the next play is at normal speed
    assert player.controls.rate_label.text() == "1×"
    idle = PlayerView(Transport())  # no film: nothing plays, so no rate is claimed
    qtbot.addWidget(idle)
    idle.shuttle(+1)
    assert idle.controls.rate_label.text() == "1×"


def test_playing_to_the_end_of_the_film_stops_on_its_last_frame(qtbot, player) -> None:
    player.seek(7500)
    wait_for(qtbot, player, RATE.frame_at(7500))
    player.play()
    qtbot.waitUntil(lambda: not player.playing, timeout=8000)  # libVLC's clock stops short
    last = 8 * 24 - 1
    wait_for(qtbot, player, last)
    assert shown_frame(player) == last


def test_a_film_played_before_its_playback_started_plays_at_once(qtbot, small_film: Path) -> None:
    """Loaded with libVLC's start put off until after the first frame, the film still plays as
    soon as it is asked to, from the frame on screen."""
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    notices: list[str] = []
    view.playback_notice.connect(notices.append)
    assert view.load(small_film, TimeMap(), (24, 1), 8000, playback_later=True) == ""
    assert view.backend is None
    view.seek(RATE.start_ms(24))
    wait_for(qtbot, view, 24)
    view.play()
    assert view.backend is not None
    assert view.backend.name == "libVLC"
    qtbot.waitUntil(lambda: view.transport.position_ms > 1400, timeout=8000)
    view.pause()
    assert notices == []
    view.close_media()
