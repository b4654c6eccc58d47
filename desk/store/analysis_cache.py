"""The project's cache of film analysis (the ``analysis`` table), keyed by film copy and settings.

Analysis results are derived data: they are written straight through SQL, outside the undo
journal, one committed transaction each. ``params`` is canonical JSON of the settings that
produced the result, so changing a setting misses the cache instead of reading a stale result.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import numpy as np

from desk.store.project import Project

LOUDNESS = "loudness"
CUTS = "cuts"
DTYPES = {LOUDNESS: np.float32, CUTS: np.int64}


def params_key(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


def read(project: Project, media_id: int, kind: str, params: dict[str, Any]) -> np.ndarray | None:
    found = project.query(
        "SELECT data FROM analysis WHERE media_id = ? AND kind = ? AND params = ? "
        "ORDER BY id DESC LIMIT 1",
        media_id,
        kind,
        params_key(params),
    )
    if not found:
        return None
    return np.frombuffer(bytes(found[0][0]), dtype=DTYPES[kind]).copy()


def latest(project: Project, media_id: int, kind: str) -> np.ndarray | None:
    """The newest cached result of ``kind`` for a copy, whatever its settings."""
    found = project.query(
        "SELECT data FROM analysis WHERE media_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
        media_id,
        kind,
    )
    if not found:
        return None
    return np.frombuffer(bytes(found[0][0]), dtype=DTYPES[kind]).copy()


def write(
    project: Project, media_id: int, kind: str, params: dict[str, Any], data: np.ndarray
) -> None:
    """Replace the cached result of ``kind`` for a copy (one committed transaction); a project
    open read-only keeps its cache as it is (the result is shown all the same)."""
    if project.readonly:
        return
    blob = np.ascontiguousarray(data, dtype=DTYPES[kind]).tobytes()
    conn: sqlite3.Connection = project.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM analysis WHERE media_id = ? AND kind = ?", (media_id, kind))
        conn.execute(
            "INSERT INTO analysis (media_id, kind, params, data) VALUES (?, ?, ?, ?)",
            (media_id, kind, params_key(params), blob),
        )
        conn.execute("COMMIT")
    except BaseException:
        # SQLite rolls back by itself when the disk is full or failing; rolling back again
        # would raise "no transaction is active" and hide why the edit failed.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def forget(project: Project, media_id: int) -> None:
    """Drop every cached result for a copy (its file was replaced by another)."""
    project.conn.execute("DELETE FROM analysis WHERE media_id = ?", (media_id,))
