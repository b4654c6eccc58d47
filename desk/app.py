"""The GUI entry point: show a window at once, then load the project and the heavy libraries.

The main window appears before PyAV, pyqtgraph, SQLModel and ReportLab are imported; the project
(or, on first run, the sample project, rendered once into the data folder) opens on the next turn
of the event loop. Opening it needs neither SQLModel, pyqtgraph nor NumPy: the film's first frame is
on screen before the panels and the timeline that bring them in are built.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desk.ui.main_window import MainWindow

log = logging.getLogger("desk.app")


def _excepthook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
    """Bugs reach the crash log and one message box; the window stays up. A user's problem that
    reached the event loop (the disk is full, the project was made read-only) is told as it is."""
    from PySide6.QtWidgets import QApplication

    from desk.errors import KnownError
    from desk.ui import messages

    if isinstance(exc, KnownError) and QApplication.instance() is not None:
        log.warning("%s", exc)
        messages.warning(None, "desk", str(exc))
        return
    from desk.crash import record_crash

    where = record_crash(exc)
    log.error("internal error: %s (details in %s)", exc, where)
    if QApplication.instance() is not None:
        messages.critical(
            None, "desk", f"Something went wrong inside desk: {exc}\nDetails are in {where}."
        )


def configure(app: QApplication) -> None:
    """Names, and the icon every window shows; the desktop file name lets a Linux desktop match
    the windows to ``desk.desktop`` (see ``desk install-desktop``)."""
    from desk.ui.app_icon import app_icon

    app.setApplicationName("desk")
    app.setOrganizationName("desk")
    app.setDesktopFileName("desk")
    app.setWindowIcon(app_icon())


def application() -> QApplication:
    """The running QApplication, made if there is none. No screen or no Qt platform plugin raises
    :class:`~desk.startup.StartupError` (or exits with one line), instead of Qt's abort."""
    from PySide6.QtWidgets import QApplication

    from desk.startup import check_screen, fatal_qt_messages_told, keep_no_module_sources

    keep_no_module_sources()
    app = QApplication.instance()
    if app is None:
        check_screen()
        with fatal_qt_messages_told():
            app = QApplication(sys.argv)
    assert isinstance(app, QApplication)
    return app


def start_gui(project: Path | str | None = None) -> tuple[QApplication, MainWindow]:
    """The application and its window, shown; ``project`` opens once the window is painted."""
    import PySide6  # noqa: F401  (brings in PySide6's look at each module imported after it)

    from desk.interchange.paused_gc import cycles_uncollected
    from desk.startup import keep_no_module_sources, keep_out_of_collection

    keep_no_module_sources()  # before the window's modules are imported
    with cycles_uncollected():  # what start-up makes lives as long as desk
        from desk.ui.main_window import MainWindow

        app = application()
        configure(app)
        sys.excepthook = _excepthook
        window = MainWindow()
        window.show()
        keep_out_of_collection()  # before the collector runs again, over all of it
    window.start_when_painted(project)
    return app, window


def run_gui(project: Path | str | None = None) -> int:
    """Start the window and run until it closes, or hand ``project`` to the desk already running
    on this data folder (single instance) and exit 0. No screen is one line on stderr, a data
    folder desk cannot write is one dialog; both exit with 1."""
    from desk.errors import KnownError
    from desk.startup import StartupError, check_data_folder
    from desk.ui.single_instance import Instance, hand_over

    try:
        application()
    except StartupError as exc:
        sys.stderr.write(f"desk: {exc}\n")
        return 1
    try:
        check_data_folder()
    except KnownError as exc:
        from desk.ui import messages

        messages.critical(None, "desk", str(exc))
        return 1
    instance = Instance.claim()
    if instance is None:
        hand_over(project)
        log.info("%s went to the desk already running", project or "the request")
        return 0
    app, window = start_gui(project)
    instance.serve(window.open_sent)
    try:
        return app.exec()
    finally:
        instance.release()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="desk: %(message)s")
    args = sys.argv[1:]
    return run_gui(Path(args[0]) if args else None)
