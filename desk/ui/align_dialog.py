"""Align another copy of the film: mark the same moments in the project's film and in the copy.

Two exact-frame viewers side by side, the project's film on the left and the other copy on the
right, each with a scrub bar, frame steps (← →), one-second jumps (Shift+← →) and a time field.
"Add matching moment" (M) records the pair ``(film_ms, copy_ms)`` of the two frames on screen; the
table lists the pairs and the mapping they give. "Apply" points the project at the copy with that
mapping (:func:`desk.film_tasks.relink`, one undoable edit through the session); Cancel writes
nothing. Frames are decoded off the GUI thread by one :class:`~desk.media.frames.FrameServer` per
viewer; "Add" waits until both viewers show the exact frame asked for.

The mapping is the simplest one the pairs allow: an offset, a known PAL or NTSC speed change, a
measured speed, or piecewise (:mod:`desk.core.alignment` gives the rules;
:mod:`desk.core.align_words` the words). The "Off by" column gives, for each pair, how many copy
frames away the straight line most pairs agree on puts it: a wrong pair stands out, and in another
cut the pairs past an added or removed scene stand out together.

Edge cases:

- The same moment twice: a new pair replaces any pair with the same film moment or the same copy
  moment (the later marking wins; the notes say what was replaced). An identical pair is ignored.
- Pairs that cross (one comes first in the film, the other first in the copy) are kept and both
  rows are shown in red; no mapping runs backwards, so Apply is disabled until one is removed.
- A copy that starts later or ends sooner than the film it maps to (a shorter cut, missing
  credits) is allowed as long as no link, beat or clip of the project falls outside it; the notes
  say from which film time that would happen, and Apply refuses such a mapping, naming the
  moments (:mod:`desk.relink_check`).
- A copy whose length, frame rate or picture size is not what the mapping expects (another film,
  or a speed change no pair shows) is applied only once the user has said yes to what differs.
- A segment that would run the copy at under half or over twice the film's speed is allowed but
  pointed out: two moments marked too close together, or a wrong one.
- No pair at all: Apply keeps the copy's own time (the same cut at the same speed).
- Choosing another copy clears the pairs, which belonged to the previous one. A file that is not
  a film gets a message and changes nothing.
- When the project's film is itself a copy with a mapping, the left viewer shows and records
  film time through that mapping.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.align_words import describe, notes
from desk.core.alignment import Alignment, Pair, align, with_pair
from desk.core.timefmt import fmt_ms
from desk.errors import KnownError
from desk.store import queries
from desk.store.changes import Changed, Changes
from desk.store.project import Project
from desk.ui import messages
from desk.ui.background import run_task, warn_known
from desk.ui.frame_viewer import FrameViewer
from desk.ui.session import Session

if TYPE_CHECKING:
    from desk.media.probe import FilmInfo


def relink_edit(
    project: Project, film: Path, pairs: list[Pair], *, force: bool = False
) -> tuple[int, Changes]:
    """:func:`desk.film_tasks.relink` as a session edit: the media row's id and what changed."""
    from desk.film_tasks import relink

    before = queries.all_media(project)
    media_id = relink(project, film, pairs, force=force)
    changes = Changes(label=project.undo_labels()[0] or "")
    if queries.all_media(project) != before:
        changes.add(Changed.FILM, media_id)
    return media_id, changes


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
        film_map = media.film_map
        self.film_fps = Fraction(media.fps_num, media.fps_den)
        self.left.open(film, self.film_fps, media.duration_ms, outer=film_map)
        self.film_end_ms = film_map.to_film(media.duration_ms)
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

        read: list[FilmInfo] = []
        not_a_copy = warn_known(self, title="desk — not a copy of the film")
        run_task(
            self, "Reading the copy…", lambda _progress, _cancel: probe(path), read.append,
            not_a_copy, delay_ms=500,
        )  # fmt: skip
        if not read:
            return False
        info = read[0]
        try:
            self.right.open(path, info.fps, info.duration_ms)
        except KnownError as exc:
            not_a_copy(exc)
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
        from desk.relink_check import CopyDiffers

        copy = Path(self.copy.path)
        try:
            try:
                self.media_id = self.session.edit(relink_edit, copy, list(anchors), initiator=self)
            except CopyDiffers as exc:  # nothing written yet: ask, then relink as told
                if not messages.question(self, "desk — another film?", f"{exc}\n\nUse it anyway?"):
                    return
                self.media_id = self.session.edit(
                    relink_edit, copy, list(anchors), force=True, initiator=self
                )
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
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
        messages.information(
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
        messages.warning(parent, "desk", str(exc))
        return None
    if dialog.choose_copy():
        dialog.exec()
    else:
        dialog.reject()
    media_id = dialog.media_id
    dialog.deleteLater()
    return media_id
