"""Opening a project: the film's first frame first, then the panels; every prompt as before."""

from __future__ import annotations

import functools
import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.film_tasks import new_project
from desk.sample import RENDER_SHARE
from desk.ui import messages
from desk.ui.main_window import RECENT_KEY, MainWindow

FIRST_FRAME = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from desk.ui.main_window import MainWindow

HEAVY = ("sqlmodel", "sqlalchemy", "pyqtgraph", "numpy", "vlc")
window = MainWindow()
window.show()
assert window.open_project(Path(sys.argv[1]), trusted_media=True)
workspace = window.workspace
seen = {}

def shown(film_ms, exact):
    if "heavy" not in seen:
        seen["heavy"] = [m for m in HEAVY if m in sys.modules]
        seen["essay_built"] = window.docks["essay"].widget().layout().count() > 0

workspace.player.frame_shown.connect(shown)
clock = QElapsedTimer()
clock.start()
while workspace.panels.holders["timeline"].layout().count() == 0 and clock.elapsed() < 30000:
    app.processEvents()
seen["essay_built_later"] = window.docks["essay"].widget().layout().count() > 0
seen["timeline_built_later"] = workspace.panels.holders["timeline"].layout().count() > 0
seen["plays_later"] = workspace.player.backend is not None and "vlc" in sys.modules
print(json.dumps(seen))
window.close_project()
"""


READ_AND_PLAY = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from desk.ui.main_window import MainWindow

TABLES = ("sqlmodel", "sqlalchemy", "pydantic")
window = MainWindow()
window.show()
assert window.open_project(Path(sys.argv[1]), trusted_media=True)
workspace = window.workspace
clock = QElapsedTimer()
clock.start()
def complete():
    return all(d.widget().layout().count() for d in window.docks.values())
while not complete() and clock.elapsed() < 30000:
    app.processEvents()
workspace.player.toggle_play()
played = QElapsedTimer()
played.start()
while played.elapsed() < 1000:
    app.processEvents()
workspace.player.toggle_play()
seen = {"complete": complete(), "read_and_played": [m for m in TABLES if m in sys.modules]}
from desk.store import edits
window.session.edit(edits.add_note, "the ring, again", start_ms=1000, initiator=window)
seen["edited"] = [m for m in TABLES if m in sys.modules]
seen["notes"] = window.session.project.query("SELECT count(*) FROM note WHERE text = ?",
                                             "the ring, again")[0][0]
print(json.dumps(seen))
window.close_project()
"""


def filled(window: MainWindow, dock: str) -> bool:
    holder = window.docks[dock].widget()
    layout = holder.layout() if holder is not None else None
    return layout is not None and layout.count() > 0


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_project()


@pytest.fixture
def film_project(tmp_path: Path, small_film: Path) -> Path:
    """A project about a private copy of a film, which this user has never confirmed."""
    film = tmp_path / "film.mp4"
    shutil.copy(small_film, film)
    path = tmp_path / "film.desk"
    new_project(path, film).close()
    return path


def seen_by(script: str, project: Path) -> object:
    """What ``script``, run on ``project`` in a fresh process, printed last (as JSON)."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(project)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_first_frame_comes_before_the_panels_and_their_libraries(sample_copy: Path) -> None:
    """libVLC too starts once the first frame is on screen (its start took 50 to 100 ms)."""
    assert seen_by(FIRST_FRAME, sample_copy) == {
        "heavy": [],
        "essay_built": False,
        "essay_built_later": True,
        "timeline_built_later": True,
        "plays_later": True,
    }


def test_reading_and_playing_a_project_loads_no_table_library_until_the_first_edit(
    sample_copy: Path,
) -> None:
    """SQLModel, pydantic and SQLAlchemy (some 40 MB) come in with the first row written."""
    assert seen_by(READ_AND_PLAY, sample_copy) == {
        "complete": True,
        "read_and_played": [],
        "edited": ["sqlmodel", "sqlalchemy", "pydantic"],
        "notes": 1,
    }


def test_the_docks_stand_empty_until_the_first_frame_then_fill(
    window: MainWindow, qtbot, sample_copy: Path
) -> None:
    assert window.open_project(sample_copy, trusted_media=True)
    assert set(window.docks) == {"essay", "notes", "scenes", "readings", "clips", "timeline"}
    assert not filled(window, "essay")
    player = window.workspace.player  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: player.picture.pixmap() is not None, timeout=10000)
    qtbot.waitUntil(lambda: all(filled(window, d) for d in window.docks), timeout=10000)
    assert window.workspace.essay.model.rowCount() == 10  # type: ignore[union-attr]


def test_a_film_never_confirmed_is_asked_about_in_front_of_the_panels(
    window: MainWindow, qtbot, film_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []

    def answer_no(parent: object, title: str, text: str) -> bool:
        asked.append((title, filled(window, "essay")))
        return False

    monkeypatch.setattr(messages, "question", answer_no)
    assert window.open_project(film_project)
    assert asked == [("desk — play this film?", True)]
    assert window.workspace.player.picture.text() == "The film was not opened."  # type: ignore[union-attr]
    assert window.workspace.player.server is None  # type: ignore[union-attr]


def test_a_confirmed_film_plays_and_is_not_asked_about_again(
    window: MainWindow, qtbot, film_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer_yes(parent: object, title: str, text: str) -> bool:
        asked.append(title)
        return True

    monkeypatch.setattr(messages, "question", answer_yes)
    assert window.open_project(film_project)
    player = window.workspace.player  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: player.picture.pixmap() is not None, timeout=10000)
    window.close_project()
    assert window.open_project(film_project)
    assert asked == ["desk — play this film?"]
    player = window.workspace.player  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: player.picture.pixmap() is not None, timeout=10000)
    qtbot.waitUntil(lambda: filled(window, "essay"), timeout=10000)


def test_a_missing_film_offers_to_relink_with_the_panels_open(
    window: MainWindow, qtbot, film_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (film_project.parent / "film.mp4").unlink()
    asked: list[tuple[str, bool]] = []

    def answer_no(parent: object, title: str, text: str) -> bool:
        asked.append((title, filled(window, "essay")))
        return False

    monkeypatch.setattr(messages, "question", answer_no)
    assert window.open_project(film_project)
    assert asked == [("desk — film missing", True)]
    text = window.workspace.player.picture.text()  # type: ignore[union-attr]
    assert text.startswith("The film is missing:")
    qtbot.waitUntil(lambda: filled(window, "timeline"), timeout=10000)


def test_undoing_and_redoing_a_relink_moves_the_player_between_the_copies(
    window: MainWindow, qtbot, film_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.media.synth import render_film
    from desk.store import edits

    asked: list[str] = []
    monkeypatch.setattr(messages, "question", lambda parent, title, text: asked.append(title))

    other = render_film(film_project.parent / "other.mp4", width=160, height=90, duration_s=2)
    assert window.open_project(film_project, trusted_media=True)
    workspace = window.workspace
    assert workspace is not None

    def shown_width() -> int | None:
        image = workspace.player.picture.shown_image()
        return None if image is None else image.width()

    qtbot.waitUntil(lambda: shown_width() == 192, timeout=10000)
    media_id = window.session.project.query("SELECT id FROM media")[0][0]  # type: ignore[union-attr]
    window.session.edit(edits.update_media, media_id, path=str(other), initiator=window)  # type: ignore[union-attr]
    workspace.film_trust.trust(other)  # as whoever relinks does
    workspace.load_media()
    qtbot.waitUntil(lambda: shown_width() == 160, timeout=10000)
    window.undo()
    qtbot.waitUntil(lambda: shown_width() == 192, timeout=10000)
    assert workspace.film == film_project.parent / "film.mp4"
    window.redo()
    qtbot.waitUntil(lambda: shown_width() == 160, timeout=10000)
    assert workspace.film == other
    other.unlink()  # the copy is gone: undo and redo say so, without asking to relink
    window.undo()
    qtbot.waitUntil(lambda: shown_width() == 192, timeout=10000)
    window.redo()
    assert workspace.player.picture.text() == f"The film is missing: {other}"
    assert workspace.film is None
    assert asked == []


def test_undoing_the_films_addition_leaves_nothing_of_it_playing(
    window: MainWindow, qtbot, film_project: Path
) -> None:
    assert window.open_project(film_project, trusted_media=True)
    workspace = window.workspace
    assert workspace is not None
    player = workspace.player
    qtbot.waitUntil(lambda: player.picture.pixmap() is not None, timeout=10000)
    assert window.session.project.undo_labels()[0] == "Add film copy"  # type: ignore[union-attr]
    window.undo()
    assert player.picture.text() == "This project has no film yet."
    assert (player.server, player.backend, workspace.film) == (None, None, None)
    player.seek(2000)  # nothing left to show a frame of
    assert player.picture.text() == "This project has no film yet."
    window.redo()
    qtbot.waitUntil(lambda: player.picture.pixmap() is not None, timeout=10000)
    assert workspace.film == film_project.parent / "film.mp4"


def test_a_damaged_project_is_refused_and_the_window_stays_empty(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "damaged.desk"
    damaged.write_bytes(b"not a database at all")
    warned: list[str] = []
    monkeypatch.setattr(messages, "warning", lambda parent, title, text: warned.append(text))
    assert not window.open_project(damaged)
    assert warned == ["damaged.desk is not a desk project (it is not an SQLite database)."]
    assert window.workspace is None
    assert window.windowTitle() == "desk"


def test_the_first_run_renders_the_sample_and_opens_it(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desk.sample
    import desk.ui.theme

    monkeypatch.setattr(  # a smaller stand-in film, rendered the same way
        desk.sample, "write_sample", functools.partial(desk.sample.write_sample, scale=0.25)
    )
    monkeypatch.setattr(desk.ui.theme, "apply_theme", lambda name: None)  # keep the test style
    # Qt fixes the settings file at its first use, so earlier tests' recent projects linger.
    window.settings.remove(RECENT_KEY)
    window.start(None)
    assert window.windowTitle() == "anora-ending — desk"
    assert gc.isenabled()  # paused while the project opened, as start-up does
    player = window.workspace.player  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: player.picture.pixmap() is not None, timeout=10000)
    qtbot.waitUntil(lambda: filled(window, "essay"), timeout=10000)
    assert window.recent()[0].endswith("anora-ending.desk")


def test_a_first_run_cancelled_while_analysing_opens_the_sample_it_wrote(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    import desk.sample
    import desk.ui.theme

    monkeypatch.setattr(
        desk.sample, "write_sample", functools.partial(desk.sample.write_sample, scale=0.25)
    )
    monkeypatch.setattr(desk.ui.theme, "apply_theme", lambda name: None)
    window.settings.remove(RECENT_KEY)

    def cancel_once_analysing() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.value() > 100 * RENDER_SHARE:
                widget.findChild(QPushButton).click()  # the user's Cancel

    poll = QTimer()
    poll.timeout.connect(cancel_once_analysing)
    poll.start(20)
    window.start(None)
    poll.stop()
    assert window.windowTitle() == "anora-ending — desk"
    project = window.workspace.session.project  # type: ignore[union-attr]
    assert project.query("SELECT count(*) FROM analysis") == [(0,)]  # cancelled before measuring
    assert project.query("SELECT count(*) FROM paragraph") == [(10,)]


def test_a_film_path_changed_by_an_edit_is_asked_about_though_the_first_was_trusted(
    window: MainWindow, qtbot, film_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trust covers the film the user chose, not whatever path the project names later."""
    from desk.media.synth import render_film
    from desk.store import edits

    asked: list[str] = []

    def answer_no(parent: object, title: str, text: str) -> bool:
        asked.append(title)
        return False

    monkeypatch.setattr(messages, "question", answer_no)
    other = render_film(film_project.parent / "other.mp4", width=160, height=90, duration_s=2)
    assert window.open_project(film_project, trusted_media=True)
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.player.picture.pixmap() is not None, timeout=10000)
    assert asked == []
    window.session.edit(edits.update_media, 1, path=str(other), initiator=window)  # type: ignore[union-attr]
    workspace.load_media()
    assert asked == ["desk — play this film?"]
    assert workspace.film is None  # nor does the first film play on under the other's name
    assert workspace.player.picture.text() == "The film was not opened."


def test_the_workspace_keys_serve_the_project_opened_last(
    window: MainWindow, qtbot, film_project: Path, sample_copy: Path
) -> None:
    """N and Ctrl+F belong to the open project's panels, however many were opened before."""
    from PySide6.QtWidgets import QApplication

    assert window.open_project(sample_copy, trusted_media=True)
    assert window.open_project(film_project, trusted_media=True)
    assert window.open_project(film_project)  # again, from Open recent: nothing changes
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: filled(window, "notes"), timeout=10000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(workspace.player, Qt.Key.Key_N)
    assert QApplication.focusWidget() is workspace.notes.entry
    qtbot.keyClick(workspace.player, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is workspace.notes.search_box


def test_a_film_declined_when_missing_is_located_later_from_the_file_menu(
    window: MainWindow, qtbot, film_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    moved = film_project.parent / "library" / "renamed.mp4"
    moved.parent.mkdir()
    (film_project.parent / "film.mp4").rename(moved)
    monkeypatch.setattr(messages, "question", lambda *a: False)
    assert window.open_project(film_project)
    workspace = window.workspace
    assert workspace is not None
    assert workspace.film is None
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(moved.parent))
    file_menu = window.menuBar().actions()[0].menu()
    locate = next(a for a in file_menu.actions() if a.text() == "Locate the film…")
    locate.trigger()
    assert workspace.film == moved
    qtbot.waitUntil(lambda: workspace.player.picture.pixmap() is not None, timeout=10000)
    window.undo()  # the relink is an edit like any other
    assert workspace.film is None


def test_a_film_cut_short_since_it_was_added_is_warned_about(
    window: MainWindow, qtbot, film_project: Path
) -> None:
    film = film_project.parent / "film.mp4"
    data = film.read_bytes()
    film.write_bytes(data[: len(data) // 2])  # a download that broke off
    assert window.open_project(film_project, trusted_media=True)
    shown = window.statusBar().currentMessage()
    assert shown.startswith("film.mp4 is not the size it was when the project took it")
    assert f"{len(data):,}" in shown
