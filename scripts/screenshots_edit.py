"""Take the README's screenshots of the editing dialogs on the sample project, on a (virtual) X
screen:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_edit.py docs/

Writes characters.png (Edit → Characters… with the delete prompt that says what names a
character), note-editor.png (a note's editor opened from its menu) and beat-editor.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import sample_window, settle  # noqa: E402


def grab_screen(app: QApplication, widgets: list[QWidget], target: Path) -> None:
    """The screen area around ``widgets`` (a dialog and the prompt over it, say)."""
    area = widgets[0].frameGeometry()
    for widget in widgets[1:]:
        area = area.united(widget.frameGeometry())
    area = area.adjusted(-8, -8, 8, 8)
    app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), area.height()).save(
        str(target)
    )


def main() -> None:
    app, window, out = sample_window()
    from desk.ui.characters_dialog import CharactersDialog
    from desk.ui.note_editor import NoteEditor

    workspace = window.workspace
    assert workspace is not None
    assert window.session is not None

    window.window_actions["edit.characters"].trigger()
    dialog = window.findChildren(CharactersDialog)[-1]
    dialog.move(420, 160)
    dialog.list.setCurrentRow(0)
    settle(app)

    def shoot_prompt() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.move(dialog.x() + 60, dialog.y() + 150)
        settle(app)
        grab_screen(app, [dialog, box], out / "characters.png")
        box.reject()

    QTimer.singleShot(300, shoot_prompt)
    dialog.delete()
    dialog.close()

    notes = workspace.notes
    notes.note_menu(0).actions()[0].trigger()
    editor = notes.findChild(NoteEditor)
    assert editor is not None
    editor.move(420, 160)
    settle(app)
    grab_screen(app, [editor], out / "note-editor.png")
    editor.reject()

    timeline = workspace.timeline
    beats = timeline.beats
    beat = beats.edit(0)
    beat.move(420, 160)
    settle(app)
    grab_screen(app, [beat], out / "beat-editor.png")
    beat.reject()
    window.close()


if __name__ == "__main__":
    main()
