"""Full-text search over the essay, notes and beats (SQLite FTS5).

The ``search`` table is kept in step by the command layer (:mod:`desk.store.commands`) rather than
by triggers, because project files are opened with ``trusted_schema`` off. Its rowid packs the kind
of the row and its id, so updates and deletes touch one row by key.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

#: Indexed tables, their code in the packed rowid and the SQL that yields (id, text) per row.
SOURCES: dict[str, tuple[int, str]] = {
    "paragraph": (1, "SELECT id, text FROM paragraph"),
    "note": (2, "SELECT id, text FROM note"),
    "beat": (3, "SELECT id, label || ' ' || description FROM beat"),
    "cue": (
        0,
        "SELECT id, CASE WHEN speaker = '' THEN text ELSE speaker || ': ' || text END FROM cue",
    ),
}
_KIND_BY_CODE = {code: kind for kind, (code, _) in SOURCES.items()}


@dataclass(frozen=True)
class Hit:
    kind: str
    ref_id: int
    snippet: str


def rowid(kind: str, ref_id: int) -> int:
    return ref_id * 4 + SOURCES[kind][0]


def text_of(kind: str, row: dict[str, object]) -> str:
    if kind == "beat":
        return f"{row.get('label', '')} {row.get('description', '')}"
    if kind == "cue" and row.get("speaker"):
        return f"{row['speaker']}: {row.get('text', '')}"
    return str(row.get("text", ""))


def put(conn: sqlite3.Connection, kind: str, ref_id: int, text: str) -> None:
    if _on_server(conn):
        return  # a class on a server searches its tables themselves
    conn.execute(
        "INSERT OR REPLACE INTO search(rowid, body) VALUES (?, ?)", (rowid(kind, ref_id), text)
    )


def put_range(conn: sqlite3.Connection, kind: str, first: int, last: int) -> None:
    """:func:`put` for the rows of one kind whose ids run from ``first`` to ``last``, read from
    their table."""
    if _on_server(conn):
        return
    code, select = SOURCES[kind]
    # Rows just inserted have no entries, unless a file kept some of rows deleted before: those
    # are dropped first, so the rows go in by a plain INSERT (OR REPLACE would look each one up,
    # a third of the fill's time), in one statement, without passing through Python.
    drop_range(conn, kind, first, last)
    texts = select.removeprefix("SELECT id, ")
    conn.execute(
        f"INSERT INTO search(rowid, body) SELECT id * 4 + {code}, {texts} WHERE id BETWEEN ? AND ?",
        (first, last),
    )


def drop(conn: sqlite3.Connection, kind: str, ref_id: int) -> None:
    if _on_server(conn):
        return
    conn.execute("DELETE FROM search WHERE rowid = ?", (rowid(kind, ref_id),))


def drop_range(conn: sqlite3.Connection, kind: str, first: int, last: int) -> None:
    """:func:`drop` for the rows of one kind whose ids run from ``first`` to ``last``."""
    if _on_server(conn):
        return
    conn.execute(
        "DELETE FROM search WHERE rowid BETWEEN ? AND ? AND rowid % 4 = ?",
        (rowid(kind, first), rowid(kind, last), SOURCES[kind][0]),
    )


def reindex_all(conn: sqlite3.Connection, kinds: tuple[str, ...] = tuple(SOURCES)) -> None:
    """Rebuild the index from ``kinds`` (a migration names the tables its version has)."""
    conn.execute("DELETE FROM search")
    for kind in kinds:
        sql = SOURCES[kind][1]
        rows = conn.execute(sql).fetchall()
        conn.executemany(
            "INSERT INTO search(rowid, body) VALUES (?, ?)",
            ((rowid(kind, ref_id), text) for ref_id, text in rows),
        )


def _on_server(conn: object) -> bool:
    """Whether ``conn`` is a class's on a PostgreSQL server (:mod:`desk.store.server`)."""
    return bool(getattr(conn, "on_server", False))


def _fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query: every word must appear, the last as a prefix."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(conn: sqlite3.Connection, text: str, limit: int = 200) -> list[Hit]:
    """Rows whose text contains every word typed, oldest rows first.

    Ordering by FTS5's ``rank`` scores every match before the first can be returned (30–70 ms for
    a common word over 100,000 notes); rowid order lets SQLite stop at ``limit`` (2–5 ms).
    """
    if _on_server(conn):
        from desk.store.server_search import search as on_server

        return on_server(conn, text, limit)
    query = _fts_query(text)
    if not query:
        return []
    rows = conn.execute(
        "SELECT rowid, snippet(search, 0, '[', ']', '…', 12) FROM search "
        "WHERE search MATCH ? ORDER BY rowid LIMIT ?",
        (query, limit),
    ).fetchall()
    return [Hit(_KIND_BY_CODE[r % 4], r // 4, snippet) for r, snippet in rows]
