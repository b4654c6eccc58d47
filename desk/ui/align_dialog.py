"""Align another copy of the film: mark the same moments in the project's film and in the copy.

Two exact-frame viewers side by side, the project's film on the left and the other copy on the
right, each with a scrub bar, frame steps (← →), one-second jumps (Shift+← →) and a time field.
"Add matching moment" (M) records the pair ``(film_ms, copy_ms)`` of the two frames on screen; the
table lists the pairs and the mapping they give. "Apply" points the project at the copy with that
mapping (:func:`desk.workspace.relink`, one undoable edit through the session); Cancel writes
nothing. Frames are decoded off the GUI thread by one :class:`~desk.media.frames.FrameServer` per
viewer; "Add" waits until both viewers show the exact frame asked for.

The mapping is the simplest one that puts every marked moment within a frame of where it was
marked (the *tolerance*: the longer frame of the two files, plus a millisecond of rounding):

1. an offset (the copy runs at the film's speed);
2. an offset and a known speed change: the ratio of the two frame rates, PAL's 25/23.976 and
   25/24 either way, NTSC's 24/23.976 either way;
3. an offset and the speed measured between two marked moments (the farthest apart that agree);
4. otherwise piecewise through every marked moment (another cut, with scenes added or removed).

Two close moments therefore never give a spurious speed from frame rounding, and extra moments on
a straight copy confirm its line instead of bending it. Each straight mapping is placed so that
every matched film frame starts at or just after the start of its copy frame, so a link made on a
film frame lands on the copy frame the user matched. The "Off by" column gives, for each pair, how
many copy frames away the straight line most pairs agree on puts it: a wrong pair stands out, and
in another cut the pairs past an added or removed scene stand out together.

Edge cases:

- The same moment twice: a new pair replaces any pair with the same film moment or the same copy
  moment (the later marking wins; the notes say what was replaced). An identical pair is ignored.
- Pairs that cross (one comes first in the film, the other first in the copy) are kept and both
  rows are shown in red; no mapping runs backwards, so Apply is disabled until one is removed.
- A copy that starts later or ends sooner than the film it maps to (a shorter cut, missing
  credits) is allowed; the notes say from which film time links fall outside the copy, where they
  show its first or last frame.
- A segment that would run the copy at under half or over twice the film's speed is allowed but
  pointed out: two moments marked too close together, or a wrong one.
- No pair at all: Apply keeps the copy's own time (the same cut at the same speed).
- Choosing another copy clears the pairs, which belonged to the previous one. A file that is not
  a film gets a message and changes nothing.
- When the project's film is itself a copy with a mapping, the left viewer shows and records
  film time through that mapping.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desk.core.timecode import FrameRate, TimecodeError, parse_timecode
from desk.core.timemap import TimeMap
from desk.errors import KnownError
from desk.store import queries
from desk.store.commands import Changes
from desk.store.project import Project
from desk.ui.background import run_with_progress
from desk.ui.player_controls import SeekBar
from desk.ui.player_view import Picture
from desk.ui.session import Session
from desk.ui.timefmt import fmt_ms

if TYPE_CHECKING:
    from desk.media.probe import FilmInfo

Pair = tuple[int, int]
#: Frames are decoded no wider than this for the viewers (each takes half the dialog).
VIEW_WIDTH = 960
CACHE_BYTES = 128 * 2**20
NAMED_RATES = {
    Fraction(1001, 960): "25/23.976 (PAL speed-up)",
    Fraction(25, 24): "25/24 (PAL speed-up)",
    Fraction(960, 1001): "23.976/25 (PAL slow-down)",
    Fraction(24, 25): "24/25 (PAL slow-down)",
    Fraction(1001, 1000): "24/23.976 (NTSC speed-up)",
    Fraction(1000, 1001): "23.976/24 (NTSC slow-down)",
}
PLAUSIBLE_RATES = (Fraction(1, 2), Fraction(2))


# -- the mapping the pairs give (no Qt) -----------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """A straight mapping: ``copy_ms = offset_ms + film_ms / rate``."""

    rate: Fraction
    offset_ms: Fraction

    def copy_at(self, film_ms: int) -> Fraction:
        return self.offset_ms + Fraction(film_ms) / self.rate


@dataclass(frozen=True)
class Alignment:
    """What a set of pairs gives: the map to store and how each pair fits the straight line.

    ``pairs`` are sorted by film time. ``line`` is the straight mapping most pairs agree on and
    ``off_ms[k]`` where it puts pair ``k`` minus where that pair was marked; ``outliers`` are the
    pairs it misses by more than ``tolerance_ms``. ``anchors`` go to :func:`desk.workspace.relink`
    and give ``time_map``; both are None when pairs ``crossing`` run backwards.
    """

    pairs: tuple[Pair, ...]
    tolerance_ms: Fraction
    line: Line | None
    off_ms: tuple[Fraction, ...]
    outliers: frozenset[int]
    crossing: tuple[int, int] | None
    anchors: tuple[Pair, ...] | None
    time_map: TimeMap | None


def with_pair(pairs: Sequence[Pair], pair: Pair) -> tuple[list[Pair], list[Pair]]:
    """``pairs`` with ``pair`` added, sorted; and the pairs it replaced (same film or copy time)."""
    kept = [p for p in pairs if p[0] != pair[0] and p[1] != pair[1]]
    replaced = [p for p in pairs if p not in kept and p != pair]
    return sorted([*kept, pair]), replaced


def candidate_rates(film_fps: Fraction, copy_fps: Fraction) -> list[Fraction]:
    """Known speed changes, simplest first: none, the ratio of the frame rates, PAL, NTSC."""
    rates = [Fraction(1), Fraction(copy_fps) / Fraction(film_fps), *NAMED_RATES]
    low, high = PLAUSIBLE_RATES
    return [r for i, r in enumerate(rates) if low <= r <= high and r not in rates[:i]]


def _consensus(
    pairs: Sequence[Pair], tolerance: Fraction, rates: list[Fraction]
) -> tuple[Line, frozenset[int]] | None:
    """The straight line that the most pairs lie within ``tolerance`` of; earlier rates win ties,
    then measured rates between pairs far apart."""
    measured = sorted(
        ((pairs[j][0] - pairs[i][0], Fraction(pairs[j][0] - pairs[i][0], pairs[j][1] - pairs[i][1]))
         for i in range(len(pairs)) for j in range(i + 1, len(pairs))
         if pairs[j][0] > pairs[i][0] and pairs[j][1] > pairs[i][1]),
        reverse=True,
    )  # fmt: skip
    low, high = PLAUSIBLE_RATES
    candidates = [*rates, *(r for _span, r in measured if low <= r <= high and r not in rates)]
    best: tuple[int, Fraction, list[int]] | None = None
    width = float(tolerance)
    for rate in candidates:
        values = sorted((c - f / float(rate), k) for k, (f, c) in enumerate(pairs))
        lo = 0
        for hi in range(len(values)):
            while values[hi][0] - values[lo][0] > width:
                lo += 1
            if best is None or hi - lo + 1 > best[0]:
                best = (hi - lo + 1, rate, [k for _v, k in values[lo : hi + 1]])
    if best is None:
        return None
    _count, rate, members = best
    # The latest offset of the group: each matched film frame starts at or after its copy frame.
    offset = max(Fraction(pairs[k][1]) - Fraction(pairs[k][0]) / rate for k in members)
    return Line(rate, offset), frozenset(members)


def _line_anchors(line: Line, pairs: Sequence[Pair]) -> tuple[Pair, ...]:
    """Whole-millisecond moments on ``line`` (at or just after it) that give exactly its rate."""
    first, last = pairs[0][0], pairs[-1][0]
    start = math.ceil(line.copy_at(first))
    if line.rate == 1:
        return ((first, start),)
    film_step, copy_step = line.rate.numerator, line.rate.denominator
    times = max(1, math.ceil(Fraction(last - first, film_step)))
    return (first, start), (first + film_step * times, start + copy_step * times)


def align(pairs: Sequence[Pair], film_fps: Fraction, copy_fps: Fraction) -> Alignment:
    """The mapping ``pairs`` give (see the module docstring for the rules)."""
    ordered = tuple(sorted(pairs))
    tolerance = Fraction(1000) / min(Fraction(film_fps), Fraction(copy_fps)) + 1
    found = _consensus(ordered, tolerance, candidate_rates(film_fps, copy_fps))
    line, members = found if found is not None else (None, frozenset[int]())
    off = tuple(line.copy_at(f) - c for f, c in ordered) if line is not None else ()
    outliers = frozenset(range(len(ordered))) - members if line is not None else frozenset()
    crossing = next(
        ((k, k + 1) for k in range(len(ordered) - 1)
         if ordered[k + 1][0] <= ordered[k][0] or ordered[k + 1][1] <= ordered[k][1]),
        None,
    )  # fmt: skip
    anchors: tuple[Pair, ...] | None
    if crossing is not None:
        anchors = None
    elif not ordered:
        anchors = ()
    elif line is not None and not outliers:
        anchors = _line_anchors(line, ordered)
    else:
        anchors = ordered
    time_map = TimeMap.from_anchors(anchors) if anchors is not None else None
    return Alignment(ordered, tolerance, line, off, outliers, crossing, anchors, time_map)


def seconds(ms: float | Fraction) -> str:
    """``+2.350 s``, ``−0.040 s``."""
    return f"{'−' if ms < 0 else '+'}{abs(float(ms)) / 1000:.3f} s"


def rate_words(rate: Fraction) -> str:
    if rate in NAMED_RATES:
        return NAMED_RATES[rate]
    faster = "faster" if rate > 1 else "slower"
    return f"{float(rate):.5f} (the copy runs {abs(float(rate) - 1) * 100:.2f} % {faster})"


def line_words(line: Line) -> str:
    offset = seconds(line.offset_ms)
    return (
        f"offset {offset}"
        if line.rate == 1
        else f"offset {offset} and rate {rate_words(line.rate)}"
    )


def describe(alignment: Alignment) -> str:
    """The mapping in words: "offset +2.350 s", "offset … and rate …", "piecewise, 3 segments"."""
    if alignment.crossing is not None:
        a, b = (k + 1 for k in alignment.crossing)
        return f"No mapping: pairs #{a} and #{b} cross. Remove the wrong one."
    time_map = alignment.time_map
    if time_map is None or not alignment.pairs:
        return "No matching moments yet: the copy's own time is kept (same cut, same speed)."
    if len(time_map.points) > 2:
        return f"piecewise, {len(time_map.points) - 1} segments"
    (f0, c0), (f1, c1) = time_map.points
    return line_words(Line((f1 - f0) / (c1 - c0), c0 - f0 * (c1 - c0) / (f1 - f0)))


def notes(alignment: Alignment, film_end_ms: int, copy_end_ms: int) -> list[str]:
    """Things worth checking: pairs off the line, odd speeds, film time outside the copy."""
    out: list[str] = []
    pairs, line, time_map = alignment.pairs, alignment.line, alignment.time_map
    if len(pairs) == 1:
        out.append("One moment gives an offset; mark another far from it to check the speed.")
    if line is not None and alignment.outliers and len(pairs) > 2:
        agree = len(pairs) - len(alignment.outliers)
        out.append(
            f"{agree} of {len(pairs)} moments agree on {line_words(line)}; the others are off "
            "that line (red): a wrong pair, or a scene added or removed before them."
        )
    if time_map is None or not pairs:
        return out
    points = time_map.points
    low, high = PLAUSIBLE_RATES
    if len(points) == 2 and not low <= time_map.rate <= high:
        out.append(f"The copy would run at {float(time_map.rate):.2f}× the film's speed: "
                   "check the pairs.")  # fmt: skip
    for k, ((f0, c0), (f1, c1)) in enumerate(zip(points, points[1:], strict=False)):
        rate = (f1 - f0) / (c1 - c0)
        if not low <= rate <= high and len(points) > 2:
            out.append(f"Between #{k + 1} and #{k + 2} the copy would run at {float(rate):.2f}× "
                       "the film's speed: a wrong pair, or a scene added or removed there (then "
                       "mark the moments just before and after it).")  # fmt: skip
    slack = alignment.tolerance_ms
    if time_map.to_copy(0) < -slack:
        first = fmt_ms(time_map.to_film(0))
        out.append(f"The copy starts after the film: links before {first} show its first frame.")
    if time_map.to_copy(film_end_ms) > copy_end_ms + slack:
        last = fmt_ms(time_map.to_film(copy_end_ms))
        out.append(f"The copy ends before the film: links after {last} show its last frame.")
    return out


def relink_edit(project: Project, film: Path, pairs: list[Pair]) -> tuple[int, Changes]:
    """:func:`desk.workspace.relink` as a session edit: the media row's id and what changed."""
    from desk.workspace import relink

    before = project.rows("SELECT * FROM media ORDER BY id")
    media_id = relink(project, film, pairs)
    changes = Changes(label=project.undo_labels()[0] or "")
    if project.rows("SELECT * FROM media ORDER BY id") != before:
        changes.add("media", media_id)
    return media_id, changes


# -- one file, frame by frame ---------------------------------------------------------------------
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


# -- the dialog -----------------------------------------------------------------------------------
class AlignDialog(QDialog):
    """Pick the other copy, mark matching moments, apply (see the module docstring)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Align another copy of the film")
        self.resize(1180, 820)
        self.session = session
        self.pairs: list[Pair] = []
        self.copy: FilmInfo | None = None
        self.media_id: int | None = None
        self.film_fps = Fraction(24)
        self.film_end_ms = 0
        self._alignment = align([], self.film_fps, self.film_fps)
        self._message = ""
        self.left = FrameViewer("The project's film")
        self.right = FrameViewer("The other copy")
        self.right.picture.show_text("Choose the other copy of the film (Ctrl+O)")
        self.choose_button = QPushButton("Choose the other copy…")
        self.choose_button.setToolTip("Ctrl+O")
        self.choose_button.clicked.connect(self.choose_copy)
        self.add_button = QPushButton("Add &matching moment")
        self.add_button.setToolTip("Record the two frames shown as the same moment (M)")
        self.add_button.clicked.connect(self.add_pair)
        self.remove_button = QPushButton("&Remove pair")
        self.remove_button.setToolTip("Remove the selected pair (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["#", "Film", "Copy", "Off by"])
        self.table.horizontalHeaderItem(3).setToolTip(  # type: ignore[union-attr]
            "How many frames of the copy away the straight mapping most pairs agree on puts this "
            "pair (+ later, − earlier). A wrong pair stands out."
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, 40)
        self.table.setMinimumHeight(150)
        self.table.currentCellChanged.connect(lambda row, *_: self.go_to_pair(row))
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.notes = QLabel("")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply_button is not None
        self.apply_button = apply_button
        self.apply_button.setToolTip("Play the project on this copy, through this mapping")
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self._lay_out(buttons)
        for keys, slot, widget in (
            ("M", self.add_pair, self),
            ("Ctrl+O", self.choose_copy, self),
            ("Delete", self.remove_selected, self.table),
        ):
            shortcut = QShortcut(QKeySequence(keys), widget)
            if widget is self.table:
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.left.moved.connect(self._update_buttons)
        self.right.moved.connect(self._update_buttons)
        self._refresh()

    def _lay_out(self, buttons: QDialogButtonBox) -> None:
        self.right.heading_row.addWidget(self.choose_button)
        for viewer in (self.left, self.right):  # both headings as tall as the button beside one
            viewer.heading.setMinimumHeight(self.choose_button.sizeHint().height())
        viewers = QHBoxLayout()
        viewers.addWidget(self.left, 1)
        viewers.addWidget(self.right, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        words = QVBoxLayout()
        words.addWidget(self.summary)
        words.addWidget(self.notes, 1)
        lower = QHBoxLayout()
        lower.addWidget(self.table, 3)
        lower.addLayout(words, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(viewers, 1)
        layout.addLayout(actions)
        layout.addLayout(lower)
        layout.addWidget(buttons)
        order = [self.left, self.left.time_field, self.choose_button, self.right,
                 self.right.time_field, self.add_button, self.remove_button, self.table,
                 self.apply_button]  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

    # -- the two films -------------------------------------------------------------------------
    def open_film(self, film: Path) -> None:
        """Show the project's film (the file the workspace plays); raises KnownError."""
        media = queries.reference_media(self.session.project)
        if media is None:
            raise KnownError("This project has no film yet: make a project from a film first.")
        film_map = TimeMap.from_json(json.loads(str(media["time_map"])))
        self.film_fps = Fraction(int(media["fps_num"]), int(media["fps_den"]))
        self.left.open(film, self.film_fps, int(media["duration_ms"]), outer=film_map)
        self.film_end_ms = film_map.to_film(int(media["duration_ms"]))
        self.left.setFocus()

    def choose_copy(self) -> bool:
        """Ask for the other copy's file; false if the user chose none."""
        folder = str(self.copy.path.parent) if self.copy is not None else ""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the other copy of the film", folder, "Films (*)"
        )
        if not path:
            return False
        self.load_copy(Path(path))
        return True

    def load_copy(self, path: Path) -> bool:
        """Read ``path`` and show it on the right; a file that is not a film changes nothing."""
        from desk.media.probe import probe

        result = run_with_progress(
            self, "Reading the copy…", lambda _progress, _cancel: probe(path), delay_ms=500
        )
        try:
            if isinstance(result, BaseException):
                raise result
            info = cast("FilmInfo", result)
            self.right.open(path, info.fps, info.duration_ms)
        except KnownError as exc:
            QMessageBox.warning(self, "desk — not a copy of the film", str(exc))
            return False
        dropped = len(self.pairs)
        self.copy, self.pairs = info, []
        warnings = list(info.warnings)
        self._message = " ".join(
            warnings
            + ([f"The {dropped} pairs of the previous copy were cleared."] if dropped else [])
        )
        self._refresh()
        self.right.setFocus()
        return True

    # -- pairs ---------------------------------------------------------------------------------
    def add_pair(self) -> None:
        """Record the two exact frames on screen as one moment."""
        film_ms, copy_ms = self.left.shown_ms, self.right.shown_ms
        if film_ms is None or copy_ms is None or self.copy is None:
            return
        pair = (film_ms, copy_ms)
        if pair in self.pairs:
            self._message = "That pair is already in the list."
        else:
            self.pairs, replaced = with_pair(self.pairs, pair)
            self._message = "".join(
                f"Replaced the pair film {fmt_ms(f)} = copy {fmt_ms(c)}. " for f, c in replaced
            )
        self._refresh(select=pair)

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.pairs):
            del self.pairs[row]
            self._message = ""
            self._refresh(select=self.pairs[min(row, len(self.pairs) - 1)] if self.pairs else None)

    def go_to_pair(self, row: int) -> None:
        """Show both frames of a pair."""
        if 0 <= row < len(self.pairs):
            film_ms, copy_ms = self.pairs[row]
            self.left.seek(film_ms)
            self.right.seek_file(copy_ms)

    def alignment(self) -> Alignment:
        copy_fps = self.copy.fps if self.copy is not None else self.film_fps
        return align(self.pairs, self.film_fps, copy_fps)

    # -- applying ------------------------------------------------------------------------------
    def apply(self) -> None:
        """Store the copy and its mapping as one undoable edit, then close."""
        anchors = self._alignment.anchors
        if self.copy is None or anchors is None:
            return
        try:
            self.media_id = self.session.edit(
                relink_edit, Path(self.copy.path), list(anchors), initiator=self
            )
        except KnownError as exc:
            QMessageBox.warning(self, "desk", str(exc))
            return
        self.accept()

    def done(self, result: int) -> None:
        self.left.close_media()
        self.right.close_media()
        super().done(result)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Return goes to the time fields and the table, and a focused button; it never applies."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- showing -------------------------------------------------------------------------------
    def _refresh(self, select: Pair | None = None) -> None:
        alignment = self._alignment = self.alignment()
        copy_frame_ms = 1000 / float(self.copy.fps) if self.copy is not None else 40.0
        crossing = set(alignment.crossing or ())
        self.table.blockSignals(True)
        self.table.setRowCount(len(alignment.pairs))
        for row, (film_ms, copy_ms) in enumerate(alignment.pairs):
            off = self._off_text(alignment, row, copy_frame_ms)
            bad = row in alignment.outliers or row in crossing
            for column, text in enumerate((str(row + 1), fmt_ms(film_ms), fmt_ms(copy_ms), off)):
                item = QTableWidgetItem(text)
                if bad:
                    item.setForeground(QColor("#c0392b"))
                if alignment.line is not None:
                    placed = fmt_ms(round(alignment.line.copy_at(film_ms)))
                    item.setToolTip(f"The straight mapping puts film {fmt_ms(film_ms)} at "
                                    f"{placed} in the copy.")  # fmt: skip
                self.table.setItem(row, column, item)
        if select is not None and select in alignment.pairs:
            self.table.setCurrentCell(alignment.pairs.index(select), 0)
        self.table.blockSignals(False)
        if self.copy is None:
            self.summary.setText("Choose the other copy of the film.")
        elif alignment.time_map is None or not alignment.pairs:
            self.summary.setText(describe(alignment))
        else:
            self.summary.setText(f"Mapping: {describe(alignment)}")
        lines = [self._message] if self._message else []
        if self.copy is not None:
            lines += notes(alignment, self.film_end_ms, int(self.copy.duration_ms))
        if not self.pairs:
            lines.append(
                "Show the same moment on both sides, then Add matching moment (M). Click a side: "
                "←/→ step one frame, Shift+←/→ one second, Ctrl+←/→ five seconds, or type a time."
            )
        self.notes.setText("\n".join(lines))
        self._update_buttons()

    @staticmethod
    def _off_text(alignment: Alignment, row: int, copy_frame_ms: float) -> str:
        if alignment.line is None:
            return ""
        frames = round(float(alignment.off_ms[row]) / copy_frame_ms)
        if frames == 0:
            return "0"
        unit = "frame" if abs(frames) == 1 else "frames"
        return f"{'+' if frames > 0 else '−'}{abs(frames)} {unit}"

    def _update_buttons(self) -> None:
        both = self.left.shown_ms is not None and self.right.shown_ms is not None
        self.add_button.setEnabled(self.copy is not None and both)
        self.remove_button.setEnabled(bool(self.pairs))
        self.apply_button.setEnabled(self.copy is not None and self._alignment.anchors is not None)


def open_align_dialog(parent: QWidget, session: Session, film: Path | None) -> int | None:
    """Align another copy of the film with the project's; returns the media row's id after Apply,
    None if nothing changed.

    ``film`` is the project's film as the workspace plays it (the user confirmed it), or None when
    no film is open: the copy is aligned by comparing it with that film, frame by frame.
    """
    if film is None:
        QMessageBox.information(
            parent, "desk", "Open the project's film first: a copy is aligned by comparing the "
            "two, frame by frame.",
        )  # fmt: skip
        return None
    dialog = AlignDialog(session, parent)
    try:
        dialog.open_film(film)
    except KnownError as exc:
        dialog.reject()
        dialog.deleteLater()
        QMessageBox.warning(parent, "desk", str(exc))
        return None
    if dialog.choose_copy():
        dialog.exec()
    else:
        dialog.reject()
    media_id = dialog.media_id
    dialog.deleteLater()
    return media_id
