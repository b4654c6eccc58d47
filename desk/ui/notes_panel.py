"""The notes panel: notes at the playhead, filters, and full-text search that jumps to the film.

``N`` (from anywhere in the window) adds a note at the playhead without stopping playback; with
I/O marks set it covers the marked range, and the box's hint says which it will be. Enter adds
the note and hands the keys back to the player. The list is a thin table model over SQL rows,
filtered by kind, character and scene. Unfiltered, it reads the notes a page at a time as the list
scrolls (100,000 notes open as fast as 100), and a note's character and text only when its row is
shown.
The search box queries the FTS5 index over the essay, notes, beats and reference tiers (the film's
dialogue); choosing a result sends the player to its first linked moment, or to the start of the
line of dialogue.

The table edits in place (F2, or a click on a selected cell): the time as typed
(:func:`~desk.core.timecode.parse_span`, a bad one refused with a sentence), the kind and the
character from a list, the text in a field; each change is one undoable edit. ``Delete`` deletes
the selected notes; a right-click opens a note's menu (edit all of it, link it to a paragraph,
delete it: :mod:`desk.ui.note_editor`).
"""

from __future__ import annotations

from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import TimecodeError, parse_span
from desk.core.timefmt import fmt_ms
from desk.errors import KnownError
from desk.store import edits
from desk.store.changes import Changed, Changes
from desk.store.kinds import NoteKind
from desk.store.reads import notes as note_reads
from desk.store.reads import outline
from desk.store.reads.found import found_in_film
from desk.store.reads.notes import NoteRow, NoteText
from desk.ui import messages
from desk.ui.combos import index_of
from desk.ui.note_editor import delete_note, fill_characters, note_menu, span_text
from desk.ui.plain_text import tooltip_html
from desk.ui.session import Session
from desk.ui.transport import Transport

Index: TypeAlias = QModelIndex | QPersistentModelIndex
COLUMNS = ("Time", "Kind", "Character", "Note")
TEXT_PAGE = 200  # rows whose text one query reads, from the first one shown
SEARCHED = (Changed.PARAGRAPHS, Changed.NOTES, Changed.BEATS, Changed.CUES, Changed.TIERS)
ROW_PAGE = 256  # rows read at a time while no filter is set


ENTRY_HINT = "Note at the playhead… (Enter)"


def note_hint(marked: tuple[int, int] | None, at_ms: int | None) -> str:
    """What a note typed now will be on, said truthfully: the marks when they are set, else the
    moment N was pressed (or the playhead, for a note typed without N)."""
    if marked is not None:
        return f"Note on {fmt_ms(marked[0])}–{fmt_ms(marked[1])} (marks)… (Enter)"
    if at_ms is not None:
        return f"Note at {fmt_ms(at_ms)}… (Enter)"
    return ENTRY_HINT


class NotesModel(QAbstractTableModel):
    #: (sentence) when an edit typed into a cell is refused; nothing of it was applied.
    refused = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._rows: list[NoteRow] = []
        self._texts: dict[int, NoteText] = {}  # read when a row is shown
        self.kind = ""
        self.character_id: int | None = None
        self.scene: tuple[int, int] | None = None
        self.reload()
        session.changes_applied.connect(self._on_changes)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """Apply what was typed or chosen in a cell as one undoable edit, once the cell's editor
        has closed (the edit reloads the rows, which would pull the editor from under the view
        while it is still committing)."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        note_id, column = self._rows[index.row()][0], index.column()
        before = self._edit_value(index.row(), column)
        QTimer.singleShot(0, lambda: self._apply(note_id, column, value, before))
        return True

    def _apply(self, note_id: int, column: int, value: Any, before: Any) -> None:
        try:
            if column == 0:
                span = parse_span(str(value))
                if span != parse_span(str(before)):
                    self.session.edit(edits.revise_note, note_id, span=span, label="Move note")
                return
            if column == 3:
                value = str(value).strip()
                if not value:
                    raise TimecodeError("a note needs some text")
            field = ("kind", "character_id", "text")[column - 1]
            if value != before:
                self.session.edit(edits.update_note, note_id, **{field: value})
        except (KnownError, TimecodeError) as exc:
            self.refused.emit(_sentence(exc))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.EditRole:
            return self._edit_value(index.row(), index.column())
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        shown = self._display(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:  # project text: shown literally, never as markup
            return tooltip_html(shown) if shown else None
        return shown

    def _display(self, row: int, column: int) -> str:
        note_id, start, end, kind, _cid = self._rows[row]
        if column == 0:
            if start is None or end is None:
                return ""
            return fmt_ms(start) if start == end else f"{fmt_ms(start)}–{fmt_ms(end)}"
        if column == 1:
            return str(kind)
        if note_id not in self._texts:
            self._read_texts(row)
        return self._texts[note_id][column - 2]

    def _edit_value(self, row: int, column: int) -> Any:
        """What a cell's editor starts from: the time as text, the kind, the character's id, the
        text."""
        note_id, start, end, kind, character_id = self._rows[row]
        if column == 0:
            return span_text(start, end)
        if column == 1:
            return str(kind)
        if column == 2:
            return character_id
        return self._display(row, 3)

    def _read_texts(self, row: int) -> None:
        """Read the character and text of a page of rows from ``row`` on (a view shows rows
        next to each other, so one query serves a screenful)."""
        ids = [r[0] for r in self._rows[row : row + TEXT_PAGE] if r[0] not in self._texts]
        self._texts.update(note_reads.note_texts(self.session.project, ids))

    def note_at(self, row: int) -> tuple[int, int | None]:
        """(note id, start_ms or None) of a row."""
        return self._rows[row][0], self._rows[row][1]

    def reload(self) -> None:
        """The notes again, in film order, each with its first and last linked time; the notes
        linked to no moment come last, oldest first."""
        self._texts = {}
        self.apply_filters()

    def apply_filters(self) -> None:
        """Unfiltered, the notes are read a page at a time as the view scrolls to them
        (:meth:`fetchMore`); filtered, all that match are read at once (filtering along the
        page order would read every note to find the few that match)."""
        self.beginResetModel()
        self._after: tuple[int, int] | None = (-1, -1)  # the last (start_ms, link id) read
        self._after_unlinked: int | None = -1  # the last unlinked note's id read, None when done
        if self.kind or self.character_id is not None or self.scene is not None:
            self._rows = self._read_filtered()
            self._after = self._after_unlinked = None
        else:
            self._rows = self._read_page()
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._after_unlinked is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        rows = self._read_page()
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows += rows
            self.endInsertRows()

    def _read_page(self) -> list[NoteRow]:
        """The next rows: linked notes from where the last page ended, then unlinked ones."""
        project = self.session.project
        rows: list[NoteRow] = []
        if self._after is not None:
            linked = note_reads.linked_notes_after(project, self._after, ROW_PAGE)
            rows = [row for row, _where in linked]
            if len(linked) == ROW_PAGE:
                self._after = linked[-1][1]
                return rows
            self._after = None
        assert self._after_unlinked is not None
        unlinked = note_reads.unlinked_notes_after(
            project, self._after_unlinked, ROW_PAGE - len(rows)
        )
        rows += unlinked
        more = unlinked and len(rows) == ROW_PAGE
        self._after_unlinked = unlinked[-1][0] if more else None
        return rows

    def _read_filtered(self) -> list[NoteRow]:
        """Every note the filters keep, in film order (notes at the same moment: oldest first)."""

        def keep(r: NoteRow) -> bool:
            _note_id, start, _end, kind, character_id = r
            if self.kind and kind != self.kind:
                return False
            if self.character_id is not None and character_id != self.character_id:
                return False
            if self.scene is not None:
                return start is not None and self.scene[0] <= start < self.scene[1]
            return True

        return [r for r in note_reads.notes_in_film_order(self.session.project) if keep(r)]

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Changed.NOTES, Changed.CHARACTERS):
            self.reload()


def _sentence(exc: Exception) -> str:
    text = str(exc)
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


class NoteDelegate(QStyledItemDelegate):
    """The editors of the notes table: a list for the kind and the character, a field for the
    time and the text."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        if index.column() == 1:
            kinds = QComboBox(parent)
            for kind in NoteKind:
                kinds.addItem(kind.value, kind.value)
            return kinds
        if index.column() == 2:
            return QComboBox(parent)
        editor = QLineEdit(parent)
        if index.column() == 0:
            editor.setPlaceholderText("1:01.727 or 0:40–0:55")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            if index.column() == 2:
                fill_characters(editor, self.session, value)
            else:
                editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            if value != index.data(Qt.ItemDataRole.EditRole):
                model.setData(index, value)
        elif isinstance(editor, QLineEdit) and editor.text() != index.data(
            Qt.ItemDataRole.EditRole
        ):
            model.setData(index, editor.text())


class NotesPanel(QWidget):
    #: A note typed in the box was added (the box is done with the keys).
    note_entered = Signal()

    def __init__(self, session: Session, transport: Transport, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.transport = transport
        self.model = NotesModel(session)
        self.entry = QLineEdit(placeholderText=ENTRY_HINT)
        self.entry.returnPressed.connect(self._add_from_entry)
        self.entry.editingFinished.connect(self._forget_moment_if_empty)
        self._moment: int | None = None  # the film time N was pressed at, while the note is typed
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in NoteKind])
        self.filter_kind = QComboBox()
        self.filter_character = QComboBox()
        self.filter_scene = QComboBox()
        for combo in (self.filter_kind, self.filter_character, self.filter_scene):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.search_box = QLineEdit(placeholderText="Search essay, notes, beats and dialogue")
        self.search_box.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setVisible(False)
        self.results.itemActivated.connect(self._jump_to_result)
        self.results.itemClicked.connect(self._jump_to_result)
        self._search_timer = QTimer(self, singleShot=True, interval=120)
        self._search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(self._jump_to_note)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setItemDelegate(NoteDelegate(session, self.table))
        self.model.refused.connect(self._refused)  # a method: a lambda would keep the panel alive
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        add = QHBoxLayout()
        add.addWidget(self.kind)
        add.addWidget(self.entry, 1)
        filters = QHBoxLayout()
        for combo in (self.filter_kind, self.filter_character, self.filter_scene):
            filters.addWidget(combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.results, 1)
        layout.addLayout(add)
        layout.addLayout(filters)
        layout.addWidget(self.table, 3)
        self._fill_filters()
        session.changes_applied.connect(self._on_changes)
        transport.marks_changed.connect(self._on_marks)  # a method: the panel is not kept alive
        self._show_hint()

    # -- notes at the playhead ---------------------------------------------------------------------
    def start_note(self) -> None:
        """Focus the entry for a note at this moment of the film; playback goes on, and the note
        keeps the moment the key was pressed, however long it takes to type."""
        self._moment = self.transport.position_ms
        self._show_hint()
        self.entry.setFocus(Qt.FocusReason.ShortcutFocusReason)
        window = self.window()
        if isinstance(window, QMainWindow):  # said where the eyes are too, not only in the box
            told = self.entry.placeholderText().removesuffix("… (Enter)")
            window.statusBar().showMessage(f"{told}: Enter adds it, Esc leaves the box", 8000)

    def _on_marks(self, _in_ms: int, _out_ms: int) -> None:
        self._show_hint()

    def _show_hint(self) -> None:
        self.entry.setPlaceholderText(note_hint(self.transport.marked_range(), self._moment))

    def focus_search(self) -> None:
        self.search_box.setFocus()

    def add_note(self, text: str, kind: str | None = None, at_ms: int | None = None) -> int:
        """A note on the I/O range if one is marked, else at ``at_ms`` (default: the playhead)."""
        at = self.transport.position_ms if at_ms is None else at_ms
        start, end = self.transport.marked_range() or (at, at)
        return int(
            self.session.edit(
                edits.add_note,
                text,
                start_ms=start,
                end_ms=end,
                kind=kind or self.kind.currentText(),
                initiator=self,
            )
        )

    def _add_from_entry(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.add_note(text, at_ms=self._moment)
            self.entry.clear()
            self._forget_moment_if_empty()
            self.note_entered.emit()

    def _forget_moment_if_empty(self) -> None:
        if not self.entry.text():
            self._moment = None
            self._show_hint()

    # -- editing -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.note_at(row)[0] for row in rows]

    def delete_selected(self) -> None:
        """Delete the selected notes; each is one undo step."""
        for note_id in self.selected_ids():
            delete_note(self, self.session, note_id)

    def _refused(self, sentence: str) -> None:
        messages.warning(self, "desk", sentence)

    def _menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.note_menu(index.row()).popup(self.table.viewport().mapToGlobal(pos))

    def note_menu(self, row: int) -> QMenu:
        """The menu of the note in ``row``: edit it, link it to a paragraph, delete it."""
        menu = note_menu(self, self.session, self.model.note_at(row)[0])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return menu

    def _jump_to_note(self, index: QModelIndex) -> None:
        _id, start = self.model.note_at(index.row())
        if start is not None:
            self.transport.seek(start)

    # -- filters -----------------------------------------------------------------------------------
    def _fill_filters(self) -> None:
        """Refill the filter choices, keeping each choice that still exists ("All …" for one that
        does not), and filter the notes by what the combos now show."""
        project = self.session.project
        for combo, first, items in (
            (self.filter_kind, "All kinds", [(k.value, k.value) for k in NoteKind]),
            (
                self.filter_character,
                "All characters",
                [(c.name, c.id) for c in outline.characters_by_name(project)],
            ),
            (
                self.filter_scene,
                "All scenes",
                [(s.name, (s.start_ms, s.end_ms)) for s in outline.scenes(project)],
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for label, value in items:
                combo.addItem(str(label), value)
            combo.setCurrentIndex(max(0, index_of(combo, current)))
            combo.blockSignals(False)
        self._filters_changed()

    def _filters_changed(self) -> None:
        chosen = (
            self.filter_kind.currentData() or "",
            self.filter_character.currentData(),
            self.filter_scene.currentData(),
        )
        model = self.model
        if chosen != (model.kind, model.character_id, model.scene):
            model.kind, model.character_id, model.scene = chosen
            model.apply_filters()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Changed.CHARACTERS, Changed.SCENES):
            self._fill_filters()
        if self.search_box.text().strip() and changes.touches(*SEARCHED):
            self.run_search()

    # -- search ------------------------------------------------------------------------------------
    def run_search(self) -> None:
        text = self.search_box.text()
        hits = found_in_film(self.session.project, text)
        self.results.clear()
        self.results.setVisible(bool(text.strip()))
        for hit in hits:
            when = fmt_ms(hit.at_ms) if hit.at_ms is not None else "—"
            item = QListWidgetItem(f"{when}  {hit.source}: {hit.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, hit.at_ms)
            self.results.addItem(item)
        if text.strip() and not hits:
            self.results.addItem("No matches")

    def _jump_to_result(self, item: QListWidgetItem) -> None:
        at = item.data(Qt.ItemDataRole.UserRole)
        if at is not None:
            self.transport.seek(int(at))
