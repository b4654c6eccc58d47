"""Importing an ELAN file from the window: the tiers that are not desk's come in as reference
tiers with their structure, or as notes when the user picks that."""

from __future__ import annotations

from pathlib import Path

from desk.ui import interchange_menu
from desk.ui.main_window import MainWindow
from tests.interchange.elan_files import STRUCTURED
from tests.ui.answers import OK, answer, file_named, picked


def import_elan(window: MainWindow, path: Path, choice: int, said: list[str]) -> None:
    answer(file_named(path), picked(choice), OK, said=said)
    interchange_menu._import_dialog(window, window.session, "eaf", "ELAN (*.eaf)")


def test_an_elan_files_tiers_come_in_as_notes_when_the_user_picks_notes(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    assert sample_window.session is not None
    project = sample_window.session.project
    path = tmp_path / "igor.eaf"
    path.write_text(STRUCTURED, "utf-8")
    (notes_before,) = project.query("SELECT count(*) FROM note")[0]
    said: list[str] = []

    import_elan(sample_window, path, 1, said)

    assert said[1] == "Add the tiers that are not desk's as"
    assert said[2].startswith("Imported igor.eaf: 13 notes.")
    assert "• 1 ELAN annotation had no text; it was left out." in said[2]
    assert project.query("SELECT count(*) FROM note")[0][0] == notes_before + 13
    assert project.query("SELECT count(*) FROM tier") == [(0,)]


def test_an_elan_files_tiers_come_in_as_reference_tiers_by_default(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    assert sample_window.session is not None
    project = sample_window.session.project
    path = tmp_path / "igor.eaf"
    path.write_text(STRUCTURED, "utf-8")
    said: list[str] = []

    import_elan(sample_window, path, 0, said)

    assert said[2].startswith("Imported igor.eaf: 6 tiers.")
    names = [n for (n,) in project.query("SELECT name FROM tier WHERE elan != '' ORDER BY id")]
    assert names == ["Igor", "Igor words", "Igor pos", "Igor (en)", "Igor phases", "Igor gesture"]
