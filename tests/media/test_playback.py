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


def test_a_dvd_vob_plays_from_where_it_is_sent_through_the_demuxer_that_keeps_to_the_picture(
    qtbot, vlc, tmp_path
) -> None:
    """libVLC's own MPEG-PS demuxer's clock runs ahead of the picture (tests/ui/
    test_player_clock.py measures it on screen); a VOB goes to libavformat's, an MP4 does not."""
    from desk.media.frames import FrameServer
    from desk.media.playback import PROGRAM_STREAM_DEMUX, demuxer_for
    from tests.rips import make_pal_dvd

    vob = make_pal_dvd(tmp_path, authored=True)
    assert demuxer_for(vob) == PROGRAM_STREAM_DEMUX
    assert demuxer_for(tmp_path / "numbered-pal.mp4") is None  # the pictures it was made from
    for film in (vob, tmp_path / "numbered-pal.mp4"):  # the same, from the frame server's opening
        with FrameServer(film) as server:
            assert demuxer_for(film, server.header.container) == demuxer_for(film)
    vlc.load(vob, 40.0)
    vlc.seek(1000)
    vlc.play()
    qtbot.waitUntil(vlc.is_playing, timeout=10000)
    qtbot.waitUntil(lambda: vlc.time_ms() > 1000, timeout=5000)
    assert vlc.time_ms() < 1000 + CLOCK_SLACK_MS
