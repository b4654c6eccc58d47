"""The shortcut sheet (F1): every key desk answers to, in one table."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS = (
    ("Player", "Space", "Play / pause"),
    ("Player", "J / K / L", "Slower / stop / faster (0.25× to 4×, forward)"),
    ("Player", "← / →", "One frame back / forward (exact)"),
    ("Player", "Shift+← / →", "One second back / forward"),
    ("Player", "Ctrl+← / →", "Five seconds back / forward"),
    ("Player", "Ctrl+Shift+← / →", "One minute back / forward"),
    ("Player", "Ctrl+G", "Go to a timecode"),
    ("Player", "I / O", "Mark in / out"),
    ("Player", "Ctrl+Shift+A", "Loop between the marks (A–B)"),
    ("Player", "M", "Mute"),
    ("Player", "F", "Full screen"),
    ("Essay", "Ctrl+L", "Link the paragraph to the current frame"),
    ("Essay", "Ctrl+Shift+L", "Link the paragraph to the I/O range"),
    ("Essay", "Ctrl+N", "New paragraph"),
    ("Essay", "Ctrl+↑ / ↓", "Move the paragraph"),
    ("Essay", "Ctrl+Return", "Split the paragraph at the cursor"),
    ("Essay", "Ctrl+Backspace", "Merge with the paragraph above"),
    ("Notes", "N", "Note at this moment (playback continues)"),
    ("Timeline", "B", "Beat at the playhead (or over the marks)"),
    ("Timeline", "Delete", "Delete the selected beat"),
    ("Everywhere", "Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
    ("Everywhere", "Ctrl+F", "Search essay, notes and beats"),
    ("Everywhere", "Ctrl+Shift+P", "Present a clip list (full screen)"),
    ("Everywhere", "F1", "This sheet"),
)


class ShortcutSheet(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 640)
        table = QTableWidget(len(SHORTCUTS), 3)
        table.setHorizontalHeaderLabels(["Where", "Keys", "What"])
        for row, values in enumerate(SHORTCUTS):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
