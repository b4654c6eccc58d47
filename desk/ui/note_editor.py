"""Editing one note from anywhere it shows (the notes table, a link mark on the timeline): its
text, kind, character, paragraph and time, in a dialog; deleting it; linking it to a paragraph.

The dialog's fields start from the note as it is; OK applies what changed as one undoable edit
(:func:`desk.store.edits.revise_note`). The time field reads every common way of typing a time
or a range (:func:`desk.core.timecode.parse_span`); choosing a scene fills it with the scene's
range. A time that is not one is refused with a sentence under the field, and the dialog stays
open with what was typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)

from desk.core.timecode import TimecodeError, parse_span
from desk.core.timefmt import fmt_ms
from desk.errors import KnownError
from desk.store import edits
from desk.store.kinds import NoteKind
from desk.store.reads import editing as edit_reads
from desk.store.reads import outline
from desk.ui import ask, messages
from desk.ui.plain_text import tooltip_html
from desk.ui.session import Session
from desk.ui.swatches import swatch

#: How much of a paragraph a chooser shows.
PARAGRAPH_CHARS = 70


def span_text(start_ms: int | None, end_ms: int | None) -> str:
    """A note's time as the time field shows it: a moment, a range, or nothing."""
    if start_ms is None:
        return ""
    if end_ms is None or end_ms == start_ms:
        return fmt_ms(start_ms)
    return f"{fmt_ms(start_ms)}–{fmt_ms(end_ms)}"


def paragraph_label(paragraph: edit_reads.ParagraphRow) -> str:
    text = " ".join(paragraph.text.split())
    short = text if len(text) <= PARAGRAPH_CHARS else text[: PARAGRAPH_CHARS - 1] + "…"
    return f"¶{paragraph.position + 1}  {short}"


def fill_characters(combo: QComboBox, session: Session, current: int | None) -> None:
    combo.clear()
    combo.addItem("(no character)", None)
    for character in edit_reads.characters(session.project):
        combo.addItem(swatch(character.color), character.name, character.id)
    combo.setCurrentIndex(max(0, combo.findData(current)))


def fill_paragraphs(combo: QComboBox, session: Session, current: int | None) -> None:
    combo.clear()
    combo.addItem("(no paragraph)", None)
    for paragraph in edit_reads.paragraphs(session.project):
        combo.addItem(paragraph_label(paragraph), paragraph.id)
        combo.setItemData(  # project text: shown literally, never as markup
            combo.count() - 1, tooltip_html(paragraph.text[:600]), Qt.ItemDataRole.ToolTipRole
        )
    combo.setCurrentIndex(max(0, combo.findData(current)))


class NoteEditor(QDialog):
    """Edits one note; ``accepted`` means :meth:`changes` holds the edit to apply."""

    def __init__(self, session: Session, note: edit_reads.NoteRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.original = session, note
        self.setWindowTitle("Note")
        self.setObjectName("note-editor")
        self.text = QPlainTextEdit(note.text)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumWidth(380)
        self.text.setMaximumHeight(110)
        self.kind = QComboBox()
        for kind in NoteKind:
            self.kind.addItem(kind.value, kind.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(note.kind)))
        self.character = QComboBox()
        fill_characters(self.character, session, note.character_id)
        self.paragraph = QComboBox()
        self.paragraph.setMinimumContentsLength(30)
        fill_paragraphs(self.paragraph, session, note.paragraph_id)
        self.scene = QComboBox()
        self.scene.addItem("(choose a scene to take its range)", None)
        for scene in outline.scenes(session.project):
            self.scene.addItem(scene.name or f"Scene {scene.id}", (scene.start_ms, scene.end_ms))
        self.scene.activated.connect(self._scene_chosen)
        self.time = QLineEdit(span_text(note.start_ms, note.end_ms))
        self.time.setPlaceholderText("1:01.727, or 0:40–0:55; empty: no moment")
        self.problem, self.buttons = ask.form(
            self,
            (
                ("Text", self.text),
                ("Kind", self.kind),
                ("Character", self.character),
                ("Paragraph", self.paragraph),
                ("Scene", self.scene),
                ("Time", self.time),
            ),
        )
        self.time.textEdited.connect(lambda _text: self.problem.setVisible(False))
        self.text.setFocus()

    def _scene_chosen(self, index: int) -> None:
        span = self.scene.itemData(index)
        if span is not None:
            self.time.setText(span_text(*span))
            self.problem.setVisible(False)

    def span(self) -> tuple[int, int] | None:
        """The time typed; raises :class:`TimecodeError` for a time that is not one."""
        return parse_span(self.time.text())

    def accept(self) -> None:
        try:
            self.span()
        except TimecodeError as exc:
            self.problem.setText(f"The time is not one desk can read: {exc}.")
            self.problem.setVisible(True)
            self.time.setFocus()
            return
        if not self.text.toPlainText().strip():
            self.problem.setText("A note needs some text.")
            self.problem.setVisible(True)
            self.text.setFocus()
            return
        super().accept()

    def changes(self) -> dict[str, Any]:
        """What changed, as the keyword arguments of :func:`edits.revise_note`."""
        was = self.original
        out: dict[str, Any] = {}
        now = {
            "text": self.text.toPlainText().strip(),
            "kind": self.kind.currentData(),
            "character_id": self.character.currentData(),
            "paragraph_id": self.paragraph.currentData(),
        }
        for name, value in now.items():
            if value != getattr(was, name):
                out[name] = value
        span = self.span()
        before = None if was.start_ms is None else (was.start_ms, was.end_ms)
        if span != before:
            out["span"] = span
        return out


def _apply(parent: QWidget, session: Session, fn: Any, *args: Any, **kw: Any) -> bool:
    """Apply one edit; a refused one is told in a sentence and changes nothing."""
    try:
        session.edit(fn, *args, initiator=parent, **kw)
    except KnownError as exc:
        messages.warning(parent, "desk", str(exc))
        return False
    return True


def edit_note(parent: QWidget, session: Session, note_id: int) -> NoteEditor | None:
    """Open the note's editor (not modal: the film stays playable); OK applies it."""
    note = edit_reads.note(session.project, note_id)
    if note is None:
        return None
    editor = NoteEditor(session, note, parent)

    def apply() -> None:
        changes = editor.changes()
        if changes and edit_reads.note(session.project, note_id) is not None:
            _apply(parent, session, edits.revise_note, note_id, **changes)

    editor.accepted.connect(apply)
    editor.finished.connect(editor.deleteLater)
    editor.open()
    return editor


def delete_note(parent: QWidget, session: Session, note_id: int) -> None:
    """Delete a note (one undoable edit: Undo brings it back with its links)."""
    _apply(parent, session, edits.delete_note, note_id)


class ParagraphChooser(QDialog):
    """Which paragraph a note belongs to: a list to pick from, Enter accepts."""

    def __init__(self, session: Session, current: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Link the note to a paragraph")
        self.setObjectName("paragraph-chooser")
        self.paragraph = QComboBox()
        self.paragraph.setMinimumContentsLength(40)
        fill_paragraphs(self.paragraph, session, current)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Paragraph", self.paragraph)
        form.addRow(buttons)
        self.paragraph.setFocus()


def link_to_paragraph(parent: QWidget, session: Session, note_id: int) -> None:
    """Ask which paragraph the note belongs to, and attach it there (one undoable edit)."""
    note = edit_reads.note(session.project, note_id)
    if note is None:
        return
    chooser = ParagraphChooser(session, note.paragraph_id, parent)
    if chooser.exec():
        chosen = chooser.paragraph.currentData()
        if chosen != note.paragraph_id:
            _apply(parent, session, edits.update_note, note_id, paragraph_id=chosen)


def note_menu(parent: QWidget, session: Session, note_id: int) -> QMenu:
    """A note's menu: edit it, link it to a paragraph, delete it."""
    menu = QMenu(parent)
    menu.addAction("Edit note…").triggered.connect(lambda: edit_note(parent, session, note_id))
    menu.addAction("Link to paragraph…").triggered.connect(
        lambda: link_to_paragraph(parent, session, note_id)
    )
    menu.addSeparator()
    menu.addAction("Delete note").triggered.connect(lambda: delete_note(parent, session, note_id))
    return menu
