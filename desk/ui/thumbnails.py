"""Small exact-frame thumbnails for link chips and evidence, decoded off the GUI thread.

A miss returns None and asks the frame server; ``updated`` fires when pictures arrive so views can
repaint. The pixmaps are made on the GUI thread from the decoded arrays.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPixmap

from desk.core.timemap import TimeMap
from desk.errors import KnownError
from desk.ui.player_view import to_pixmap

THUMB_WIDTH = 96


class Thumbnails(QObject):
    updated = Signal()
    _arrived = Signal(int, object)  # film_ms, Frame

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server: Any = None
        self._map = TimeMap()
        self._pixmaps: dict[int, QPixmap] = {}
        self._asked: set[int] = set()
        self._arrived.connect(self._store)
        self._batch = QTimer(self, singleShot=True, interval=50)
        self._batch.timeout.connect(self.updated.emit)

    def load(self, film: Path, time_map: TimeMap) -> None:
        from desk.media.frames import FrameServer

        self.close()
        self._map = time_map
        try:
            self._server = FrameServer(film, max_width=THUMB_WIDTH)
        except KnownError:
            self._server = None

    def pixmap(self, film_ms: int) -> QPixmap | None:
        found = self._pixmaps.get(film_ms)
        if found is None:
            self._ask(film_ms)
        return found

    def prefetch(self, times: Iterable[int]) -> None:
        for film_ms in sorted(set(times)):
            self._ask(film_ms)

    def _ask(self, film_ms: int) -> None:
        if self._server is None or film_ms in self._asked:
            return
        self._asked.add(film_ms)
        self._server.prefetch(
            [self._map.to_copy(film_ms)],
            callback=lambda frame, at=film_ms: self._deliver(at, frame),
        )

    def _deliver(self, film_ms: int, frame: Any) -> None:
        """On the decoder's thread: hand the frame over, unless the window is already gone."""
        with contextlib.suppress(RuntimeError):  # the Qt object was deleted meanwhile
            self._arrived.emit(film_ms, frame)

    def _store(self, film_ms: int, frame: Any) -> None:
        self._pixmaps[film_ms] = to_pixmap(frame)
        self._batch.start()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._pixmaps.clear()
        self._asked.clear()
