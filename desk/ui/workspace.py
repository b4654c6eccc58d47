"""One open project's widgets: the player and the panels, wired to one transport and one session.

Media paths come from the project file, which may come from someone else: a film is played only
after the user confirms its path (remembered per user), and a missing film opens the project
read-only-for-media with a prompt to relink it, by file or by searching a folder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desk.core.timemap import TimeMap
from desk.store import edits, queries
from desk.ui.essay_panel import EssayPanel
from desk.ui.notes_panel import NotesPanel
from desk.ui.player_view import PlayerView
from desk.ui.readings_panel import ReadingsPanel
from desk.ui.scenes_panel import ScenesPanel
from desk.ui.session import Session
from desk.ui.thumbnails import Thumbnails
from desk.ui.transport import Transport

if TYPE_CHECKING:
    from desk.ui.timeline import TimelineWidget

log = logging.getLogger("desk.ui")
CONFIRMED_KEY = "confirmed_media"


class Workspace:
    def __init__(self, session: Session, window: QMainWindow, *, trusted_media: bool) -> None:
        self.session = session
        self.window = window
        self.trusted_media = trusted_media
        self.film: Path | None = None
        self._thumbnails_pending: tuple[Path, TimeMap] | None = None
        self.transport = Transport(window)
        self.thumbnails = Thumbnails(window)
        self.player = PlayerView(self.transport)
        self.essay = EssayPanel(session, self.transport, self.thumbnails)
        self.notes = NotesPanel(session, self.transport)
        self.scenes = ScenesPanel(session, self.transport)
        self.readings = ReadingsPanel(session, self.transport, self.thumbnails)
        # The timeline (pyqtgraph) is built on the next turn of the event loop, once the rest
        # of the workspace is on screen: importing pyqtgraph alone takes ~0.3 s.
        self.timeline_holder = QWidget()
        QVBoxLayout(self.timeline_holder).setContentsMargins(0, 0, 0, 0)
        self._timeline: TimelineWidget | None = None
        QTimer.singleShot(0, self.build_timeline)
        note_key = QShortcut(QKeySequence("N"), window)
        note_key.activated.connect(self.notes.start_note)
        search_key = QShortcut(QKeySequence("Ctrl+F"), window)
        search_key.activated.connect(lambda: self.notes.search_box.setFocus())

    @property
    def timeline(self) -> TimelineWidget:
        return self.build_timeline()

    def build_timeline(self) -> TimelineWidget:
        if self._timeline is None:
            from desk.ui.timeline import TimelineWidget

            self._timeline = TimelineWidget(self.session, self.transport)
            layout = self.timeline_holder.layout()
            assert layout is not None
            layout.addWidget(self._timeline)
            if self.film is not None:
                self._timeline.set_film(self.film)
        return self._timeline

    def panels(self) -> dict[str, tuple[str, QWidget, Qt.DockWidgetArea]]:
        right = Qt.DockWidgetArea.RightDockWidgetArea
        return {
            "essay": ("Essay", self.essay, right),
            "notes": ("Notes and search", self.notes, right),
            "scenes": ("Scenes", self.scenes, Qt.DockWidgetArea.LeftDockWidgetArea),
            "readings": ("Readings", self.readings, Qt.DockWidgetArea.BottomDockWidgetArea),
            "timeline": ("Timeline", self.timeline_holder, Qt.DockWidgetArea.BottomDockWidgetArea),
        }

    def arrange(self, window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
        """The default layout: essay over notes on the right, timeline and readings below."""
        window.splitDockWidget(docks["essay"], docks["notes"], Qt.Orientation.Vertical)
        window.tabifyDockWidget(docks["timeline"], docks["readings"])
        docks["timeline"].raise_()
        window.resizeDocks([docks["essay"]], [520], Qt.Orientation.Horizontal)
        window.resizeDocks([docks["timeline"]], [300], Qt.Orientation.Vertical)
        window.resizeDocks([docks["scenes"]], [200], Qt.Orientation.Horizontal)

    # -- media ---------------------------------------------------------------------------------
    def load_media(self) -> None:
        media = queries.reference_media(self.session.project)
        if media is None:
            self.player.show_message("This project has no film yet.")
            return
        path = Path(media["path"])
        if not path.is_file():
            self.player.show_message(f"The film is missing: {path}")
            self._offer_relink(media)
            return
        if not self._confirmed(path):
            return
        self._play(media, path)

    def _play(self, media: dict[str, object], path: Path) -> None:
        time_map = TimeMap.from_json(json.loads(str(media["time_map"])))
        fps = (int(str(media["fps_num"])), int(str(media["fps_den"])))
        message = self.player.load(path, time_map, fps, int(str(media["duration_ms"])))
        self.film = path
        if self._timeline is not None:
            self._timeline.set_film(path)
        # Thumbnails wait for the first exact frame, so their decoding does not delay it.
        self._thumbnails_pending = (path, time_map)
        self.player.frame_shown.connect(self._start_thumbnails)
        if message:
            self.window.statusBar().showMessage(message, 15000)

    def _start_thumbnails(self) -> None:
        if self._thumbnails_pending is None:  # already started, or the project was closed
            return
        self.player.frame_shown.disconnect(self._start_thumbnails)
        path, time_map = self._thumbnails_pending
        self._thumbnails_pending = None
        self.thumbnails.load(path, time_map)
        self.thumbnails.prefetch(  # the essay's chips first; other stills load when shown
            r[0]
            for r in self.session.project.query(
                "SELECT start_ms FROM time_link WHERE paragraph_id IS NOT NULL LIMIT 500"
            )
        )

    def _confirmed(self, path: Path) -> bool:
        settings = QSettings()
        known = settings.value(CONFIRMED_KEY, [])
        known = [str(k) for k in (known if isinstance(known, list) else [known]) if k]
        if self.trusted_media or str(path) in known:
            settings.setValue(CONFIRMED_KEY, list({*known, str(path)}))
            return True
        answer = QMessageBox.question(
            self.window,
            "desk — play this film?",
            f"This project plays the film at\n{path}\nOpen it?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.player.show_message("The film was not opened.")
            return False
        settings.setValue(CONFIRMED_KEY, [*known, str(path)])
        return True

    def _offer_relink(self, media: dict[str, object]) -> None:
        answer = QMessageBox.question(
            self.window,
            "desk — film missing",
            f"The film of this project is missing:\n{media['path']}\n\n"
            "The essay, notes and beats are all here. Locate the film now?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.relink(media)

    def relink(self, media: dict[str, object]) -> None:
        from desk.media.probe import find_film

        folder = QFileDialog.getExistingDirectory(self.window, "Folder that holds the film")
        if not folder:
            return
        found = find_film(Path(folder), str(media["fingerprint"]), int(str(media["size_bytes"])))
        if found is None:
            QMessageBox.information(self.window, "desk", f"The film is not in {folder}.")
            return
        self.session.edit(edits.update_media, int(str(media["id"])), path=str(found))
        self.trusted_media = True
        self.load_media()

    def export_report(self) -> None:
        from desk.ui.report_dialog import export_report

        scenes = [
            r[0] for r in self.session.project.query("SELECT name FROM scene ORDER BY position")
        ]
        export_report(self.window, self.session.project.path, scenes)

    def close_media(self) -> None:
        self._thumbnails_pending = None
        if self._timeline is not None:
            self._timeline.runner.shutdown()
        self.player.close_media()
        self.thumbnails.close()
