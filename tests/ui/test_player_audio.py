"""In the window, a film with a commentary offers its tracks by language and title under
Playback → Audio track; the one chosen plays (libVLC, headless outputs), the project keeps it
across reopening, and undo brings back the one before."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.film_tasks import new_project
from desk.store import queries
from desk.store.project import Project
from desk.ui.main_window import MainWindow
from desk.ui.player_audio import MENU_TITLE, track_names
from tests.rips import make_two_sounds

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture(scope="module")
def two_sounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_sounds(tmp_path_factory.mktemp("sounds"))


@pytest.fixture
def project_file(two_sounds: Path, tmp_path: Path) -> Path:
    new_project(tmp_path / "commentary.desk", two_sounds).close()
    return tmp_path / "commentary.desk"


def open_window(qtbot, project_file: Path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(project_file, trusted_media=True)
    return window


@pytest.fixture
def window(qtbot, project_file: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, project_file)
    yield window
    window.close_project()


def audio_menu_entries(window: MainWindow) -> list[tuple[str, bool]]:
    playback = window.menus["Playback"]
    (menu,) = [a.menu() for a in playback.actions() if a.menu() and a.text() == MENU_TITLE]
    return [(a.text(), a.isChecked()) for a in menu.actions()]


def playing_track(window: MainWindow) -> int | None:
    """The audio track libVLC plays, as its place among the film's tracks (None until libVLC
    has chosen one: it reports -1 for a moment after the tracks are known)."""
    backend = window.workspace.player.backend  # type: ignore[union-attr]
    ids = [t.id for t in backend.audio_tracks()]
    track = backend._player.audio_get_track()
    return ids.index(track) if track in ids else None


def test_the_tracks_are_named_by_language_and_title_and_the_choice_plays_and_is_kept(
    qtbot, window: MainWindow, project_file: Path
) -> None:
    assert audio_menu_entries(window) == [("English", True), ("English — Commentary", False)]
    player = window.workspace.player  # type: ignore[union-attr]
    player.play()
    qtbot.waitUntil(lambda: playing_track(window) == 0, timeout=10000)
    qtbot.keyClick(player, "a")  # Playback → Next audio track
    assert audio_menu_entries(window) == [("English", False), ("English — Commentary", True)]
    qtbot.waitUntil(lambda: playing_track(window) == 1, timeout=5000)
    assert window.statusBar().currentMessage().startswith("Audio: English — Commentary.")
    window.close_project()
    with Project.open(project_file, readonly=True) as project:
        assert queries.reference_media(project).audio_track == 2  # type: ignore[union-attr]
    assert window.open_project(project_file, trusted_media=True)
    assert audio_menu_entries(window) == [("English", False), ("English — Commentary", True)]
    window.session.undo()  # type: ignore[union-attr]
    assert audio_menu_entries(window) == [("English", True), ("English — Commentary", False)]


def test_tracks_the_file_does_not_name_are_numbered() -> None:
    from desk.media.probe import AudioTrack

    tracks = (
        AudioTrack(1, "ac3", 6, 48000, "fre", None),
        AudioTrack(2, "ac3", 2, 48000, None, None),
        AudioTrack(3, "aac", 2, 48000, "und", "Director"),
        AudioTrack(4, "ac3", 6, 48000, "fre", None),
    )
    assert track_names(tracks) == [
        "French (track 1)", "Track 2", "Director", "French (track 4)",
    ]  # fmt: skip
