"""SQLite connections for project files: durable, defensive, and checked before they are trusted.

Every connection of a project runs in WAL mode with ``synchronous=FULL`` (a committed edit survives
a power cut), foreign keys on, ``trusted_schema`` off and, where the Python build exposes it,
SQLite's defensive mode. Project files travel between people, so they are treated as untrusted.

:func:`read_header` inspects the 100-byte SQLite header without opening the database, so a file
from a newer desk, a foreign file or a truncated one is refused before SQLite touches it.

A project that cannot be written (its file, its folder or its disk is read-only) is read through an
``immutable`` connection: a read-only connection in WAL mode would otherwise create the ``-shm`` and
``-wal`` files beside it, with the file's read-only mode, and those would keep every later edit
failing after the file is made writable again. :func:`interrupt_after` stops any statement that
runs past a deadline (an untrusted file's contents must not hang desk).
"""

from __future__ import annotations

import errno
import sqlite3
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: ``PRAGMA application_id`` of a desk project ("desk" in ASCII).
APPLICATION_ID = 0x6465736B

_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Header:
    """The parts of an SQLite file header that desk checks before opening a project."""

    page_size: int
    page_count: int
    page_count_valid: bool
    user_version: int
    application_id: int


def read_header(path: Path) -> Header | None:
    """Return the header of an SQLite file, or None if ``path`` is not one."""
    with path.open("rb") as f:
        raw = f.read(100)
    if len(raw) < 100 or not raw.startswith(_MAGIC):
        return None
    (page_size,) = struct.unpack(">H", raw[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", raw[24:32])
    (valid_for,) = struct.unpack(">I", raw[92:96])
    (user_version,) = struct.unpack(">I", raw[60:64])
    (application_id,) = struct.unpack(">I", raw[68:72])
    return Header(
        page_size=page_size,
        page_count=page_count,
        page_count_valid=valid_for == change_counter and page_count > 0,
        user_version=user_version,
        application_id=application_id,
    )


def connect(path: Path, *, readonly: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """Open a configured connection in autocommit mode; transactions are explicit.

    ``immutable`` reads the main file alone and writes nothing beside it (no ``-shm``, no
    ``-wal``); it is for files nobody can change, and it ignores what a ``-wal`` holds.
    """
    mode = "ro&immutable=1" if immutable else "ro" if readonly else "rwc"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    configure(conn, readonly=readonly or immutable)
    return conn


def configure(conn: sqlite3.Connection, *, readonly: bool = False) -> None:
    """Apply desk's durability and safety settings to a fresh connection."""
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if defensive is not None and hasattr(conn, "setconfig"):
        conn.setconfig(defensive, True)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 2000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


def quick_check(conn: sqlite3.Connection) -> str | None:
    """Return None when the database passes ``quick_check``, else SQLite's first complaint."""
    rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    first = rows[0][0] if rows else "no answer"
    return None if first == "ok" else str(first)


def backup_to(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the database into ``target`` with SQLite's backup API (consistent while in use)."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


@contextmanager
def interrupt_after(conn: sqlite3.Connection, deadline: float | None) -> Iterator[None]:
    """Interrupt whatever ``conn`` runs once ``time.monotonic()`` passes ``deadline`` (None: no
    limit); the statement running then raises an ``OperationalError`` (``SQLITE_INTERRUPT``)."""
    if deadline is None:
        yield
        return
    # SQLite calls the handler every N virtual-machine steps; ~10,000 steps take well under 1 ms.
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


#: Why SQLite could not read or write a project, by the prefix of its error name: each is the
#: environment's doing and told as itself, never as a bug.
_STORAGE_FAILURES = (
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_IOERR", "the disk reported an input/output error"),
    ("SQLITE_READONLY", "the file, its folder or its disk has become read-only"),
    ("SQLITE_CANTOPEN", "the file can no longer be reached (was it moved, or its disk removed?)"),
    ("SQLITE_BUSY", "another program is writing to it"),
    ("SQLITE_LOCKED", "another program is writing to it"),
)
_OS_FAILURES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EIO: "the disk reported an input/output error",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission was denied",
    errno.EPERM: "permission was denied",
}


def storage_failure(exc: BaseException) -> str | None:
    """Why the disk failed desk, in words, when ``exc`` is such a failure; None for anything else
    (a bug, or a damaged file)."""
    if isinstance(exc, OSError):
        return _OS_FAILURES.get(exc.errno or 0)
    name = getattr(exc, "sqlite_errorname", "")
    for prefix, reason in _STORAGE_FAILURES:
        if name == prefix or name.startswith(prefix + "_"):
            return reason
    return None
