"""One film file shown frame by frame: each side of the align dialog.

A scrub bar, frame steps (← →), jumps of a second (Shift+← →), five seconds (Ctrl+← →) and a
minute (Ctrl+Shift+← →), Home and End, and a time field. Frames are decoded off the GUI thread by a
:class:`~desk.media.frames.FrameServer`; :attr:`FrameViewer.shown_ms` is None until the exact frame
asked for is on screen.
"""

from __future__ import annotations

import contextlib
import functools
from fractions import Fraction
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import FrameRate, TimecodeError, parse_timecode
from desk.core.timefmt import fmt_ms
from desk.core.timemap import TimeMap
from desk.ui.player_controls import SeekBar
from desk.ui.player_view import Picture

#: Frames are decoded no wider than this for the viewers (each takes half the dialog).
VIEW_WIDTH = 960
CACHE_BYTES = 128 * 2**20


class FrameViewer(QWidget):
    """One film file shown frame by frame, with a scrub bar, steps, jumps and a time field.

    Times shown and typed are *outer* times: film time for the project's film (through its map),
    the copy's own time for the other copy. The file is addressed in its own milliseconds.
    """

    #: The frame on screen, or the one asked for, changed.
    moved = Signal()
    _arrived = Signal(int, object)  # request number, Frame (from the decoding thread)

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.server: Any = None
        self.outer = TimeMap()
        self.rate = FrameRate(Fraction(24))
        self.exact = False
        self._shown: Any = None  # the exact Frame on screen
        self._target = 0  # file ms of the frame on screen or asked for
        self._last = 0  # index of the last frame
        self._request = 0
        self.heading = QLabel(heading)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold;")
        self.info = QLabel("")
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.picture = Picture()
        self.picture.setMinimumSize(320, 180)
        self.bar = SeekBar()
        self.bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bar.sliderMoved.connect(self.scrub_file)
        self.bar.let_go.connect(self.seek_file)
        self.time_field = QLineEdit()
        self.time_field.setMaximumWidth(120)
        self.time_field.setToolTip("Time of the frame shown; type a time and press Return to go")
        self.time_field.returnPressed.connect(self._typed)
        self.frame_label = QLabel("")
        self.frame_label.setMinimumWidth(110)
        row = QHBoxLayout()
        for text, tip, slot in (
            ("−1 s", "One second back (Shift+←)", lambda: self.jump(-1000)),
            ("◀", "One frame back (←)", lambda: self.step(-1)),
            ("▶", "One frame forward (→)", lambda: self.step(+1)),
            ("+1 s", "One second forward (Shift+→)", lambda: self.jump(+1000)),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addSpacing(8)
        row.addWidget(self.time_field)
        row.addWidget(self.frame_label)
        row.addStretch(1)
        self.heading_row = QHBoxLayout()
        self.heading_row.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.heading_row)
        layout.addWidget(self.info)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        self._arrived.connect(self._on_arrived)
        self._show_focus(False)
        self.picture.show_text("No film")

    # -- opening -------------------------------------------------------------------------------
    def open(
        self, path: Path, fps: Fraction, duration_ms: int, outer: TimeMap | None = None
    ) -> None:
        """Show ``path``; raises :class:`~desk.errors.KnownError` (and keeps what it showed) if it
        cannot be decoded."""
        from desk.media.frames import FrameServer

        server = FrameServer(path, max_width=VIEW_WIDTH, cache_bytes=CACHE_BYTES)
        self.close_media()
        self.server = server
        self.outer = outer or TimeMap()
        self.rate = FrameRate(Fraction(fps))
        self._last = server.timeline.index_at(max(0, duration_ms - 1))
        self.bar.setRange(0, server.timeline.start_ms(self._last))
        self.info.setText(f"{path.name} · {self.rate} fps · {fmt_ms(duration_ms)}")
        self.info.setToolTip(str(path))
        self.seek_file(0)

    def close_media(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self._shown, self.exact = None, False

    # -- where it is ---------------------------------------------------------------------------
    @property
    def shown_ms(self) -> int | None:
        """The outer time of the exact frame on screen; None while it is being decoded."""
        if self._shown is None or not self.exact:
            return None
        return self.outer.to_film(self._shown.pts_ms)

    # -- moving --------------------------------------------------------------------------------
    def seek(self, outer_ms: int) -> None:
        self.seek_file(self.outer.to_copy(outer_ms))

    def seek_file(self, file_ms: int) -> None:
        """Show the frame on screen at ``file_ms``: the nearest one at hand now, the exact one as
        soon as it is decoded."""
        if self.server is None:
            return
        self._ask(file_ms)
        number = self._request
        near = self.server.nearest_cached(self._target)
        if near is not None:
            self._display(near, exact=near.exact)
        self._show_position()
        self.server.request(self._target, functools.partial(self._deliver, number))
        self.moved.emit()

    def scrub_file(self, file_ms: int) -> None:
        """Follow the dragged scrub bar: a keyframe preview now; the exact frame when it is let
        go (:meth:`seek_file`)."""
        if self.server is None:
            return
        self._ask(file_ms)
        number = self._request
        deliver = functools.partial(self._deliver, number)
        self.server.request_preview(self._target, deliver, self.picture.width())
        self._show_position()
        self.moved.emit()

    def _ask(self, file_ms: int) -> None:
        """Aim at the frame on screen at ``file_ms``; older answers are ignored from now on."""
        timeline = self.server.timeline
        index = min(timeline.index_at(max(0, int(file_ms))), self._last)
        self._target = timeline.start_ms(index)
        self._request += 1
        self.exact = False

    def step(self, frames: int) -> None:
        if self.server is not None:
            timeline = self.server.timeline
            index = min(max(0, timeline.index_at(self._target) + frames), self._last)
            self.seek_file(timeline.start_ms(index))

    def jump(self, delta_ms: int) -> None:
        self.seek_file(self._target + delta_ms)

    def _typed(self) -> None:
        try:
            at = parse_timecode(self.time_field.text(), self.rate)
        except TimecodeError as exc:
            field = self.time_field
            QToolTip.showText(field.mapToGlobal(field.rect().bottomLeft()), str(exc), field)
            return
        self.seek(at)
        self.setFocus()
        self._show_position()

    # -- frames --------------------------------------------------------------------------------
    def _deliver(self, number: int, frame: Any) -> None:
        """On the decoding thread: hand the frame to the GUI thread unless the viewer is gone."""
        with contextlib.suppress(RuntimeError):  # the widget was deleted meanwhile
            self._arrived.emit(number, frame)

    def _on_arrived(self, number: int, frame: Any) -> None:
        """An exact frame, or a preview (``frame.exact`` false), for the newest request."""
        if number == self._request and self.server is not None:
            if frame.exact:
                self._target = frame.pts_ms  # the last frame, if the time asked for was past it
            self._display(frame, exact=frame.exact)

    def _display(self, frame: Any, *, exact: bool) -> None:
        self.picture.show_frame(frame)
        self._shown = frame
        self.exact = exact
        self._show_position()
        self.moved.emit()

    def _show_position(self) -> None:
        if not self.time_field.hasFocus():
            self.time_field.setText(fmt_ms(self.outer.to_film(self._target)))
        index = self.server.timeline.index_at(self._target) if self.server is not None else 0
        self.frame_label.setText(f"frame {index}" + ("" if self.exact else " …"))
        self.bar.blockSignals(True)
        self.bar.setValue(self._target)
        self.bar.blockSignals(False)

    # -- keys and focus ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift, ctrl = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
        sign = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}.get(Qt.Key(event.key()))
        if sign is not None and mods == Qt.KeyboardModifier.NoModifier:
            self.step(sign)
        elif sign is not None and mods in (shift, ctrl, shift | ctrl):
            self.jump(sign * {shift: 1000, ctrl: 5000}.get(mods, 60_000))
        elif event.key() == Qt.Key.Key_Home:
            self.seek_file(0)
        elif event.key() == Qt.Key.Key_End:
            self.step(self._last)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self._show_focus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._show_focus(False)

    def _show_focus(self, focused: bool) -> None:
        color = self.palette().highlight().color().name() if focused else "#000000"
        self.picture.setStyleSheet(f"background: black; color: #bbb; border: 3px solid {color};")
