"""The main window: the player in the middle, the panels in docks around it, layout remembered.

The window is shown empty first (so it appears at once) and :meth:`MainWindow.start` opens a
project on the next turn of the event loop: the one asked for, else the most recent, else the sample
project, rendered once into the data folder with a progress dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QWidget,
)

from desk.errors import KnownError, ProjectReadOnly
from desk.store.server import is_server_address
from desk.ui import layout_memory, messages
from desk.ui.actions import Actions, build_menus
from desk.ui.after_paint import after_next_paint
from desk.ui.background import run_task, warn_known
from desk.ui.interchange_menu import add_menus as add_interchange_menus
from desk.ui.settings_list import read_strings, write_strings
from desk.ui.text_focus import EscapeLeavesText

if TYPE_CHECKING:
    from desk.ui.session import Session
    from desk.ui.workspace import Workspace

log = logging.getLogger("desk.ui")
RECENT_KEY = "recent_projects"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("desk")
        self.resize(1500, 920)
        self.settings = QSettings()
        layout_memory.restore_geometry(self, self.settings)
        self.session: Session | None = None
        self.workspace: Workspace | None = None
        self.docks: dict[str, QDockWidget] = {}
        placeholder = QLabel("Opening…")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(placeholder)
        self._build_menus()

    # -- menus ------------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        """The menus and keys of the action table; the window does the File, Edit (undo, redo),
        View and Help actions, the open project's player and panels the rest."""
        self.window_actions = Actions(self)
        self.menus = build_menus(self.menuBar(), self.window_actions)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(EscapeLeavesText(self))
        self.window_actions.handle(self, {
            "file.new": self.new_project_dialog,
            "file.open": self.open_dialog,
            "file.open_class": self.open_class_dialog,
            "file.sample": self.open_sample,
            "file.save_copy": self.save_copy_dialog,
            "file.locate": self.locate_film,
            "file.align": self.align_copy_dialog,
            "file.report": self.export_report_dialog,
            "file.present": self.present_dialog,
            "file.quit": self.close,
            "edit.undo": self.undo,
            "edit.redo": self.redo,
            "edit.characters": self.characters_dialog,
            "view.dark": lambda: self.set_theme("dark"),
            "view.light": lambda: self.set_theme("light"),
            "view.reset_layout": self.reset_layout,
            "help.keys": self.show_shortcuts,
            "help.guide": self.show_guide,
            "help.about": self.show_about,
        })  # fmt: skip
        self.undo_action, self.redo_action = (
            self.window_actions["edit.undo"],
            self.window_actions["edit.redo"],
        )
        file = self.menus["File"]
        self.recent_menu = QMenu("Open recent", file)
        file.insertMenu(self.window_actions["file.sample"], self.recent_menu)
        # The interchange formats' own menus go after the film's items, before the report.
        report = self.window_actions["file.report"]
        extra = QMenu(file)
        add_interchange_menus(extra, self, lambda: self.session)
        for action in extra.actions():
            file.insertAction(report, action)
        file.insertSeparator(report)
        self.view_menu = self.menus["View"]
        self.view_menu.addSeparator()
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent():
            self._action(self.recent_menu, path, partial(self.open_project, path))

    def recent(self) -> list[str]:
        return read_strings(self.settings, RECENT_KEY)

    def _server_reachable(self, reachable: bool) -> None:
        """Say when a class's server is lost (edits are refused, not kept) and when it is back."""
        if reachable:
            self.statusBar().showMessage("The class server answers again.", 8000)
        else:
            self.statusBar().showMessage(
                "The class server cannot be reached: edits are not saved until it answers; "
                "desk keeps trying."
            )

    def _remember(self, path: Path | str) -> None:
        items = [str(path)] + [p for p in self.recent() if p != str(path)]
        write_strings(self.settings, RECENT_KEY, items[:MAX_RECENT])
        self._fill_recent()

    # -- opening -------------------------------------------------------------------------------
    def start_when_painted(self, project: Path | str | None) -> None:
        """Open ``project`` (or the recent or sample one) once the window is on screen."""
        central = self.centralWidget()
        assert central is not None
        after_next_paint(central, lambda: self.start(project))

    def start(self, project: Path | str | None) -> None:
        from desk.interchange.paused_gc import cycles_uncollected
        from desk.ui.theme import apply_theme

        # Opening the first project imports the store, the player and PyAV, which live as long as
        # desk: the cycle collector walked them some thirty times before the first frame.
        with cycles_uncollected():
            apply_theme(str(self.settings.value("theme", "light")))
            if project is not None:
                self.open_file(project)
                return
            recent = [Path(p) for p in self.recent() if Path(p).exists()]
            if recent:
                self.open_project(recent[0])
            else:
                self.open_sample()

    def open_sample(self) -> None:
        from desk.ui.first_run import ensure_sample

        path = ensure_sample(self)
        if path is not None:
            self.open_project(path, trusted_media=True)

    def open_project(self, path: Path | str, *, trusted_media: bool = False) -> bool:
        """Open a project file, or a class's project at its server address (a string)."""
        from desk.store.project import Project
        from desk.ui.session import Session

        if not is_server_address(path):
            path = Path(path)
        if (
            self.session is not None
            and isinstance(path, Path)
            and self.session.project.path.resolve() == path.resolve()
        ):
            return True  # already open here (its lock would refuse a second opening)
        try:
            try:
                project = Project.open(path)
            except ProjectReadOnly:  # on a read-only disk or folder: still there to view
                project = Project.open(path, readonly=True)
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
            return False
        self.close_project()
        self.session = Session(project, self)
        self.session.connection_changed.connect(self._server_reachable)
        self._build_workspace(trusted_media)
        self._remember(path)
        name = project.path.stem
        shown = f"{name} (read-only)" if project.readonly else name
        self.setWindowTitle(f"{shown} — desk")
        return True

    def close_project(self) -> None:
        if self.session is None:
            return
        self.session.about_to_change.emit()  # text still being typed is saved before it closes
        self._remember_layout()
        if self.workspace is not None:
            self.workspace.close_media()
            self.menus["Playback"].removeAction(self.workspace.player.audio_menu.menuAction())
        for dock in self.docks.values():
            self.removeDockWidget(dock)
            dock.setObjectName("")  # so that the next project's docks take the saved layout
            dock.deleteLater()
        self.docks.clear()
        self.session.close()
        self.session = None

    def _build_workspace(self, trusted_media: bool) -> None:
        from desk.ui.panels import PANELS
        from desk.ui.workspace import Workspace

        assert self.session is not None
        workspace = Workspace(self.session, self, self.window_actions, trusted_media=trusted_media)
        self.workspace = workspace
        self.setCentralWidget(workspace.player)
        # Playback → Audio track: the tracks of the film this project plays, after its actions.
        playback = self.menus["Playback"]
        playback.insertMenu(self.window_actions["play.audio_track"], workspace.player.audio_menu)
        for spec in PANELS:
            dock = QDockWidget(spec.title, self)
            dock.setObjectName(f"dock-{spec.name}")
            dock.setWidget(workspace.panels.holders[spec.name])
            self.addDockWidget(spec.area, dock)
            self.docks[spec.name] = dock
            self.view_menu.addAction(dock.toggleViewAction())
        if layout_memory.saved_docks(self.settings, list(self.docks)) is not None:
            self._restore_layout()
        else:
            workspace.panels.arrange(self.docks)
        self.session.history_changed.connect(self._history_changed)
        self._history_changed(*(label or "" for label in self.session.project.undo_labels()))
        view = layout_memory.load_view(self.settings, self.session.project.path)
        workspace.panels.built.connect(partial(self._show_view_in, view))
        workspace.load_media()
        if workspace.player.server is not None and view.playhead_ms:
            workspace.player.seek(min(view.playhead_ms, max(0, workspace.player.duration_ms - 1)))

    # -- layout --------------------------------------------------------------------------------
    def _show_view_in(self, view: layout_memory.ProjectView, name: str, panel: QWidget) -> None:
        """A panel just built shows the project as it was left (the timeline its focus and arcs)."""
        from desk.ui.timeline import TimelineWidget

        if name == "timeline" and isinstance(panel, TimelineWidget):
            panel.show_view(view.focus_scene, view.arc_measure, view.arc_smooth)

    def _restore_layout(self) -> None:
        """The docks as they were left: the default layout if Qt cannot read the saved one, or
        if it was left on a larger screen and cannot fit on this one (the window is shrunk onto
        it if it can)."""
        assert self.workspace is not None
        # The window's layout would show the new docks and the player on the next turn of the
        # event loop, and leaves them out until then: restored before, the saved sizes are
        # fitted to the rest (the panels take the room, the player with its seek bar is squeezed
        # to its minimum) and must be restored again. Shown first, with the layout held while
        # they are (each would lay the window out again), the layout is restored once.
        layout = self.layout()
        assert layout is not None
        layout.setEnabled(False)
        self.workspace.player.show()
        for dock in self.docks.values():
            dock.show()
        layout.setEnabled(True)
        if not layout_memory.restore_docks(self, self.settings, list(self.docks)):
            self.workspace.panels.arrange(self.docks)
            return
        if not layout_memory.fits_on_screen(self):  # left on a larger screen: too wide for this one
            self.reset_layout()
        layout_memory.fit_on_screen(self)

    def _remember_layout(self) -> None:
        """Keep the docks' layout, the window's geometry and the open project's view."""
        layout_memory.save_window(self, self.settings, list(self.docks))
        if self.session is None or self.workspace is None:
            return
        workspace = self.workspace
        view = layout_memory.ProjectView(playhead_ms=workspace.transport.position_ms)
        if workspace.panels.is_built("timeline"):
            timeline = workspace.timeline
            view.focus_scene = timeline.focused_scene
            view.arc_measure = timeline.arc.options.measure
            view.arc_smooth = timeline.arc.options.smooth
        layout_memory.save_view(self.settings, self.session.project.path, view)

    def reset_layout(self) -> None:
        """The docks as a first start lays them out: every dock shown, in its own place."""
        from desk.ui.panels import PANELS

        if self.workspace is None or not self.docks:
            return
        for spec in PANELS:
            dock = self.docks[spec.name]
            dock.setFloating(False)
            self.addDockWidget(spec.area, dock)  # out of any tab group or split it was moved to
            dock.show()
        self.workspace.panels.arrange(self.docks)
        layout_memory.forget_window(self.settings)

    # -- commands ------------------------------------------------------------------------------
    def undo(self) -> None:
        if self.session is not None:
            self.session.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.redo()

    def characters_dialog(self) -> None:
        # imported on first use: the dialog's edits load SQLModel, which the first frame does
        # without
        from desk.ui.characters_dialog import open_characters

        open_characters(self, self.session)

    def _history_changed(self, undo: str, redo: str) -> None:
        self.undo_action.setText(f"Undo {undo}" if undo else "Undo")
        self.undo_action.setEnabled(bool(undo))
        self.redo_action.setText(f"Redo {redo}" if redo else "Redo")
        self.redo_action.setEnabled(bool(redo))

    def new_project_dialog(self) -> None:
        from desk.film_tasks import new_project

        film, _ = QFileDialog.getOpenFileName(self, "Choose a film", "", "Films (*)")
        if not film:
            return
        target, _ = QFileDialog.getSaveFileName(
            self, "Save the new project as", str(Path(film).with_suffix(".desk")), "desk (*.desk)"
        )
        if not target:
            return

        def opened(_: None) -> None:
            if self.open_project(Path(target), trusted_media=True):
                from desk.ui.film_tracks_dialog import offer_what_the_film_carries

                offer_what_the_film_carries(self, self.session)

        # Off the GUI thread: the first reading of a film's frame times takes seconds on a long one.
        run_task(
            self,
            f"Reading {Path(film).name}…",
            lambda _progress, _cancel: new_project(Path(target), Path(film)).close(),
            opened,
            warn_known(self),
        )

    def open_sent(self, path: Path | str | None) -> None:
        """A file sent by a later start (``desk open FILE``, a double-click in a file manager):
        the window comes to the front and opens it as File → Open does."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path | str) -> None:
        """A project, or a received bundle (``.deskz``) made into a new project first; or a
        class's address on a server."""
        if isinstance(path, Path) and path.suffix.lower() == ".deskz":
            self.open_bundle(path)
        else:
            self.open_project(path)

    def open_bundle(self, bundle: Path) -> None:
        from desk.interchange.bundle import open_as_project

        target, _ = QFileDialog.getSaveFileName(
            self, "Save the bundle as a project", str(bundle.with_suffix(".desk")),
            "desk projects (*.desk)",
        )  # fmt: skip
        if not target:
            return
        try:
            open_as_project(Path(target), bundle)
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
            return
        self.open_project(Path(target))

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a project", "", "desk projects (*.desk)")
        if path:
            self.open_project(Path(path))

    def open_class_dialog(self) -> None:
        """Ask for a class's address; the role and password come from libpq's usual places."""
        from desk.ui import ask

        address = ask.text(
            self, "Open class project", "The class's address (postgresql://HOST/DB?class=NAME):"
        )
        if address and address.strip():
            self.open_project(address.strip())

    def save_copy_dialog(self) -> None:
        if self.session is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy as", "", "desk (*.desk)")
        if target:
            try:
                self.session.project.save_copy(Path(target))
            except KnownError as exc:
                messages.warning(self, "desk", str(exc))

    def locate_film(self) -> None:
        """Find the project's film in a folder (moved, or on another machine), by its contents."""
        from desk.store import queries

        if self.session is None or self.workspace is None:
            return
        media = queries.reference_media(self.session.project)
        if media is None:
            messages.information(self, "desk", "This project has no film yet.")
            return
        self.workspace.relink(media)

    def align_copy_dialog(self) -> None:
        """Point the project at another copy of its film, aligned by matching moments."""
        from desk.store import queries
        from desk.ui.align_dialog import open_align_dialog

        if self.session is None or self.workspace is None:
            return
        if open_align_dialog(self, self.session, self.workspace.film) is not None:
            media = queries.reference_media(self.session.project)
            if media is not None:
                self.workspace.film_trust.trust(Path(media.path))  # the user chose this file
            self.workspace.load_media()

    def export_report_dialog(self) -> None:
        from desk.ui.report_dialog import export_project_report

        if self.session is not None:
            export_project_report(self, self.session.project)

    def present_dialog(self) -> None:
        """Full-screen presentation of one of the project's clip lists."""
        from PySide6.QtWidgets import QInputDialog

        from desk.store.clip_lists import clip_lists
        from desk.ui.presentation import presentation_for

        if self.session is None:
            return
        names = [str(row["name"]) for row in clip_lists(self.session.project)]
        if not names:
            messages.information(self, "desk", "This project has no clip list yet.")
            return
        name, ok = QInputDialog.getItem(self, "Present", "Clip list", names, 0, False)
        if not ok:
            return
        try:
            self._presentation = presentation_for(self.session.project, name)
        except KnownError as exc:
            messages.warning(self, "desk", str(exc))
            return
        self._presentation.start()

    def set_theme(self, name: str) -> None:
        from desk.ui.theme import apply_theme

        apply_theme(name)
        self.settings.setValue("theme", name)

    def show_about(self) -> None:
        """Version, licence, the libVLC and PyAV in use, and where data and settings live: what
        a problem report needs (the same as ``desk check``)."""
        from desk.diagnose import about_lines
        from desk.ui import messages

        lines = [*about_lines(), f"settings: {self.settings.fileName()}"]
        messages.information(self, "About desk", "\n".join(lines))

    def show_shortcuts(self) -> None:
        from desk.ui.shortcuts import ShortcutSheet

        ShortcutSheet(self).exec()

    def show_guide(self) -> None:
        from desk.ui.guide import GuideWindow

        self._guide = GuideWindow(self)
        self._guide.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.session is None:  # no project's docks: keep at least where the window was
            self.settings.setValue(layout_memory.GEOMETRY_KEY, self.saveGeometry())
        self.close_project()
        super().closeEvent(event)
