"""The emotional-arc chart as a file: SVG from ReportLab's renderer, PNG through Qt's SVG renderer.

Labels in other scripts are runs in the report's fallback fonts (see
:mod:`desk.export.report.chart`); the SVG names each by its family, and the PNG renderer is given
the same font files.

PNG rendering uses QtGui and QtSvg only (no widgets); a headless ``QGuiApplication`` is created if
none exists, so the command line can write PNGs without a display.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from desk.core.files import write_atomically
from desk.export.errors import ExportError
from desk.export.pdf_fonts import SVG_FAMILIES, fallback_fonts, find_face
from desk.export.pdf_text import has_rtl

#: Pixels per drawing point of a PNG chart by default.
PNG_SCALE = 2.0
_FONTS_ADDED = False


def drawing_to_svg(drawing: Drawing, title: str = "") -> str:
    """SVG text of a drawing, with font families any SVG viewer finds and a ``<title>``."""
    svg = str(renderSVG.drawToString(drawing)).replace("fill: None;", "fill: none;")
    families = {**SVG_FAMILIES, **{f.name: f.family for f in fallback_fonts() if f.family}}
    for ours, family in families.items():
        svg = svg.replace(f"font-family: {ours};", f"font-family: {family};")
        for suffix, extra in (
            ("-Bold", " font-weight: bold;"),
            ("-Italic", " font-style: italic;"),
        ):
            svg = svg.replace(f"font-family: {ours}{suffix};", f"font-family: {family};{extra}")
    svg = _TEXT.sub(_keep_order, svg)
    return svg.replace("<title>...</title>", f"<title>{escape(title)}</title>", 1).replace(
        "<desc>...</desc>", "<desc>Emotional arc drawn by desk</desc>", 1
    )


_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")


def _keep_order(match: re.Match[str]) -> str:
    """Right-to-left text is drawn in display order already (as in the PDF); an SVG renderer
    would reorder it again, so it is held left to right with a directional override."""
    start, text, end = match.groups()
    if not has_rtl(text):
        return match[0]
    return f"{start}\u202d{text}\u202c{end}"


def _gui_application() -> Any:
    """The running Qt GUI application, or a new headless one; knows the report's fonts."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    global _FONTS_ADDED
    if not _FONTS_ADDED:
        paths = [find_face(face) for face in ("sans", "sans-bold")]
        paths += [f.path for f in fallback_fonts()]  # labels in other scripts
        for path in paths:
            if path is not None:
                QFontDatabase.addApplicationFont(str(path))
        _FONTS_ADDED = True
    return app


def svg_to_png(svg: str, width_px: int, height_px: int) -> bytes:
    """Render SVG text on white into PNG bytes of exactly ``width_px`` × ``height_px``."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _gui_application()
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ExportError("the chart could not be rendered as an image.")
    image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        renderer.render(painter, QRectF(0, 0, width_px, height_px))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise ExportError(f"the chart could not be encoded as PNG ({writer.errorString()}).")
    buffer.close()
    return bytes(data.data())


def chart_bytes(
    drawing: Drawing, suffix: str, *, title: str = "", scale: float = PNG_SCALE
) -> bytes:
    """The drawing as ``.svg`` or ``.png`` file contents."""
    svg = drawing_to_svg(drawing, title)
    if suffix == ".svg":
        return svg.encode("utf-8")
    if suffix == ".png":
        return svg_to_png(svg, round(drawing.width * scale), round(drawing.height * scale))
    raise ExportError(f"a chart is written as .svg or .png, not '{suffix or 'no extension'}'.")


def export_chart(
    project_path: Path | str, output: Path, *, scene: str | None = None, scale: float = PNG_SCALE
) -> Path:
    """Write the emotional arc of a scene (by default the one with most beats) as SVG or PNG."""
    from desk.export.report.chart import arc_drawing
    from desk.export.report.data import load, pick_scene
    from desk.store.project import Project

    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ExportError(f"a chart is written as .svg or .png, not '{output.name}'.")
    with Project.open(project_path, readonly=True) as project:
        data = load(project)
    chosen = pick_scene(data.scenes, scene)
    if chosen is None:
        raise ExportError("the project has no scenes, so there is no emotional arc to draw.")
    title = f"Emotional arc: {chosen.name}"
    drawing = arc_drawing(chosen, title=title)
    write_atomically(output, chart_bytes(drawing, suffix, title=title, scale=scale))
    return output
