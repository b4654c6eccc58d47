"""The player: libVLC (or Qt Multimedia) while playing, the exact frame whenever it stops.

libVLC's paused seeks land a few frames off and report the requested time, so whenever the player
is paused, stepped or sent to a time, this view shows the picture from the frame server (PyAV) and
reports *that frame's* time to the transport. Until the exact frame is decoded, the nearest frame at
hand is shown and then replaced; the GUI thread never waits on a decoder.

Times: the transport speaks film time; the backend and the frame server speak the copy's time;
the copy's :class:`~desk.core.timemap.TimeMap` converts.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import FrameRate
from desk.core.timemap import TimeMap
from desk.errors import KnownError
from desk.media.playback import Backend, Capability, open_backend
from desk.ui.player_controls import PlayerControls
from desk.ui.transport import Transport

log = logging.getLogger("desk.ui.player")
POLL_MS = 40
RATES = (0.25, 0.5, 1.0, 2.0, 4.0)


def to_pixmap(rgb: Any) -> QPixmap:
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())


class _FrameRelay(QObject):
    """Carries decoded frames from the frame server's thread to the GUI thread."""

    ready = Signal(int, object)  # request number, Frame


class Picture(QLabel):
    """The exact frame, scaled to fit with its aspect kept."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 90)
        self.setStyleSheet("background: black; color: #bbb;")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._pixmap: QPixmap | None = None

    def show_pixmap(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self._rescale()

    def show_text(self, text: str) -> None:
        self._pixmap = None
        self.clear()
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is not None:
            self.setPixmap(
                self._pixmap.scaled(
                    self.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )


class PlayerView(QWidget):
    """Video, exact frames and the transport controls."""

    #: (film_ms of the frame now on screen, exact: bool)
    frame_shown = Signal(int, bool)

    def __init__(self, transport: Transport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transport = transport
        self.backend: Backend | None = None
        self.server: Any = None
        self.time_map = TimeMap()
        self.rate = FrameRate(Fraction(24))
        self.duration_ms = 0
        self.loop = False
        self._speed = 2  # index into RATES
        self._request = 0
        self._shown_film_ms = -1
        self._pending_seek: int | None = None
        self.surface = QWidget()
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.surface.setStyleSheet("background: black;")
        self.picture = Picture()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.picture)
        self.stack.addWidget(self.surface)
        self.controls = PlayerControls(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.controls)
        self._relay = _FrameRelay()
        self._relay.ready.connect(self._on_frame)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        transport.seek_requested.connect(self.seek)
        self.picture.show_text("No film")

    # -- loading -------------------------------------------------------------------------------
    def load(self, path: Path, time_map: TimeMap, fps: tuple[int, int], duration_ms: int) -> str:
        """Open a film; returns a notice for the status bar ('' if none)."""
        from desk.media.frames import FrameServer

        self.close_media()
        self.time_map = time_map
        self.rate = FrameRate(Fraction(*fps))
        self.duration_ms = duration_ms
        self.transport.duration_ms = duration_ms
        self.transport.frame_ms = 1000 / float(self.rate.fps)
        try:
            self.server = FrameServer(path)
        except KnownError as exc:
            self.show_message(str(exc))
            return str(exc)
        notice = ""
        try:
            self.backend, notice = open_backend(vlc_args=self._vlc_args())
            self.backend.load(path)
            if Capability.EMBED in self.backend.capabilities:
                self.backend.embed(int(self.surface.winId()))
            else:
                sink = getattr(self.backend, "sink", None)
                if sink is not None:
                    sink.videoFrameChanged.connect(self._on_sink_frame)
        except KnownError as exc:
            notice = f"{exc} Stills and stepping still work."
            self.backend = None
        self.controls.set_duration(duration_ms)
        self.controls.set_audio_tracks([])
        self.seek(0)
        return notice

    @staticmethod
    def _vlc_args() -> tuple[str, ...]:
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            return ("--vout=dummy", "--aout=dummy")
        return ()

    def close_media(self) -> None:
        self._poll.stop()
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        if self.server is not None:
            self.server.close()
            self.server = None

    def show_message(self, text: str) -> None:
        self.stack.setCurrentWidget(self.picture)
        self.picture.show_text(text)

    # -- transport -----------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.transport.playing

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.backend is None:
            return
        if self.transport.position_ms >= self.duration_ms - self.transport.frame_ms:
            self.seek(0)
        # libVLC ignores a seek until playback has started: apply it on the first poll.
        self._pending_seek = self.time_map.to_copy(self.transport.position_ms)
        self.backend.set_rate(RATES[self._speed])
        self.backend.play()
        if Capability.EMBED in self.backend.capabilities:
            self.stack.setCurrentWidget(self.surface)
        self.transport.report_playing(True)
        self._poll.start()

    def pause(self) -> None:
        if self.backend is not None:
            self.backend.pause()
            copy_ms = self.backend.time_ms()
        else:
            copy_ms = self.time_map.to_copy(self.transport.position_ms)
        self._poll.stop()
        self.transport.report_playing(False)
        self._speed = 2
        self.show_exact(self.time_map.to_film(copy_ms))

    def shuttle(self, direction: int) -> None:
        """J/L: slower/faster (0.25× to 4×); K (0): stop and show the exact frame."""
        if direction == 0:
            if self.playing:
                self.pause()
            return
        self._speed = max(0, min(len(RATES) - 1, self._speed + direction))
        if self.backend is not None:
            self.backend.set_rate(RATES[self._speed])
        if not self.playing:
            self.play()
        self.controls.show_rate(RATES[self._speed])

    def seek(self, film_ms: int) -> None:
        """Send the player to ``film_ms``: the exact frame there is shown, playing or not."""
        film_ms = max(0, min(int(film_ms), max(0, self.duration_ms - 1)))
        if self.playing and self.backend is not None:
            self._pending_seek = self.time_map.to_copy(film_ms)
            self.transport.report_position(film_ms)
            return
        if self.backend is not None:
            self.backend.seek(self.time_map.to_copy(film_ms))
        self.show_exact(film_ms)

    def step(self, frames: int) -> None:
        """Exactly ``frames`` frames forward or back from the frame on screen."""
        if self.playing:
            self.pause()
        copy_ms = self.time_map.to_copy(self.transport.position_ms)
        index = self.rate.frame_at(copy_ms) + frames
        self.seek(self.time_map.to_film(self.rate.start_ms(max(0, index))))

    def jump(self, delta_ms: int) -> None:
        self.seek(self.transport.position_ms + delta_ms)

    def mark_in(self) -> None:
        self.transport.set_marks(self.transport.position_ms, self.transport.out_ms)

    def mark_out(self) -> None:
        self.transport.set_marks(self.transport.in_ms, self.transport.position_ms)

    # -- exact frames --------------------------------------------------------------------------
    def show_exact(self, film_ms: int) -> None:
        """Show the nearest frame at hand now, and the exact one as soon as it is decoded."""
        if self.server is None:
            self.transport.report_position(film_ms)
            return
        self.stack.setCurrentWidget(self.picture)
        copy_ms = self.time_map.to_copy(film_ms)
        self._request += 1
        number = self._request
        near = self.server.nearest_cached(copy_ms)
        if near is not None:
            self._display(near, exact=near.index == self.rate.frame_at(copy_ms))
        self.transport.report_position(self.time_map.to_film(self.rate.snap_ms(copy_ms)))
        self.server.request(copy_ms, lambda frame: self._relay.ready.emit(number, frame))

    def _on_frame(self, number: int, frame: Any) -> None:
        if number == self._request and not self.playing:
            self._display(frame, exact=True)

    def _display(self, frame: Any, *, exact: bool) -> None:
        self.picture.show_pixmap(to_pixmap(frame.rgb))
        film_ms = self.time_map.to_film(frame.pts_ms)
        self._shown_film_ms = film_ms
        if exact:
            self.transport.report_position(film_ms)
        self.frame_shown.emit(film_ms, exact)

    def _on_sink_frame(self, frame: Any) -> None:
        if self.playing:
            self.picture.show_pixmap(QPixmap.fromImage(frame.toImage()))

    # -- playback clock ------------------------------------------------------------------------
    def _on_poll(self) -> None:
        if self.backend is None:
            return
        if self._pending_seek is not None:
            if not self.backend.is_playing():
                return
            self.backend.seek(self._pending_seek)
            self._pending_seek = None
            return
        film_ms = self.time_map.to_film(self.backend.time_ms())
        marked = self.transport.marked_range()
        if self.loop and marked is not None and film_ms >= marked[1]:
            self.backend.seek(self.time_map.to_copy(marked[0]))
            film_ms = marked[0]
        elif not self.backend.is_playing() and film_ms >= self.duration_ms - 200:
            self.pause()
            return
        self.transport.report_position(film_ms)
