"""The readings panel: competing interpretations side by side, each with its evidence on screen.

Each reading is a column: its summary, then the beats, notes and paragraphs that support it and
those that contradict it, each with a still of its moment; a click on one sends the player there.
Below, any beat, note or paragraph can be attached to the chosen reading as evidence either way.
"""

from __future__ import annotations

import textwrap
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.core.timefmt import fmt_ms
from desk.store import edits
from desk.store.changes import Changed, Changes
from desk.store.reads import readings as reading_reads
from desk.ui.combos import index_of
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
        supports = QPushButton("Supports")
        supports.clicked.connect(lambda: self.attach("supports"))
        contradicts = QPushButton("Contradicts")
        contradicts.clicked.connect(lambda: self.attach("contradicts"))
        bottom = QHBoxLayout()
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
                widget.deleteLater()
        project = self.session.project
        self.reading_choice.clear()
        for reading in reading_reads.readings(project):
            self.reading_choice.addItem(reading.title, reading.id)
            self.columns.addWidget(self._column(reading))
        self._fill_evidence_choice()
        for combo, chosen in (
            (self.reading_choice, chosen_reading),
            (self.evidence_choice, chosen_evidence),
        ):
            combo.setCurrentIndex(max(0, index_of(combo, chosen)))

    def _column(self, reading: reading_reads.Reading) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setMinimumWidth(260)
        box = QVBoxLayout(frame)
        box.addWidget(_plain_label(reading.title, bold=True))
        box.addWidget(_plain_label(reading.summary))
        evidence = reading_reads.evidence_of(self.session.project, reading.id)
        for stance, heading in (("supports", "Supports"), ("contradicts", "Contradicts")):
            box.addWidget(_plain_label(heading, bold=True))
            items = QListWidget()
            items.setIconSize(QSize(96, 54))
            items.setWordWrap(True)  # the evidence reads beside its still, not off to the right
            items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            items.itemClicked.connect(self._go)
            for shown in evidence:
                if shown.stance == stance:
                    at = shown.at_ms
                    when = fmt_ms(at) if at is not None else "—"
                    short = textwrap.shorten(shown.text, EVIDENCE_CHARS, placeholder=" …")
                    item = QListWidgetItem(f"{when}  {shown.kind}: {short}")
                    item.setToolTip(tooltip_html(shown.text))
                    item.setData(Qt.ItemDataRole.UserRole, at)
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
        self.evidence_choice.clear()
        choices = reading_reads.evidence_choices(self.session.project)
        for beat in choices.beats:
            label = f"beat {fmt_ms(beat.start_ms)}: {beat.label}"
            self.evidence_choice.addItem(label, ("beat_id", beat.id))
        for note in choices.notes:
            self.evidence_choice.addItem(f"note: {note.text}", ("note_id", note.id))
        for p in choices.paragraphs:
            self.evidence_choice.addItem(f"¶{p.position + 1}: {p.text}", ("paragraph_id", p.id))

    def attach(self, stance: str) -> None:
        reading_id = self.reading_choice.currentData()
        target = self.evidence_choice.currentData()
        if reading_id is None or target is None:
            return
        field, target_id = target
        self.session.edit(
            edits.add_evidence, reading_id, stance, **{field: target_id}, initiator=self
        )

    def _go(self, item: QListWidgetItem) -> None:
        at = item.data(Qt.ItemDataRole.UserRole)
        if at is not None:
            self.transport.seek(int(at))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*SHOWN):
            self.reload()
            self._refresh_icons()
