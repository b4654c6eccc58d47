"""Choosing a combo box item by its data."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def index_of(combo: QComboBox, data: object) -> int:
    """The row of the item holding ``data``, or -1. Compares by equality: ``findData`` compares
    Python objects such as tuples by identity, so it never finds a rebuilt item."""
    return next((row for row in range(combo.count()) if combo.itemData(row) == data), -1)
