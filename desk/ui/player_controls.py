"""The player's controls and keys: play, shuttle, exact steps, jumps, go-to, marks, loop, sound.

The keys work from anywhere in the window; text fields keep the keys they need for typing. Dragging
the seek bar scrubs (keyframe previews under the pointer); letting it go seeks to the exact frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QStyle,
    QToolButton,
    QToolTip,
    QWidget,
)

from desk.core.timecode import TimecodeError, format_ms, parse_timecode
from desk.core.timefmt import fmt_ms

if TYPE_CHECKING:
    from desk.ui.player_view import PlayerView


class SeekBar(QSlider):
    """A slider over film time that shows the timecode under the pointer.

    A press moves the handle under the pointer; ``sliderMoved`` follows the drag, and ``let_go``
    tells where the pointer let go of the bar.
    """

    #: (film ms) the left button was released after a press on the bar
    let_go = Signal(int)

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setMouseTracking(True)
        self.setRange(0, 0)
        self._pressed = False

    def value_at(self, x: float) -> int:
        span = max(1, self.width())
        return int(self.minimum() + (self.maximum() - self.minimum()) * max(0.0, x) / span)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        at = self.value_at(event.position().x())
        QToolTip.showText(event.globalPosition().toPoint(), fmt_ms(at), self)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = True
            self.setValue(self.value_at(event.position().x()))
            self.sliderMoved.emit(self.value())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._pressed:
            self._pressed = False
            self.let_go.emit(self.value())


class PlayerControls(QWidget):
    def __init__(self, player: PlayerView) -> None:
        super().__init__(player)
        self._before_full_screen: tuple[list[QWidget], bool] = ([], False)
        self.player = player
        style = self.style()
        self.play_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay),
                                        "Play / pause (Space)", player.toggle_play)  # fmt: skip
        back = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward),
                            "One frame back (←)", lambda: player.step(-1))  # fmt: skip
        forward = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward),
                               "One frame forward (→)", lambda: player.step(+1))  # fmt: skip
        self.seek_bar = SeekBar()
        self.seek_bar.sliderMoved.connect(player.scrub)
        self.seek_bar.let_go.connect(player.seek)
        self.time_label = QLabel("0:00.000")
        self.time_label.setMinimumWidth(170)
        self.time_label.setToolTip("Time of the frame on screen (SMPTE in brackets)")
        self.goto = QLineEdit(placeholderText="go to…")
        self.goto.setMaximumWidth(110)
        self.goto.returnPressed.connect(self._go_to)
        self.rate_label = QLabel("1×")
        self.marks_label = QLabel("")
        self.loop_button = self._button(
            None, "Loop between I and O (Ctrl+Shift+A)", self._toggle_loop
        )
        self.loop_button.setText("A–B")
        self.loop_button.setCheckable(True)
        self.mute_button = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume),
                                        "Mute (M)", self._toggle_mute)  # fmt: skip
        self.mute_button.setCheckable(True)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setMaximumWidth(90)
        self.volume.valueChanged.connect(self._set_volume)
        self.tracks = QComboBox()
        self.tracks.setToolTip("Audio track")
        self.tracks.currentIndexChanged.connect(self._set_track)
        full = self._button(style.standardIcon(QStyle.StandardPixmap.SP_TitleBarMaxButton),
                            "Full screen (F)", self.toggle_full_screen)  # fmt: skip
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        for w in (self.play_button, back, forward, self.time_label, self.seek_bar, self.goto,
                  self.rate_label, self.marks_label, self.loop_button, self.mute_button,
                  self.volume, self.tracks, full):  # fmt: skip
            row.addWidget(w, 1 if w is self.seek_bar else 0)
        self._keys()
        player.transport.position_changed.connect(self._on_position)
        player.transport.playing_changed.connect(self._on_playing)
        player.transport.marks_changed.connect(self._on_marks)

    def _button(self, icon: QIcon | None, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        if icon is not None:
            button.setIcon(icon)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _keys(self) -> None:
        p = self.player
        second, minute = 1000, 60_000
        for keys, slot in (
            ("Space", p.toggle_play),
            ("K", lambda: p.shuttle(0)),
            ("L", lambda: p.shuttle(+1)),
            ("J", lambda: p.shuttle(-1)),
            ("Right", lambda: p.step(+1)),
            ("Left", lambda: p.step(-1)),
            ("Shift+Right", lambda: p.jump(second)),
            ("Shift+Left", lambda: p.jump(-second)),
            ("Ctrl+Right", lambda: p.jump(5 * second)),
            ("Ctrl+Left", lambda: p.jump(-5 * second)),
            ("Ctrl+Shift+Right", lambda: p.jump(minute)),
            ("Ctrl+Shift+Left", lambda: p.jump(-minute)),
            ("I", p.mark_in),
            ("O", p.mark_out),
            ("Ctrl+Shift+A", self.loop_button.click),
            ("M", self.mute_button.click),
            ("F", self.toggle_full_screen),
            ("Ctrl+G", lambda: self.goto.setFocus()),
        ):
            shortcut = QShortcut(QKeySequence(keys), p)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # -- reactions -----------------------------------------------------------------------------
    def set_duration(self, duration_ms: int) -> None:
        self.seek_bar.setRange(0, max(0, duration_ms - 1))

    def set_audio_tracks(self, names: list[str]) -> None:
        backend = self.player.backend
        self.tracks.blockSignals(True)
        self.tracks.clear()
        if backend is not None:
            for track in backend.audio_tracks():
                self.tracks.addItem(track.name, track.id)
        self.tracks.setVisible(self.tracks.count() > 1)
        self.tracks.blockSignals(False)

    def show_rate(self, rate: float) -> None:
        self.rate_label.setText(f"{rate:g}×")

    def _on_position(self, film_ms: int) -> None:
        rate = self.player.rate
        smpte = format_ms(film_ms, "smpte", rate, drop=rate.drop_frame_capable)
        self.time_label.setText(f"{fmt_ms(film_ms)}  [{smpte}]")
        if not self.seek_bar.isSliderDown():
            self.seek_bar.blockSignals(True)
            self.seek_bar.setValue(film_ms)
            self.seek_bar.blockSignals(False)

    def _on_playing(self, playing: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        if not playing:
            self.show_rate(1.0)

    def _on_marks(self, in_ms: int, out_ms: int) -> None:
        parts = []
        if in_ms >= 0:
            parts.append(f"I {fmt_ms(in_ms)}")
        if out_ms >= 0:
            parts.append(f"O {fmt_ms(out_ms)}")
        self.marks_label.setText("  ".join(parts))

    def _go_to(self) -> None:
        try:
            at = parse_timecode(self.goto.text(), self.player.rate)
        except TimecodeError as exc:
            QToolTip.showText(self.goto.mapToGlobal(self.goto.rect().bottomLeft()), str(exc))
            return
        self.goto.clear()
        self.player.seek(at)
        self.player.setFocus()

    def _toggle_loop(self) -> None:
        self.player.loop = self.loop_button.isChecked()

    def _toggle_mute(self) -> None:
        if self.player.backend is not None:
            self.player.backend.set_muted(self.mute_button.isChecked())

    def _set_volume(self, value: int) -> None:
        if self.player.backend is not None:
            self.player.backend.set_volume(value)

    def _set_track(self, index: int) -> None:
        if self.player.backend is not None and index >= 0:
            self.player.backend.set_audio_track(int(self.tracks.itemData(index)))

    def toggle_full_screen(self) -> None:
        window = self.player.window()
        if window.isFullScreen():
            shown, maximized = self._before_full_screen
            window.showMaximized() if maximized else window.showNormal()
            for dock in shown:
                dock.show()
            return
        docks = [
            w for w in window.findChildren(QWidget) if w.metaObject().className() == "QDockWidget"
        ]
        shown = [dock for dock in docks if dock.isVisible()]  # closed docks stay closed after
        self._before_full_screen = (shown, window.isMaximized())
        for dock in shown:
            dock.hide()
        window.showFullScreen()
