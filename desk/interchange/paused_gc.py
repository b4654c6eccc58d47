"""Python's cycle collector paused while a large file is merged, or while desk starts.

A sheet's row becomes a list of cells, a note and its links, each a container the collector
tracks, and most of them live until their batch of 10,000 is inserted: the collector then runs
thousands of times over objects that reference counting frees anyway (about 0.5 s of a 300,000
row import). Nothing an import makes holds a cycle that must be collected before it ends, so the
collector waits until then. Imports on several threads share one pause: the collector comes
back when the last one ends, and only if it ran before the first began. Start-up pauses it
too: the modules and the window it makes live as long as desk (:mod:`desk.app`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


class _Pause:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False


_PAUSE = _Pause()


@contextlib.contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Run the body with the cycle collector paused; it runs again afterwards, however the body
    ends."""
    with _PAUSE.lock:
        if _PAUSE.depth == 0:
            _PAUSE.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSE.depth += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.depth -= 1
            if _PAUSE.depth == 0 and _PAUSE.was_enabled:
                gc.enable()
