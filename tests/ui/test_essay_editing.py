"""Writing in the essay: every keystroke reaches the project, in order, with the cursor in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from desk.ui.essay_panel import EssayPanel
from desk.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def panel(sample_window: MainWindow) -> EssayPanel:
    return sample_window.workspace.essay  # type: ignore[union-attr]


def stored(panel: EssayPanel) -> list[str]:
    return [
        r[0] for r in panel.session.project.query("SELECT text FROM paragraph ORDER BY position")
    ]


def edit_row(qtbot, panel: EssayPanel, row: int, cursor_at: int) -> QPlainTextEdit:
    index = panel.model.index(row)
    panel.view.setCurrentIndex(index)
    panel.view.edit(index)
    editor = panel.view.indexWidget(index)
    assert isinstance(editor, QPlainTextEdit)
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(cursor_at)
    editor.setTextCursor(cursor)
    return editor


def test_the_cursor_stays_where_it_was_when_the_text_is_saved(qtbot, panel: EssayPanel) -> None:
    original = stored(panel)[0]
    editor = edit_row(qtbot, panel, 0, 10)
    qtbot.keyClicks(editor, "XYZ")
    qtbot.waitUntil(lambda: stored(panel)[0] == original[:10] + "XYZ" + original[10:], timeout=3000)
    assert editor.textCursor().position() == 13


def test_splitting_right_after_typing_splits_at_the_cursor(qtbot, panel: EssayPanel) -> None:
    original = stored(panel)
    editor = edit_row(qtbot, panel, 0, 20)
    qtbot.keyClicks(editor, "Q")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    now = stored(panel)
    assert len(now) == len(original) + 1
    assert now[0] == original[0][:20] + "Q"
    assert now[1] == original[0][20:]


def test_typing_on_in_a_new_paragraph_is_saved_too(qtbot, panel: EssayPanel) -> None:
    """Ctrl+N while editing: the paragraph left behind keeps its text, the new one gets what
    follows, and so does every paragraph edited after it."""
    original = stored(panel)
    editor = edit_row(qtbot, panel, 0, 0)
    qtbot.keyClicks(editor, "First. ")
    qtbot.keyClick(editor, Qt.Key.Key_N, CTRL)
    assert stored(panel)[0] == "First. " + original[0]
    new = panel.view.indexWidget(panel.view.currentIndex())
    assert isinstance(new, QPlainTextEdit)
    qtbot.keyClicks(new, "A new thought.")
    qtbot.waitUntil(lambda: stored(panel)[1] == "A new thought.", timeout=3000)
    panel.view.closeEditor(new, panel.delegate.EndEditHint.NoHint)
    later = edit_row(qtbot, panel, 3, 0)
    qtbot.keyClicks(later, "Later. ")
    qtbot.waitUntil(lambda: stored(panel)[3] == "Later. " + original[2], timeout=3000)


def test_the_word_keys_delete_words_while_editing_not_paragraphs(qtbot, panel: EssayPanel) -> None:
    original = stored(panel)
    editor = edit_row(qtbot, panel, 1, 0)
    qtbot.keyClick(editor, Qt.Key.Key_Delete, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace, CTRL)
    qtbot.waitUntil(lambda: stored(panel)[1] != original[1], timeout=3000)
    now = stored(panel)
    assert len(now) == len(original)
    assert now[0] == original[0]
    first, last = original[1].split()[0], original[1].split()[-1]
    assert not now[1].startswith(first)
    assert not now[1].endswith(last)


def test_undo_while_typing_takes_back_the_typing(
    qtbot, sample_window: MainWindow, panel: EssayPanel
) -> None:
    original = stored(panel)
    editor = edit_row(qtbot, panel, 2, 0)
    qtbot.keyClicks(editor, "Unsaved yet. ")
    sample_window.undo()  # before the save was due: the typing is saved first, then undone
    assert stored(panel) == original
    sample_window.redo()
    assert stored(panel)[2] == "Unsaved yet. " + original[2]


def test_typing_right_before_another_project_opens_is_kept(
    qtbot, sample_window: MainWindow, panel: EssayPanel, sample_copy: Path, tmp_path: Path
) -> None:
    import shutil

    from desk.store.project import Project

    other = tmp_path / "other.desk"
    shutil.copy(sample_copy, other)
    original = stored(panel)[4]
    editor = edit_row(qtbot, panel, 4, 0)
    qtbot.keyClicks(editor, "Last words. ")
    assert sample_window.open_project(other)  # within the pause the save waits for
    qtbot.wait(600)  # nothing is left to save into the closed project
    sample_window.close_project()
    with Project.open(sample_copy, backup=False) as project:
        (text,) = project.query("SELECT text FROM paragraph ORDER BY position LIMIT 1 OFFSET 4")[0]
    assert text == "Last words. " + original
