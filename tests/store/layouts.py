"""Comparing the table layout of two project files."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def layout(path: Path) -> dict[str, tuple[object, ...]]:
    """Every table's columns, indexes and foreign keys (the FTS shadow tables left out)."""
    conn = sqlite3.connect(path)
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r[0].startswith("search_")
    ]
    out = {
        t: (
            conn.execute(f"PRAGMA table_xinfo('{t}')").fetchall(),
            sorted(r[1:] for r in conn.execute(f"PRAGMA index_list('{t}')")),
            conn.execute(f"PRAGMA foreign_key_list('{t}')").fetchall(),
        )
        for t in names
    }
    conn.close()
    return out
