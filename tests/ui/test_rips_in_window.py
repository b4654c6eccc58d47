"""Each kind of rip shows in the window as `desk probe --json` describes it: the paused picture's
shape is the display size probe reports, the player's Audio track menu lists the audio tracks
probe lists, and the film's last frame is reached at probe's length as probe's frame number.

The films are those of :mod:`tests.rips`: rips of DVDs (anamorphic, VobSub) and Blu-rays (PGS),
a Matroska rip with subtitles and chapters, a phone's variable rate, B-frames, 10-bit PQ HDR, a
video that starts after the sound, an MPEG program stream and a film with a commentary."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from desk.core.timemap import TimeMap
from desk.ui.player_view import PlayerView
from desk.ui.transport import Transport
from tests import rips
from tests.running import desk

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

KINDS: dict[str, Callable[[Path], Path]] = {
    "anamorphic DVD rip": lambda folder: rips.make_rip(folder, dvd=True),
    "Matroska rip": rips.make_rip,
    "Blu-ray rip": rips.make_bluray,
    "VobSub DVD rip": rips.make_dvd,
    "phone footage": rips.make_phone_vfr,
    "B-frames": lambda folder: rips.make_bframe_film(folder, ".mp4"),
    "PQ HDR": rips.make_hdr,
    "late video": rips.make_late_video,
    "program stream": rips.make_program_stream,
    "commentary": rips.make_two_sounds,
}


@pytest.fixture(params=list(KINDS))
def rip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return KINDS[request.param](tmp_path_factory.mktemp("rip"))


def probed(film: Path) -> dict[str, Any]:
    done = desk("probe", str(film), "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_the_window_shows_each_rip_as_desk_probe_describes_it(qtbot, rip: Path) -> None:
    info = probed(rip)
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(640, 400)
    view.show()
    shown: list[Any] = []
    view._relay.ready.connect(lambda _n, frame: shown.append(frame))
    fps = Fraction(info["fps"])
    view.load(rip, TimeMap(), (fps.numerator, fps.denominator), info["duration_ms"])
    try:
        qtbot.waitUntil(lambda: any(f.exact for f in shown), timeout=20000)
        first = next(f for f in shown if f.exact)
        width, height = info["display_width"], info["display_height"]
        assert first.width / first.height == pytest.approx(width / height, rel=0.01)
        entries = [a.text() for a in view.audio_menu.actions() if a.isCheckable()]
        assert len(entries) == len(info["audio_tracks"])
        view.seek(info["duration_ms"] - 1)  # the last millisecond: the last frame
        qtbot.waitUntil(
            lambda: shown[-1].exact and shown[-1].index == info["frame_count"] - 1, timeout=20000
        )
    finally:
        view.close_media()
