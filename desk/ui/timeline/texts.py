"""Labels laid out once and drawn many times: the timeline's text cache.

A frame of a pan or zoom writes a few hundred labels (beats, cues, scenes, the arc's dots). Laying
out each one again (eliding it to the room it has, shaping its glyphs) cost more than all the
rectangles of the frame; a :class:`QStaticText` keeps the layout, so drawing it again is a copy of
glyphs. Labels are elided to a width rounded down to :data:`ROOM_STEP_PX`, so a label that slides
past its neighbour during a pan is laid out once per step, not once per frame.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QStaticText

#: Elided widths are multiples of this (px).
ROOM_STEP_PX = 8
#: Laid-out labels kept, least recently drawn out first.
LIMIT = 8192


class TextCache:
    """Labels elided to a width and laid out in a font, kept between frames.

    A layout is kept by the text it shows, not by the room it was given: the label of a span
    sliding in at the view's edge gets a new room on every frame of a pan, but once it is known
    to fit whole from some room on, every wider room shows that same layout, and rooms that
    elide it alike share one layout too; only the elided string is worked out per room.
    """

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        #: Layouts by (font key, text shown), least recently drawn out first.
        self._texts: OrderedDict[tuple[str, str], QStaticText] = OrderedDict()
        #: The text shown for (font key, label, room) where the label does not fit whole.
        self._elided: dict[tuple[str, str, int], str] = {}
        #: The least room (px) in which (font key, label) is known to fit whole.
        self._whole_from: dict[tuple[str, str], int] = {}
        self._metrics: dict[str, QFontMetricsF] = {}
        #: The layout last given for (font key, label, room): a frame asks again for most of
        #: the labels of the frame before, and finds each at once (held until cleared, at most
        #: :attr:`limit` of them, whatever the layouts' order of use).
        self._asked: dict[tuple[str, str, int], QStaticText] = {}

    def __len__(self) -> int:
        return len(self._texts)

    def metrics(self, font: QFont) -> QFontMetricsF:
        key = font.key()
        found = self._metrics.get(key)
        if found is None:
            found = self._metrics[key] = QFontMetricsF(font)
        return found

    def label(self, text: str, font: QFont, room_px: float, font_key: str = "") -> QStaticText:
        """``text`` elided to fit ``room_px`` (rounded down to a step), laid out in ``font``
        (whose :meth:`QFont.key` may be given, to save working it out again)."""
        room = int(room_px) // ROOM_STEP_PX * ROOM_STEP_PX
        font_key = font_key or font.key()
        asked = (font_key, text, room)
        found = self._asked.get(asked)
        if found is not None:
            return found
        shown = self._shown(text, font, room, font_key)
        key = (font_key, shown)
        found = self._texts.get(key)
        if found is not None:
            self._texts.move_to_end(key)
        else:
            found = QStaticText(shown)
            found.setTextFormat(Qt.TextFormat.PlainText)  # project text is never markup
            found.prepare(font=font)
            self._texts[key] = found
            if len(self._texts) > self.limit:
                self._texts.popitem(last=False)
        if len(self._asked) >= self.limit:
            self._asked.clear()
        self._asked[asked] = found
        return found

    def _shown(self, text: str, font: QFont, room: int, font_key: str) -> str:
        """The text shown for ``text`` in ``room`` px: itself, or elided (Qt's own eliding)."""
        whole_from = self._whole_from.get((font_key, text))
        if whole_from is not None and room >= whole_from:
            return text  # a label that fits whole in a room fits whole in any wider one
        elided = self._elided.get((font_key, text, room))
        if elided is not None:
            return elided
        shown = self.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, room)
        if len(self._elided) + len(self._whole_from) > 4 * self.limit:
            self._elided.clear()  # bounded: a few hundred kB of short strings at most
            self._whole_from.clear()
        if shown == text:
            self._whole_from[(font_key, text)] = room
        else:
            self._elided[(font_key, text, room)] = shown
        return shown

    def writer(self, painter: QPainter) -> Writer:
        """Draws labels with ``painter`` in its current font."""
        return Writer(self, painter)


class Writer:
    """Writes cached labels with one painter in one font (looked up once per paint)."""

    def __init__(self, cache: TextCache, painter: QPainter) -> None:
        self.cache, self.painter = cache, painter
        self.font = painter.font()
        self.key = self.font.key()
        self.height = cache.metrics(self.font).height()
        self._point = QPointF()

    def label(self, text: str, room_px: float) -> QStaticText:
        return self.cache.label(text, self.font, room_px, self.key)

    def draw(self, text: str, left: float, top: float, height: float, room_px: float) -> QRectF:
        """Draw ``text`` elided to ``room_px`` from ``left``, centred in ``top``..``top+height``;
        returns where it was written (device pixels)."""
        static = self.cache.label(text, self.font, room_px, self.key)
        corner = QPointF(left, top + (height - self.height) / 2)
        self.painter.drawStaticText(corner, static)
        return QRectF(corner, static.size())

    def write(self, text: str, left: float, top: float, height: float, room_px: float) -> float:
        """:meth:`draw`, returning only where the text ends (px): no point or rectangle made.
        Its size is read once drawn, as :meth:`draw` reads it: drawn on another device (an
        SVG file), a layout is laid out again for it."""
        static = self.cache.label(text, self.font, room_px, self.key)
        self.painter.drawStaticText(self._at(left, top + (height - self.height) / 2), static)
        return left + static.size().width()

    def _at(self, x: float, y: float) -> QPointF:
        """One point, moved to (``x``, ``y``) for each label: making a QPointF costs a fifth of
        writing a label, and the painter copies it."""
        self._point.setX(x)
        self._point.setY(y)
        return self._point


#: The timeline's one cache (the GUI thread is the only one that paints).
LABELS = TextCache()
