"""The shortcut sheet (F1): every action of the window, made from the action table."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.actions import ACTIONS
from desk.ui.actions import key_text

COLUMNS = ("Menu", "Keys", "Action", "What it does")


def rows() -> list[tuple[str, str, str, str]]:
    """The sheet's rows, one per action, in the table's order."""
    where = {
        "anywhere": "",
        "essay": " (in the essay)",
        "notes": " (in the notes list)",
        "timeline": " (in the timeline)",
    }
    return [
        (entry.menu, key_text(entry), entry.name, entry.help + where[entry.context])
        for entry in ACTIONS
    ]


class ShortcutSheet(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(900, 680)
        shown = rows()
        self.table = table = QTableWidget(len(shown), len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        for row, values in enumerate(shown):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))  # plain text, never markup
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
