"""In class: the teacher steps through the clips full screen from the keyboard, each clip plays its
range and stops, and the notes go to the second screen when there is one."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage

from desk.export.lecture import ClipItem, Lecture
from desk.export.report.data import FilmCopy
from desk.film_tasks import new_project
from desk.media.synth import read_frame_number
from desk.store import clip_lists
from desk.ui.presentation import PresentationWindow, presentation_for

#: libVLC reports its clock in steps of a few hundred milliseconds with the dummy outputs.
CLOCK_SLACK_MS = 700


def lecture_of(film: Path) -> Lecture:
    copy = FilmCopy("Stand-in", None, "", film, "", 8000, Fraction(24), 192, 108, "", True)
    clips = (
        ClipItem(
            1, "The ring", "Igor gives back the ring.", 1000, 1600, notes=("He says nothing.",)
        ),
        ClipItem(2, "The kiss", "She refuses the kiss.", 4000, 4500, handle_before_ms=200),
        ClipItem(3, "Snow", "", 6000, 6400),
    )
    return Lecture("Week 3", "Anora", copy, clips)


@pytest.fixture
def window(qtbot, small_film: Path):
    shown = PresentationWindow(lecture_of(small_film), small_film)
    qtbot.addWidget(shown)
    yield shown
    shown.close()


def playing_near(window: PresentationWindow, start_ms: int) -> bool:
    now = window.backend.time_ms()
    return window.backend.is_playing() and start_ms <= now < start_ms + CLOCK_SLACK_MS


def test_the_keys_step_through_the_clips_and_each_plays_its_range(qtbot, window) -> None:
    window.start()
    assert window.isFullScreen()
    qtbot.waitUntil(lambda: playing_near(window, 1000), timeout=5000)
    with qtbot.waitSignal(window.clip_finished, timeout=5000):
        pass
    assert window.finished
    qtbot.waitUntil(lambda: not window.backend.is_playing(), timeout=3000)
    assert 1600 - 50 <= window.backend.time_ms() < 1600 + CLOCK_SLACK_MS

    qtbot.keyClick(window, Qt.Key.Key_Space)  # the clip has ended: on to the next
    assert window.index == 1
    qtbot.waitUntil(lambda: playing_near(window, 3800), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.index == 2
    qtbot.waitUntil(lambda: playing_near(window, 6000), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Right)  # the last clip stays
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.index == 1
    qtbot.waitUntil(lambda: playing_near(window, 3800), timeout=5000)


def test_pause_resume_and_replay(qtbot, window) -> None:
    window.start()
    qtbot.waitUntil(lambda: playing_near(window, 1000), timeout=15000)
    qtbot.keyClick(window, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: not window.backend.is_playing(), timeout=10000)
    assert not window.finished
    qtbot.keyClick(window, Qt.Key.Key_Space)  # under way: Space resumes
    qtbot.waitUntil(window.backend.is_playing, timeout=10000)
    qtbot.waitUntil(lambda: window.finished, timeout=15000)
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.index == 0
    assert not window.finished
    qtbot.waitUntil(lambda: playing_near(window, 1000), timeout=15000)


def test_a_clip_ends_on_its_out_frame_exactly(qtbot, window) -> None:
    """The burned-in number of the picture left on screen is the clip's last frame: the frame on
    screen just before its end (1600 ms at 24 frames/s: frame 38), whatever libVLC's clock did."""
    window.start()
    with qtbot.waitSignal(window.out_frame_shown, timeout=8000):
        pass
    assert window.stack.currentWidget() is window.picture
    shown = window.picture.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = shown.width(), shown.height()
    pixels = np.frombuffer(shown.constBits(), np.uint8).reshape(height, shown.bytesPerLine())
    rgb = pixels[:, : width * 3].reshape(height, width, 3)
    assert window.shown_out_frame == 38
    assert read_frame_number(rgb) == 38
    qtbot.keyClick(window, Qt.Key.Key_Space)  # on to the next clip: the film plays again
    assert window.shown_out_frame is None


def test_it_opens_the_size_of_the_screen_even_where_nothing_grants_full_screen(
    qtbot, window, monkeypatch
) -> None:
    monkeypatch.setattr(window, "showFullScreen", window.show)  # no window manager to ask
    window.start()
    assert window.size() == window.screen().size()


def test_one_screen_shows_the_caption_in_a_strip(qtbot, window) -> None:
    assert len(QGuiApplication.screens()) == 1
    window.start()
    assert window.notes is None
    assert window.strip.isVisible()
    assert window.strip.text() == "Igor gives back the ring."
    assert window.strip.textFormat() == Qt.TextFormat.PlainText


def test_a_second_screen_shows_the_notes(qtbot, small_film: Path, monkeypatch) -> None:
    screen = QGuiApplication.primaryScreen()
    monkeypatch.setattr(QGuiApplication, "screens", staticmethod(lambda: [screen, screen]))
    window = PresentationWindow(lecture_of(small_film), small_film)
    qtbot.addWidget(window)
    try:
        window.start()
        assert window.notes is not None
        assert window.notes.isVisible()
        assert not window.strip.isVisible()
        assert window.notes.heading.text() == "1 / 3   The ring"
        assert window.notes.caption.text() == "Igor gives back the ring."
        assert "He says nothing." in window.notes.notes.text()
        assert window.notes.following.text() == "Next: The kiss"
    finally:
        window.close()
    assert not window.notes.isVisible()


def test_a_project_clip_list_is_presented(qtbot, small_film: Path, tmp_path: Path) -> None:
    project = new_project(tmp_path / "lecture.desk", small_film)
    try:
        lecture, _ = clip_lists.add_clip_list(project, "Week 3")
        clip_lists.add_clip(project, lecture, 2000, 3000, title="Bags", caption="He carries them.")
        window = presentation_for(project, "week 3")
    finally:
        project.close()
    qtbot.addWidget(window)
    try:
        window.start()
        assert window.strip.text() == "He carries them."
        qtbot.waitUntil(lambda: playing_near(window, 2000), timeout=5000)
    finally:
        window.close()
