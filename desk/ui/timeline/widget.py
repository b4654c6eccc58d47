"""The timeline dock: scenes, cuts, links, notes, loudness, a lane per reference tier (the film's
dialogue), one lane of beats per character, and the arc.

:class:`TimelineWidget` reads the project in bulk through SQL (:mod:`desk.ui.timeline.model`),
refreshes only the parts showing what an edit changed, and makes every change through
:meth:`Session.edit` so it is durable and undoable. The playhead follows the transport both ways.

B (from anywhere in the window) adds a beat for the character chosen in the toolbar ("Beats for";
a click in a lane chooses its character) over the I/O marks, or from the playhead with a length of
its own (:mod:`desk.core.beat_span`), never zero-length; Del, while the timeline has focus, deletes
the selected beat (both from the action table, see :data:`desk.ui.panels.PANELS`). A right-click
on a beat opens its menu (edit, delete); a double-click its editor. A right-click on a note's mark
in the links lane opens the note's menu (edit, link to a paragraph, delete).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

from desk.core.beat_span import beat_span
from desk.core.timefmt import fmt_ms
from desk.store import edits
from desk.store.changes import Changed, Changes
from desk.store.reads import editing as edit_reads
from desk.store.reads import timeline as timeline_reads
from desk.ui import messages
from desk.ui.note_editor import note_menu
from desk.ui.session import Session
from desk.ui.timeline import model
from desk.ui.timeline.arc import ArcView
from desk.ui.timeline.beats import BeatLanes
from desk.ui.timeline.export import export_view
from desk.ui.timeline.overlays import Overlays
from desk.ui.timeline.plots import TimelinePlots
from desk.ui.timeline.reference import ReferenceLanes
from desk.ui.timeline.runner import AnalysisRunner
from desk.ui.timeline.toolbar import NOBODY, TimelineToolbar
from desk.ui.transport import Transport

log = logging.getLogger("desk.ui.timeline")

BEAT_LANES = (Changed.BEATS, Changed.CHARACTERS, Changed.EMOTIONS)
REFERENCE_LANES = (Changed.TIERS, Changed.CUES)
#: A focused scene is framed with this share of its length to spare on either side.
FOCUS_PADDING = 0.02


class TimelineWidget(QWidget):
    """The beats timeline of one open project, in step with one transport."""

    #: (beat id, or -1 when none) whenever the selected beat changes.
    beat_selected = Signal(int)

    def __init__(
        self, session: Session, transport: Transport, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.transport = session, transport
        self.film = model.load_film(session.project)
        self.scenes = model.Spans.empty()
        self.focused_scene: int | None = None
        self.film_path: Path | None = None
        self.toolbar = TimelineToolbar()
        self.view = pg.GraphicsLayoutWidget()
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plots = TimelinePlots(self.view, self.film)
        self.reference = ReferenceLanes(self.plots, self.film, self)
        self.beats = BeatLanes(self, self.plots, self.film)
        self.arc = ArcView(self.plots.arc, self.beats.describe)
        self.overlays = Overlays([self.plots.lanes, self.plots.arc], self)
        self.runner = AnalysisRunner(session, self, self)
        self.plots.context.notes.labels.read = lambda ids: model.load_note_texts(
            self.session.project, ids
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        self._connect()
        self.reload()
        self.plots.show_range(0, self.film.duration_ms)
        self.overlays.set_position(transport.position_ms)
        self.overlays.set_marks(transport.in_ms, transport.out_ms)

    def _connect(self) -> None:
        self.session.changes_applied.connect(self._on_changes)
        self.transport.position_changed.connect(self._on_position)
        self.transport.marks_changed.connect(self._on_marks)
        # keyframe previews while the playhead moves, the exact frame where it is let go
        self.overlays.dragged.connect(lambda ms: self.transport.scrub(int(round(ms))))
        self.overlays.released.connect(lambda ms: self.transport.seek(int(round(ms))))
        self.reference.seek_requested.connect(self.transport.seek)
        self.arc.points.clicked.connect(self._arc_clicked)
        self.beats.selection_changed.connect(self.beat_selected)
        self.beats.arcs_changed.connect(self._draw_arcs)
        self.beats.character_changed.connect(self._show_character)
        self.toolbar.character_chosen.connect(
            lambda c: self.beats.choose_character(None if c == NOBODY else c)
        )
        self.plots.context.scenes.activated.connect(self.focus_scene)
        self.plots.context.links.menu_requested.connect(self._link_menu)
        bar = self.toolbar
        bar.focus_chosen.connect(lambda scene: self.focus_scene(None if scene < 0 else scene))
        bar.measure_chosen.connect(self._set_measure)
        bar.smooth_toggled.connect(self._set_smooth)
        bar.analyse_clicked.connect(self._analyse_clicked)
        bar.cancel_clicked.connect(self.runner.cancel)
        bar.export_clicked.connect(self._export_dialog)
        self.runner.progress.connect(bar.set_progress)
        self.runner.busy_changed.connect(bar.set_busy)
        self.runner.failed.connect(self._analysis_failed)
        self.runner.loudness_ready.connect(self.plots.context.loudness.set_envelope)
        self.runner.cuts_ready.connect(self.plots.context.cuts.set_times)

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read everything the timeline shows from the project again."""
        self._load_film()
        self._load_reference()
        self.beats.reload()
        self._load_scenes()
        self._load_shots()
        self._load_links()
        self.runner.load_cached(self.film)

    def _load_film(self) -> None:
        self.film = model.load_film(self.session.project)
        self.plots.set_film(self.film)
        self.reference.set_film(self.film)
        self.beats.set_film(self.film)
        self.transport.frame_ms = self.film.frame_ms

    def _load_reference(self) -> None:
        if self.reference.reload(self.session.project):
            self.beats.relayout()

    def _load_scenes(self) -> None:
        self.scenes = model.load_scenes(self.session.project)
        self.plots.context.scenes.set_scenes(self.scenes)
        if self.focused_scene is not None and self.focused_scene not in set(self.scenes.ids):
            self.focused_scene = None
        self.toolbar.set_scenes(self.scenes, self.focused_scene)

    def _load_shots(self) -> None:
        starts = model.load_starts(self.session.project, "shot")
        self.plots.context.cuts.set_times(starts[starts > 0])

    def _load_links(self) -> None:
        read = self.session.read(timeline_reads.link_rows)  # read ahead when the project opened
        links, notes = model.load_links(self.session.project, read)
        self.plots.context.links.set_links(links)
        self.plots.context.notes.set_marks(notes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Changed.FILM):
            self._load_film()
        if changes.touches(*REFERENCE_LANES):
            self._load_reference()
        if changes.touches(*BEAT_LANES):
            self.beats.reload()
        if changes.touches(Changed.SCENES):
            self._load_scenes()
            self._draw_arcs()
        # The shots this widget stores from its own cut detection are already drawn.
        if changes.touches(Changed.SHOTS) and not (changes.made_by(self) and self.runner.busy):
            self._load_shots()
        if changes.touches(Changed.LINKS, Changed.NOTES):
            self._load_links()

    def _show_character(self, _character: int) -> None:
        self.toolbar.set_characters(self.beats.characters, self.beats.active_character())

    # -- the playhead and the marks ----------------------------------------------------------
    def _on_position(self, film_ms: int) -> None:
        self.overlays.set_position(film_ms)
        scene = self._focus_span()
        low, high = self.plots.x_range()
        if scene is not None and scene[0] <= film_ms < scene[1]:
            # a focused scene stays framed while the playhead moves inside it
            if not low <= film_ms <= high:
                self.plots.show_range(*scene, padding=FOCUS_PADDING)
            return
        if not low <= film_ms <= high:  # pages on while playing; a jump elsewhere is centred
            width = high - low
            ahead = 0.1 if self.transport.playing else 0.5
            self.plots.show_range(film_ms - ahead * width, film_ms + (1 - ahead) * width)

    def _on_marks(self, in_ms: int, out_ms: int) -> None:
        self.overlays.set_marks(None if in_ms < 0 else in_ms, None if out_ms < 0 else out_ms)

    # -- a link's menu -----------------------------------------------------------------------
    def link_menu(self, film_ms: float) -> QMenu | None:
        """The menu of the note whose link starts at ``film_ms`` (edit it, link it to a
        paragraph, delete it); None when no note's link starts there."""
        link = edit_reads.link_near(self.session.project, int(round(film_ms)), 1)
        if link is None or link.note_id is None:
            return None
        menu = note_menu(self, self.session, link.note_id)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return menu

    def _link_menu(self, film_ms: float, at: QPoint) -> None:
        menu = self.link_menu(film_ms)
        if menu is not None:
            menu.popup(at)

    # -- the arc -----------------------------------------------------------------------------
    def _focus_span(self) -> tuple[int, int] | None:
        """The focused scene's ``[start, end)`` (film ms), or None when the whole film is."""
        if self.focused_scene is None:
            return None
        found = np.flatnonzero(self.scenes.ids == self.focused_scene)
        if not len(found):
            return None
        k = int(found[0])
        return int(self.scenes.starts[k]), int(self.scenes.ends[k])

    def _draw_arcs(self) -> None:
        self.arc.show(self.beats.data, self.beats.lanes, self._focus_span())

    def _set_measure(self, measure: str) -> None:
        self.arc.options.measure = measure
        self._draw_arcs()

    def _set_smooth(self, smooth: bool) -> None:
        self.arc.options.smooth = smooth
        self._draw_arcs()

    def _arc_clicked(self, row: int) -> None:
        self.beats.select_row(row)
        self.transport.seek(int(self.beats.data.starts[row]))

    def show_view(self, focus_scene: int | None, measure: str, smooth: bool) -> None:
        """Show the arcs by ``measure``, smoothed or not, over the scene ``focus_scene`` (None:
        the whole film), as the controls would: how the project was left last time."""
        bar = self.toolbar
        if bar.measure.findData(measure) >= 0:
            bar.measure.setCurrentIndex(bar.measure.findData(measure))
            self.arc.options.measure = measure
        bar.smooth.blockSignals(True)
        bar.smooth.setChecked(smooth)
        bar.smooth.blockSignals(False)
        self.arc.options.smooth = smooth
        self.focus_scene(focus_scene)  # draws the arcs

    def focus_scene(self, scene_id: int | None) -> None:
        """Span the view and the arcs over one scene (None: the whole film)."""
        found = np.flatnonzero(self.scenes.ids == (-1 if scene_id is None else scene_id))
        if scene_id is None or not len(found):
            self.focused_scene = None
            self.plots.show_range(0, self.film.duration_ms)
        else:
            k = int(found[0])
            self.focused_scene = int(scene_id)
            start, end = int(self.scenes.starts[k]), int(self.scenes.ends[k])
            self.plots.show_range(start, end, padding=FOCUS_PADDING)
        self.toolbar.set_scenes(self.scenes, self.focused_scene)
        self._draw_arcs()

    # -- beats (the action table's B and Del) ----------------------------------------------------
    def new_beat_span(self) -> tuple[int, int]:
        """Where B puts a beat now: over the I/O marks when they span a frame or more, else from
        the playhead as :func:`~desk.core.beat_span.beat_span` says (never zero-length)."""
        marked = self.transport.marked_range()
        if marked is not None:
            start, end = (self.film.snap_ms(t) for t in marked)
            if end > start:
                return start, end
        cuts = self.plots.context.cuts.times.tolist()
        at = self.film.snap_ms(self.transport.position_ms)
        start, end = beat_span(at, cuts, self.film.duration_ms, self.film.frame_ms)
        return start, self.film.snap_ms(end) if self.film.snap_ms(end) > start else end

    def new_beat_hint(self) -> str:
        """What B will do now, said truthfully: for whom, and on the marks or at the playhead."""
        start, end = self.new_beat_span()
        character = self.beats.active_character()
        names = {c.id: c.name for c in self.beats.characters}
        who = names.get(character, "no character") if character is not None else "no character"
        where = "(marks)" if self.transport.marked_range() is not None else "(from the playhead)"
        return f"Beat for {who} on {fmt_ms(start)}–{fmt_ms(end)} {where}"

    def add_beat_here(self) -> int:
        """B: a beat for the chosen character, told in the status bar; returns its id."""
        hint = self.new_beat_hint()
        beat_id = self.create_beat()
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(hint, 8000)
        return beat_id

    def create_beat(self) -> int:
        """Add a beat over :meth:`new_beat_span` for the character chosen in the toolbar (else
        the first character); returns its id."""
        start, end = self.new_beat_span()
        character = self.beats.active_character()
        beat_id = int(
            self.session.edit(
                edits.add_beat,
                start_ms=start,
                end_ms=end,
                characters=[] if character is None else [character],
                initiator=self,
            )
        )
        self.beats.select_id(beat_id)
        return beat_id

    def delete_selected(self) -> bool:
        beat_id = self.beats.selected_id
        if beat_id is None:
            return False
        self.beats.delete_id(beat_id)
        return True

    # -- analysis and export -------------------------------------------------------------------
    def set_film(self, path: Path | None) -> None:
        """The film file the user confirmed for this project (analysis reads it)."""
        self.film_path = path

    def analyse_film(self) -> bool:
        """Measure loudness and detect cuts in the film, off the GUI thread; False if not begun."""
        path = self.film_path
        if path is None and self.film.path:
            candidate = Path(self.film.path)
            if candidate.is_file() and self._confirm(candidate):
                path = self.film_path = candidate
        if path is None or not path.is_file():
            return False
        return self.runner.start(self.film, path)

    def _analyse_clicked(self) -> None:
        """Analyse, or say why there is nothing to do (a silent click reads as a broken button)."""
        if self.analyse_film():
            return
        if self.film_path is not None:
            messages.information(
                self, "desk", "This film is analysed already: its loudness and cuts are shown."
            )
        elif not self.film.path or not Path(self.film.path).is_file():
            messages.information(
                self, "desk", "There is no film to analyse: File → Locate the film… finds it."
            )

    def _confirm(self, path: Path) -> bool:
        return messages.question(
            self, "desk — analyse this film?", f"Read the film at\n{path}\nto measure it?"
        )

    def _analysis_failed(self, message: str) -> None:
        log.warning("analysis failed: %s", message)
        messages.warning(self, "desk", message)

    def export_image(self, path: Path | str) -> Path:
        """Save the current view as SVG (``.svg``) or as a PNG or other image, by its suffix."""
        return export_view(self.view, Path(path))

    def _export_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self, "Export the timeline", "timeline.png", "Images (*.png *.svg)"
        )
        if name:
            self.export_image(name)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.runner.shutdown()
        super().closeEvent(event)
