"""libVLC's quirks stay inside its backend: a film sent somewhere before it plays starts there,
and the end of the film is told apart from not having started."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desk.media.playback import VlcBackend
from tests.media.conftest import Film

#: How far the clock may run between two looks at it (libVLC's clock moves in its own thread).
CLOCK_SLACK_MS = 1500


@pytest.fixture
def vlc() -> Iterator[VlcBackend]:
    backend = VlcBackend(headless=True)
    yield backend
    backend.close()


def test_a_film_sent_somewhere_before_it_plays_starts_there(qtbot, vlc, ntsc_film: Film) -> None:
    vlc.load(ntsc_film.path, 1000 / float(ntsc_film.fps))
    vlc.seek(6000)  # libVLC itself ignores this: nothing plays yet
    assert vlc.time_ms() == 6000
    assert not vlc.ended()
    vlc.play()
    qtbot.waitUntil(vlc.is_playing, timeout=10000)
    qtbot.waitUntil(lambda: vlc.time_ms() > 6000, timeout=5000)
    assert vlc.time_ms() < 6000 + CLOCK_SLACK_MS


def test_playing_to_the_end_of_the_film_is_told_apart_from_a_pause(
    qtbot, vlc, ntsc_film: Film
) -> None:
    vlc.load(ntsc_film.path, 1000 / float(ntsc_film.fps))
    vlc.seek(9000)
    vlc.play()
    qtbot.waitUntil(vlc.is_playing, timeout=10000)
    vlc.pause()
    qtbot.waitUntil(lambda: not vlc.is_playing(), timeout=5000)
    assert not vlc.ended()
    vlc.play()
    qtbot.waitUntil(vlc.ended, timeout=10000)
    assert vlc.pictures_shown() > 0
