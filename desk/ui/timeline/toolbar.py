"""The row of controls above the timeline: whose beats B adds, scene focus, arc style, film
analysis and export."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

from desk.ui.swatches import swatch
from desk.ui.timeline.model import Character, Spans

MEASURE_NAMES = {"valence": "Valence", "intensity": "Intensity", "both": "Valence + intensity"}


#: The choice of :attr:`TimelineToolbar.character` for beats felt by no character in particular.
NOBODY = -1


class TimelineToolbar(QWidget):
    #: (character id, or NOBODY) when the user chooses whose beats are added
    character_chosen = Signal(int)
    #: (scene id, or -1 for the whole film)
    focus_chosen = Signal(int)
    #: (measure: "valence", "intensity" or "both")
    measure_chosen = Signal(str)
    #: (smooth curves?)
    smooth_toggled = Signal(bool)
    analyse_clicked = Signal()
    cancel_clicked = Signal()
    export_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.character = QComboBox()
        self.character.setObjectName("beat-character")
        self.character.setToolTip("Whose beat B adds (a click in a lane chooses its character)")
        self.character.activated.connect(
            lambda i: self.character_chosen.emit(int(self.character.itemData(i)))
        )
        self.focus = QComboBox()
        self.focus.setMinimumContentsLength(16)
        self.focus.activated.connect(
            lambda i: self.focus_chosen.emit(int(self.focus.itemData(i) or -1))
        )
        self.measure = QComboBox()
        for key, name in MEASURE_NAMES.items():
            self.measure.addItem(name, key)
        self.measure.activated.connect(
            lambda i: self.measure_chosen.emit(str(self.measure.itemData(i)))
        )
        self.smooth = QCheckBox("Smooth")
        self.smooth.toggled.connect(self.smooth_toggled)
        self.analyse = QPushButton("Analyse film")
        self.analyse.setToolTip("Measure the loudness and detect the shot cuts of the film")
        self.analyse.clicked.connect(self.analyse_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.clicked.connect(self.cancel_clicked)
        self.export = QPushButton("Export view…")
        self.export.clicked.connect(self.export_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        left: tuple[QWidget, ...] = (
            QLabel("Beats for"),
            self.character,
            QLabel("Focus"),
            self.focus,
            QLabel("Arc"),
            self.measure,
            self.smooth,
        )
        for widget in left:
            layout.addWidget(widget)
        layout.addStretch(1)
        right: tuple[QWidget, ...] = (self.progress, self.cancel, self.analyse, self.export)
        for widget in right:
            layout.addWidget(widget)
        self.set_busy(False)

    def set_scenes(self, scenes: Spans, current: int | None) -> None:
        self.focus.blockSignals(True)
        self.focus.clear()
        self.focus.addItem("Whole film", -1)
        for scene_id, name in zip(scenes.ids, scenes.labels, strict=True):
            self.focus.addItem(name or f"Scene {scene_id}", int(scene_id))
        self.focus.setCurrentIndex(max(0, self.focus.findData(current if current else -1)))
        self.focus.blockSignals(False)

    def set_characters(self, characters: list[Character], current: int | None) -> None:
        """List the characters (and nobody), showing ``current`` (None: nobody) as chosen."""
        self.character.blockSignals(True)
        self.character.clear()
        for character in characters:
            self.character.addItem(swatch(character.color), character.name, character.id)
        self.character.addItem("Nobody", NOBODY)
        wanted = NOBODY if current is None else current
        self.character.setCurrentIndex(max(0, self.character.findData(wanted)))
        self.character.blockSignals(False)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel.setVisible(busy)
        self.analyse.setEnabled(not busy)
        if busy:
            self.progress.setValue(0)

    def set_progress(self, fraction: float) -> None:
        self.progress.setValue(int(1000 * max(0.0, min(1.0, fraction))))
