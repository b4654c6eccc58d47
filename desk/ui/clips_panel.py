"""The clips panel: a teacher's clip lists and their clips, made, ordered and exported.

Above, the list chosen and what can be done to lists (new, rename, delete, export, present); in the
middle, its clips in lecture order with their title, in and out points, duration, handles and
caption; below, what can be added as a clip: the I/O range, a scene, a run of beats, or the
moments a paragraph cites. Titles and captions are edited in place; a clip's context menu retitles,
captions, sets handles, moves and deletes it; Ctrl+Up and Ctrl+Down move the chosen clip.

The out point is inclusive, as editors read it: the **Out** column shows the last frame the clip
shows, and a clip from the marks ends with the frame on screen at the O mark. New clips get the
default handles set here (kept in the settings), so a one-frame link still makes a clip a class
can see; a clip shorter than a second with its handles is refused with a sentence saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import FrameRate
from desk.core.timefmt import fmt_ms
from desk.errors import KnownError
from desk.store import clip_lists, pickers
from desk.store.changes import Changed, Changes
from desk.ui import ask, messages
from desk.ui.combos import index_of
from desk.ui.session import Session
from desk.ui.transport import Transport

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("#", "Title", "In", "Out (last frame)", "Duration", "Handles", "Caption")
TITLE, OUT, CAPTION = 1, 3, 6
#: The title column's width at first, in pixels (the user may drag it).
TITLE_WIDTH = 300
#: Where the default handles are kept, in ms.
HANDLE_KEYS = ("clips/handle_before_ms", "clips/handle_after_ms")
SHOWN = (Changed.CLIP_LISTS, Changed.CLIPS, Changed.FILM)


def default_handles(settings: QSettings | None = None) -> dict[str, int]:
    """The handles new clips get: ``handle_before_ms`` and ``handle_after_ms``."""
    settings = settings or QSettings()
    before, after = (int(str(settings.value(key, 0) or 0)) for key in HANDLE_KEYS)
    return {"handle_before_ms": before, "handle_after_ms": after}


class ClipTable(QAbstractTableModel):
    """The clips of one list as rows: a thin adapter over :func:`clip_lists.clips_of`."""

    def __init__(self, panel: ClipsPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.rows: list[dict[str, Any]] = []
        self.rate: FrameRate | None = None

    def load(self, rows: list[dict[str, Any]], rate: FrameRate | None) -> None:
        self.beginResetModel()
        self.rows, self.rate = rows, rate
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        horizontal_tip = (
            orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
        )
        if horizontal_tip and section == OUT:
            return "The last frame the clip shows: an out point is inclusive."
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(index.row(), index.column(), row)
        if role == Qt.ItemDataRole.EditRole:
            return row["title"] if index.column() == TITLE else row["caption"]
        return None

    def _text(self, number: int, column: int, row: dict[str, Any]) -> str:
        start, end = int(row["start_ms"]), int(row["end_ms"])
        before, after = int(row["handle_before_ms"]), int(row["handle_after_ms"])
        texts = (
            str(number + 1),
            str(row["title"]),
            fmt_ms(start),
            fmt_ms(clip_lists.last_frame_ms(end, self.rate)),
            f"{(end - start) / 1000:.3f} s",
            f"−{before / 1000:g} s / +{after / 1000:g} s" if before or after else "—",
            str(row["caption"]),
        )
        return texts[column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in (TITLE, CAPTION):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() not in (TITLE, CAPTION):
            return False
        field = "title" if index.column() == TITLE else "caption"
        return self.panel.edit_clip(int(self.rows[index.row()]["id"]), **{field: str(value)})


class ClipsPanel(QWidget):
    def __init__(
        self, session: Session, transport: Transport, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.transport = transport
        self.list_choice = QComboBox()
        self.list_choice.setMinimumContentsLength(16)
        self.list_choice.currentIndexChanged.connect(lambda _i: self._load_clips())
        self.model = ClipTable(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):  # times and numbers as wide as they are
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CAPTION, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TITLE, TITLE_WIDTH)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._clip_menu_at)
        self.table.doubleClicked.connect(self._go)
        self.table.installEventFilter(self)  # Ctrl+Up/Down and Delete, read before the table
        self.note = QLabel("An out point is inclusive: Out is the last frame a clip shows.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._row(
            QLabel("List:"), self.list_choice,
            ("New list…", self.new_list), ("Rename…", self.rename_list),
            ("Delete list…", self.delete_list), ("Export…", self.export_list),
        ))  # fmt: skip
        layout.addWidget(self.table, 1)
        layout.addLayout(self._row(
            QLabel("Add:"), ("I/O marks", self.add_marks), ("Scene…", self.add_scene),
            ("Beats…", self.add_beats), ("Paragraph's links…", self.add_paragraph),
            ("Default handles…", self.set_default_handles),
        ))  # fmt: skip
        layout.addWidget(self.note)
        self.reload()
        session.changes_applied.connect(self._on_changes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Ctrl+Up and Ctrl+Down move the chosen clip, Delete deletes it, while the table has the
        keys (the table would move its cursor instead)."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            moves = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: +1}
            if ctrl and event.key() in moves:
                self.move_chosen(moves[Qt.Key(event.key())])
                return True
            if (
                event.key() == Qt.Key.Key_Delete
                and self.table.state() != self.table.State.EditingState
            ):
                self.delete_chosen()
                return True
        return super().eventFilter(watched, event)

    def _row(self, *parts: QWidget | tuple[str, Callable[[], Any]]) -> QHBoxLayout:
        row = QHBoxLayout()
        for part in parts:
            if isinstance(part, QWidget):
                row.addWidget(part)
                continue
            button = QPushButton(part[0])
            button.clicked.connect(lambda _c=False, act=part[1]: act())
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- reading ----------------------------------------------------------------------------
    @property
    def list_id(self) -> int | None:
        chosen = self.list_choice.currentData()
        return None if chosen is None else int(chosen)

    def reload(self, choose: int | None = None) -> None:
        """Read the lists again, keeping the one chosen (or choosing ``choose``)."""
        wanted = self.list_id if choose is None else choose
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        for row in clip_lists.clip_lists(self.session.project):
            self.list_choice.addItem(str(row["name"]), int(row["id"]))
        self.list_choice.setCurrentIndex(max(0, index_of(self.list_choice, wanted)))
        self.list_choice.blockSignals(False)
        self._load_clips()

    def _load_clips(self) -> None:
        project = self.session.project
        rows = [] if self.list_id is None else clip_lists.clips_of(project, self.list_id)
        self.model.load(rows, clip_lists.film_rate(project))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*SHOWN):
            chosen = self.chosen_row()
            self.reload()
            if chosen is not None and self.model.rows:
                self.choose_row(min(chosen, len(self.model.rows) - 1))

    def chosen_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def choose_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _chosen_clip(self) -> dict[str, Any] | None:
        row = self.chosen_row()
        return None if row is None else self.model.rows[row]

    # -- edits ------------------------------------------------------------------------------
    def _edit(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """One edit through the session; a refused one is told in one sentence, nothing lost."""
        try:
            return self.session.edit(fn, *args, initiator=self, **kw)
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
            return None

    def edit_clip(self, clip_id: int, **fields: Any) -> bool:
        return self._edit(clip_lists.update_clip, clip_id, **fields) is not None

    def new_list(self) -> int | None:
        name = ask.text(self, "New clip list", "Name of the list:")
        if name is None:
            return None
        list_id = self._edit(clip_lists.add_clip_list, name)
        if list_id is not None:
            self.reload(choose=list_id)
        return list_id

    def _target_list(self) -> int | None:
        """The chosen list, or a new one when there is none yet."""
        return self.list_id if self.list_id is not None else self.new_list()

    def rename_list(self) -> None:
        if self.list_id is None:
            return
        name = ask.text(
            self, "Rename clip list", "Name of the list:", self.list_choice.currentText()
        )
        if name is not None:
            self._edit(clip_lists.rename_clip_list, self.list_id, name)

    def delete_list(self) -> None:
        if self.list_id is None:
            return
        name, count = self.list_choice.currentText(), len(self.model.rows)
        if count and not messages.question(
            self, "Delete clip list",
            f"“{name}” holds {count} clip{'s' if count != 1 else ''}. Delete the list and its "
            "clips? (Undo brings them back.)",
        ):  # fmt: skip
            return
        self._edit(clip_lists.delete_clip_list, self.list_id)

    def _add(self, fn: Callable[..., Any], *args: Any, **fields: Any) -> int | None:
        list_id = self._target_list()
        if list_id is None:
            return None
        clip_id = self._edit(fn, list_id, *args, **{**default_handles(), **fields})
        if clip_id is not None:
            ids = [int(r["id"]) for r in self.model.rows]
            if clip_id in ids:
                self.choose_row(ids.index(clip_id))
        return clip_id

    def add_marks(self) -> int | None:
        """The I/O range as a clip, its out mark's frame the last one shown."""
        marked = self.transport.marked_range()
        if marked is None:
            messages.information(self, "desk", "Set the I and O marks first (keys I and O).")
            return None
        return self._add(clip_lists.clip_from_marks, *marked)

    def add_scene(self) -> int | None:
        scenes = pickers.scenes(self.session.project)
        chosen = ask.choice(self, "Clip of a scene", "Scene:", [
            f"{s.name}  ({fmt_ms(s.start_ms)}–{fmt_ms(s.end_ms)})" for s in scenes
        ])  # fmt: skip
        if chosen is None:
            if not scenes:
                messages.information(self, "desk", "The project has no scenes yet.")
            return None
        return self._add(clip_lists.clip_from_scene, scenes[chosen].id)

    def add_beats(self) -> int | None:
        """A clip over a run of beats: from the first chosen beat's start to the last's end."""
        beats = pickers.beats(self.session.project)
        names = [f"{b.number}. {b.label or 'beat'}  ({fmt_ms(b.start_ms)})" for b in beats]
        first = ask.choice(self, "Clip of beats", "From beat:", names)
        if first is None:
            if not beats:
                messages.information(self, "desk", "The project has no beats yet.")
            return None
        last = ask.choice(self, "Clip of beats", "To beat (included):", names[first:])
        if last is None:
            return None
        run = [b.id for b in beats[first : first + last + 1]]
        return self._add(clip_lists.clip_from_beats, run)

    def add_paragraph(self) -> int | None:
        """One clip per moment a paragraph cites."""
        paragraphs = pickers.linked_paragraphs(self.session.project)
        names = [
            f"¶{p.number}: {clip_lists.short_title(p.text, 50)}  ({p.links} link"
            f"{'s' if p.links != 1 else ''})"
            for p in paragraphs
        ]
        chosen = ask.choice(self, "Clips of a paragraph's links", "Paragraph:", names)
        if chosen is None:
            if not paragraphs:
                messages.information(self, "desk", "No paragraph of the essay cites the film yet.")
            return None
        return self._add(clip_lists.clips_from_paragraph, paragraphs[chosen].id)

    def set_default_handles(self) -> None:
        current = default_handles()
        before = ask.milliseconds(self, "Default handles", "Film shown before each new clip (ms):",
                                  current["handle_before_ms"])  # fmt: skip
        if before is None:
            return
        after = ask.milliseconds(self, "Default handles", "Film shown after each new clip (ms):",
                                 current["handle_after_ms"])  # fmt: skip
        if after is None:
            return
        settings = QSettings()
        for key, value in zip(HANDLE_KEYS, (before, after), strict=True):
            settings.setValue(key, value)

    # -- one clip ---------------------------------------------------------------------------
    def _clip_menu_at(self, at: QPoint) -> None:
        index = self.table.indexAt(at)
        if index.isValid():
            self.choose_row(index.row())
            self.clip_menu().exec(self.table.viewport().mapToGlobal(at))

    def clip_menu(self) -> QMenu:
        """What can be done to the chosen clip."""
        menu = QMenu(self)
        menu.addAction("Retitle…", self.retitle_chosen)
        menu.addAction("Caption…", self.caption_chosen)
        menu.addAction("Handles…", self.handles_chosen)
        menu.addSeparator()
        menu.addAction("Move up\tCtrl+Up", lambda: self.move_chosen(-1))
        menu.addAction("Move down\tCtrl+Down", lambda: self.move_chosen(+1))
        menu.addSeparator()
        menu.addAction("Delete\tDel", self.delete_chosen)
        return menu

    def retitle_chosen(self) -> None:
        clip = self._chosen_clip()
        if clip is not None:
            title = ask.text(self, "Retitle clip", "Title:", str(clip["title"]))
            if title is not None:
                self.edit_clip(int(clip["id"]), title=title)

    def caption_chosen(self) -> None:
        clip = self._chosen_clip()
        if clip is not None:
            caption = ask.long_text(
                self, "Caption", "Caption shown with the clip:", str(clip["caption"])
            )
            if caption is not None:
                self.edit_clip(int(clip["id"]), caption=caption)

    def handles_chosen(self) -> None:
        clip = self._chosen_clip()
        if clip is None:
            return
        before = ask.milliseconds(self, "Handles", "Film shown before the clip (ms):",
                                  int(clip["handle_before_ms"]))  # fmt: skip
        if before is None:
            return
        after = ask.milliseconds(self, "Handles", "Film shown after the clip (ms):",
                                 int(clip["handle_after_ms"]))  # fmt: skip
        if after is not None:
            self.edit_clip(int(clip["id"]), handle_before_ms=before, handle_after_ms=after)

    def move_chosen(self, step: int) -> None:
        row = self.chosen_row()
        if row is None or not 0 <= row + step < len(self.model.rows):
            return
        if (
            self._edit(clip_lists.move_clip, int(self.model.rows[row]["id"]), row + step)
            is not None
        ):
            self.choose_row(row + step)

    def delete_chosen(self) -> None:
        clip = self._chosen_clip()
        if clip is not None:
            self._edit(clip_lists.delete_clip, int(clip["id"]))

    def _go(self, index: QModelIndex) -> None:
        self.transport.seek(int(self.model.rows[index.row()]["start_ms"]))

    def export_list(self) -> None:
        from desk.ui.clip_export import export_clip_list

        if self.list_id is None:
            messages.information(self, "desk", "Make a clip list first.")
            return
        export_clip_list(self, self.session.project.path, self.list_choice.currentText())
