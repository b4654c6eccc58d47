"""Run in a child process on a real X display: play a film through desk's libVLC backend in a
window, pause it a few times, and read the frame libVLC left on screen beside the frame desk
decodes at the time the backend reports.

Prints one JSON object: ``drifts``, desk's frame minus the frame on screen at each pause.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from desk.media.frames import FrameDecoder
from desk.media.playback import VlcBackend
from desk.media.synth import read_frame_number


def run_for(app: QApplication, ms: int, backend: VlcBackend) -> None:
    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < ms:
        app.processEvents()
        backend.is_playing()  # as the player's poll does: sends a held seek once playing


def on_screen(window: QWidget) -> int:
    image = window.screen().grabWindow(int(window.winId())).toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return read_frame_number(rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3))


def main(film: Path, frame_ms: float, pauses: int) -> None:
    app = QApplication([])
    window = QWidget()
    window.resize(720, 405)
    window.show()
    app.processEvents()
    backend = VlcBackend()
    backend.embed(int(window.winId()))
    backend.load(film, frame_ms)
    drifts = []
    with FrameDecoder(film) as decoder:
        backend.seek(0)
        for _ in range(pauses):
            backend.play()
            run_for(app, 900, backend)  # long enough for libVLC to be well under way
            backend.pause()
            run_for(app, 400, backend)  # and to leave its last picture on screen
            drifts.append(decoder.frame_at(backend.time_ms()).index - on_screen(window))
    backend.close()
    sys.stdout.write(json.dumps({"drifts": drifts}) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
