"""Bugs are written with their traceback to a crash log in the data folder."""

from __future__ import annotations

import logging
import tempfile
import time
import traceback
from pathlib import Path

from desk.errors import KnownError
from desk.paths import data_dir

log = logging.getLogger("desk.crash")


def record_crash(exc: BaseException) -> Path:
    """Append the exception's traceback to the crash log and return the log's path."""
    text = "".join(traceback.format_exception(exc))
    entry = f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{text}\n"
    try:
        path = data_dir() / "crash.log"
        with path.open("a", encoding="utf-8") as f:
            f.write(entry)
    except (OSError, KnownError):  # the data folder is the problem: keep the bug in /tmp
        path = Path(tempfile.gettempdir()) / "desk-crash.log"
        with path.open("a", encoding="utf-8") as f:
            f.write(entry)
    log.debug("crash recorded in %s", path)
    return path
