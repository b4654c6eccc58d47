"""The critic arranges the window, quits, starts again and finds it as it was left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QTabBar, QWidget

from desk.ui import layout_memory
from desk.ui.main_window import MainWindow

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


@pytest.fixture
def start_window(qtbot, sample_copy: Path) -> Iterator:  # type: ignore[type-arg]
    """Start desk on the sample as a user does (one window after another, same settings)."""
    windows: list[MainWindow] = []

    def start(width: int = 780, height: int = 760) -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        if not QSettings().contains(layout_memory.GEOMETRY_KEY):
            window.resize(width, height)  # a first start, within the test screen (800×800)
        window.show()
        assert window.open_project(sample_copy, trusted_media=True)
        qtbot.waitUntil(lambda: window.workspace.panels.is_built("timeline"), timeout=10000)
        qtbot.wait(50)  # the panels laid out once built
        windows.append(window)
        return window

    yield start
    for window in windows:
        window.close_project()


def on_top(window: MainWindow, title: str, other: str) -> bool:
    """Whether the tab ``title`` is the current one of the tab bar it shares with ``other``."""
    for bar in window.findChildren(QTabBar):
        titles = [bar.tabText(i) for i in range(bar.count())]
        if title in titles and other in titles:
            return bar.tabText(bar.currentIndex()) == title
    raise AssertionError(f"no tab bar with {title} and {other}")


def assert_default_layout(window: MainWindow) -> None:
    docks = window.docks
    assert not any(dock.isHidden() for dock in docks.values())
    assert window.dockWidgetArea(docks["essay"]) == RIGHT
    assert window.dockWidgetArea(docks["timeline"]) == BOTTOM
    assert docks["scenes"] in window.tabifiedDockWidgets(docks["notes"])
    assert docks["readings"] in window.tabifiedDockWidgets(docks["timeline"])


def test_the_layout_the_timeline_and_the_playhead_come_back_as_they_were_left(
    start_window, qtbot
) -> None:
    window = start_window()
    docks = window.docks
    window.addDockWidget(LEFT, docks["readings"])  # moved to the left
    docks["essay"].close()  # hidden
    docks["scenes"].raise_()  # the Scenes tab on top of the notes
    window.resizeDocks([docks["notes"]], [330], Qt.Orientation.Horizontal)  # the player/panel split
    window.resizeDocks([docks["timeline"]], [300], Qt.Orientation.Vertical)
    timeline = window.workspace.timeline
    bar = timeline.toolbar
    scene = bar.focus.findText("The final scene")
    bar.focus.setCurrentIndex(scene)
    bar.focus.activated.emit(scene)
    intensity = bar.measure.findData("intensity")
    bar.measure.setCurrentIndex(intensity)
    bar.measure.activated.emit(intensity)
    qtbot.mouseClick(bar.smooth, Qt.MouseButton.LeftButton)
    window.workspace.player.seek(61_727)
    qtbot.waitUntil(lambda: window.workspace.transport.position_ms > 60_000, timeout=5000)
    qtbot.wait(50)
    left_at = window.workspace.transport.position_ms
    notes_width = docks["notes"].width()
    timeline_height = docks["timeline"].height()
    focus = timeline.focused_scene
    assert focus is not None
    window.close()

    again = start_window()
    docks = again.docks
    assert again.dockWidgetArea(docks["readings"]) == LEFT
    assert docks["essay"].isHidden()
    assert on_top(again, "Scenes", "Notes and search")
    assert abs(docks["notes"].width() - notes_width) <= 2
    assert abs(docks["timeline"].height() - timeline_height) <= 2
    timeline = again.workspace.timeline
    assert timeline.focused_scene == focus
    assert timeline.toolbar.focus.currentText() == "The final scene"
    assert timeline.toolbar.measure.currentData() == "intensity"
    assert timeline.arc.options.measure == "intensity"
    assert timeline.toolbar.smooth.isChecked()
    assert timeline.arc.options.smooth
    qtbot.waitUntil(lambda: again.workspace.transport.position_ms == left_at, timeout=5000)


def test_reset_layout_puts_every_panel_back_in_its_place(start_window, qtbot) -> None:
    window = start_window()
    docks = window.docks
    window.addDockWidget(LEFT, docks["readings"])
    docks["essay"].close()
    docks["timeline"].setFloating(True)
    window.window_actions["view.reset_layout"].trigger()
    qtbot.wait(50)
    assert_default_layout(window)
    assert not docks["timeline"].isFloating()
    assert "Reset layout" in [a.text() for a in window.menus["View"].actions()]


@pytest.mark.parametrize("saved", ["corrupt", "other docks", "older version"])
def test_a_saved_layout_that_does_not_fit_gives_the_default_layout(
    start_window, qtbot, saved: str
) -> None:
    window = start_window()
    window.addDockWidget(LEFT, window.docks["readings"])  # what the saved state would restore
    older = window.saveState(layout_memory.STATE_VERSION - 1)  # as an older desk saved it
    window.close()
    settings = QSettings()
    if saved == "corrupt":
        settings.setValue(layout_memory.STATE_KEY, QByteArray(b"\x00\x00\x00\x02not a state"))
    elif saved == "other docks":
        settings.setValue(layout_memory.DOCKS_KEY, ["essay", "notes", "a panel since removed"])
    else:
        settings.setValue(layout_memory.STATE_KEY, older)
    settings.sync()
    assert_default_layout(start_window())


def test_a_window_saved_larger_than_the_screen_fits_on_it(start_window, qtbot) -> None:
    window = start_window()
    window.setGeometry(0, 0, 1500, 920)  # left at 1500×920 on a larger screen
    window.close()
    again = start_window()
    free = again.screen().availableGeometry()
    assert free.contains(again.frameGeometry())
    controls = again.workspace.player.controls
    assert controls.seek_bar.width() >= 200


@pytest.mark.parametrize("width", [800, 1600])
def test_the_seek_bar_timecode_and_go_to_field_stay_usable_at_any_width(
    start_window, qtbot, width: int
) -> None:
    window = start_window(width, 760)
    qtbot.waitUntil(lambda: window.width() == width)
    qtbot.wait(50)
    controls = window.workspace.player.controls
    assert controls.seek_bar.width() >= 200
    for field in (controls.time_label, controls.goto, controls.seek_bar):
        assert field.isVisible()
        shown = field.mapTo(window, field.rect().topRight())
        assert 0 <= shown.x() <= window.width()
    assert controls.wrapped == (width == 800)
    assert controls.mute_button.isVisible()  # on the second row when narrow, never dropped


def test_the_docks_come_back_at_their_sizes_from_the_first_paint(start_window, qtbot) -> None:
    """The saved layout is what the window first paints: no dock or player is shown at another
    size first, and the sizes hold once every panel is built."""
    window = start_window()
    docks = window.docks
    window.resizeDocks([docks["notes"]], [330], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["timeline"]], [300], Qt.Orientation.Vertical)
    QApplication.sendPostedEvents()

    def shown(window: MainWindow) -> dict[str, QRect]:
        """Where the docks on screen are (a tab behind another is kept off it) and the player."""
        on_screen = window.rect().intersects
        shown = {n: d.geometry() for n, d in window.docks.items() if on_screen(d.geometry())}
        return shown | {"player": window.workspace.player.geometry()}

    left = shown(window)
    window.close()

    first_paint: list[dict[str, QRect]] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            window = watched.window() if isinstance(watched, QWidget) else None
            opened = getattr(window, "workspace", None) is not None
            if event.type() == QEvent.Type.Paint and opened and not first_paint:
                first_paint.append(shown(window))
            return False

    spy = FirstPaint()
    QApplication.instance().installEventFilter(spy)
    try:
        again = start_window()
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert first_paint == [shown(again)]
    assert shown(again).keys() == left.keys()
    for name, back in shown(again).items():
        assert abs(back.width() - left[name].width()) <= 2, name
        assert abs(back.height() - left[name].height()) <= 25, name  # the window's frame
