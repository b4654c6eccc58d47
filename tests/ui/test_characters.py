"""The critic keeps the cast in the window: Edit → Characters… adds, renames, recolours and
deletes characters, each one undo step, and says what names a character before deleting it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QWidget

from desk.ui.characters_dialog import CharactersDialog
from desk.ui.main_window import MainWindow
from tests.store.files import in_file
from tests.ui.dialogs import click_button, type_name, when_modal

pytestmark = pytest.mark.usefixtures("no_painting_errors")


def open_characters(window: MainWindow) -> CharactersDialog:
    window.window_actions["edit.characters"].trigger()
    found = window.findChildren(CharactersDialog)
    assert found
    return found[-1]


def names(dialog: CharactersDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def choose(dialog: CharactersDialog, name: str) -> None:
    dialog.list.setCurrentRow(names(dialog).index(name))


def test_a_character_added_from_the_edit_menu_is_saved_and_given_a_lane(
    qtbot, sample_window: MainWindow, sample_copy: Path
) -> None:
    dialog = open_characters(sample_window)
    before = names(dialog)
    type_name(qtbot, "Vanya")
    dialog.buttons["Add…"].click()
    assert names(dialog) == sorted([*before, "Vanya"])
    assert dialog.list.currentItem().text() == "Vanya"
    assert in_file(sample_copy, "SELECT count(*) FROM character WHERE name = 'Vanya'") == [(1,)]
    timeline = sample_window.workspace.timeline  # type: ignore[union-attr]
    assert "Vanya" in [c.name for c in timeline.beats.characters]
    chooser = timeline.toolbar.character
    assert "Vanya" in [chooser.itemText(i) for i in range(chooser.count())]  # B can be hers
    sample_window.undo_action.trigger()
    assert names(dialog) == before


def test_a_character_is_renamed_with_enter_and_recoloured_with_the_colour_dialog(
    qtbot, sample_window: MainWindow, sample_copy: Path
) -> None:
    dialog = open_characters(sample_window)
    choose(dialog, "Igor")
    type_name(qtbot, "Igor Ivanovich")
    dialog.buttons["Rename…"].click()
    assert "Igor Ivanovich" in names(dialog)

    def pick(colour_dialog: QWidget) -> None:
        assert isinstance(colour_dialog, QColorDialog)
        colour_dialog.setCurrentColor(QColor("#00aa88"))
        colour_dialog.accept()

    when_modal(pick)
    dialog.buttons["Colour…"].click()
    assert in_file(sample_copy, "SELECT color FROM character WHERE name = 'Igor Ivanovich'") == [
        ("#00aa88",)
    ]
    sample_window.undo_action.trigger()
    sample_window.undo_action.trigger()
    assert in_file(sample_copy, "SELECT count(*) FROM character WHERE name = 'Igor'") == [(1,)]


def test_a_taken_name_is_refused_with_a_sentence_and_nothing_changes(
    qtbot, sample_window: MainWindow, sample_copy: Path
) -> None:
    dialog = open_characters(sample_window)
    choose(dialog, "Igor")
    said: list[str] = []
    type_name(qtbot, "Ani")
    click_button("OK", said)  # the refusal, once the name is given
    dialog.buttons["Rename…"].click()
    assert any("already a character named 'Ani'" in text for text in said)
    assert in_file(sample_copy, "SELECT count(*) FROM character WHERE name = 'Igor'") == [(1,)]


def test_deleting_a_character_shows_what_names_it_and_keeps_those_when_asked(
    qtbot, sample_window: MainWindow, sample_copy: Path
) -> None:
    beats = in_file(sample_copy, "SELECT count(*) FROM beat")
    dialog = open_characters(sample_window)
    choose(dialog, "Ani")
    said: list[str] = []
    click_button("Keep them", said)
    dialog.buttons["Delete…"].click()
    assert any(text.startswith("Ani is in ") and "beats" in text for text in said)
    assert "Ani" not in names(dialog)
    assert in_file(sample_copy, "SELECT count(*) FROM character WHERE name = 'Ani'") == [(0,)]
    assert in_file(sample_copy, "SELECT count(*) FROM beat") == beats
    sample_window.undo_action.trigger()
    assert "Ani" in names(dialog)


def test_a_cancelled_delete_deletes_nothing(qtbot, sample_window: MainWindow) -> None:
    dialog = open_characters(sample_window)
    choose(dialog, "Ani")
    click_button("Cancel")
    dialog.buttons["Delete…"].click()
    assert "Ani" in names(dialog)
