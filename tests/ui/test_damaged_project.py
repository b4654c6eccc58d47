"""A damaged project found so after the window showed it: the user is told, it turns read-only,
and the file is left exactly as it was."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desk.errors import ProjectCorrupt
from desk.film_tasks import relink
from desk.store import edits
from desk.store.project import Project, backup_dir
from desk.ui.main_window import MainWindow
from tests.bulk import write_large_project
from tests.store.files import damage_index, digest
from tests.ui.answers import answer


def test_a_damaged_file_is_told_turns_read_only_and_is_never_written(qtbot, tmp_path: Path) -> None:
    from desk.media.synth import render_film

    film = render_film(tmp_path / "film.mp4", width=192, height=108, fps=Fraction(24),
                       duration_s=12.0, keyframe_interval=24)  # fmt: skip
    path = write_large_project(tmp_path / "damaged.desk", paragraphs=20, notes=2_000,
                               duration_ms=12_000)  # fmt: skip
    with Project.open(path, backup=False) as project:
        relink(project, film, force=True)
    damage_index(path)
    before = digest(path)
    said: list[str] = []
    answer(lambda box: box.button(QMessageBox.StandardButton.Ok).click(), said=said)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(path, trusted_media=True)  # shown before its check
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert said[0].startswith("damaged.desk is damaged (")
    assert said[0].endswith("open one of its backups instead.")
    assert "(read-only)" in window.windowTitle()
    assert window.session is not None
    with pytest.raises(ProjectCorrupt):
        window.session.edit(edits.add_paragraph, "Igor hands the ring back.")
    window.close_project()
    assert digest(path) == before
    assert not any(backup_dir(path).glob("*.desk"))
