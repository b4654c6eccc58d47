"""A damaged project opened in the window: the user is told which file and what to do, and the
file is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from desk.store import checked_files
from desk.store.project import backup_dir
from desk.ui.main_window import MainWindow
from tests.bulk import write_large_project
from tests.store.files import damage_index, digest
from tests.ui.answers import answer


def test_a_damaged_file_is_told_and_never_written(qtbot, tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "damaged.desk", paragraphs=20, notes=2_000)
    damage_index(path)
    before = digest(path)
    said: list[str] = []
    answer(lambda box: box.button(QMessageBox.StandardButton.Ok).click(), said=said)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.open_project(path)
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said[0].startswith("damaged.desk is damaged (")
    assert said[0].endswith("open one of its backups instead.")
    assert window.session is None
    assert digest(path) == before
    assert not any(backup_dir(path).glob("*.desk"))


def test_a_project_damaged_after_the_window_closed_it_is_told_on_reopening(
    qtbot, tmp_path: Path
) -> None:
    path = write_large_project(tmp_path / "damaged.desk", paragraphs=20, notes=2_000)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    asked: list[str] = []
    answer(lambda box: box.button(QMessageBox.StandardButton.No).click(), said=asked)
    assert window.open_project(path)  # its film is missing: not looked for now
    assert any("film of this project is missing" in question for question in asked)
    window.close_project()
    assert checked_files.recorded(path)  # closed cleanly: its next opening would skip the check
    damage_index(path)  # as a failing disk might, after desk closed it cleanly
    said: list[str] = []
    answer(lambda box: box.button(QMessageBox.StandardButton.Ok).click(), said=said)
    assert not window.open_project(path)
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said[0].startswith("damaged.desk is damaged (")
    assert "open one of its backups instead (in " in said[0]  # made at the first opening
    assert window.session is None
