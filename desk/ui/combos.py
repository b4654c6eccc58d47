"""Choosing a combo box item by its data; a combo box's many items given at once."""

from __future__ import annotations

from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox

Index: TypeAlias = QModelIndex | QPersistentModelIndex


def index_of(combo: QComboBox, data: object) -> int:
    """The row of the item holding ``data``, or -1. Compares by equality: ``findData`` compares
    Python objects such as tuples by identity, so it never finds a rebuilt item."""
    return next((row for row in range(combo.count()) if combo.itemData(row) == data), -1)


class Choices(QAbstractListModel):
    """A combo box's items as two lists, what each shows and what it holds, given at once: the
    readings panel offers every beat, note and paragraph of a large project (2,500 items), and
    adding them one by one made a Python call and a model signal each while the window opened."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._values: list[object] = []

    def set_choices(self, labels: list[str], values: list[object]) -> None:
        self.beginResetModel()
        self._labels, self._values = labels, values
        self.endResetModel()

    def row_of(self, value: object) -> int:
        """The row of the item holding ``value`` (compared by equality), or -1."""
        return next((row for row, held in enumerate(self._values) if held == value), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._labels[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self._values[index.row()]
        return None
