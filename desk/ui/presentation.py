"""Presentation mode: a lecture's clips full screen, one after another, driven from the keyboard.

Each clip plays its range of the film (handles included) from the film itself and stops on its last
frame, exactly: libVLC's clock moves in steps and its pause lands where playback happens to be, so
once a clip has played, the exact out frame (the last frame the clip holds: an out point is
inclusive) is decoded by PyAV's frame server, asked for as the clip starts, and shown in place of
libVLC's picture until the next clip plays.

Keys: Right or Page Down for the next clip, Left or Page Up for the previous one, R to replay, K to
pause or resume, Space to pause or resume (and, once a clip has ended, to go on to the next),
Escape to leave. With a second screen, the title, caption and notes of the clip and the
title of the next one show there; with one screen, the caption runs in a strip under the picture.

Playback goes through :func:`desk.media.playback.open_backend` as in the player view: libVLC
draws into a native child window (Qt Multimedia's frames are shown in a label instead), and a seek
asked before libVLC has started playing is applied on the first poll after it has.

The window is given the whole screen's geometry before it asks to be full screen: without a
window manager (a classroom PC's kiosk session, Xvfb) the request is never granted, and the window
would otherwise open at its small default size in a corner.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from desk.errors import KnownError
from desk.export.lecture import ClipItem, Lecture, checked_film, load_lecture
from desk.media.frames import Frame, FrameServer
from desk.media.playback import Backend, Capability, open_backend
from desk.store.project import Project

log = logging.getLogger("desk.ui.presentation")
POLL_MS = 40
STYLE = "background: black; color: #e6e6e6;"


def _plain_label(text: str = "", size_pt: int = 18) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"{STYLE} font-size: {size_pt}pt; padding: 8px;")
    return label


class NotesWindow(QWidget):
    """The presenter's screen: where the lecture is, the clip's caption and notes, what is next."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("desk – presenter notes")
        self.setStyleSheet(STYLE)
        self.heading = _plain_label(size_pt=24)
        self.caption = _plain_label(size_pt=18)
        self.notes = _plain_label(size_pt=14)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.following = _plain_label(size_pt=12)
        layout = QVBoxLayout(self)
        for widget, stretch in ((self.heading, 0), (self.caption, 0), (self.notes, 1)):
            layout.addWidget(widget, stretch)
        layout.addWidget(self.following)

    def show_clip(self, clip: ClipItem, count: int, following: ClipItem | None) -> None:
        self.heading.setText(f"{clip.number} / {count}   {clip.title}")
        self.caption.setText(clip.caption)
        self.notes.setText("\n\n".join(f"• {note}" for note in clip.notes))
        self.following.setText(f"Next: {following.title}" if following else "Last clip")


class PresentationWindow(QWidget):
    """A lecture's clips, full screen, clip by clip."""

    #: (index of the clip now playing)
    clip_changed = Signal(int)
    #: (index of the clip that reached its end)
    clip_finished = Signal(int)
    #: (index of the clip whose exact out frame is now on screen)
    out_frame_shown = Signal(int)
    #: (clip index, frame) from the frame server's thread
    _out_frame_ready = Signal(int, object)

    def __init__(self, lecture: Lecture, film: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lecture, self.film = lecture, film
        self.time_map = lecture.time_map()
        self.index = -1
        self.finished = False
        self._end_ms = 0
        #: The exact out frame of each clip asked for so far, by clip index.
        self._out_frames: dict[int, Frame] = {}
        self.frames: FrameServer | None = None
        #: The number of the frame shown once the clip has ended (None while one plays).
        self.shown_out_frame: int | None = None
        self._out_frame_ready.connect(self._on_out_frame)
        self.setWindowTitle(f"desk – {lecture.name}")
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.surface = QWidget()
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.surface)
        self.stack.addWidget(self.picture)
        self.strip = _plain_label(size_pt=20)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.strip)
        self.notes = self._notes_window()
        self.strip.setVisible(self.notes is None)
        self.backend: Backend
        self.backend, notice = open_backend()
        if notice:
            log.warning("%s", notice)
        self._attach()
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    def _notes_window(self) -> NotesWindow | None:
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            return None
        notes = NotesWindow()
        notes.setScreen(screens[1])
        notes.move(screens[1].availableGeometry().topLeft())
        return notes

    def _attach(self) -> None:
        fps = self.lecture.film.fps if self.lecture.film is not None else 24
        self.backend.load(self.film, 1000 / float(fps))
        if Capability.EMBED in self.backend.capabilities:
            self.backend.embed(int(self.surface.winId()))
            return
        self.stack.setCurrentWidget(self.picture)
        self.backend.show_pictures(self._on_played_picture)

    # -- showing ---------------------------------------------------------------------------
    def start(self) -> None:
        """Go full screen (and open the notes on the second screen) and play the first clip."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setGeometry(screen.geometry())  # the size it keeps where nothing grants full screen
        self.showFullScreen()
        if self.notes is not None:
            self.notes.showMaximized()
        self.activateWindow()
        self.setFocus()
        self.go(0)

    @property
    def clip(self) -> ClipItem:
        return self.lecture.clips[self.index]

    def go(self, index: int) -> None:
        """Play clip ``index`` from its start (handles included)."""
        if not self.lecture.clips:
            return
        self.index = max(0, min(index, len(self.lecture.clips) - 1))
        clip = self.clip
        start = self.time_map.to_copy(clip.from_ms)
        self._end_ms = self.time_map.to_copy(clip.to_ms)
        self.finished = False
        self.shown_out_frame = None
        if Capability.EMBED in self.backend.capabilities:
            self.stack.setCurrentWidget(self.surface)
        self._ask_out_frame(self.index)
        self._show_text(clip)
        self._play_from(start)
        self.clip_changed.emit(self.index)

    def _show_text(self, clip: ClipItem) -> None:
        clips = self.lecture.clips
        following = clips[self.index + 1] if self.index + 1 < len(clips) else None
        self.strip.setText(clip.caption or clip.title)
        if self.notes is not None:
            self.notes.show_clip(clip, len(clips), following)

    def _play_from(self, copy_ms: int) -> None:
        self.backend.seek(copy_ms)
        self.backend.play()
        self._poll.start()

    def next(self) -> None:
        if self.index + 1 < len(self.lecture.clips):
            self.go(self.index + 1)

    def previous(self) -> None:
        self.go(max(0, self.index - 1))

    def replay(self) -> None:
        self.go(self.index)

    def toggle_pause(self) -> None:
        if self.finished:
            return
        if self._poll.isActive():  # what desk asked for, not libVLC's state, which lags behind
            self.backend.pause()
            self._poll.stop()
        else:
            self.backend.play()
            self._poll.start()

    def advance(self) -> None:
        """Space: pause or resume a clip under way; once it has ended, go to the next."""
        if self.finished:
            self.next()
        else:
            self.toggle_pause()

    # -- the clock ---------------------------------------------------------------------------
    def _on_poll(self) -> None:
        ended = self.backend.ended()  # the film ran out before the clip's end
        # Half a poll early: the next poll would come after the end more often than not.
        if (ended or self.backend.time_ms() + POLL_MS // 2 >= self._end_ms) and not self.finished:
            self.backend.pause()
            self._poll.stop()
            self.finished = True
            self.clip_finished.emit(self.index)
            self._show_out_frame()

    # -- the exact out frame -----------------------------------------------------------------
    def _ask_out_frame(self, index: int) -> None:
        """Have the clip's last frame decoded while it plays, ready for when it ends."""
        if index in self._out_frames:
            return
        try:
            if self.frames is None:
                self.frames = FrameServer(self.film)
        except KnownError as exc:  # the film plays but cannot be decoded: libVLC's pause stays
            log.warning("no exact out frames: %s", exc)
            return
        last_ms = max(0, self.time_map.to_copy(self.lecture.clips[index].to_ms) - 1)
        self.frames.request(last_ms, lambda frame: self._out_frame_ready.emit(index, frame))

    def _on_out_frame(self, index: int, frame: Frame) -> None:
        self._out_frames[index] = frame
        if index == self.index and self.finished:
            self._show_out_frame()

    def _show_out_frame(self) -> None:
        frame = self._out_frames.get(self.index)
        if frame is None:  # still being decoded: shown when it comes
            return
        from desk.ui.player_view import to_pixmap

        pixmap = to_pixmap(frame)
        self.picture.setPixmap(
            pixmap.scaled(
                self.picture.size() if self.picture.isVisible() else self.stack.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.stack.setCurrentWidget(self.picture)
        self.shown_out_frame = frame.index
        self.out_frame_shown.emit(self.index)

    def _on_played_picture(self, image: QImage) -> None:
        if self.shown_out_frame is not None:  # a late picture must not cover the exact one
            return
        pixmap = QPixmap.fromImage(image)
        self.picture.setPixmap(
            pixmap.scaled(self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio)
        )

    # -- keys and closing --------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        actions = {
            Qt.Key.Key_Right: self.next,
            Qt.Key.Key_PageDown: self.next,
            Qt.Key.Key_Left: self.previous,
            Qt.Key.Key_PageUp: self.previous,
            Qt.Key.Key_R: self.replay,
            Qt.Key.Key_K: self.toggle_pause,
            Qt.Key.Key_Space: self.advance,
            Qt.Key.Key_Escape: self.close,
        }
        action = actions.get(Qt.Key(event.key()))
        if action is None:
            super().keyPressEvent(event)
            return
        action()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._poll.stop()
        self.backend.close()
        if self.frames is not None:
            self.frames.close()
            self.frames = None
        if self.notes is not None:
            self.notes.close()
        super().closeEvent(event)


def presentation_for(project: Project, list_name: str | None = None) -> PresentationWindow:
    """A presentation of a project's clip list (by default the first); call ``start()`` on it."""
    lecture = load_lecture(project, list_name)
    return PresentationWindow(lecture, checked_film(lecture))
