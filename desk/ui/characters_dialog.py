"""Edit → Characters…: the project's characters with their colours, to add, rename, recolour and
delete.

Each change is one undoable edit through the session (:mod:`desk.store.edits`), so the timeline's
lanes and the notes' filters follow at once. A character that beats or notes name is not deleted
before the user has read what names it and chosen whether those go too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.errors import KnownError
from desk.store import edits
from desk.store.changes import Changed, Changes
from desk.store.reads import editing as edit_reads
from desk.ui import ask, messages
from desk.ui.session import Session
from desk.ui.swatches import swatch

#: Colours a new character takes in turn, told apart on the light and the dark palette alike.
PALETTE = ("#d1495b", "#3a7ca5", "#edae49", "#66a182", "#8e6c8a", "#e07a5f", "#2e4057", "#00a6a6")


def next_colour(taken: set[str]) -> str:
    """The first colour of :data:`PALETTE` no character has yet (case aside)."""
    lower = {c.lower() for c in taken}
    return next((c for c in PALETTE if c not in lower), PALETTE[len(taken) % len(PALETTE)])


class CharactersDialog(QDialog):
    """The characters of one project; every button is one undoable edit."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Characters")
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.rename())
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        buttons = QVBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, slot in (
            ("Add…", self.add),
            ("Rename…", self.rename),
            ("Colour…", self.recolour),
            ("Delete…", self.delete),
        ):
            button = QPushButton(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(360, 300)
        self._fill()
        session.changes_applied.connect(self._on_changes)

    def _fill(self, select: int | None = None) -> None:
        current = self.current_id() if select is None else select
        self.list.clear()
        for character in edit_reads.characters(self.session.project):
            item = QListWidgetItem(swatch(character.color), character.name)
            item.setData(Qt.ItemDataRole.UserRole, character.id)
            item.setToolTip(character.color)
            self.list.addItem(item)
            if character.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        chosen = self.current_id() is not None
        for name in ("Rename…", "Colour…", "Delete…"):
            self.buttons[name].setEnabled(chosen)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Changed.CHARACTERS):
            self._fill()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _current(self) -> edit_reads.CharacterRow | None:
        wanted = self.current_id()
        found = [c for c in edit_reads.characters(self.session.project) if c.id == wanted]
        return found[0] if found else None

    def _edit(self, fn: object, *args: object, **kw: object) -> object | None:
        """Apply one edit; a refused one is told in a sentence and changes nothing."""
        try:
            return self.session.edit(fn, *args, initiator=self, **kw)  # type: ignore[arg-type]
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
            return None

    # -- the buttons ----------------------------------------------------------------------------
    def add(self) -> int | None:
        name = ask.text(self, "New character", "Name of the character:")
        if name is None:
            return None
        taken = {c.color for c in edit_reads.characters(self.session.project)}
        new = self._edit(edits.add_character, name, next_colour(taken))
        if isinstance(new, int):
            self._fill(select=new)
            return new
        return None

    def rename(self) -> None:
        character = self._current()
        if character is None:
            return
        name = ask.text(self, "Rename character", "New name:", character.name)
        if name is not None and name != character.name:
            self._edit(edits.update_character, character.id, name=name)

    def recolour(self) -> None:
        character = self._current()
        if character is None:
            return
        chosen = QColorDialog.getColor(QColor(character.color), self, f"Colour of {character.name}")
        if chosen.isValid() and chosen.name() != character.color.lower():
            self._edit(edits.update_character, character.id, color=chosen.name())

    def delete(self) -> None:
        character = self._current()
        if character is None:
            return
        uses = edit_reads.character_uses(self.session.project, character.id)
        if not uses:
            self._edit(edits.delete_character, character.id)
            return
        choice = ask_delete(self, character.name, uses)
        if choice is not None:
            self._edit(edits.delete_character, character.id, with_uses=choice)


def ask_delete(parent: QWidget, name: str, uses: edit_reads.CharacterUses) -> bool | None:
    """Ask what happens to what names a character: True to delete it too, False to keep it
    without the character, None to cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"Delete {name}?")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a name is project text, never markup
    box.setText(uses.sentence(name))
    gone = [f"the {_count(uses.own_beats, 'beat')} of {name}'s own"] if uses.own_beats else []
    gone += [f"the {_count(uses.notes, 'note')}"] if uses.notes else []
    gone += [f"the {_count(uses.evidence, 'mark')} of evidence on them"] if uses.evidence else []
    shared = {0: "", 1: f"; the shared beat loses {name}"}.get(
        uses.shared_beats, f"; the {uses.shared_beats} shared beats lose {name}"
    )
    going = f"{', '.join(gone[:-1])} and {gone[-1]}" if len(gone) > 1 else "".join(gone)
    going = f"{going} go as well" if gone else "no beat or note goes"
    box.setInformativeText(
        f"Delete them too: {going}{shared}.\n"
        f"Keep them: they stay, without {name}.\nEither way, Undo brings everything back."
    )
    too = box.addButton("Delete them too", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(f"Keep them, without {name}", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is too:
        return True
    if clicked is keep:
        return False
    return None


def open_characters(parent: QWidget, session: Session | None) -> CharactersDialog | None:
    """Show the characters of the open project (not modal: the film stays playable)."""
    if session is None:
        return None
    dialog = CharactersDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
