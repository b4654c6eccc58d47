"""Every panel of the workspace, declared once: adding a panel is one entry in :data:`PANELS`.

The main window makes a dock per entry and the workspace builds the panels into them; neither
names a panel class. A panel's module is imported only when the panel is built (after the film's
first frame is on screen), so the window does not wait for SQLModel or pyqtgraph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from desk.actions import Context

if TYPE_CHECKING:
    from desk.ui.actions import Actions
    from desk.ui.session import Session
    from desk.ui.thumbnails import Thumbnails
    from desk.ui.transport import Transport

P = TypeVar("P", bound=QWidget)
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


@dataclass(frozen=True)
class Tools:
    """What a panel is built from: the open project, the shared playhead, the film's stills, the
    window's actions, and a way to hand the keys back to the player."""

    session: Session
    transport: Transport
    thumbnails: Thumbnails
    actions: Actions
    to_player: Callable[[], None]


@dataclass(frozen=True)
class PanelSpec:
    name: str  # the dock's object name is ``dock-NAME``, under which its place is remembered
    title: str
    area: Qt.DockWidgetArea
    build: Callable[[Tools], QWidget]
    #: Built after the frame thumbnails have started rather than with the first panels.
    late: bool = False
    #: The actions of the table this panel does: an action's id and what it does to the (built)
    #: panel. A panel is built when one of them is asked for.
    actions: tuple[tuple[str, Callable[[Any], object]], ...] = ()
    #: The context (in :mod:`desk.actions`) whose keys work while focus is in the panel.
    context: Context | None = None
    #: Told of the film now playing (None when none is).
    on_film: Callable[[Any, Path | None], None] | None = None
    #: Called when the project closes, for a panel with work of its own to stop.
    on_close: Callable[[Any], None] | None = None
    #: Its dock comes to the front before one of its actions runs (the user sees what changes).
    shown_to_act: bool = False


def _essay(tools: Tools) -> QWidget:
    from desk.ui.essay_panel import EssayPanel

    return EssayPanel(tools.session, tools.transport, tools.thumbnails)


def _notes(tools: Tools) -> QWidget:
    from desk.ui.notes_panel import NotesPanel

    panel = NotesPanel(tools.session, tools.transport)
    panel.note_entered.connect(tools.to_player)  # the note is in: the keys are the player's again
    return panel


def _scenes(tools: Tools) -> QWidget:
    from desk.ui.scenes_panel import ScenesPanel

    return ScenesPanel(tools.session, tools.transport)


def _readings(tools: Tools) -> QWidget:
    from desk.ui.readings_panel import ReadingsPanel

    return ReadingsPanel(tools.session, tools.transport, tools.thumbnails)


def _clips(tools: Tools) -> QWidget:
    from desk.ui.clips_panel import ClipsPanel

    return ClipsPanel(tools.session, tools.transport)


def _timeline(tools: Tools) -> QWidget:
    from desk.ui.timeline import TimelineWidget

    return TimelineWidget(tools.session, tools.transport)


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec(
        "essay",
        "Essay",
        RIGHT,
        _essay,
        actions=(
            ("essay.link_frame", lambda essay: essay.link_to_playhead()),
            ("essay.link_marks", lambda essay: essay.link_to_marks()),
            ("essay.new", lambda essay: essay.new_paragraph()),
            ("essay.up", lambda essay: essay.move_selected(-1)),
            ("essay.down", lambda essay: essay.move_selected(+1)),
            ("essay.merge", lambda essay: essay.merge_selected()),
            ("essay.split", lambda essay: essay.split_at_cursor()),
            ("essay.delete", lambda essay: essay.delete_selected()),
        ),
        context="essay",
    ),
    PanelSpec(
        "notes",
        "Notes and search",
        RIGHT,
        _notes,
        actions=(
            ("notes.add", lambda notes: notes.start_note()),
            ("edit.search", lambda notes: notes.focus_search()),
            ("notes.delete", lambda notes: notes.delete_selected()),
        ),
        context="notes",
    ),
    PanelSpec("scenes", "Scenes", RIGHT, _scenes),
    PanelSpec(
        "readings",
        "Readings",
        BOTTOM,
        _readings,
        actions=(("reading.new", lambda readings: readings.new_reading()),),
        shown_to_act=True,
    ),
    PanelSpec(
        "clips",
        "Clips",
        BOTTOM,
        _clips,
        actions=(
            ("clips.new_list", lambda clips: clips.new_list()),
            ("clips.add_marks", lambda clips: clips.add_marks()),
            ("clips.add_scene", lambda clips: clips.add_scene()),
            ("clips.add_beats", lambda clips: clips.add_beats()),
            ("clips.add_paragraph", lambda clips: clips.add_paragraph()),
            ("clips.handles", lambda clips: clips.set_default_handles()),
            ("clips.export", lambda clips: clips.export_list()),
        ),
        shown_to_act=True,
    ),
    PanelSpec(
        "timeline",
        "Timeline",
        BOTTOM,
        _timeline,
        late=True,  # pyqtgraph, the slowest to build
        actions=(
            ("beats.add", lambda timeline: timeline.add_beat_here()),
            ("beats.delete", lambda timeline: timeline.delete_selected()),
            ("timeline.analyse", lambda timeline: timeline.toolbar.analyse.click()),
            ("timeline.export", lambda timeline: timeline.toolbar.export.click()),
        ),
        context="timeline",
        on_film=lambda timeline, film: timeline.set_film(film),
        on_close=lambda timeline: timeline.runner.shutdown(),
    ),  # fmt: skip
)


def default_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> list[QDockWidget]:
    """The film as wide as it can be; on the right the essay over the notes, with the scenes a tab
    beside the notes; the timeline, the readings and the clips below. Returns the docks that share
    their height equally once the panels in them have a size."""
    window.splitDockWidget(docks["essay"], docks["notes"], Qt.Orientation.Vertical)
    window.tabifyDockWidget(docks["notes"], docks["scenes"])
    window.tabifyDockWidget(docks["timeline"], docks["readings"])
    window.tabifyDockWidget(docks["readings"], docks["clips"])
    for front in (docks["notes"], docks["timeline"]):  # once the tab bars exist
        QTimer.singleShot(0, front, front.raise_)  # dropped if the dock goes first
    window.resizeDocks([docks["essay"]], [560], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["timeline"]], [370], Qt.Orientation.Vertical)
    return [docks["essay"], docks["notes"]]


class PanelSet(QObject):
    """One workspace's panels, each built into its holder (the widget of its dock) when needed.

    The holders exist from the start, empty. Panels are built by stage: the first ones at once
    (:meth:`build` with ``late=False``), the late ones after; asking for a panel with :meth:`get`
    builds its stage on the spot.
    """

    #: (name, panel) once a panel is built into its dock
    built = Signal(str, QWidget)

    def __init__(self, tools: Tools, window: QMainWindow) -> None:
        super().__init__(window)
        self._tools = tools
        self._window = window
        self._split_when_built: list[QDockWidget] = []
        self.film: Path | None = None
        self.holders: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        for spec in PANELS:
            self.holders[spec.name] = holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            if spec.context is not None:
                tools.actions.attach(spec.context, holder)
            tools.actions.handle(
                self, {action_id: self._doer(spec.name, act) for action_id, act in spec.actions}
            )

    def _doer(self, name: str, act: Callable[[Any], object]) -> Callable[[], object]:
        """What an action of panel ``name`` runs: ``act`` on the panel, built first if need be
        (and its dock brought to the front first, for a panel whose actions change what it
        shows)."""
        spec = next(spec for spec in PANELS if spec.name == name)

        def run() -> object:
            panel = self.get(name)
            dock = self.holders[name].parentWidget()
            if spec.shown_to_act and isinstance(dock, QDockWidget):
                dock.show()
                dock.raise_()
            return act(panel)

        return run

    def get(self, name: str) -> QWidget:
        """The panel ``name``, built now with the others of its stage if it is not yet."""
        if name not in self._built:
            self.build(late=next(spec.late for spec in PANELS if spec.name == name))
        return self._built[name]

    def is_built(self, name: str) -> bool:
        return name in self._built

    def build(self, *, late: bool) -> None:
        """Build the panels of one stage that are not built yet."""
        for spec in PANELS:
            if spec.late != late or spec.name in self._built:
                continue
            widget = self._built[spec.name] = spec.build(self._tools)
            layout = self.holders[spec.name].layout()
            assert layout is not None
            layout.addWidget(widget)
            widget.show()  # at once, not on the next turn of the event loop: it can take focus
            if spec.on_film is not None and self.film is not None:
                spec.on_film(widget, self.film)
            self.built.emit(spec.name, widget)
        if late:
            return
        if self._split_when_built:  # the default layout, now that the panels have a size
            self._window.resizeDocks(self._split_when_built, [1, 1], Qt.Orientation.Vertical)
        transport = self._tools.transport
        if transport.position_ms:  # the playhead moved before the panels were built
            transport.position_changed.emit(transport.position_ms)

    def arrange(self, docks: dict[str, QDockWidget]) -> None:
        """Lay the docks out as :func:`default_layout` says."""
        self._split_when_built = default_layout(self._window, docks)
        if self._built:  # laid out again (View → Reset layout): the panels already have a size
            self._window.resizeDocks(self._split_when_built, [1, 1], Qt.Orientation.Vertical)

    def set_film(self, film: Path | None) -> None:
        """Tell the panels that care which film now plays (None: none)."""
        self.film = film
        for spec in PANELS:
            if spec.on_film is not None and spec.name in self._built:
                spec.on_film(self._built[spec.name], film)

    def close(self) -> None:
        """Stop the panels' own work; their actions go (the window outlives them)."""
        for spec in PANELS:
            if spec.on_close is not None and spec.name in self._built:
                spec.on_close(self._built[spec.name])
        self._tools.actions.release(self)


class PanelOf(Generic[P]):
    """A typed attribute for one panel of an object that has a ``panels`` :class:`PanelSet`:
    ``notes: PanelOf[NotesPanel] = PanelOf("notes")``; reading it builds the panel if need be."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, owner: Any, owner_type: type | None = None) -> P:
        return cast(P, owner.panels.get(self.name))
