"""One open project's widgets: the player and the panels, wired to one transport and one session.

The film's first frame comes first: the workspace shows the player at once and builds the panels
(whose edits bring in SQLModel), the frame thumbnails and the timeline (pyqtgraph) only once that
frame is on screen, one step per turn of the event loop. The docks exist from the start, empty, so
the window keeps its layout while they fill. A panel asked for earlier is built on the spot.

Media paths come from the project file, which may come from someone else: a film is played only
after the user confirms its path (remembered per user), and a missing film opens the project
read-only-for-media with a prompt to relink it, by file or by searching a folder.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from desk.core.timemap import TimeMap
from desk.store import queries
from desk.ui import messages
from desk.ui.player_view import PlayerView
from desk.ui.session import Session
from desk.ui.thumbnails import Thumbnails
from desk.ui.transport import Transport

if TYPE_CHECKING:
    from desk.store.commands import Changes
    from desk.ui.essay_panel import EssayPanel
    from desk.ui.notes_panel import NotesPanel
    from desk.ui.readings_panel import ReadingsPanel
    from desk.ui.scenes_panel import ScenesPanel
    from desk.ui.timeline import TimelineWidget

log = logging.getLogger("desk.ui")
CONFIRMED_KEY = "confirmed_media"
#: The panels wait this long at most for the film's first frame (a film that decodes slowly).
FIRST_FRAME_WAIT_MS = 2000


@dataclass(frozen=True)
class Panels:
    essay: EssayPanel
    notes: NotesPanel
    scenes: ScenesPanel
    readings: ReadingsPanel


class _AfterPaint(QObject):
    """Runs ``then`` on the turn of the event loop after ``widget``'s next paint."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def _holder() -> QWidget:
    holder = QWidget()
    QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
    return holder


def _fill(holder: QWidget, widget: QWidget) -> None:
    layout = holder.layout()
    assert layout is not None
    layout.addWidget(widget)
    widget.show()  # at once, not on the next turn of the event loop, so it can take focus now


def _playback_of(media: dict[str, object] | None) -> tuple[object, ...] | None:
    """What of a media row the player depends on: the file, the time map, the rate, the length."""
    if media is None:
        return None
    return tuple(media[k] for k in ("path", "time_map", "fps_num", "fps_den", "duration_ms"))


def _changed_since_added(media: dict[str, object], path: Path) -> str:
    """A warning when the film file is not the size it was when the project took it (a download
    cut short, a re-encode under the same name); '' otherwise."""
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    if size == int(str(media["size_bytes"])):
        return ""
    return (
        f"{path.name} is not the size it was when the project took it ({size:,} bytes, was "
        f"{int(str(media['size_bytes'])):,}): some links may not show the frames they name."
    )


class Workspace:
    def __init__(self, session: Session, window: QMainWindow, *, trusted_media: bool) -> None:
        self.session = session
        self.window = window
        media = queries.reference_media(session.project) if trusted_media else None
        #: Film paths that play without asking in this session: the user chose them here.
        self.trusted: set[str] = {str(media["path"])} if media else set()
        self.film: Path | None = None
        self._thumbnails_pending: tuple[Path, TimeMap] | None = None
        self._closed = False
        self._rest_started = False
        self._waiting_for_paint = False
        self.transport = Transport(window)
        self.thumbnails = Thumbnails(window)
        self.player = PlayerView(self.transport)
        self.player.frame_shown.connect(self._on_frame_shown)
        self._loaded: tuple[object, ...] | None = None  # the media row the player was pointed at
        self._split_when_built: list[QDockWidget] = []
        session.changes_applied.connect(self._on_changes)
        self.holders = {name: _holder() for name in ("essay", "notes", "scenes", "readings")}
        self.timeline_holder = _holder()
        self._panels: Panels | None = None
        self._timeline: TimelineWidget | None = None
        self._keys = [
            QShortcut(QKeySequence("N"), window),
            QShortcut(QKeySequence("Ctrl+F"), window),
        ]
        self._keys[0].activated.connect(lambda: self.notes.start_note())
        self._keys[1].activated.connect(lambda: self.notes.search_box.setFocus())

    # -- panels --------------------------------------------------------------------------------
    def build_panels(self) -> Panels:
        if self._panels is None:
            from desk.ui.essay_panel import EssayPanel
            from desk.ui.notes_panel import NotesPanel
            from desk.ui.readings_panel import ReadingsPanel
            from desk.ui.scenes_panel import ScenesPanel

            session, transport = self.session, self.transport
            self._panels = Panels(
                essay=EssayPanel(session, transport, self.thumbnails),
                notes=NotesPanel(session, transport),
                scenes=ScenesPanel(session, transport),
                readings=ReadingsPanel(session, transport, self.thumbnails),
            )
            for name, holder in self.holders.items():
                _fill(holder, getattr(self._panels, name))
            if self._split_when_built:  # the default layout, now that the panels have a size
                essay_notes = self._split_when_built
                self.window.resizeDocks(essay_notes, [1, 1], Qt.Orientation.Vertical)
            if self.transport.position_ms:  # the playhead moved before the panels were built
                self.transport.position_changed.emit(self.transport.position_ms)
        return self._panels

    @property
    def essay(self) -> EssayPanel:
        return self.build_panels().essay

    @property
    def notes(self) -> NotesPanel:
        return self.build_panels().notes

    @property
    def scenes(self) -> ScenesPanel:
        return self.build_panels().scenes

    @property
    def readings(self) -> ReadingsPanel:
        return self.build_panels().readings

    @property
    def timeline(self) -> TimelineWidget:
        return self.build_timeline()

    def build_timeline(self) -> TimelineWidget:
        if self._timeline is None:
            from desk.ui.timeline import TimelineWidget

            self._timeline = TimelineWidget(self.session, self.transport)
            _fill(self.timeline_holder, self._timeline)
            if self.film is not None:
                self._timeline.set_film(self.film)
        return self._timeline

    def panels(self) -> dict[str, tuple[str, QWidget, Qt.DockWidgetArea]]:
        """The docks' contents: holders that the panels fill once the first frame is shown."""
        right = Qt.DockWidgetArea.RightDockWidgetArea
        return {
            "essay": ("Essay", self.holders["essay"], right),
            "notes": ("Notes and search", self.holders["notes"], right),
            "scenes": ("Scenes", self.holders["scenes"], right),
            "readings": (
                "Readings",
                self.holders["readings"],
                Qt.DockWidgetArea.BottomDockWidgetArea,
            ),
            "timeline": ("Timeline", self.timeline_holder, Qt.DockWidgetArea.BottomDockWidgetArea),
        }

    def arrange(self, window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
        """The default layout: the film as wide as it can be; on the right the essay over the notes,
        with the scenes a tab beside the notes; the timeline and the readings below."""
        window.splitDockWidget(docks["essay"], docks["notes"], Qt.Orientation.Vertical)
        window.tabifyDockWidget(docks["notes"], docks["scenes"])
        window.tabifyDockWidget(docks["timeline"], docks["readings"])
        for front in (docks["notes"], docks["timeline"]):  # once the tab bars exist
            QTimer.singleShot(0, front, front.raise_)  # dropped if the dock goes first
        window.resizeDocks([docks["essay"]], [560], Qt.Orientation.Horizontal)
        window.resizeDocks([docks["timeline"]], [370], Qt.Orientation.Vertical)
        self._split_when_built = [docks["essay"], docks["notes"]]

    # -- after the first frame -----------------------------------------------------------------
    def _on_frame_shown(self) -> None:
        if not self._rest_started:
            if not self._waiting_for_paint:  # the panels follow once the frame is painted
                self._waiting_for_paint = True
                _AfterPaint(self.player.picture, self._build_rest)
        elif self._thumbnails_pending is not None:  # a relinked film
            self._start_thumbnails()

    def _build_rest(self) -> None:
        """The panels now; the thumbnails and the timeline on the next turns of the event loop."""
        if self._closed or self._rest_started:
            return
        self._rest_started = True
        self.build_panels()
        QTimer.singleShot(0, self._after_panels)

    def _after_panels(self) -> None:
        if self._closed:
            return
        self._start_thumbnails()
        QTimer.singleShot(0, self._after_thumbnails)

    def _after_thumbnails(self) -> None:
        if not self._closed:
            self.build_timeline()

    # -- media ---------------------------------------------------------------------------------
    def _media_row(self) -> tuple[object, ...] | None:
        return _playback_of(queries.reference_media(self.session.project))

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        """Undoing or redoing a relink points the player at the film the project names again.

        (Whoever relinks in the first place reloads the player itself, once the user has chosen.)
        """
        if initiator is None and changes.touches("media") and self._media_row() != self._loaded:
            self.load_media(offer_relink=False)

    def load_media(self, *, offer_relink: bool = True) -> None:
        """Show the film's first frame, or say why not; then the rest of the workspace.

        A missing film is offered for relinking unless ``offer_relink`` is false.
        """
        media = queries.reference_media(self.session.project)
        self._loaded = _playback_of(media)
        if media is None:
            self._drop_film()
            self.player.show_message("This project has no film yet.")
            self._build_rest()
            return
        path = Path(media["path"])
        if not path.is_file():
            self._drop_film()
            self.player.show_message(f"The film is missing: {path}")
            self._build_rest()
            if offer_relink:
                self._offer_relink(media)
            return
        if not self._known(path):
            self._build_rest()  # the panels stand behind the question
        if not self._confirmed(path):
            self._drop_film()  # not the film played until now either: the project names another
            self.player.show_message("The film was not opened.")
            return
        self._play(media, path)

    def _drop_film(self) -> None:
        """Nothing plays, decodes stills or is analysed from the film shown until now."""
        self.player.close_media()
        self.thumbnails.close()
        self._thumbnails_pending = None
        self.film = None
        if self._timeline is not None:
            self._timeline.set_film(None)

    def _play(self, media: dict[str, object], path: Path) -> None:
        time_map = TimeMap.from_json(json.loads(str(media["time_map"])))
        fps = (int(str(media["fps_num"])), int(str(media["fps_den"])))
        message = self.player.load(path, time_map, fps, int(str(media["duration_ms"])))
        self.film = path
        if self._timeline is not None:
            self._timeline.set_film(path)
        # Thumbnails wait for the first exact frame, so their decoding does not delay it.
        self._thumbnails_pending = (path, time_map)
        if not self._rest_started:
            if self.player.server is None:  # no frame will come; the player says why
                self._build_rest()
            else:
                QTimer.singleShot(FIRST_FRAME_WAIT_MS, self._build_rest)
        changed = _changed_since_added(media, path)
        message = " ".join(m for m in (changed, message) if m)
        if message:
            self.window.statusBar().showMessage(message, 15000)

    def _start_thumbnails(self) -> None:
        if self._thumbnails_pending is None:  # already started, or the project was closed
            return
        path, time_map = self._thumbnails_pending
        self._thumbnails_pending = None
        self.thumbnails.load(path, time_map)
        self.thumbnails.prefetch(  # the essay's chips first; other stills load when shown
            r[0]
            for r in self.session.project.query(
                "SELECT start_ms FROM time_link WHERE paragraph_id IS NOT NULL LIMIT 500"
            )
        )

    @staticmethod
    def _confirmed_paths(settings: QSettings) -> list[str]:
        known = settings.value(CONFIRMED_KEY, [])
        return [str(k) for k in (known if isinstance(known, list) else [known]) if k]

    def _known(self, path: Path) -> bool:
        """Whether the film plays without asking: trusted, or confirmed by this user before."""
        return str(path) in self.trusted or str(path) in self._confirmed_paths(QSettings())

    def _confirmed(self, path: Path) -> bool:
        settings = QSettings()
        known = self._confirmed_paths(settings)
        if str(path) in self.trusted or str(path) in known:
            settings.setValue(CONFIRMED_KEY, list({*known, str(path)}))
            return True
        if not messages.question(
            self.window,
            "desk — play this film?",
            f"This project plays the film at\n{path}\nOpen it?",
        ):
            return False
        settings.setValue(CONFIRMED_KEY, [*known, str(path)])
        return True

    def _offer_relink(self, media: dict[str, object]) -> None:
        if messages.question(
            self.window,
            "desk — film missing",
            f"The film of this project is missing:\n{media['path']}\n\n"
            "The essay, notes and beats are all here. Locate the film now?",
        ):
            self.relink(media)

    def relink(self, media: dict[str, object]) -> None:
        from desk.media.probe import find_film
        from desk.store import edits

        folder = QFileDialog.getExistingDirectory(self.window, "Folder that holds the film")
        if not folder:
            return
        found = find_film(Path(folder), str(media["fingerprint"]), int(str(media["size_bytes"])))
        if found is None:
            messages.information(self.window, "desk", f"The film is not in {folder}.")
            return
        media_id = int(str(media["id"]))
        self.session.edit(
            edits.update_media, media_id, path=str(found), path_confirmed=True, initiator=self
        )
        self.trust(found)
        self.load_media()

    def trust(self, film: Path) -> None:
        """Play ``film`` without asking: the user chose it (a relink, another copy aligned)."""
        self.trusted.add(str(film))

    def export_report(self) -> None:
        from desk.ui.report_dialog import export_report

        scenes = [
            r[0] for r in self.session.project.query("SELECT name FROM scene ORDER BY position")
        ]
        export_report(self.window, self.session.project.path, scenes)

    def close_media(self) -> None:
        self._closed = True
        self._thumbnails_pending = None
        if self._timeline is not None:
            self._timeline.runner.shutdown()
        self.player.close_media()
        self.thumbnails.close()
        for obj in (*self._keys, self.transport, self.thumbnails):  # the window outlives them
            obj.deleteLater()
