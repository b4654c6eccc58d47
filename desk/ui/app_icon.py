"""desk's icon for its windows, from the PNG sizes rendered from ``resources/desk.svg``.

PNGs rather than the SVG: they need no image-format plugin, in a PyInstaller build as anywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from desk.desktop import ICON_SIZES
from desk.paths import resource


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource(f"desk-{size}.png")))
    return icon
