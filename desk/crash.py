"""Bugs are written with their traceback to a crash log in the data folder."""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

from desk.paths import data_dir

log = logging.getLogger("desk.crash")


def record_crash(exc: BaseException) -> Path:
    """Append the exception's traceback to the crash log and return the log's path."""
    path = data_dir() / "crash.log"
    text = "".join(traceback.format_exception(exc))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{text}\n")
    log.debug("crash recorded in %s", path)
    return path
