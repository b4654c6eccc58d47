"""libVLC counts a film on the container's clock, as desk does: sent to the first millisecond of
a frame on that clock, a paused libVLC draws that frame, in a film whose pictures start 23 ms
after its sound. So the times the player sends libVLC need no correction for the video's start.

The picture is libVLC's own snapshot of what its video output drew (a real X11 output under
Xvfb); each frame shows its number. (An MPEG program stream cannot be checked so: paused, libVLC
fails to seek in one, "hard seek failed", and keeps drawing the frame it was on; played a moment
and paused first, it draws the keyframe nearest the time sent (frames 12, 24, 36 of a film with
a keyframe every 12 frames, sent to frames 13, 31, 45). desk's player shows its own decoded
frame whenever it is paused, so its paused picture does not depend on libVLC's.)"""

from __future__ import annotations

import math
import os
import shutil
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desk.media.frames import FrameDecoder
from desk.media.probe import video_lead_ms
from desk.media.synth import read_frame_number
from tests.rips import make_late_video

vlc = pytest.importorskip("vlc")
pytestmark = [
    pytest.mark.slow,  # eight paused seeks, each given half a second to draw
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg"),
    pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (Xvfb)"),
]

FPS = Fraction(25)


def starts(frame: int, lead_ms: Fraction) -> int:
    """The first whole millisecond ``frame`` is on screen, on the container's clock."""
    return math.ceil(lead_ms + frame * 1000 / FPS)


def drawn_at(player: object, at_ms: int, out: Path) -> int:
    """The number on the picture libVLC's video output draws, paused, once sent to ``at_ms``.
    A paused output that has already drawn hands over no snapshot, so it is sent there again
    until it draws (a loaded machine may take a while)."""
    for _ in range(8):
        player.set_time(at_ms)  # type: ignore[attr-defined]
        time.sleep(0.5)
        player.video_take_snapshot(0, str(out), 0, 0)  # type: ignore[attr-defined]
        deadline = time.monotonic() + 2
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if out.exists():
            return read_frame_number(np.asarray(Image.open(out).convert("RGB")))
    raise AssertionError(f"libVLC drew no picture at {at_ms} ms")


def test_libvlc_paused_at_a_frames_start_draws_the_frame_desk_shows(tmp_path: Path) -> None:
    film = make_late_video(tmp_path)
    lead = video_lead_ms(film)
    assert 3 <= lead <= 45
    instance = vlc.Instance("--no-audio", "--no-video-title-show", "--vout=xcb_x11")
    player = instance.media_player_new()
    player.set_media(instance.media_new(str(film)))
    try:
        player.play()
        stats = vlc.MediaStats()
        deadline = time.monotonic() + 10
        while not (player.get_media().get_stats(stats) and stats.displayed_pictures > 2):
            assert time.monotonic() < deadline, "libVLC showed no pictures"
            time.sleep(0.05)
        player.set_pause(1)
        with FrameDecoder(film) as decoder:
            for frame in (6, 13, 31, 45):
                at = starts(frame, lead)
                assert decoder.frame_at(at).index == frame
                # Counted from the first picture, libVLC would draw the frame after this one.
                assert drawn_at(player, at, tmp_path / f"at-{frame}.png") == frame
                # A paused libVLC lands on the first frame at or after a time: inside the frame
                # before, it already draws this one, where desk (and its player) shows the one
                # on screen then. So the paused player shows desk's decoded frame, not libVLC's.
                before = tmp_path / f"before-{frame}.png"
                assert decoder.frame_at(at - 1).index == frame - 1
                assert drawn_at(player, at - 1, before) == frame
    finally:
        player.stop()
        player.release()
        instance.release()
