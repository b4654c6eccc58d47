"""Each kind of rip shows in the window as `desk probe --json` describes it: the paused picture's
shape is the display size probe reports, the player's Audio track menu lists the audio tracks
probe lists, and the film's last frame is reached at probe's length as probe's frame number.

The films are those of :mod:`tests.rips`: rips of DVDs (anamorphic, VobSub) and Blu-rays (PGS),
a Matroska rip with subtitles and chapters, a phone's variable rate, B-frames in MP4 and in
Matroska, 10-bit PQ HDR, a video that starts after the sound, an MPEG program stream, a film with
a commentary, a broadcast MPEG-TS with B-frames, a PAL DVD's VOB at 64:45, interlaced MPEG-2 and
a Matroska rip with two sounds, SubRip and ASS tracks and two chapters.
Where the pictures are numbered, the last one shown is read off its pixels."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from desk.core.timemap import TimeMap
from desk.media.synth import read_frame_number
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
    "broadcast MPEG-TS": rips.make_transport_stream,
    "PAL DVD": rips.make_pal_dvd,
    "interlaced": rips.make_interlaced,
    "B-frames in Matroska": lambda folder: rips.make_bframe_film(folder, ".mkv"),
    "full Matroska rip": rips.make_full_rip,
}


#: The kinds whose pictures show their frame numbers.
NUMBERED = {
    "phone footage", "B-frames", "PQ HDR", "late video", "program stream", "commentary",
    "broadcast MPEG-TS", "PAL DVD", "B-frames in Matroska", "full Matroska rip",
}  # fmt: skip


@pytest.fixture(params=list(KINDS))
def rip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    film = KINDS[request.param](tmp_path_factory.mktemp("rip"))
    request.node.numbered = request.param in NUMBERED
    return film


def probed(film: Path) -> dict[str, Any]:
    done = desk("probe", str(film), "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_the_window_shows_each_rip_as_desk_probe_describes_it(
    qtbot, rip: Path, request: pytest.FixtureRequest
) -> None:
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
        last = info["frame_count"] - 1
        qtbot.waitUntil(lambda: shown[-1].exact and shown[-1].index == last, timeout=20000)
        if request.node.numbered:
            assert read_frame_number(shown[-1].rgb) == last
    finally:
        view.close_media()


#: The rips that carry subtitle tracks or chapters.
WITH_TRACKS = [
    "anamorphic DVD rip", "Matroska rip", "Blu-ray rip", "VobSub DVD rip", "full Matroska rip",
]  # fmt: skip


@pytest.mark.parametrize("kind", WITH_TRACKS)
def test_the_window_lists_the_subtitle_tracks_and_chapters_desk_probe_lists(
    qtbot, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from desk.film_tasks import new_project
    from desk.ui import messages
    from desk.ui.film_tracks_dialog import CHAPTERS_ACTION, TRACK_ACTION, TrackDialog
    from desk.ui.main_window import MainWindow
    from tests.ui.test_film_tracks_dialog import import_action

    film = KINDS[kind](tmp_path)
    info = probed(film)
    assert info["subtitle_tracks"]  # each of these rips carries subtitles
    told: list[str] = []
    monkeypatch.setattr(messages, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(messages, "warning", lambda _p, _t, text: told.append(text))
    new_project(tmp_path / "rip.desk", film).close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(tmp_path / "rip.desk", trusted_media=True)
    try:
        listed: list[tuple[int, bool]] = []

        def read_and_cancel() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, TrackDialog)
            try:
                for k in range(dialog.tracks.count()):
                    item = dialog.tracks.item(k)
                    track = int(item.text().rsplit("track ", 1)[1].split()[0])
                    listed.append((track, bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)))
            finally:  # never leave the dialog waiting
                dialog.reject()

        QTimer.singleShot(0, read_and_cancel)
        import_action(window, TRACK_ACTION).trigger()
        # Each track probe lists, by its stream, choosable when probe calls it text.
        assert listed == [(t["index"], t["text"]) for t in info["subtitle_tracks"]]
        import_action(window, CHAPTERS_ACTION).trigger()
        assert window.session is not None
        scenes = window.session.project.query(
            "SELECT name, start_ms, end_ms FROM scene ORDER BY position"
        )
        # The chapters probe lists, as scenes on the same (container's) clock.
        assert scenes == [(c["title"], c["start_ms"], c["end_ms"]) for c in info["chapters"]]
        assert told[-1].startswith("Imported the film's chapters") or not info["chapters"]
    finally:
        window.close_project()
