"""``desk check --play``: the window on the sample project, playing, and what libVLC drew.

Opens the window as a user's first start does (rendering the sample into the data folder if it is
not there yet), plays for a moment and reports the backend that played, libVLC's own count of the
pictures its video output showed, how far the film's clock moved, and whether the pixels on screen
where the film plays are more than black. A fallback to Qt Multimedia, a libVLC without plugins (no
picture shown) and a black window all fail the check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QThread
from PySide6.QtWidgets import QApplication, QWidget

#: Pictures libVLC must show, and how long it may take (the first start of libVLC scans plugins).
WANTED_PICTURES = 12
PLAY_TIMEOUT_MS = 20000


def _wait(app: QApplication, condition: Callable[[], bool], timeout_ms: int) -> bool:
    clock = QElapsedTimer()
    clock.start()
    while not condition() and clock.elapsed() < timeout_ms:
        app.processEvents()
        QThread.msleep(10)  # libVLC and the decoders work in their own threads meanwhile
    return condition()


def _brightness(app: QApplication, widget: QWidget) -> float:
    """Mean brightness (0-255) of the screen where ``widget`` is (libVLC draws there, not Qt)."""
    screen = app.primaryScreen()
    corner = widget.mapToGlobal(widget.rect().topLeft())
    pixmap = screen.grabWindow(0, corner.x(), corner.y(), widget.width(), widget.height())
    image = pixmap.toImage().scaled(32, 18)
    values = [image.pixelColor(x, y).value() for x in range(image.width())
              for y in range(image.height())]  # fmt: skip
    return sum(values) / max(1, len(values))


def check_playback() -> tuple[bool, str]:
    """(worked, what was seen) for the sample project played in the window."""
    from desk.app import configure
    from desk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure(app)
    window = MainWindow()
    window.show()
    try:
        if not _wait(app, window.isVisible, 5000):
            return False, "the window did not appear"
        window.open_sample()
        workspace = window.workspace
        if workspace is None:
            return False, "the sample project did not open"
        player = workspace.player
        player.start_playback()  # at once, not after the first frame
        backend = player.backend
        if backend is None:
            return False, "nothing can play the film (no libVLC, no Qt Multimedia)"
        if backend.name != "libVLC":
            return False, f"the film played through {backend.name}, not libVLC"

        def shown() -> int:
            return backend.pictures_shown() or 0  # libVLC counts (Qt Multimedia was refused above)

        start_ms = player.transport.position_ms
        player.play()
        drew = _wait(app, lambda: shown() >= WANTED_PICTURES, PLAY_TIMEOUT_MS)
        moved_ms = player.transport.position_ms - start_ms
        brightness = _brightness(app, player.surface)
        player.pause()
        seen = (
            f"libVLC showed {shown()} pictures in the window on {app.platformName()}; the film "
            f"moved {moved_ms} ms; brightness {brightness:.0f}/255"
        )
        return drew and moved_ms > 0 and brightness > 8, seen
    finally:
        window.close_project()
        window.close()
