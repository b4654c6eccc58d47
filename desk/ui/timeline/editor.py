"""The small editor that opens on a double-clicked beat: emotion, valence, intensity, characters,
label, description and time (a range typed as ``0:40–0:55``; a time that is not one keeps the
editor open with a sentence under the field).

It edits a copy of the beat's values and hands back only what changed (:meth:`BeatEditor.changes`);
the timeline applies that as one undoable edit. Project text is shown as plain text only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from desk.core.timecode import TimecodeError, parse_span
from desk.core.timefmt import fmt_ms
from desk.ui import ask
from desk.ui.swatches import swatch
from desk.ui.timeline.model import Character


@dataclass(frozen=True)
class BeatValues:
    label: str
    description: str
    emotion_id: int | None
    valence: float
    intensity: float
    characters: tuple[int, ...]
    start_ms: int = 0
    end_ms: int = 0


class BeatEditor(QDialog):
    """Edits one beat; ``accepted`` means :meth:`changes` holds the fields to update."""

    def __init__(
        self,
        beat_id: int,
        values: BeatValues,
        emotions: dict[int, tuple[str, str]],
        characters: list[Character],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.beat_id, self.original = beat_id, values
        self.setWindowTitle("Beat")
        self.label = QLineEdit(values.label)
        self.emotion = QComboBox()
        self.emotion.addItem("(none)", None)
        for emotion_id, (name, color) in emotions.items():
            self.emotion.addItem(swatch(color), name, emotion_id)
        self.emotion.setCurrentIndex(max(0, self.emotion.findData(values.emotion_id)))
        self.valence = self._spin(-1.0, 1.0, values.valence)
        self.intensity = self._spin(0.0, 1.0, values.intensity)
        self.characters = QListWidget()
        for character in characters:
            item = QListWidgetItem(swatch(character.color), character.name)
            item.setData(Qt.ItemDataRole.UserRole, character.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = character.id in values.characters
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.characters.addItem(item)
        self.characters.setMaximumHeight(22 * max(2, min(len(characters), 5)) + 6)
        self.description = QPlainTextEdit(values.description)
        self.description.setMaximumHeight(90)
        self.description.setTabChangesFocus(True)
        self.time = QLineEdit(f"{fmt_ms(values.start_ms)}–{fmt_ms(values.end_ms)}")
        self.time.setPlaceholderText("0:40–0:55")
        self.problem, self.buttons = ask.form(
            self,
            (
                ("Label", self.label),
                ("Emotion", self.emotion),
                ("Valence", self.valence),
                ("Intensity", self.intensity),
                ("Characters", self.characters),
                ("Description", self.description),
                ("Time", self.time),
            ),
        )
        #: What each spin box showed when the editor opened (the beat's value, rounded to the
        #: box's decimals): a box still showing it was not touched and keeps the exact value.
        self._shown = {"valence": self.valence.value(), "intensity": self.intensity.value()}

    @staticmethod
    def _spin(low: float, high: float, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(0.05)
        spin.setDecimals(2)
        spin.setValue(value)
        return spin

    def accept(self) -> None:
        try:
            span = parse_span(self.time.text())
            if span is None:
                raise TimecodeError("a beat needs a time")
        except TimecodeError as exc:
            self.problem.setText(f"The time is not one desk can read: {exc}.")
            self.problem.setVisible(True)
            self.time.setFocus()
            return
        super().accept()

    def values(self) -> BeatValues:
        checked = tuple(
            int(self.characters.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.characters.count())
            if self.characters.item(i).checkState() == Qt.CheckState.Checked
        )
        return BeatValues(
            label=self.label.text(),
            description=self.description.toPlainText(),
            emotion_id=self.emotion.currentData(),
            valence=self._number("valence", self.valence),
            intensity=self._number("intensity", self.intensity),
            characters=checked,
            **self._span(),
        )

    def _span(self) -> dict[str, int]:
        """The time typed, or the beat's own while it is not one (:meth:`accept` says so)."""
        try:
            span = parse_span(self.time.text())
        except TimecodeError:
            span = None
        start, end = span or (self.original.start_ms, self.original.end_ms)
        return {"start_ms": start, "end_ms": end}

    def _number(self, name: str, spin: QDoubleSpinBox) -> float:
        """The spin box's value, or the beat's own unrounded value while the box shows it."""
        if spin.value() == self._shown[name]:
            return float(getattr(self.original, name))
        return round(spin.value(), 4)

    def changes(self) -> dict[str, Any]:
        """The fields the user changed (``characters`` as a list); a spin box still showing the
        beat's value, rounded to its decimals, is not a change."""
        now, was = self.values(), self.original
        out: dict[str, Any] = {}
        for name in ("label", "description", "emotion_id"):
            if getattr(now, name) != getattr(was, name):
                out[name] = getattr(now, name)
        for name in ("valence", "intensity"):
            if abs(getattr(now, name) - getattr(was, name)) > 1e-6:
                out[name] = getattr(now, name)
        for name in ("start_ms", "end_ms"):
            if getattr(now, name) != getattr(was, name):
                out[name] = getattr(now, name)
        if sorted(now.characters) != sorted(was.characters):
            out["characters"] = list(now.characters)
        return out
