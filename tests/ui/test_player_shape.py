"""The paused picture of an anamorphic DVD rip is as wide as libVLC plays it: a 720×480 film at
32:27 shows a 16:9 picture, the exact frame asked for, in a real window; so do its thumbnails."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from desk.core.timemap import TimeMap
from desk.media.synth import read_frame_number, render_film
from desk.ui.player_view import PlayerView
from desk.ui.transport import Transport

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture(scope="module")
def dvd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """720×480 at 24 frames/s, stored squeezed with a sample aspect ratio of 32:27."""
    folder = tmp_path_factory.mktemp("dvd")
    source = render_film(
        folder / "numbered.mp4", width=720, height=480, fps=Fraction(24), duration_s=1.0,
        keyframe_interval=12, audio=False,
    )  # fmt: skip
    out = folder / "dvd.mkv"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(source),
            "-c:v",
            "libx264",
            "-aspect",
            "16:9",
            str(out),
        ],
        check=True,
    )
    return out


def rgb_of(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 3].reshape(image.height(), image.width(), 3)


def test_the_paused_picture_of_an_anamorphic_film_is_wide(qtbot, dvd: Path) -> None:
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.load(dvd, TimeMap(), (24, 1), 1000)
    try:
        view.seek(500)
        qtbot.waitUntil(lambda: view._shown_film_ms == 500, timeout=5000)
        shown = view.picture.shown_image()
        assert shown is not None
        assert (shown.width(), shown.height()) == (853, 480)
        assert read_frame_number(rgb_of(shown)) == 12
        on_screen = view.picture.pixmap().size()  # scaled to the widget, its shape kept
        assert abs(on_screen.width() / on_screen.height() - 16 / 9) < 0.01
    finally:
        view.close_media()


def test_thumbnails_of_an_anamorphic_film_are_wide(qtbot, dvd: Path) -> None:
    from desk.ui.thumbnails import THUMB_WIDTH, Thumbnails

    thumbnails = Thumbnails()
    thumbnails.load(dvd, TimeMap())
    try:
        assert thumbnails.pixmap(500) is None  # asked for: decoded off the GUI thread
        qtbot.waitUntil(lambda: thumbnails.pixmap(500) is not None, timeout=5000)
        pixmap = thumbnails.pixmap(500)
        assert pixmap is not None
        assert (pixmap.width(), pixmap.height()) == (THUMB_WIDTH, 54)  # 16:9, not 3:2 (64)
    finally:
        thumbnails.close()


def test_a_film_wider_than_the_screen_is_decoded_to_the_screens_width(
    qtbot, tmp_path: Path
) -> None:
    """4K on an HD screen: the paused picture is converted (and tone-mapped, if HDR) at the width
    a viewer can see, a quarter of the pixels."""
    wide = render_film(
        tmp_path / "wide.mp4", width=2560, height=240, fps=Fraction(24), duration_s=0.5,
        keyframe_interval=12, audio=False,
    )  # fmt: skip
    view = PlayerView(Transport())
    qtbot.addWidget(view)
    view.show()
    view.load(wide, TimeMap(), (24, 1), 500)
    try:
        view.seek(250)
        qtbot.waitUntil(lambda: view._shown_film_ms == 250, timeout=5000)
        shown = view.picture.shown_image()
        assert shown is not None
        assert (shown.width(), shown.height()) == (1920, 180)  # the screen here is narrower
        assert read_frame_number(rgb_of(shown)) == 6
    finally:
        view.close_media()
