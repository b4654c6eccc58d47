"""The readings panel: competing interpretations side by side, each with its evidence on screen.

Each reading is a column: its summary, then the beats, notes and paragraphs that support it and
those that contradict it, each with a still of its moment; a click on one sends the player there.
Below, any beat, note or paragraph can be attached to the chosen reading as evidence either way.

Readings are made, renamed, described and deleted from the buttons under each title (and the
column's context menu); a piece of evidence changes its stance or is detached from its own context
menu. Each is one undoable edit; deleting a reading first says how much evidence goes with it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.core.timefmt import fmt_ms
from desk.errors import KnownError
from desk.store import edits
from desk.store.changes import Changed, Changes
from desk.store.kinds import Stance
from desk.store.reads import readings as reading_reads
from desk.ui import ask, messages
from desk.ui.combos import Choices, index_of
from desk.ui.plain_text import tooltip_html
from desk.ui.session import Session
from desk.ui.transport import Transport

#: Evidence text shown beside its still (the tooltip has all of it).
EVIDENCE_CHARS = 140


def _plain_label(text: str, *, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # project text is never rich text
    label.setWordWrap(True)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


#: Where a piece of evidence is kept on its item: (evidence id, stance).
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The stances as the menus name them.
STANCES = {Stance.SUPPORTS.value: "Supports", Stance.CONTRADICTS.value: "Contradicts"}

#: What the readings, their evidence and the choice of evidence show (a link reports its owner).
SHOWN = (Changed.READINGS, Changed.EVIDENCE, Changed.BEATS, Changed.NOTES, Changed.PARAGRAPHS)


class ReadingsPanel(QWidget):
    def __init__(
        self,
        session: Session,
        transport: Transport,
        thumbnails: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.transport = transport
        self.thumbnails = thumbnails
        self.columns = QHBoxLayout()
        holder = QWidget()
        holder.setLayout(self.columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.reading_choice = QComboBox()
        self.evidence_choice = QComboBox()
        self.evidence_choice.setMinimumContentsLength(30)
        # As wide as 30 characters: measuring every item's text (2,500) showed the panel late.
        self.evidence_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._evidence_choices = Choices(self.evidence_choice)
        self.evidence_choice.setModel(self._evidence_choices)
        supports = QPushButton("Supports")
        supports.clicked.connect(lambda: self.attach("supports"))
        contradicts = QPushButton("Contradicts")
        contradicts.clicked.connect(lambda: self.attach("contradicts"))
        new_reading = QPushButton("New reading…")
        new_reading.clicked.connect(self.new_reading)
        bottom = QHBoxLayout()
        bottom.addWidget(new_reading)
        bottom.addWidget(self.evidence_choice, 2)
        bottom.addWidget(supports)
        bottom.addWidget(contradicts)
        bottom.addWidget(QLabel("reading:"))
        bottom.addWidget(self.reading_choice, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.reload()
        session.changes_applied.connect(self._on_changes)
        if thumbnails is not None:
            thumbnails.updated.connect(self._refresh_icons)

    def reload(self) -> None:
        """Rebuild the columns and the choices, keeping the reading and evidence chosen."""
        chosen_reading = self.reading_choice.currentData()
        chosen_evidence = self.evidence_choice.currentData()
        while self.columns.count():
            item = self.columns.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)  # out of the panel now; deleted once its events are done
                widget.deleteLater()
        project = self.session.project
        self.reading_choice.clear()
        for reading in reading_reads.readings(project):
            self.reading_choice.addItem(reading.title, reading.id)
            self.columns.addWidget(self._column(reading.id, reading.title, reading.summary))
        self._fill_evidence_choice()
        self.reading_choice.setCurrentIndex(max(0, index_of(self.reading_choice, chosen_reading)))
        self.evidence_choice.setCurrentIndex(max(0, self._evidence_choices.row_of(chosen_evidence)))

    def _column(self, reading_id: int, title: str, summary: str) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setMinimumWidth(260)
        frame.setObjectName(f"reading-{reading_id}")
        frame.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        frame.customContextMenuRequested.connect(
            lambda at, f=frame, r=reading_id: self._reading_menu(r).exec(f.mapToGlobal(at))
        )
        box = QVBoxLayout(frame)
        box.addWidget(_plain_label(title, bold=True))
        tools = QHBoxLayout()
        for text, act in self._reading_actions(reading_id):
            button = QPushButton(text)
            button.clicked.connect(act)
            tools.addWidget(button)
        tools.addStretch(1)
        box.addLayout(tools)
        box.addWidget(_plain_label(summary))
        rows = reading_reads.evidence_of(self.session.project, reading_id)
        for stance, heading in (("supports", "Supports"), ("contradicts", "Contradicts")):
            box.addWidget(_plain_label(heading, bold=True))
            items = QListWidget()
            items.setIconSize(QSize(96, 54))
            items.setWordWrap(True)  # the evidence reads beside its still, not off to the right
            items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            items.itemClicked.connect(self._go)
            items.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            items.customContextMenuRequested.connect(lambda at, w=items: self._evidence_menu(w, at))
            for row in rows:
                if row.stance == stance:
                    when = fmt_ms(row.at_ms) if row.at_ms is not None else "—"
                    short = textwrap.shorten(row.text, EVIDENCE_CHARS, placeholder=" …")
                    item = QListWidgetItem(f"{when}  {row.kind}: {short}")
                    item.setToolTip(tooltip_html(row.text))
                    item.setData(Qt.ItemDataRole.UserRole, row.at_ms)
                    item.setData(EVIDENCE_ROLE, (row.id, row.stance))
                    items.addItem(item)
            box.addWidget(items)
        return frame

    def _refresh_icons(self) -> None:
        if self.thumbnails is None:
            return
        for items in self.findChildren(QListWidget):
            for row in range(items.count()):
                item = items.item(row)
                at = item.data(Qt.ItemDataRole.UserRole)
                pixmap = self.thumbnails.pixmap(at) if at is not None else None
                if pixmap is not None:
                    from PySide6.QtGui import QIcon

                    item.setIcon(QIcon(pixmap))

    def _fill_evidence_choice(self) -> None:
        choices = reading_reads.evidence_choices(self.session.project)
        labels = [f"beat {fmt_ms(beat.start_ms)}: {beat.label}" for beat in choices.beats]
        values: list[object] = [("beat_id", beat.id) for beat in choices.beats]
        labels += [f"note: {note.text}" for note in choices.notes]
        values += [("note_id", note.id) for note in choices.notes]
        labels += [f"¶{p.position + 1}: {p.text}" for p in choices.paragraphs]
        values += [("paragraph_id", p.id) for p in choices.paragraphs]
        self._evidence_choices.set_choices(labels, values)

    def attach(self, stance: str) -> None:
        reading_id = self.reading_choice.currentData()
        target = self.evidence_choice.currentData()
        if reading_id is None or target is None:
            return
        field, target_id = target
        self._edit(edits.add_evidence, reading_id, stance, **{field: target_id})

    # -- editing readings and evidence ---------------------------------------------------------
    def _reading_actions(self, reading_id: int) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("Rename…", lambda: self.rename_reading(reading_id)),
            ("Describe…", lambda: self.describe_reading(reading_id)),
            ("Delete…", lambda: self.delete_reading(reading_id)),
        ]

    def _reading_menu(self, reading_id: int) -> QMenu:
        menu = QMenu(self)
        for text, act in self._reading_actions(reading_id):
            menu.addAction(text, act)
        menu.addSeparator()
        menu.addAction("New reading…", self.new_reading)
        return menu

    def _edit(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """One edit through the session; a refused one is told in one sentence, nothing lost."""
        try:
            return self.session.edit(fn, *args, initiator=self, **kw)
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
            return None

    def _reading(self, reading_id: int) -> reading_reads.Reading | None:
        return next(
            (r for r in reading_reads.readings(self.session.project) if r.id == reading_id), None
        )

    def new_reading(self) -> int | None:
        """Ask for a title and add a reading with it; returns its id (None if cancelled)."""
        title = ask.text(self, "New reading", "Title of the reading:")
        if title is None:
            return None
        reading_id = self._edit(edits.add_reading, title)
        if reading_id is not None:
            self.reading_choice.setCurrentIndex(index_of(self.reading_choice, reading_id))
        return reading_id

    def rename_reading(self, reading_id: int) -> None:
        reading = self._reading(reading_id)
        title = ask.text(
            self, "Rename reading", "Title of the reading:", reading.title if reading else ""
        )
        if title is not None:
            self._edit(edits.update_reading, reading_id, title=title)

    def describe_reading(self, reading_id: int) -> None:
        reading = self._reading(reading_id)
        summary = ask.long_text(
            self, "Describe reading", "What the reading says:", reading.summary if reading else ""
        )
        if summary is not None:
            self._edit(edits.update_reading, reading_id, summary=summary)

    def delete_reading(self, reading_id: int) -> None:
        """Delete a reading, after saying how much evidence goes with it."""
        reading = self._reading(reading_id)
        if reading is None:
            return
        held = len(reading_reads.evidence_of(self.session.project, reading_id))
        if held:
            pieces = "1 piece" if held == 1 else f"{held} pieces"
            question = (
                f"“{reading.title}” holds {pieces} of evidence. Delete the reading and its "
                "evidence? (Undo brings both back.)"
            )
            if not messages.question(self, "Delete reading", question):
                return
        self._edit(edits.delete_reading, reading_id)

    def _evidence_menu(self, items: QListWidget, at: QPoint) -> None:
        item = items.itemAt(at)
        if item is None:
            return
        self.evidence_menu(item).exec(items.viewport().mapToGlobal(at))

    def evidence_menu(self, item: QListWidgetItem) -> QMenu:
        """What can be done to one piece of evidence: change its stance, or detach it."""
        evidence_id, stance = item.data(EVIDENCE_ROLE)
        menu = QMenu(self)
        for value, name in STANCES.items():
            if value != stance:
                menu.addAction(
                    f"Mark as: {name}",
                    partial(self._edit, edits.update_evidence, evidence_id, stance=value),
                )
        menu.addAction(
            "Detach from this reading", lambda: self._edit(edits.remove_evidence, evidence_id)
        )
        return menu

    def _go(self, item: QListWidgetItem) -> None:
        at = item.data(Qt.ItemDataRole.UserRole)
        if at is not None:
            self.transport.seek(int(at))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*SHOWN):
            self.reload()
            self._refresh_icons()
