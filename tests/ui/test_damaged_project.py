"""A damaged project opened in the window: the user is told which file and what to do, and the
file is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

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
