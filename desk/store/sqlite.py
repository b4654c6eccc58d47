"""SQLite connections for project files: durable, defensive, and checked before they are trusted.

Every connection of a project runs in WAL mode with ``synchronous=FULL`` (a committed edit survives
a power cut), foreign keys on, ``trusted_schema`` off and, where the Python build exposes it,
SQLite's defensive mode. Project files travel between people, so they are treated as untrusted.

:func:`read_header` inspects the 100-byte SQLite header without opening the database, so a file
from a newer desk, a foreign file or a truncated one is refused before SQLite touches it.
"""

from __future__ import annotations

import sqlite3
import struct
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


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a configured connection in autocommit mode; transactions are explicit."""
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    configure(conn, readonly=readonly)
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
