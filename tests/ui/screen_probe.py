"""Run in a child process on a real X display: embed libVLC, seek, read the frames off the screen.

Prints one JSON object: for each requested frame, the number read from the screen's pixels where
the player shows its picture, and whether libVLC drew into the embedded window while playing.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from desk.core.timemap import TimeMap
from desk.media.synth import read_frame_number
from desk.ui.player_view import PlayerView
from desk.ui.transport import Transport


def wait(app: QApplication, condition: object, timeout_ms: int = 8000) -> bool:
    clock = QElapsedTimer()
    clock.start()
    while not condition() and clock.elapsed() < timeout_ms:  # type: ignore[operator]
        app.processEvents()
    return bool(condition())  # type: ignore[operator]


def grab_rgb(app: QApplication, widget: object) -> object:
    import numpy as np

    screen = app.primaryScreen()
    top_left = widget.mapToGlobal(widget.rect().topLeft())  # type: ignore[attr-defined]
    pixmap = screen.grabWindow(0, top_left.x(), top_left.y(), widget.width(), widget.height())  # type: ignore[attr-defined]
    image = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_RGB888)
    stride = image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), stride)
    return data[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def main() -> None:
    film, fps_num, fps_den, duration_ms, *frames = sys.argv[1:]
    app = QApplication([])
    window = QMainWindow()
    transport = Transport(window)
    player = PlayerView(transport)
    window.setCentralWidget(player)
    window.resize(800, 520)
    window.show()
    wait(app, lambda: window.isVisible(), 2000)
    notice = player.load(Path(film), TimeMap(), (int(fps_num), int(fps_den)), int(duration_ms))
    rate = Fraction(int(fps_num), int(fps_den))
    seen = []
    for frame in map(int, frames):
        at_ms = int(-(-frame * 1000 // rate))  # the frame's first millisecond
        player.seek(at_ms)
        wait(app, lambda f=frame: player._shown_film_ms == player.rate.start_ms(f))
        for _ in range(5):
            app.processEvents()
        picture = player.picture
        rgb = grab_rgb(app, picture)
        seen.append(read_frame_number(_crop_to_content(rgb)))
    player.play()
    wait(app, lambda: transport.position_ms > 500, 5000)
    playing_pixels = grab_rgb(app, player.surface)
    drew = float(playing_pixels.mean()) > 5  # type: ignore[attr-defined]
    player.pause()
    backend = player.backend.name if player.backend else None
    result = {"frames": seen, "vlc_drew": drew, "backend": backend, "notice": notice}
    sys.stdout.write(json.dumps(result) + "\n")
    player.close_media()


def _crop_to_content(rgb: object) -> object:
    """The picture is letterboxed in black: keep the rows and columns that are not black."""
    import numpy as np

    arr = np.asarray(rgb)
    mask = arr.max(axis=2) > 12
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return arr[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


if __name__ == "__main__":
    main()
