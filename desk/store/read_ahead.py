"""A read of a project made ahead of need, on a thread and a read-only connection of its own.

Opening a large project, the window builds its player and panels while the timeline's bulk
reads (every link and every note's kind: 205,000 values) could already run: SQLite reads without
holding Python's lock. :class:`ReadAhead` runs such a read in one read transaction and hands its
result over only if nothing was committed to the file since: SQLite's ``PRAGMA data_version``,
asked on the reading connection within its transaction and again when the result is taken,
changes when any other connection (the project's own included) has committed in between. A stale
or failed read is dropped, and the caller reads for itself.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from desk.store.sqlite import connect

if TYPE_CHECKING:
    from desk.store.project import Project

log = logging.getLogger("desk.store")
T = TypeVar("T")


class ReadAhead(Generic[T]):
    """``read`` of ``project`` run now on a thread; :meth:`take` hands its result over, once."""

    def __init__(self, project: Project, read: Callable[[Project], T]) -> None:
        self._project = project
        self._read = read
        self._result: T | None = None
        self._version: int | None = None
        self._conn: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="desk-read-ahead", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, project: Project, read: Callable[[Project], T]) -> ReadAhead[T] | None:
        """A read ahead of ``project``, or None for one it cannot be made of: a class on a
        server, or a file opened read-only (a second connection would write beside it)."""
        if project.readonly or not isinstance(project.conn, sqlite3.Connection):
            return None
        return cls(project, read)

    def _run(self) -> None:
        from desk.store.project import Project

        try:
            conn = connect(self._project.path, readonly=True)
        except sqlite3.Error as exc:
            log.info("no read ahead of %s: %s", self._project.path.name, exc)
            return
        self._conn = conn
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT 1 FROM sqlite_schema LIMIT 1").fetchall()  # the snapshot read
            version = int(conn.execute("PRAGMA data_version").fetchone()[0])
            result = self._read(Project(self._project.path, conn, None))
            conn.execute("COMMIT")
        except (sqlite3.Error, ValueError) as exc:
            log.info("the read ahead of %s failed: %s", self._project.path.name, exc)
            return
        self._result, self._version = result, version

    def take(self) -> T | None:
        """The result, if the read ended and nothing was committed to the file since it began;
        else None. The reading connection is closed: a second call answers None."""
        self._thread.join()
        conn, self._conn = self._conn, None
        result, self._result = self._result, None
        if conn is None:
            return None
        try:
            fresh = (
                self._version is not None
                and int(conn.execute("PRAGMA data_version").fetchone()[0]) == self._version
            )
        except sqlite3.Error:
            fresh = False
        finally:
            conn.close()
        return result if fresh else None

    def close(self) -> None:
        """Drop the read (the project is closing) once it has ended."""
        self.take()
