"""The player: libVLC (or Qt Multimedia) while playing, the exact frame whenever it stops.

libVLC's paused seeks land a few frames off and report the requested time, so whenever the player
is paused, stepped or sent to a time, this view shows the picture from the frame server (PyAV) and
reports *that frame's* time to the transport. Until the exact frame is decoded, the nearest frame at
hand is shown and then replaced; the GUI thread never waits on a decoder.

While the seek bar or the playhead is dragged (:meth:`PlayerView.scrub`), the view shows keyframe
previews, each the keyframe at or before the pointer, decoded alone in a few milliseconds; the
frame server answers only the newest position, so stale ones are dropped. When the pointer rests
or the drag ends in a seek, the exact frame replaces the preview.

Times: the transport speaks film time; the backend and the frame server speak the copy's time;
the copy's :class:`~desk.core.timemap.TimeMap` converts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import FrameRate
from desk.core.timemap import TimeMap
from desk.errors import KnownError
from desk.media.playback import Backend, Capability, open_backend
from desk.ui.actions import Actions
from desk.ui.player_audio import AudioMenu
from desk.ui.player_controls import PlayerControls
from desk.ui.text_focus import is_typing
from desk.ui.transport import Transport

if TYPE_CHECKING:
    from desk.media.frames import Frame
    from desk.media.timelines import Timeline

log = logging.getLogger("desk.ui.player")
POLL_MS = 40
#: The player decodes pictures no narrower than this, whatever its screen.
HD_WIDTH = 1920
#: While dragging, the exact frame is fetched once the pointer has rested this long.
SCRUB_REST_MS = 150
RATES = (0.25, 0.5, 1.0, 2.0, 4.0)


def frame_image(frame: Frame) -> QImage:
    """An image over a decoded frame's pixels, sharing their memory."""
    format_ = QImage.Format.Format_RGB888
    return QImage(frame.pixels, frame.width, frame.height, frame.stride, format_)


def to_pixmap(frame: Frame) -> QPixmap:
    """A pixmap of its own from a decoded frame."""
    return QPixmap.fromImage(frame_image(frame).copy())


def scale_to_fit(image: QImage, size: QSize) -> QImage:
    """``image`` scaled smoothly to fit ``size``, its aspect kept."""
    if image.format() == QImage.Format.Format_RGB888:  # Qt scales 32-bit pixels twice as fast
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class _FrameRelay(QObject):
    """Carries decoded frames from the frame server's thread to the GUI thread."""

    ready = Signal(int, object)  # request number, Frame
    frame_times = Signal(float)  # how far the film's frame times are read, 0 to 1


class Picture(QLabel):
    """The frame on screen, scaled to fit with its aspect kept."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 90)
        self.setStyleSheet("background: black; color: #bbb;")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._image: QImage | None = None  # the picture at its own size
        self._frame: Frame | None = None  # the frame under it, if it came from the frame server

    def show_frame(self, frame: Frame) -> None:
        """Show a decoded frame, unless these very pixels are on screen."""
        if self._frame is None or frame.pixels is not self._frame.pixels:
            self._image, self._frame = frame_image(frame), frame
            self._rescale()

    def show_image(self, image: QImage) -> None:
        self._image, self._frame = image, None
        self._rescale()

    def show_text(self, text: str) -> None:
        self._image, self._frame = None, None
        self.clear()
        self.setText(text)

    def shown_image(self) -> QImage | None:
        """The picture on screen at its own size (before scaling to the widget); None if none."""
        return None if self._image is None else self._image.copy()

    def fitting_width(self, aspect: float) -> int:
        """The width a picture of this aspect (width / height) is shown at."""
        return max(2, min(self.width(), round(self.height() * aspect)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image is None:
            return
        have = self._image.size()
        goal = have.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if abs(goal.width() - have.width()) <= 2 and abs(goal.height() - have.height()) <= 2:
            self.setPixmap(QPixmap.fromImage(self._image))  # decoded at this size: no scaling
        else:
            self.setPixmap(QPixmap.fromImage(scale_to_fit(self._image, self.size())))


class PlayerView(QWidget):
    """Video, exact frames and the transport controls."""

    #: (film_ms of the frame now on screen, exact: bool)
    frame_shown = Signal(int, bool)
    #: How far the film's frame times are read, 0 to 1, on a film opened for the first time
    #: (until 1, stepping and frame numbers go by the nominal rate).
    frame_times_progress = Signal(float)
    #: The user chose the film's audio stream of this index (for the project to keep).
    audio_track_chosen = Signal(int)
    #: What starting playback after the first frame had to say (libVLC missing, say).
    playback_notice = Signal(str)

    def __init__(
        self, transport: Transport, parent: QWidget | None = None, actions: Actions | None = None
    ) -> None:
        super().__init__(parent)
        self.transport = transport
        #: The window's actions; a lone player (a tool, a test) answers the keys itself.
        self.window_actions = actions if actions is not None else Actions(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click on the film takes the keys back
        self.backend: Backend | None = None
        self._unplayed: Path | None = None  # the film loaded, while no backend plays it yet
        self.server: Any = None
        self.time_map = TimeMap()
        self.rate = FrameRate(Fraction(24))
        self.duration_ms = 0
        self.loop = False
        self._speed = 2  # index into RATES
        self._request = 0
        self._shown_film_ms = -1
        self._aspect: float | None = None  # of the film's pictures, once one is shown
        self.surface = QWidget()
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.surface.setStyleSheet("background: black;")
        self.picture = Picture()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.picture)
        self.stack.addWidget(self.surface)
        self.controls = PlayerControls(self)
        self.audio_menu = AudioMenu(self)
        self.audio_menu.chosen.connect(self.choose_audio_track)
        self.audio_track: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.controls)
        self._relay = _FrameRelay()
        self._relay.ready.connect(self._on_frame)
        self._relay.frame_times.connect(self.frame_times_progress)
        self._relay.frame_times.connect(self._on_frame_times)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self._rest = QTimer(self, interval=SCRUB_REST_MS, singleShot=True)
        self._rest.timeout.connect(lambda: self.show_exact(self.transport.position_ms))
        transport.seek_requested.connect(self.seek)
        transport.scrub_requested.connect(self.scrub)
        self.picture.show_text("No film")

    # -- loading -------------------------------------------------------------------------------
    def load(
        self,
        path: Path,
        time_map: TimeMap,
        fps: tuple[int, int],
        duration_ms: int,
        audio_track: int | None = None,
        *,
        playback_later: bool = False,
    ) -> str:
        """Open a film, playing its audio stream ``audio_track`` (None: its first); returns a
        notice for the status bar ('' if none).

        With ``playback_later``, the first frame is not held up by libVLC's start: libVLC (or Qt
        Multimedia) starts at :meth:`start_playback`, or as soon as the film is played, and what
        it has to say then comes by :attr:`playback_notice`.
        """
        from desk.media.frames import FrameServer

        self.close_media()
        self.time_map = time_map
        self.rate = FrameRate(Fraction(*fps))
        self.duration_ms = duration_ms
        self.transport.duration_ms = duration_ms
        self.transport.frame_ms = 1000 / float(self.rate.fps)
        try:
            self.server = FrameServer(
                path, max_width=self._screen_width(), index_progress=self._relay.frame_times.emit
            )
        except KnownError as exc:
            self.show_message(str(exc))
            return str(exc)
        self.controls.set_duration(duration_ms)
        self._note_variable_rate()  # the frame times may be kept from an earlier opening
        self.show_exact(0)  # decoded on the server's thread while this one goes on
        self.audio_track = audio_track
        # Read as the server opened the film: the file is opened once for both.
        self.audio_menu.set_tracks(self.server.header.audio_tracks, audio_track)
        self.controls.set_audio_tracks(audio_track)
        self._unplayed = path
        if playback_later:
            return ""
        return self._open_playback()

    def start_playback(self) -> None:
        """Start libVLC (or Qt Multimedia) for the film loaded with ``playback_later``, if it has
        not started yet; what it has to say comes by :attr:`playback_notice`."""
        notice = self._open_playback()
        if notice:
            self.playback_notice.emit(notice)

    def _open_playback(self) -> str:
        """Start a backend on the film loaded, at the frame on screen; returns its notice."""
        path, self._unplayed = self._unplayed, None
        if path is None:  # started already, or no film
            return ""
        notice = ""
        try:
            self.backend, notice = open_backend()
            if self.audio_track is not None:
                self.backend.choose_audio(self.audio_menu.order_of(self.audio_track))
            # The server opened the film (it is loaded only then): the format read there.
            container = self.server.header.container
            self.backend.load(path, self.transport.frame_ms, container=container)
            self.backend.set_volume(self.controls.volume.value())  # as the controls show
            self.backend.set_muted(self.controls.mute_button.isChecked())
            if Capability.EMBED in self.backend.capabilities:
                self.backend.embed(int(self.surface.winId()))
            else:
                self.backend.show_pictures(self._on_played_picture)
        except KnownError as exc:
            notice = f"{exc} Stills and stepping still work."
            self.backend = None
        if self.backend is not None:
            self.backend.seek(self.time_map.to_copy(self.transport.position_ms))
        return notice

    def _screen_width(self) -> int:
        """The widest picture the player decodes: its screen's width in device pixels, and never
        less than HD's (the window may move to a larger screen). A wider film (4K on an HD screen)
        is decoded to it, its conversion and HDR tone mapping done on a quarter of the pixels;
        nothing a viewer could see is lost."""
        screen = self.screen()
        if screen is None:
            return HD_WIDTH
        return max(HD_WIDTH, round(screen.geometry().width() * screen.devicePixelRatio()))

    def choose_audio_track(self, index: int) -> None:
        """Play the film's audio stream ``index`` from now on, and tell the project."""
        self.show_audio_track(index)
        self.audio_track_chosen.emit(index)

    def next_audio_track(self) -> None:
        """The film's next audio track (after the last, the first)."""
        following = self.audio_menu.next_index(self.audio_track)
        if following is not None and following != self.audio_track:
            self.choose_audio_track(following)

    def show_audio_track(self, index: int | None) -> None:
        """Play stream ``index`` (None: the first) and show it chosen; tells no one."""
        self.audio_track = index
        self.audio_menu.show_choice(index)
        self.controls.set_audio_tracks(index)
        if self.backend is not None:
            self.backend.choose_audio(self.audio_menu.order_of(index))

    def close_media(self) -> None:
        self._poll.stop()
        self._rest.stop()
        self._request += 1
        self._shown_film_ms = -1
        self._aspect = None
        self._unplayed = None
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        if self.server is not None:
            self.server.close()
            self.server = None
        self.audio_menu.set_tracks((), None)

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
        self.start_playback()  # played before it started by itself
        if self.backend is None:
            return
        if self._on_last_frame():  # play again from the start, as VLC and mpv do
            self.seek(0)
        # From the exact frame on screen (the backend may have drifted from it while paused).
        self.backend.seek(self.time_map.to_copy(self.transport.position_ms))
        self.backend.set_rate(RATES[self._speed])
        self.backend.play()
        if Capability.EMBED in self.backend.capabilities:
            self.stack.setCurrentWidget(self.surface)
        self.transport.report_playing(True)
        self._poll.start()

    def _on_last_frame(self) -> bool:
        """Whether the playhead is on the film's last frame (or past it)."""
        timeline = self._timeline()
        if timeline is None:  # the nominal rate stands in until the frame times are read
            return self.transport.position_ms >= self.duration_ms - self.transport.frame_ms
        at = timeline.index_at(self.time_map.to_copy(self.transport.position_ms))
        # The film's length is at or past its last frame's start.
        return at >= timeline.index_at(self.time_map.to_copy(self.duration_ms))

    def pause(self) -> None:
        """Stop on the exact frame at the moment of pausing (or the one just sent to)."""
        copy_ms = self.time_map.to_copy(self.transport.position_ms)
        if self.backend is not None:
            self.backend.pause()
            copy_ms = self.backend.time_ms()
        self._poll.stop()
        self.transport.report_playing(False)
        self._speed = 2
        self.controls.show_rate(RATES[self._speed])
        self.show_exact(self.time_map.to_film(copy_ms))

    def shuttle(self, direction: int) -> None:
        """J/L: slower/faster (0.25× to 4×); K (0): stop and show the exact frame."""
        if direction == 0:
            if self.playing:
                self.pause()
            return
        self.start_playback()
        if self.backend is None:  # nothing to play: no rate to show either
            return
        self._speed = max(0, min(len(RATES) - 1, self._speed + direction))
        self.backend.set_rate(RATES[self._speed])
        if not self.playing:
            self.play()
        self.controls.show_rate(RATES[self._speed])

    def seek(self, film_ms: int) -> None:
        """Send the player to ``film_ms``: the exact frame there is shown, playing or not.

        Also ends a drag (:meth:`scrub`).
        """
        self._rest.stop()
        film_ms = self._clamp(film_ms)
        if self.playing and self.backend is not None:
            self.backend.seek(self.time_map.to_copy(film_ms))
            self.transport.report_position(film_ms)
            return
        if self.backend is not None:
            self.backend.seek(self.time_map.to_copy(film_ms))
        self.show_exact(film_ms)

    def scrub(self, film_ms: int) -> None:
        """Follow a dragged playhead to ``film_ms``: a keyframe preview at once, the exact frame
        when the pointer rests; end the drag with :meth:`seek`. While playing, the same as a seek.
        """
        if self.playing or self.server is None:
            self.seek(film_ms)
            return
        film_ms = self._clamp(film_ms)
        self.stack.setCurrentWidget(self.picture)
        copy_ms = self.time_map.to_copy(film_ms)
        self._request += 1
        number = self._request
        self.transport.report_position(self.time_map.to_film(self._snap(copy_ms)))
        self.server.request_preview(copy_ms, self._deliver(number), self._preview_width())
        self._rest.start()

    def _clamp(self, film_ms: int) -> int:
        return max(0, min(int(film_ms), max(0, self.duration_ms - 1)))

    def step(self, frames: int) -> None:
        """Exactly ``frames`` frames forward or back from the frame on screen."""
        if self.playing:
            self.pause()
        copy_ms = self.time_map.to_copy(self.transport.position_ms)
        timeline = self._timeline()
        if timeline is None:
            index = self.rate.frame_at(copy_ms) + frames
            self.seek(self.time_map.to_film(self.rate.start_ms(max(0, index))))
            return
        index = timeline.index_at(copy_ms) + frames
        self.seek(self.time_map.to_film(timeline.start_ms(max(0, index))))

    def _timeline(self) -> Timeline | None:
        """The film's frame times once they are read (None before: the nominal rate stands in)."""
        from desk.media.timelines import is_ready  # loaded with the frame server, not at start-up

        if self.server is None or not is_ready(self.server.timeline):
            return None
        return cast("Timeline", self.server.timeline)

    def _on_frame_times(self, done: float) -> None:
        if done >= 1.0:
            self._note_variable_rate()

    def _note_variable_rate(self) -> None:
        """Once the frame times are read: a film whose frames keep no rate has its SMPTE
        timecodes counted at their average rate, and shown as nominal (``~``)."""
        from desk.media.timelines import is_variable

        timeline = self._timeline()
        if timeline is not None and is_variable(timeline) and not self.rate.variable:
            self.rate = FrameRate(self.rate.fps, variable=True)
            self.controls.refresh_time()

    def _snap(self, copy_ms: int) -> int:
        """The start of the frame shown at ``copy_ms``, on the film's clock."""
        timeline = self._timeline()
        if timeline is None:
            return self.rate.snap_ms(copy_ms)
        return timeline.start_ms(timeline.index_at(copy_ms))

    def jump(self, delta_ms: int) -> None:
        self.seek(self.transport.position_ms + delta_ms)

    def mark_in(self) -> None:
        self.transport.set_marks(self.transport.position_ms, self.transport.out_ms)

    def mark_out(self) -> None:
        self.transport.set_marks(self.transport.in_ms, self.transport.position_ms)

    def clear_marks(self) -> None:
        self.transport.set_marks(None, None)

    def back_to_player(self) -> None:
        """Esc: leave full screen (as every player does), or the text field or editor being
        typed in for the player; with neither to leave, clear the I/O marks too."""
        if self.window().isFullScreen():
            self.controls.toggle_full_screen()
        elif not is_typing(QApplication.focusWidget()):
            self.clear_marks()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

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
        if near is not None and (near.exact or self._nearer_than_shown(near, copy_ms)):
            self._display(near, exact=near.exact)
        self.transport.report_position(self.time_map.to_film(self._snap(copy_ms)))
        self.server.request(copy_ms, self._deliver(number))

    def _deliver(self, number: int) -> Callable[[Any], None]:
        """A callback for the frame server's thread: hands the frame to the GUI thread."""
        return lambda frame: self._relay.ready.emit(number, frame)

    def _preview_width(self) -> int | None:
        """Previews are decoded at the width they are shown at (once the film's shape is known)."""
        if self._aspect is None:
            return None
        return self.picture.fitting_width(self._aspect)

    def _nearer_than_shown(self, frame: Any, copy_ms: int) -> bool:
        """Whether ``frame`` is nearer ``copy_ms`` than the frame on screen (if any)."""
        if self._shown_film_ms < 0:
            return True
        shown_ms = self.time_map.to_copy(self._shown_film_ms)
        return abs(frame.pts_ms - copy_ms) < abs(shown_ms - copy_ms)

    def _on_frame(self, number: int, frame: Any) -> None:
        """An exact frame or a preview (``frame.exact`` false) for the newest request."""
        if number == self._request and not self.playing:
            self._display(frame, exact=frame.exact)

    def _display(self, frame: Any, *, exact: bool) -> None:
        self.picture.show_frame(frame)
        if exact:
            self._aspect = frame.width / frame.height
        film_ms = self.time_map.to_film(frame.pts_ms)
        self._shown_film_ms = film_ms
        if exact:
            self.transport.report_position(film_ms)
        self.frame_shown.emit(film_ms, exact)

    def _on_played_picture(self, image: QImage) -> None:
        if self.playing:
            # Qt Multimedia hands over the stored pixels; widen an anamorphic film's as the exact
            # frames are, so the picture keeps its shape between playing and paused.
            if self._aspect is not None and image.height():
                width = round(image.height() * self._aspect)
                if abs(width - image.width()) > 2:
                    image = image.scaled(width, image.height())
            self.picture.show_image(image)

    # -- playback clock ------------------------------------------------------------------------
    def _on_poll(self) -> None:
        if self.backend is None:
            return
        film_ms = self.time_map.to_film(self.backend.time_ms())
        marked = self.transport.marked_range()
        if self.loop and marked is not None and film_ms >= marked[1]:
            self.backend.seek(self.time_map.to_copy(marked[0]))
            film_ms = marked[0]
        elif self.backend.ended():
            self.pause()
            return
        self.transport.report_position(film_ms)
