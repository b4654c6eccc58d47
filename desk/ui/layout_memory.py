"""The window's layout and each project's view, kept in QSettings from one start to the next.

The window keeps its geometry and its docks (sizes, the player/panel split, hidden docks, which tab
is on top) with a state version and the names of the docks it was saved with: a state saved with
another set of docks, or one Qt cannot read, gives the default layout rather than a broken one. A
saved geometry larger than the screen now in use is shrunk onto it.

Each project keeps its own view, keyed by the project file's real path: the playhead, and the
timeline's focus scene, arc measure and smoothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtWidgets import QMainWindow

from desk.ui.settings_list import read_strings, write_strings

#: Raised whenever the docks change in a way an older saved state would misplace.
STATE_VERSION = 2
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
DOCKS_KEY = "window/docks"
VIEWS_GROUP = "project_views"


def save_window(window: QMainWindow, settings: QSettings, dock_names: list[str]) -> None:
    """Remember the window's geometry and its docks' layout."""
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState(STATE_VERSION))
    write_strings(settings, DOCKS_KEY, sorted(dock_names))


def restore_geometry(window: QMainWindow, settings: QSettings) -> None:
    """Put the window where it was left, shrunk and moved onto the screen it is on now."""
    geometry = settings.value(GEOMETRY_KEY)
    if isinstance(geometry, QByteArray) and window.restoreGeometry(geometry):
        fit_on_screen(window)


def fit_on_screen(window: QMainWindow) -> None:
    """Shrink and move a window that is larger than its screen's free area, or off it."""
    screen = window.screen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    free = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = frame.width() - window.width()  # the window manager's frame, if there is one
    extra_h = frame.height() - window.height()
    width = min(window.width(), free.width() - extra_w)
    height = min(window.height(), free.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    left = min(max(frame.left(), free.left()), free.right() - frame.width() + 1)
    top = min(max(frame.top(), free.top()), free.bottom() - frame.height() + 1)
    if QRect(left, top, frame.width(), frame.height()) != frame:
        window.move(left, top)


def fits_on_screen(window: QMainWindow) -> bool:
    """Whether the window's docks, at their smallest, fit on its screen's free area."""
    screen = window.screen()
    if screen is None:
        return True
    free, smallest = screen.availableGeometry(), window.minimumSizeHint()
    return smallest.width() <= free.width() and smallest.height() <= free.height()


def saved_docks(settings: QSettings, dock_names: list[str]) -> QByteArray | None:
    """The docks' layout as it was left, if it was saved with these docks."""
    state = settings.value(STATE_KEY)
    if not isinstance(state, QByteArray) or read_strings(settings, DOCKS_KEY) != sorted(dock_names):
        return None
    return state


def restore_docks(window: QMainWindow, settings: QSettings, dock_names: list[str]) -> bool:
    """Lay the docks out as they were left; False (nothing restored) when no state was saved,
    it was saved with other docks or another version, or Qt cannot read it."""
    state = saved_docks(settings, dock_names)
    return state is not None and window.restoreState(state, STATE_VERSION)


def forget_window(settings: QSettings) -> None:
    """The next start lays the docks out afresh (the geometry stays)."""
    for key in (STATE_KEY, DOCKS_KEY):
        settings.remove(key)


@dataclass
class ProjectView:
    """Where one project was left: the playhead, and how the timeline showed it."""

    playhead_ms: int = 0
    focus_scene: int | None = None
    arc_measure: str = "valence"
    arc_smooth: bool = False


def _group(project: Path) -> str:
    # QSettings keys cannot hold every character a path may; a digest of the real path can.
    digest = hashlib.sha1(str(project.resolve()).encode(), usedforsecurity=False).hexdigest()
    return f"{VIEWS_GROUP}/{digest[:20]}"


def _int(value: object, default: int | None) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def load_view(settings: QSettings, project: Path) -> ProjectView:
    """The view ``project`` was left in (the default view for a project never seen)."""
    group = _group(project)
    view = ProjectView()
    view.playhead_ms = max(0, _int(settings.value(f"{group}/playhead_ms"), 0) or 0)
    focus = _int(settings.value(f"{group}/focus_scene"), None)
    view.focus_scene = focus if focus is not None and focus >= 0 else None
    measure = settings.value(f"{group}/arc_measure")
    if isinstance(measure, str) and measure:
        view.arc_measure = measure
    view.arc_smooth = str(settings.value(f"{group}/arc_smooth", "false")).lower() == "true"
    return view


def save_view(settings: QSettings, project: Path, view: ProjectView) -> None:
    """Remember the view ``project`` is left in."""
    group = _group(project)
    settings.setValue(f"{group}/playhead_ms", int(view.playhead_ms))
    settings.setValue(f"{group}/focus_scene", -1 if view.focus_scene is None else view.focus_scene)
    settings.setValue(f"{group}/arc_measure", view.arc_measure)
    settings.setValue(f"{group}/arc_smooth", "true" if view.arc_smooth else "false")
