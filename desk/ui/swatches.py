"""A colour as a small square icon, beside a character's or an emotion's name in a list."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap


def swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)
