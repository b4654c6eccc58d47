"""SQLite's ``quick_check`` of a project, told as damage, a failing disk or a file too slow to
check; and the same check run later, off the GUI thread, for a window that shows the project first.

The check reads every page of the file: the largest single step of opening a large project. The
CLI checks before it uses a file (:func:`check`). The window may open a current project, which
runs no code of its own (its schema is checked first, always) and needs no migration, before the
verdict: :class:`LaterCheck` runs the check on its own read-only connection in a thread, and
every write waits for the verdict (the project's first edit, its backups, a copy). A damaged file
found so is never written: the project turns read-only, with the sentence a refused file gets.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from desk.errors import KnownError, ProjectCorrupt, ProjectError, ProjectTooSlow
from desk.store.sqlite import connect, quick_check, storage_failure

log = logging.getLogger("desk.store")


def check(conn: sqlite3.Connection, path: Path, backups: Path) -> None:
    """Raise a :class:`ProjectError` that says why, unless the file passes ``quick_check``.

    ``backups`` is the folder of the project's backups, named in the sentence when it exists."""
    try:
        problem = quick_check(conn)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
            raise ProjectTooSlow(f"{path.name} took too long to check and was not opened.") from exc
        reason = storage_failure(exc)
        if reason is not None:
            raise ProjectError(f"{path.name} cannot be read: {reason}.") from exc
        problem = str(exc)
    if problem is not None:
        raise ProjectCorrupt(
            f"{path.name} is damaged ({problem}); open one of its backups instead"
            + (f" (in {backups})." if backups.is_dir() else ".")
        )


class LaterCheck:
    """:func:`check` of a project on a thread of its own, started by :meth:`start` (or by the first
    :meth:`verdict` that asks to). ``on_verdict`` is called on that thread with the error found, or
    None; not for a check cancelled before its end."""

    def __init__(
        self,
        path: Path,
        backups: Path,
        on_verdict: Callable[[KnownError | None], None] | None = None,
    ) -> None:
        self.path = path
        self.on_verdict = on_verdict
        self._backups = backups
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None
        self._found: KnownError | None = None
        self._cancelled = False
        self._judged = False  # the check ran to its end
        self._done = threading.Event()

    def start(self) -> None:
        with self._lock:
            if self._thread is not None or self._cancelled:
                return
            self._thread = threading.Thread(target=self._run, name="desk-check", daemon=True)
            self._thread.start()

    def verdict(self, *, start: bool = True) -> KnownError | None:
        """Wait for the check, starting it unless ``start`` is false; the error it found, or None.
        A check cancelled before its end (the project closed) is no verdict of health: it answers
        with an error too."""
        if start:
            self.start()
        self._done.wait()
        if not self._judged:
            return ProjectError(f"{self.path.name} was closed before it was checked.")
        return self._found

    def cancel(self) -> None:
        """Stop the check (the project is closing) and wait until its connection is closed."""
        with self._lock:
            if self._done.is_set():
                return
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
            thread = self._thread
        if thread is None:
            self._done.set()
        else:
            thread.join()

    def _run(self) -> None:
        try:
            found = self._check()
            with self._lock:
                if self._cancelled:
                    return  # interrupted, not judged
                self._found, self._judged = found, True
            if found is not None:
                log.warning("%s", found)
            if self.on_verdict is not None:  # told before any write waiting for it goes on
                self.on_verdict(found)
        finally:
            self._done.set()

    def _check(self) -> KnownError | None:
        try:
            conn = connect(self.path, readonly=True)
        except sqlite3.Error as exc:
            return ProjectError(f"{self.path.name} cannot be read: {storage_failure(exc) or exc}.")
        try:
            with self._lock:
                if self._cancelled:
                    return None
                self._conn = conn
            check(conn, self.path, self._backups)
        except KnownError as exc:
            return exc
        finally:
            with self._lock:
                self._conn = None
            conn.close()
        return None
