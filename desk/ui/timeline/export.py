"""Saving what the timeline shows as a picture: SVG, or PNG (and other raster formats).

The file is written under a temporary name beside the target and renamed when complete, so a
failed export never leaves half a file. SVG is drawn straight into a ``QSvgGenerator`` (the lanes
paint in device pixels, so the picture matches the screen); raster images use pyqtgraph's
``ImageExporter``.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from desk.core.files import claimed, publish
from desk.errors import KnownError


def export_view(view: pg.GraphicsView, target: Path) -> Path:
    """Write the visible part of ``view``'s scene to ``target``; returns ``target``."""
    # The temporary name keeps the extension: the exporters pick the picture format by it.
    with claimed(target, suffix=target.suffix) as partial:
        try:
            if target.suffix.lower() == ".svg":
                _write_svg(view, partial)
            else:
                from pyqtgraph.exporters import ImageExporter

                ImageExporter(view.scene()).export(str(partial))
            if not partial.stat().st_size:
                raise KnownError(f"cannot write {target.name}: unknown picture format.")
            publish(partial, target)
        except OSError as exc:
            raise KnownError(f"cannot write {target.name}: {exc.strerror or exc}.") from exc
    return target


def _write_svg(view: pg.GraphicsView, path: Path) -> None:
    source = view.mapToScene(view.viewport().rect()).boundingRect()
    size = view.viewport().size()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle("desk timeline")
    painter = QPainter(generator)
    try:
        view.scene().render(painter, QRectF(0, 0, size.width(), size.height()), source)
    finally:
        painter.end()
