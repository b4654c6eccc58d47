"""What a lecture clip may carry on its pictures: a caption strip, a timecode, title cards.

Pictures are handled as yuv420p arrays (``VideoFrame.to_ndarray(format="yuv420p")``: the Y plane,
then U, then V, packed). Text is set once per clip with QtGui on a ``QImage`` (DejaVu Sans, any
script) and blended into every frame as a :class:`Layer`; the timecode changes each frame and is
stamped with the small bitmap font of :mod:`desk.media.synth`, which has every digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import av
import numpy as np

from desk.export.chart_files import _gui_application
from desk.media.synth import GLYPH_H, text_mask

#: Caption text height as a share of the picture's height.
CAPTION_SHARE = 0.045
CAPTION_MAX_LINES = 3
#: Opacity of the dark band behind a caption (0-255).
BAND_ALPHA = 170
FAMILY = "DejaVu Sans"
WHITE_Y, BLACK_Y, NEUTRAL = 235, 16, 128


def planes(yuv: np.ndarray, width: int, height: int) -> tuple[np.ndarray, ...]:
    """Writable Y, U and V views of a packed yuv420p array."""
    flat = yuv.reshape(-1)
    luma = width * height
    chroma = (width // 2) * (height // 2)
    y = flat[:luma].reshape(height, width)
    u = flat[luma : luma + chroma].reshape(height // 2, width // 2)
    v = flat[luma + chroma : luma + 2 * chroma].reshape(height // 2, width // 2)
    return y, u, v


def rgb_to_yuv(rgb: np.ndarray, height: int) -> tuple[np.ndarray, ...]:
    """Limited-range Y, U, V (floats) of RGB 0..255: BT.709 for HD pictures, BT.601 below."""
    r, g, b = (rgb[..., c].astype(np.float32) / 255 for c in range(3))
    kr, kb = (0.2126, 0.0722) if height >= 720 else (0.299, 0.114)
    luma = kr * r + (1 - kr - kb) * g + kb * b
    y = 16 + 219 * luma
    u = 128 + 224 * (b - luma) / (2 * (1 - kb))
    v = 128 + 224 * (r - luma) / (2 * (1 - kr))
    return y, u, v


def _half(values: np.ndarray) -> np.ndarray:
    """Average 2x2 blocks (even sides)."""
    h, w = values.shape[0] // 2 * 2, values.shape[1] // 2 * 2
    v = values[:h, :w]
    return (v[0::2, 0::2] + v[1::2, 0::2] + v[0::2, 1::2] + v[1::2, 1::2]) / 4


@dataclass(frozen=True)
class Layer:
    """A picture with transparency, placed at an even ``top``/``left``, ready to blend.

    Colours are stored premultiplied by their alpha, full size for Y and halved for U and V.
    """

    top: int
    left: int
    alpha: np.ndarray
    y: np.ndarray
    alpha_c: np.ndarray
    u: np.ndarray
    v: np.ndarray

    @classmethod
    def from_rgba(cls, rgba: np.ndarray, top: int, left: int, height: int) -> Layer:
        alpha = rgba[..., 3].astype(np.float32) / 255
        y, u, v = rgb_to_yuv(rgba, height)
        alpha_c = _half(alpha)
        return cls(top, left, alpha, alpha * y, alpha_c, _half(alpha * u), _half(alpha * v))

    def blend(self, y: np.ndarray, u: np.ndarray, v: np.ndarray) -> None:
        h, w = self.alpha.shape
        _mix(y[self.top : self.top + h, self.left : self.left + w], self.alpha, self.y)
        top, left = self.top // 2, self.left // 2
        ch, cw = self.alpha_c.shape
        _mix(u[top : top + ch, left : left + cw], self.alpha_c, self.u)
        _mix(v[top : top + ch, left : left + cw], self.alpha_c, self.v)


def _mix(target: np.ndarray, alpha: np.ndarray, premultiplied: np.ndarray) -> None:
    h, w = target.shape
    mixed = target * (1 - alpha[:h, :w]) + premultiplied[:h, :w]
    target[:] = np.clip(mixed + 0.5, 0, 255).astype(np.uint8)


# -- text with QtGui -------------------------------------------------------------------------------
def _font(pixels: int, bold: bool = False) -> Any:
    from PySide6.QtGui import QFont

    _gui_application()
    font = QFont(FAMILY)
    font.setPixelSize(max(6, pixels))
    font.setBold(bold)
    return font


def wrap(text: str, font: Any, width: int, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines no wider than ``width`` pixels."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(font)
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    elide = Qt.TextElideMode.ElideRight
    return [metrics.elidedText(line, elide, width) for line in lines]


def _image_array(image: Any) -> np.ndarray:
    """An RGBA8888 ``QImage`` as an (h, w, 4) array (a copy)."""
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return rows[:, : width * 4].reshape(height, width, 4).copy()


def _painter(image: Any) -> Any:
    from PySide6.QtGui import QPainter

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return painter


def caption_layer(text: str, width: int, height: int) -> Layer | None:
    """White caption text on a dark band across the bottom of the picture; None for no text."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFontMetrics, QImage

    if not text.strip():
        return None
    font = _font(round(height * CAPTION_SHARE))
    line_h = QFontMetrics(font).lineSpacing()
    lines = wrap(text, font, int(width * 0.9), CAPTION_MAX_LINES)
    pad = max(2, line_h // 3)
    band_h = min(height, (len(lines) * line_h + 2 * pad + 1) // 2 * 2)
    image = QImage(width, band_h, QImage.Format.Format_RGBA8888)
    image.fill(QColor(0, 0, 0, BAND_ALPHA))
    painter = _painter(image)
    try:
        painter.setFont(font)
        painter.setPen(QColor("white"))
        for row, line in enumerate(lines):
            box = QRect(0, pad + row * line_h, width, line_h)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, line)
    finally:
        painter.end()
    return Layer.from_rgba(_image_array(image), (height - band_h) // 2 * 2, 0, height)


@dataclass(frozen=True)
class CardText:
    """What a title card says."""

    kicker: str
    title: str
    detail: str = ""
    caption: str = ""


def title_card(card: CardText, width: int, height: int) -> np.ndarray:
    """A title card as a packed yuv420p array: the kicker small, the title large, then details."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFontMetrics, QImage

    image = QImage(width, height, QImage.Format.Format_RGBA8888)
    image.fill(QColor(16, 16, 18))
    blocks: list[tuple[Any, QColor, Sequence[str]]] = []
    for text, share, bold, color, most in (
        (card.kicker, 0.045, False, QColor(170, 170, 170), 1),
        (card.title, 0.085, True, QColor("white"), 3),
        (card.detail, 0.04, False, QColor(170, 170, 170), 1),
        (card.caption, 0.045, False, QColor(225, 225, 225), 4),
    ):
        if text.strip():
            font = _font(round(height * share), bold)
            blocks.append((font, color, wrap(text, font, int(width * 0.84), most)))
    gap = round(height * 0.03)
    total = sum(QFontMetrics(f).lineSpacing() * len(ls) for f, _, ls in blocks)
    y = max(0, (height - total - gap * (len(blocks) - 1)) // 2)
    painter = _painter(image)
    try:
        for font, color, lines in blocks:
            line_h = QFontMetrics(font).lineSpacing()
            painter.setFont(font)
            painter.setPen(color)
            for line in lines:
                painter.drawText(QRect(0, y, width, line_h), Qt.AlignmentFlag.AlignCenter, line)
                y += line_h
            y += gap
    finally:
        painter.end()
    rgb = np.ascontiguousarray(_image_array(image)[..., :3])
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
    return np.asarray(frame.to_ndarray(format="yuv420p"))


# -- the timecode ----------------------------------------------------------------------------------
def stamp_text(
    planes_yuv: tuple[np.ndarray, ...], text: str, *, right: int, bottom: int, scale: int
) -> None:
    """White bitmap text on a black box whose lower right corner is at (``right``, ``bottom``)."""
    y, u, v = planes_yuv
    mask = text_mask(text, scale)
    pad = 2 * scale
    height, width = mask.shape
    y1, x1 = min(y.shape[0], bottom) // 2 * 2, min(y.shape[1], right) // 2 * 2
    y0, x0 = max(0, y1 - height - 2 * pad) // 2 * 2, max(0, x1 - width - 2 * pad) // 2 * 2
    y[y0:y1, x0:x1] = BLACK_Y
    u[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = NEUTRAL
    v[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = NEUTRAL
    region = y[y0 + pad : min(y1, y0 + pad + height), x0 + pad : min(x1, x0 + pad + width)]
    region[mask[: region.shape[0], : region.shape[1]]] = WHITE_Y


def timecode_scale(height: int) -> int:
    """Font dots of the burned-in timecode: about a 30th of the picture's height tall."""
    return max(1, round(height / 30 / GLYPH_H))
