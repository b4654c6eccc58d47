"""Which films play without asking: the ones this user chose or confirmed, never a stranger's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desk.film_tasks import new_project
from desk.ui import main_window, messages
from desk.ui.film_trust import FilmTrust
from desk.ui.main_window import MainWindow
from desk.ui.settings_list import read_strings, write_strings


class Asker:
    """Stands for the user asked whether to play a film: records the question, gives the answer."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[Path] = []

    def __call__(self, film: Path) -> bool:
        self.asked.append(film)
        return self.answer


def test_a_film_confirmed_once_is_not_asked_about_again_on_this_machine(tmp_path: Path) -> None:
    film = tmp_path / "Anora.mkv"
    user = Asker(answer=True)
    assert FilmTrust().confirmed(film, user)
    reopened = FilmTrust()  # the project opened again, another day
    assert reopened.known(film)
    assert reopened.confirmed(film, user)
    assert user.asked == [film]


def test_a_film_named_by_a_project_from_elsewhere_is_asked_about(tmp_path: Path) -> None:
    """A project made from a received bundle trusts nothing: its film path is someone else's."""
    film = tmp_path / "Anora.mkv"
    user = Asker(answer=True)
    from_a_bundle = FilmTrust()
    assert not from_a_bundle.known(film)
    assert from_a_bundle.confirmed(film, user)
    assert user.asked == [film]


def test_a_declined_film_does_not_play_and_is_asked_about_next_time(tmp_path: Path) -> None:
    film = tmp_path / "Anora.mkv"
    user = Asker(answer=False)
    assert not FilmTrust().confirmed(film, user)
    assert not FilmTrust().known(film)
    assert not FilmTrust().confirmed(film, user)
    assert user.asked == [film, film]


def test_a_film_the_user_chose_plays_without_asking_and_is_remembered(tmp_path: Path) -> None:
    chosen, relinked = tmp_path / "Anora.mkv", tmp_path / "Anora-PAL.mkv"
    user = Asker(answer=False)
    trust = FilmTrust([str(chosen)])  # a new project made from it, say
    trust.trust(relinked)  # and a copy found by relinking
    assert trust.confirmed(chosen, user)
    assert trust.confirmed(relinked, user)
    assert user.asked == []
    assert FilmTrust().known(chosen)


def test_trust_is_for_a_path_not_a_file_name(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    trust = FilmTrust([str(tmp_path / "mine" / "Anora.mkv")])
    assert not trust.known(tmp_path / "downloads" / "Anora.mkv")


def test_a_single_remembered_path_reads_back_as_a_list(tmp_path: Path) -> None:
    """INI settings give back a list of one as a lone string."""
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    write_strings(settings, "recent_projects", ["/films/anora.desk", "/films/anora.desk"])
    settings.sync()
    again = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    assert read_strings(again, "recent_projects") == ["/films/anora.desk"]
    assert read_strings(again, "nothing_yet") == []


@pytest.mark.slow  # a window, a film and a bundle: about 6 s here
def test_the_film_a_received_bundle_names_is_asked_about_before_it_plays(
    qtbot, tmp_path: Path, small_film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.interchange.bundle import write_bundle
    from desk.interchange.formats import Options

    film = tmp_path / "film.mp4"
    shutil.copy(small_film, film)
    with new_project(tmp_path / "teacher.desk", film) as project:
        write_bundle(project, tmp_path / "from the teacher.deskz", Options())
    asked: list[str] = []
    monkeypatch.setattr(messages, "question", lambda _p, _title, text: asked.append(text) or False)
    monkeypatch.setattr(main_window.QFileDialog, "getSaveFileName",
                        lambda *_: (str(tmp_path / "mine.desk"), ""))  # fmt: skip
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    window.open_file(tmp_path / "from the teacher.deskz")

    assert asked == [f"This project plays the film at\n{film}\nOpen it?"]
    assert window.workspace is not None
    assert window.workspace.film is None
    assert window.workspace.player.picture.text() == "The film was not opened."
    window.close_project()


def test_a_project_made_with_desk_new_opens_in_the_window_without_asking(
    qtbot, tmp_path: Path, small_film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.cli import main

    film = tmp_path / "my film.mp4"
    shutil.copy(small_film, film)
    assert main(["new", str(tmp_path / "mine.desk"), "--film", str(film)]) == 0
    asked: list[str] = []
    monkeypatch.setattr(messages, "question", lambda _p, _title, text: asked.append(text) or False)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    assert window.open_project(tmp_path / "mine.desk")  # as `desk open` or Open recent does

    assert asked == []
    assert window.workspace is not None
    assert window.workspace.film == film.resolve()
    window.close_project()


def test_a_film_path_only_a_project_names_is_still_asked_about(tmp_path: Path) -> None:
    """Attaching one film does not vouch for another path, nor for the same name elsewhere."""
    from desk.attached_films import remember

    remember(tmp_path / "mine" / "Anora.mkv")
    assert FilmTrust().known((tmp_path / "mine" / "Anora.mkv").resolve())
    assert not FilmTrust().known(tmp_path / "downloads" / "Anora.mkv")
