"""The beat lanes of the timeline: which lanes there are, what is selected, and every beat edit.

:class:`BeatLanes` turns the project's beats into one :class:`BeatLaneItem` per lane, keeps the
selection by beat id across reloads, knows whose beats are added, and applies what the lanes ask
for (retime, resize, edit in place, a beat's menu) through :meth:`Session.edit`, with the timeline
as initiator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu

from desk.core.timefmt import fmt_ms
from desk.errors import KnownError
from desk.store import edits
from desk.ui import messages
from desk.ui.timeline import model
from desk.ui.timeline.editor import BeatEditor, BeatValues
from desk.ui.timeline.lanes import BeatLaneItem
from desk.ui.timeline.strips import rgba

if TYPE_CHECKING:
    from desk.ui.timeline.plots import TimelinePlots
    from desk.ui.timeline.widget import TimelineWidget

_NO_LANE = object()


class BeatLanes(QObject):
    """The lanes of beats of one timeline and the edits made on them."""

    #: (beat id, or -1 when none)
    selection_changed = Signal(int)
    #: the beats changed: the arcs need drawing again.
    arcs_changed = Signal()
    #: (character id, or -1 for nobody) whose beats B adds now, or the characters changed.
    character_changed = Signal(int)

    def __init__(self, timeline: TimelineWidget, plots: TimelinePlots, film: model.Film) -> None:
        super().__init__(timeline)
        self.timeline, self.plots, self.film = timeline, plots, film
        self.project = timeline.session.project
        self.data = model.Beats.empty()  # read by reload(), once the lanes' plot is ready
        self.lanes: list[model.Lane] = []
        self.items: list[BeatLaneItem] = []
        self.characters: list[model.Character] = []
        self.emotions: dict[int, tuple[str, str]] = {}
        self.selected_id: int | None = None
        self.active_key: object = _NO_LANE
        self.editor: BeatEditor | None = None

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        self.data = model.load_beats(self.project)
        self.characters = model.load_characters(self.project)
        self.emotions = model.load_emotions(self.project)
        lanes = model.lanes_of(self.data, self.characters)
        if [lane.character_id for lane in lanes] != [lane.character_id for lane in self.lanes]:
            self._rebuild_items(lanes)
        self.lanes = lanes
        colors, labels = self._beat_colors(), self.data.labels
        for lane, item in zip(lanes, self.items, strict=True):
            rows = lane.rows
            item.set_beats(
                rows,
                self.data.starts[rows],
                self.data.ends[rows],
                colors[rows],
                [labels[r] for r in rows.tolist()],  # plain ints index a list three times faster
            )
        self.plots.set_lane_names([lane.name for lane in lanes])
        character = self.active_character()
        self.character_changed.emit(-1 if character is None else character)
        if self.selected_id is not None and self.data.row_of(self.selected_id) is None:
            self.select_id(None)
        self._show_selection()
        self.arcs_changed.emit()

    def relayout(self) -> None:
        """Put each lane in its row again (the rows above the beats changed)."""
        for number, item in enumerate(self.items):
            item.set_top(self.plots.beat_row_top(number))

    def _rebuild_items(self, lanes: list[model.Lane]) -> None:
        for item in self.items:
            self.plots.lanes.removeItem(item)
        self.items = []
        for number, lane in enumerate(lanes):
            item = BeatLaneItem(lane.character_id, self.plots.beat_row_top(number), 1.0, self.film)
            item.retimed.connect(self._retimed)
            item.clicked.connect(self.select_row)
            item.activated.connect(self.edit)
            item.clicked_empty.connect(self._clicked_empty)
            item.lane_clicked.connect(self.choose_character)
            item.menu_requested.connect(self._menu)
            self.plots.lanes.addItem(item)
            self.items.append(item)

    def _beat_colors(self) -> np.ndarray:
        """Each beat's fill: its emotion's colour, grey for none (rows of :attr:`data`)."""
        ids = np.array(sorted(self.emotions), dtype=np.int64)
        palette = rgba([self.emotions[int(i)][1] for i in ids] + [model.NO_EMOTION_COLOR])
        size = int(max(ids.max(initial=0), self.data.emotion_ids.max(initial=0))) + 2
        lookup = np.full(size, len(ids), dtype=np.int64)
        lookup[ids] = np.arange(len(ids))
        emotion = self.data.emotion_ids
        return palette[lookup[np.where(emotion >= 0, emotion, size - 1)]]

    def set_film(self, film: model.Film) -> None:
        self.film = film
        for item in self.items:
            item.set_film(film)

    # -- selection and lanes -----------------------------------------------------------------
    def select_row(self, row: int) -> None:
        self.select_id(int(self.data.ids[row]) if row >= 0 else None)

    def select_id(self, beat_id: int | None) -> None:
        if beat_id == self.selected_id:
            return
        self.selected_id = beat_id
        self._show_selection()
        self.selection_changed.emit(-1 if beat_id is None else beat_id)

    def _show_selection(self) -> None:
        row = self.data.row_of(self.selected_id) if self.selected_id is not None else None
        for item in self.items:
            item.select(row)

    def choose_character(self, key: object) -> None:
        """Make new beats ``key``'s (a character id; None: nobody's)."""
        self.active_key = key
        character = self.active_character()
        self.character_changed.emit(-1 if character is None else character)

    def _clicked_empty(self, film_ms: float) -> None:
        self.select_id(None)
        self.timeline.transport.seek(self.film.snap_ms(max(0.0, film_ms)))

    def active_character(self) -> int | None:
        """The character chosen for new beats (in the toolbar or by a click in a lane), else
        the first character; one deleted since counts as not chosen."""
        ids = [c.id for c in self.characters]
        if self.active_key is _NO_LANE or (
            isinstance(self.active_key, int) and self.active_key not in ids
        ):
            return ids[0] if ids else None
        return self.active_key if isinstance(self.active_key, int) else None

    # -- edits -------------------------------------------------------------------------------
    def _retimed(self, row: int, start_ms: int, end_ms: int) -> None:
        beat_id = int(self.data.ids[row])
        self.timeline.session.edit(
            edits.update_beat, beat_id, start_ms=start_ms, end_ms=end_ms, initiator=self.timeline
        )

    def values(self, row: int) -> BeatValues:
        d = self.data
        emotion = int(d.emotion_ids[row])
        return BeatValues(
            d.labels[row],
            d.descriptions[row],
            None if emotion < 0 else emotion,
            float(d.valence[row]),
            float(d.intensity[row]),
            tuple(d.characters_of(row)),
            int(d.starts[row]),
            int(d.ends[row]),
        )

    def edit(self, row: int) -> BeatEditor:
        """Open the in-place editor on a beat (not modal); OK applies it as one edit."""
        self.select_row(row)
        if self.editor is not None:
            self.editor.close()
        beat_id = int(self.data.ids[row])
        editor = BeatEditor(
            beat_id, self.values(row), self.emotions, self.characters, self.timeline
        )
        editor.accepted.connect(lambda: self._apply(editor))
        editor.finished.connect(editor.deleteLater)
        self.editor = editor
        editor.open()
        return editor

    def _menu(self, row: int, at: QPoint) -> None:
        self.beat_menu(row).popup(at)

    def beat_menu(self, row: int) -> QMenu:
        """The menu of one beat: edit it, delete it."""
        beat_id = int(self.data.ids[row])
        menu = QMenu(self.timeline)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Edit beat…").triggered.connect(lambda: self._edit_id(beat_id))
        menu.addAction("Delete beat").triggered.connect(lambda: self.delete_id(beat_id))
        return menu

    def _edit_id(self, beat_id: int) -> None:
        row = self.data.row_of(beat_id)
        if row is not None:
            self.edit(row)

    def delete_id(self, beat_id: int) -> None:
        """Delete a beat (one undoable edit)."""
        if self.selected_id == beat_id:
            self.select_id(None)
        self.timeline.session.edit(edits.delete_beat, beat_id, initiator=self.timeline)

    def _apply(self, editor: BeatEditor) -> None:
        changes = editor.changes()
        if changes and self.data.row_of(editor.beat_id) is not None:
            try:
                self.timeline.session.edit(
                    edits.update_beat, editor.beat_id, initiator=self.timeline, **changes
                )
            except KnownError as exc:  # a time past the film's end: told, nothing changed
                messages.warning(self.timeline, "desk", str(exc))
        if self.editor is editor:
            self.editor = None

    def describe(self, row: int) -> str:
        """A beat in a few plain lines (for tooltips)."""
        d = self.data
        emotion = self.emotions.get(int(d.emotion_ids[row]), ("no emotion", ""))[0]
        names = {c.id: c.name for c in self.characters}
        who = ", ".join(names.get(c, "?") for c in d.characters_of(row)) or "nobody"
        span = fmt_ms(int(d.starts[row]))
        if d.ends[row] > d.starts[row]:
            span += f" – {fmt_ms(int(d.ends[row]))}"
        lines = [
            d.labels[row] or "(no label)",
            f"{span}  ·  {who}",
            f"{emotion}  ·  valence {d.valence[row]:+.2f}  ·  intensity {d.intensity[row]:.2f}",
        ]
        if d.annotators[row]:
            lines.append(f"annotated by {d.annotators[row]}")
        if d.descriptions[row]:
            lines.append(d.descriptions[row])
        return "\n".join(lines)
