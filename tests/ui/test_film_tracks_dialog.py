"""From the window: File → Import → a subtitle track of the film as dialogue, its chapters as
scenes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from desk.film_tasks import new_project
from desk.ui import messages
from desk.ui.film_tracks_dialog import CHAPTERS_ACTION, TRACK_ACTION, TrackDialog
from desk.ui.main_window import MainWindow
from tests.rips import make_bluray

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture(scope="module")
def bluray(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bluray(tmp_path_factory.mktemp("bluray"))


@pytest.fixture
def window(qtbot, bluray: Path, tmp_path: Path) -> Iterator[MainWindow]:
    """The window on a project about a film with a PGS and a SubRip track and two chapters."""
    new_project(tmp_path / "bluray.desk", bluray).close()
    shown = MainWindow()
    qtbot.addWidget(shown)
    shown.show()
    assert shown.open_project(tmp_path / "bluray.desk", trusted_media=True)
    yield shown
    shown.close_project()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(messages, "information", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(messages, "warning", lambda _p, _t, text: said.append(text))
    return said


def import_action(window: MainWindow, text: str) -> QAction:
    file_menu = window.menuBar().actions()[0].menu()
    imports = next(a.menu() for a in file_menu.actions() if a.text() == "Import")
    assert isinstance(imports, QMenu)
    return next(a for a in imports.actions() if a.text() == text)


def test_the_subtitle_track_chosen_in_the_dialog_becomes_a_dialogue_tier(
    window: MainWindow, qtbot, told: list[str]
) -> None:
    seen: list[list[tuple[str, bool]]] = []

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TrackDialog)
        try:
            items = [dialog.tracks.item(k) for k in range(dialog.tracks.count())]
            seen.append([(i.text(), bool(i.flags() & Qt.ItemFlag.ItemIsEnabled)) for i in items])
            assert dialog.chosen() == 2  # the first readable track is offered
        finally:  # never leave the dialog waiting
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, choose)
    import_action(window, TRACK_ACTION).trigger()
    assert seen == [
        [
            ("jpn: Blu-ray PGS, track 1 (pictures of text, not readable)", False),
            ("eng: SubRip, track 2", True),
        ]
    ]
    assert window.session is not None
    project = window.session.project
    assert project.query("SELECT name, language FROM tier") == [("eng", "eng")]
    assert project.query("SELECT start_ms, end_ms, text FROM cue ORDER BY start_ms") == [
        (1000, 2000, "Hello there"),
        (3000, 4000, "Bye"),
    ]
    assert told == ["Imported the subtitle track 'eng': 1 tier."]
    window.undo()  # one edit
    assert project.query("SELECT count(*) FROM cue") == [(0,)]


def test_cancelling_the_track_dialog_imports_nothing(window: MainWindow, told: list[str]) -> None:
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TrackDialog)
        dialog.reject()

    QTimer.singleShot(0, cancel)
    import_action(window, TRACK_ACTION).trigger()
    assert window.session is not None
    assert window.session.project.query("SELECT count(*) FROM tier") == [(0,)]
    assert told == []


def test_a_picture_track_cannot_be_chosen(qtbot, bluray: Path) -> None:
    from desk.media.probe import probe

    dialog = TrackDialog(probe(bluray).subtitle_tracks[:1])
    qtbot.addWidget(dialog)
    dialog.tracks.setCurrentRow(0)
    assert dialog.chosen() is None
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_the_films_chapters_become_scenes_from_the_menu(
    window: MainWindow, told: list[str]
) -> None:
    import_action(window, CHAPTERS_ACTION).trigger()
    assert window.session is not None
    project = window.session.project
    assert project.query("SELECT name, start_ms, end_ms FROM scene ORDER BY position") == [
        ("The car", 0, 2500),
        ("The snow", 2500, 4000),
    ]
    import_action(window, CHAPTERS_ACTION).trigger()  # a second time adds nothing
    assert project.query("SELECT count(*) FROM scene") == [(2,)]
    assert told == [
        "Imported the film's chapters: 2 scenes.",
        "Imported the film's chapters: nothing new; 2 already there.",
    ]


def test_a_new_project_from_a_rip_offers_its_tracks_and_chapters(
    qtbot, bluray: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: list[str]
) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "new.desk"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(bluray), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return "chapters" in text  # no dialogue for now, but the chapters, yes

    monkeypatch.setattr(messages, "question", answer)
    shown = MainWindow()
    qtbot.addWidget(shown)
    shown.show()
    shown.new_project_dialog()
    try:
        assert asked == [
            "The film carries 1 text subtitle track (eng). Add one as a dialogue lane?",
            "The film has 2 chapters. Add them as scenes?",
        ]
        assert shown.session is not None
        assert shown.session.project.query("SELECT count(*) FROM scene") == [(2,)]
        assert shown.session.project.query("SELECT count(*) FROM tier") == [(0,)]
    finally:
        shown.close_project()
