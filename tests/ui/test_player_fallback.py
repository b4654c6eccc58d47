"""Without libVLC, desk says so once and plays through Qt Multimedia; paused, it still shows the
exact frame. With neither, the player still shows exact stills and steps through them.

libVLC is taken away the way a machine without it does: python-vlc is imported afresh while the
dynamic loader finds no libvlc, so python-vlc's own loader fails as it would there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desk.core.timecode import FrameRate
from desk.core.timemap import TimeMap
from desk.media import playback
from desk.media.synth import read_frame_number
from desk.ui.player_view import PlayerView
from desk.ui.transport import Transport

RATE = FrameRate(Fraction(24))
DURATION_MS = 8000


@pytest.fixture(autouse=True)
def _fresh_backends() -> Iterator[None]:
    """Each test starts as a new desk would, and leaves libVLC to be tried again after it."""
    playback.forget_failures()
    yield
    playback.forget_failures()


@pytest.fixture
def without_libvlc(monkeypatch: pytest.MonkeyPatch) -> None:
    real_cdll, real_find = ctypes.CDLL, ctypes.util.find_library

    def cdll(name: object, *args: object, **kwargs: object) -> object:
        if name is None or "vlc" in Path(str(name)).name:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return real_cdll(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "vlc", raising=False)  # the real module comes back after
    monkeypatch.setattr(ctypes, "CDLL", cdll)
    monkeypatch.setattr(
        ctypes.util, "find_library", lambda name: None if "vlc" in name else real_find(name)
    )


@pytest.fixture
def without_qt_multimedia(monkeypatch: pytest.MonkeyPatch) -> None:
    """PySide6 installed without its Qt Multimedia module, as some distributions split it off."""
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)


def open_player(qtbot, film: Path) -> tuple[PlayerView, str]:
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    notice = view.load(film, TimeMap(), (24, 1), DURATION_MS)
    return view, notice


def picture_number(view: PlayerView) -> int:
    image = view.picture.shown_image()
    assert image is not None
    image = image.convertToFormat(image.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return read_frame_number(data[:, : image.width() * 3].reshape(image.height(), image.width(), 3))


def wait_for_exact(qtbot, view: PlayerView, frame: int) -> None:
    qtbot.waitUntil(lambda: view._shown_film_ms == RATE.start_ms(frame), timeout=8000)
    assert picture_number(view) == frame


@pytest.fixture
def qt_player(qtbot, small_film: Path, without_libvlc) -> Iterator[tuple[PlayerView, str]]:
    view, notice = open_player(qtbot, small_film)
    yield view, notice
    view.close_media()


def test_without_libvlc_desk_says_so_once_and_uses_qt_multimedia(
    qtbot, small_film: Path, without_libvlc, caplog
) -> None:
    with caplog.at_level(logging.WARNING, logger="desk.media.playback"):
        view, notice = open_player(qtbot, small_film)
        again, second_notice = open_player(qtbot, small_film)  # another film, same session
    assert notice == (
        "libVLC is not available (Cannot find libvlc lib). "
        "desk plays through Qt Multimedia instead."
    )
    assert second_notice == ""
    assert [r.getMessage() for r in caplog.records] == [notice]
    for player in (view, again):
        assert player.backend is not None
        assert player.backend.name == "Qt Multimedia"
        player.close_media()


def test_the_fallback_player_prints_no_stream_table_on_stderr(
    capfd, qtbot, small_film: Path, without_libvlc, tmp_path: Path
) -> None:
    from PySide6.QtMultimedia import QMediaPlayer

    film = tmp_path / "a-film-not-opened-before.mp4"  # FFmpeg does not repeat a line it just said
    film.write_bytes(small_film.read_bytes())
    view, _ = open_player(qtbot, film)
    try:
        player = view.backend._player  # type: ignore[union-attr]
        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        qtbot.waitUntil(lambda: player.mediaStatus() in loaded, timeout=8000)
    finally:
        view.close_media()
    said = capfd.readouterr().err
    assert "Input #0" not in said
    assert "Stream #0" not in said


def test_without_libvlc_paused_seeks_and_steps_show_exact_frames(qtbot, qt_player) -> None:
    view, _ = qt_player
    wait_for_exact(qtbot, view, 0)
    for frame in (37, 101, 150):
        view.seek(RATE.start_ms(frame) + 20)
        wait_for_exact(qtbot, view, frame)
        assert view.transport.position_ms == RATE.start_ms(frame)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    wait_for_exact(qtbot, view, 149)


def test_without_libvlc_qt_multimedia_plays_and_pausing_shows_the_exact_frame(
    qtbot, qt_player
) -> None:
    view, _ = qt_player
    backend = view.backend
    assert backend is not None
    view.seek(RATE.start_ms(24))
    wait_for_exact(qtbot, view, 24)
    view.play()
    assert view.playing
    try:
        qtbot.waitUntil(lambda: view.transport.position_ms > 2000, timeout=10_000)
    except qtbot.TimeoutError:
        player = backend._player  # type: ignore[attr-defined]
        pytest.skip(
            "Qt Multimedia did not play the film here: state "
            f"{player.playbackState().name}, media {player.mediaStatus().name}, "
            f"error {player.error().name} {player.errorString()!r}"
        )
    playing_number = picture_number(view)  # a picture from Qt Multimedia's video sink
    assert playing_number > 24
    view.pause()
    assert not view.playing
    at = RATE.frame_at(view.transport.position_ms)
    wait_for_exact(qtbot, view, at)
    assert view.transport.position_ms == RATE.start_ms(at)
    qtbot.wait(300)  # frames still on their way from the sink must not replace the exact one
    assert picture_number(view) == at


def test_without_libvlc_a_film_played_at_once_plays_from_where_it_was_sent(
    qtbot, small_film: Path, without_libvlc
) -> None:
    """Playback starts with the first play, while Qt is still loading the film in the
    background: the position sent before it was loaded is where it plays from."""
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    view.load(small_film, TimeMap(), (24, 1), DURATION_MS, playback_later=True)
    view.seek(RATE.start_ms(96))
    wait_for_exact(qtbot, view, 96)
    view.play()  # starts Qt Multimedia, which loads the film meanwhile
    try:
        seen = []
        for _ in range(30):
            qtbot.wait(50)
            seen.append(view.transport.position_ms)
        assert min(seen) >= RATE.start_ms(96), seen  # not from the start
        assert max(seen) > RATE.start_ms(96), seen  # and playing
    finally:
        view.pause()
        view.close_media()


def test_a_libvlc_that_fails_to_start_falls_back_too(
    qtbot, small_film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libvlc_new() refuses an option it does not know, as it fails on a broken installation
    monkeypatch.setattr(
        playback.VlcBackend, "ARGS", (*playback.VlcBackend.ARGS, "--no-such-option")
    )
    view, notice = open_player(qtbot, small_film)
    assert notice == (
        "libVLC is installed but failed to start. desk plays through Qt Multimedia instead."
    )
    assert view.backend is not None
    assert view.backend.name == "Qt Multimedia"
    wait_for_exact(qtbot, view, 0)
    view.close_media()


def test_with_neither_backend_the_player_still_shows_exact_stills(
    qtbot, small_film: Path, without_libvlc, without_qt_multimedia
) -> None:
    view, notice = open_player(qtbot, small_film)
    assert "libVLC is not available" in notice
    assert "Qt Multimedia is not available" in notice
    assert notice.endswith("Stills and stepping still work.")
    assert view.backend is None
    wait_for_exact(qtbot, view, 0)
    view.play()  # nothing to play with: the still stays
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not view.playing
    view.seek(RATE.start_ms(77))
    wait_for_exact(qtbot, view, 77)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    wait_for_exact(qtbot, view, 78)
    view.close_media()
