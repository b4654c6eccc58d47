"""The scenes panel: scenes from the I/O marks, renamed in place, reordered, navigated.

Scene boundaries snap to the start of the frame on screen at the marked time, counted exactly at
the film's frame rate.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import FrameRate
from desk.core.timefmt import fmt_ms
from desk.store import edits, queries
from desk.store.changes import Changed, Changes
from desk.store.reads import outline
from desk.ui.session import Session
from desk.ui.transport import Transport


class ScenesPanel(QWidget):
    def __init__(self, session: Session, transport: Transport, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.transport = transport
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        # One scene at a time, so a drag moves a single row: one edit.
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._go)
        self.list.itemClicked.connect(self._go)
        self.list.itemChanged.connect(self._renamed)
        self.list.model().rowsMoved.connect(self._moved)
        new = QPushButton("Scene from I/O marks")
        new.clicked.connect(self.scene_from_marks)
        up = QPushButton("Move up")
        up.clicked.connect(lambda: self._move(-1))
        down = QPushButton("Move down")
        down.clicked.connect(lambda: self._move(+1))
        buttons = QHBoxLayout()
        for b in (new, up, down):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.reload()
        session.changes_applied.connect(self._on_changes)

    def reload(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for scene in outline.scenes(self.session.project):
            item = QListWidgetItem(scene.name)
            item.setData(Qt.ItemDataRole.UserRole, (scene.id, scene.start_ms, scene.end_ms))
            item.setToolTip(f"{fmt_ms(scene.start_ms)} – {fmt_ms(scene.end_ms)}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def scene_from_marks(self) -> int | None:
        marked = self.transport.marked_range()
        if marked is None:
            return None
        rate = self._film_rate()
        start, end = (rate.snap_ms(t) for t in marked)
        number = self.list.count() + 1
        return int(
            self.session.edit(edits.add_scene, f"Scene {number}", start, end, initiator=self)
        )

    def _film_rate(self) -> FrameRate:
        """The exact frame rate of the project's film (24 fps before there is one)."""
        media = queries.reference_media(self.session.project)
        if media is None:
            return FrameRate(Fraction(24))
        return FrameRate(Fraction(media.fps_num, media.fps_den))

    def _go(self, item: QListWidgetItem) -> None:
        _id, start, _end = item.data(Qt.ItemDataRole.UserRole)
        self.transport.seek(start)

    def _renamed(self, item: QListWidgetItem) -> None:
        scene_id, _s, _e = item.data(Qt.ItemDataRole.UserRole)
        self.session.edit(edits.update_scene, scene_id, name=item.text(), initiator=self)

    def _moved(
        self, _parent: QModelIndex, first: int, last: int, _target: QModelIndex, before: int
    ) -> None:
        """Rows ``first``..``last`` were dragged in front of row ``before``: save where they are.

        The list selects one scene at a time, so this is one row and one undoable edit.
        """
        row = before - (last - first + 1) if before > last else before
        scene_id = self.list.item(row).data(Qt.ItemDataRole.UserRole)[0]
        self.session.edit(edits.move_scene, scene_id, row, initiator=self)

    def _move(self, delta: int) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        scene_id = self.list.item(row).data(Qt.ItemDataRole.UserRole)[0]
        self.session.edit(edits.move_scene, scene_id, row + delta)
        self.list.setCurrentRow(max(0, min(row + delta, self.list.count() - 1)))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Changed.SCENES):
            self.reload()
