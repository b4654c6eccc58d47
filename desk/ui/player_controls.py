"""The player's controls and what the player does of the action table: play, shuttle, exact
steps, jumps, go-to, marks, loop, sound, full screen, and Esc back to the player.

The buttons are the table's actions (their icons, tooltips, keys and on/off state are the
actions'). The keys work from anywhere in the window; text fields keep the keys they need for
typing. Dragging the seek bar scrubs (keyframe previews under the pointer); letting it go seeks to
the exact frame. The I/O marks show on the seek bar as on the timeline.

The bar is one row while the window is wide enough; narrower, the rate, marks, loop, sound and
full-screen controls wrap onto a second row, so the seek bar, the timecode and the go-to field stay
usable at any width (the bar never narrower than :data:`MIN_SEEK_WIDTH`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desk.actions import action
from desk.core.timecode import TimecodeError, format_ms, parse_timecode
from desk.core.timefmt import fmt_ms
from desk.ui.actions import tooltip

if TYPE_CHECKING:
    from desk.ui.player_view import PlayerView


#: The I/O marks' colour, as on the timeline.
MARK_COLOR = "#f2c14e"
#: The seek bar is never narrower than this (pixels): the rest of the controls wrap first.
MIN_SEEK_WIDTH = 200
#: The timecode with its SMPTE form beside it, on a bar wide enough for one row.
FULL_TIME_WIDTH = 170


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
        self.marks: tuple[int | None, int | None] = (None, None)

    def set_marks(self, in_ms: int | None, out_ms: int | None) -> None:
        """Show the I/O marks on the bar (None: that mark is not set)."""
        self.marks = (in_ms, out_ms)
        self.update()

    def mark_x(self, film_ms: int) -> int:
        """Where on the bar (x in pixels) the time ``film_ms`` is, as the handle would be."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        span = groove.width() - handle.width()
        at = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), film_ms, span)
        return groove.x() + handle.width() // 2 + at

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The bar, with the marked range shaded over it and a tick at each mark."""
        super().paintEvent(event)
        in_ms, out_ms = self.marks
        if in_ms is not None or out_ms is not None:
            painter = QPainter(self)
            color = QColor(MARK_COLOR)
            if in_ms is not None and out_ms is not None:
                left, right = sorted((self.mark_x(in_ms), self.mark_x(out_ms)))
                shade = QColor(color)
                shade.setAlpha(110)
                painter.fillRect(left, 2, max(2, right - left), self.height() - 4, shade)
            for mark in (in_ms, out_ms):
                if mark is not None:
                    painter.fillRect(self.mark_x(mark) - 1, 0, 3, self.height(), color)
            painter.end()

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
        actions = player.window_actions
        style = self.style()
        icons = {
            "play.toggle": QStyle.StandardPixmap.SP_MediaPlay,
            "play.frame_back": QStyle.StandardPixmap.SP_MediaSeekBackward,
            "play.frame_forward": QStyle.StandardPixmap.SP_MediaSeekForward,
            "play.mute": QStyle.StandardPixmap.SP_MediaVolume,
            "play.full_screen": QStyle.StandardPixmap.SP_TitleBarMaxButton,
        }
        for action_id, pixmap in icons.items():
            actions[action_id].setIcon(style.standardIcon(pixmap))
        actions["play.loop"].setIconText("A–B")
        self.play_button = self._button("play.toggle")
        back, forward = self._button("play.frame_back"), self._button("play.frame_forward")
        self.seek_bar = SeekBar()
        self.seek_bar.setMinimumWidth(MIN_SEEK_WIDTH)
        self.seek_bar.sliderMoved.connect(player.scrub)
        self.seek_bar.let_go.connect(player.seek)
        self.time_label = QLabel("0:00.000")
        self.time_label.setMinimumWidth(FULL_TIME_WIDTH)
        self.goto = QLineEdit(placeholderText="go to…")
        self.goto.setMaximumWidth(110)
        self.goto.setMinimumWidth(70)
        self.goto.setToolTip(tooltip(action("play.goto")))
        self.goto.returnPressed.connect(self._go_to)
        self.rate_label = QLabel("1×")
        self.marks_label = QLabel("")
        self.loop_button = self._button("play.loop")
        self.mute_button = self._button("play.mute")
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setMaximumWidth(90)
        self.volume.valueChanged.connect(self._set_volume)
        self.tracks = QComboBox()
        self.tracks.setToolTip("Audio track")
        self.tracks.currentIndexChanged.connect(self._set_track)
        full = self._button("play.full_screen")
        rows = self._rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 4, 6, 4)
        rows.setSpacing(2)
        # The widget's size follows minimumSizeHint (the wrapped bar), not the one row's needs.
        rows.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.main_row, self.second_row = QHBoxLayout(), QHBoxLayout()
        for row in (self.main_row, self.second_row):
            row.setContentsMargins(0, 0, 0, 0)
            rows.addLayout(row)
        #: The controls that wrap onto the second row when the bar is narrow.
        self.steps = self._group(self.play_button, back, forward)
        self.extras = self._group(self.rate_label, self.marks_label, self.loop_button,
                                  self.mute_button, self.volume, self.tracks, full)  # fmt: skip
        for w in (self.steps, self.time_label, self.seek_bar, self.goto, self.extras):
            self.main_row.addWidget(w, 1 if w is self.seek_bar else 0)
        actions.handle(player, self._handlers())
        player.transport.position_changed.connect(self._on_position)
        player.transport.playing_changed.connect(self._on_playing)
        player.transport.marks_changed.connect(self._on_marks)

    # -- wrapping ------------------------------------------------------------------------------
    @staticmethod
    def _group(*widgets: QWidget) -> QWidget:
        group = QWidget()
        row = QHBoxLayout(group)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget)
        return group

    @property
    def wrapped(self) -> bool:
        """Whether the buttons and the extra controls are on a second row."""
        return self.second_row.indexOf(self.extras) >= 0

    def _one_row_width(self) -> int:
        """The narrowest one row that leaves the seek bar its minimum."""
        beside = (self.steps, self.goto, self.extras)
        width = sum(max(w.sizeHint().width(), w.minimumWidth()) for w in beside)
        width += FULL_TIME_WIDTH + MIN_SEEK_WIDTH + max(0, self.main_row.spacing()) * 4
        margins = self._rows.contentsMargins()
        return width + margins.left() + margins.right()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """The wrapped bar's: the short timecode, the seek bar at its minimum and the go-to
        field on the first row."""
        margins = self._rows.contentsMargins()
        short = self.time_label.fontMetrics().horizontalAdvance("00:00:00.000") + 8
        width = short + MIN_SEEK_WIDTH + self.goto.minimumWidth()
        width += max(0, self.main_row.spacing()) * 2 + margins.left() + margins.right()
        height = self.main_row.sizeHint().height() + margins.top() + margins.bottom()
        if self.wrapped:
            height += self.second_row.sizeHint().height() + self._rows.spacing()
        return QSize(width, height)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._one_row_width(), self.minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        self._wrap(event.size().width() < self._one_row_width())
        super().resizeEvent(event)

    def _wrap(self, wrap: bool) -> None:
        if wrap == self.wrapped:
            return
        for group in (self.steps, self.extras):
            (self.main_row if wrap else self.second_row).removeWidget(group)
        if wrap:  # the timecode, seek bar and go-to field alone on the first row
            self.second_row.addWidget(self.steps)
            self.second_row.addStretch(1)
            self.second_row.addWidget(self.extras)
        else:
            while self.second_row.count():  # the stretch
                self.second_row.takeAt(0)
            self.main_row.insertWidget(0, self.steps)
            self.main_row.addWidget(self.extras)
        # Narrow, the timecode drops its SMPTE form (still in its tooltip).
        self.time_label.setMinimumWidth(0 if wrap else FULL_TIME_WIDTH)
        self._on_position(self.player.transport.position_ms)
        self.updateGeometry()  # two rows high, or one

    def _button(self, action_id: str) -> QToolButton:
        """A button for one action of the table: its icon, tooltip, key and state are the
        action's."""
        button = QToolButton()
        button.setDefaultAction(self.player.window_actions[action_id])
        button.setAutoRaise(True)
        return button

    def _handlers(self) -> dict[str, Callable[[], object]]:
        p = self.player
        second, minute = 1000, 60_000
        return {
            "play.toggle": p.toggle_play,
            "play.stop": lambda: p.shuttle(0),
            "play.faster": lambda: p.shuttle(+1),
            "play.slower": lambda: p.shuttle(-1),
            "play.frame_forward": lambda: p.step(+1),
            "play.frame_back": lambda: p.step(-1),
            "play.second_forward": lambda: p.jump(second),
            "play.second_back": lambda: p.jump(-second),
            "play.five_forward": lambda: p.jump(5 * second),
            "play.five_back": lambda: p.jump(-5 * second),
            "play.minute_forward": lambda: p.jump(minute),
            "play.minute_back": lambda: p.jump(-minute),
            "play.goto": lambda: self.goto.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "play.loop": self._toggle_loop,
            "play.mute": self._toggle_mute,
            "play.audio_track": p.next_audio_track,
            "play.full_screen": self.toggle_full_screen,
            "play.back_to_player": p.back_to_player,
            "marks.in": p.mark_in,
            "marks.out": p.mark_out,
            "marks.clear": p.clear_marks,
        }

    # -- reactions -----------------------------------------------------------------------------
    def set_duration(self, duration_ms: int) -> None:
        self.seek_bar.setRange(0, max(0, duration_ms - 1))

    def set_audio_tracks(self, current: int | None) -> None:
        """List the film's audio tracks as the Audio track menu names them, ``current`` (a
        stream index; None: the first) shown; only a film with a choice shows the box."""
        from desk.ui.player_audio import track_names

        tracks = self.player.audio_menu.tracks
        self.tracks.blockSignals(True)
        self.tracks.clear()
        for track, name in zip(tracks, track_names(tracks), strict=True):
            self.tracks.addItem(name, track.index)
        self.tracks.setCurrentIndex(max(0, self.tracks.findData(current)))
        self.tracks.setVisible(self.tracks.count() > 1)
        self.tracks.blockSignals(False)

    def show_rate(self, rate: float) -> None:
        self.rate_label.setText(f"{rate:g}×")

    def refresh_time(self) -> None:
        """Show the time again (the rate it is counted at has changed)."""
        self._on_position(self.player.transport.position_ms)

    def _on_position(self, film_ms: int) -> None:
        rate = self.player.rate
        smpte = format_ms(film_ms, "smpte", rate, drop=rate.drop_frame_capable)
        full = f"{fmt_ms(film_ms)}  [{smpte}]"
        self.time_label.setText(fmt_ms(film_ms) if self.wrapped else full)
        self.time_label.setToolTip(f"Time of the frame on screen: {full} (SMPTE in brackets)")
        if not self.seek_bar.isSliderDown():
            self.seek_bar.blockSignals(True)
            self.seek_bar.setValue(film_ms)
            self.seek_bar.blockSignals(False)

    def _on_playing(self, playing: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.player.window_actions["play.toggle"].setIcon(self.style().standardIcon(icon))
        if not playing:
            self.show_rate(1.0)

    def _on_marks(self, in_ms: int, out_ms: int) -> None:
        parts = []
        if in_ms >= 0:
            parts.append(f"I {fmt_ms(in_ms)}")
        if out_ms >= 0:
            parts.append(f"O {fmt_ms(out_ms)}")
        self.marks_label.setText("  ".join(parts))
        self.seek_bar.set_marks(None if in_ms < 0 else in_ms, None if out_ms < 0 else out_ms)
        self._wrap(self.width() < self._one_row_width())  # the marks' text takes room

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
        self.player.loop = self.player.window_actions["play.loop"].isChecked()

    def _toggle_mute(self) -> None:
        if self.player.backend is not None:
            self.player.backend.set_muted(self.player.window_actions["play.mute"].isChecked())

    def _set_volume(self, value: int) -> None:
        if self.player.backend is not None:
            self.player.backend.set_volume(value)

    def _set_track(self, index: int) -> None:
        if index >= 0:
            self.player.choose_audio_track(int(self.tracks.itemData(index)))

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
