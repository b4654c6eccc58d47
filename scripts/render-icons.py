"""Render resources/desk.svg into the PNG sizes desktops and the window use (desk-N.png).

Run after changing the SVG: `.venv/bin/python scripts/render-icons.py`. The PNGs are committed so
that no SVG support is needed at run time or install time.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    app = QGuiApplication([])
    renderer = QSvgRenderer(str(RESOURCES / "desk.svg"))
    if not renderer.isValid():
        raise SystemExit("resources/desk.svg is not a valid SVG")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(RESOURCES / f"desk-{size}.png"))
    app.quit()


if __name__ == "__main__":
    main()
