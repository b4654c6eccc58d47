"""How an undo journal entry holds a bulk insert's rows: named by their table and range of ids
when the command commits, read into the entry only when it is undone.

Written at once, an import's 300,000 notes and links went into its entry a second time, as JSON
(~0.7 s of CPU time of a 20 MB sheet's import, and SQLite held the entry's blob whole in memory for
a moment: ~80 MB of its peak), although the rows are in their tables. Undo comes before any redo,
and every later command is undone before this one: so undo finds the rows as the command left them,
and reads them into the entry then. In the entry's forward text a bulk insert is first ::

    ["insert_range", table, {"columns": [...], "ids": [first, last]}, null]

and, once undone, as a redo replays it (the form every entry had before, which still undoes and
redoes as it did) ::

    ["insert_many", table, {"columns": [...], "rows": [[...], ...]}, null]

On a class server the rows are written at once, as before: there other people's commands, which
are not undone first, may change them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from desk.errors import ProjectCorrupt

Row = dict[str, Any]
Op = tuple[str, str, Row, Row | None]
#: The operation that names a bulk insert's rows by their range of ids.
RANGE = "insert_range"


def forward_text(conn: sqlite3.Connection, ops: list[Op]) -> str:
    """The journal's forward text of ``ops``: a bulk insert (``insert_many`` with the
    ``columns`` and the ``[first, last]`` ``ids`` of its rows) named by its range in SQLite, its
    rows read back from the table on a server."""
    on_server = bool(getattr(conn, "on_server", False))
    pieces = []
    for op, table, row, before in ops:
        if op == "insert_many":
            if not on_server:
                pieces.append(json.dumps([RANGE, table, row, before]))
                continue
            row = {"columns": row["columns"], "rows": _rows(conn, table, row)}
        pieces.append(json.dumps([op, table, row, before]))
    return "[" + ", ".join(pieces) + "]"


def _rows(conn: sqlite3.Connection, table: str, named: Row) -> list[list[Any]]:
    found = conn.execute(
        f"SELECT {', '.join(named['columns'])} FROM {table} WHERE id BETWEEN ? AND ? ORDER BY id",
        named["ids"],
    ).fetchall()
    return [list(r) for r in found]


def ranges(ops: list[Any]) -> list[tuple[str, list[str], int, int]]:
    """The bulk inserts that the forward ``ops`` of an entry (as read from the file) name by
    range: table, columns, first and last id. A range that is not two ascending ids, or columns
    that are not a list of names, is damage."""
    named = []
    for entry in ops:
        if not (isinstance(entry, list) and len(entry) == 4 and entry[0] == RANGE):
            continue
        _, table, row, _ = entry
        columns, ids = (row.get("columns"), row.get("ids")) if isinstance(row, dict) else (0, 0)
        if not (
            isinstance(table, str)
            and isinstance(columns, list)
            and columns
            and all(isinstance(c, str) for c in columns)
            and isinstance(ids, list)
            and len(ids) == 2
            and all(type(i) is int for i in ids)
            and 0 < ids[0] <= ids[1]
        ):
            raise ProjectCorrupt("the undo history holds a damaged range of rows.")
        named.append((table, columns, ids[0], ids[1]))
    return named


def write_rows(conn: sqlite3.Connection, entry: int, ops: list[Any]) -> None:
    """Write the forward text of journal ``entry`` again with the rows its bulk inserts name by
    range (``ops``, checked by the caller) read in from their tables. In SQLite they are read as
    JSON by SQLite itself, a row at a time, and written through incremental blob I/O: 300,000
    rows as one Python text would be ~50 MB several times over (read back, joined, and copied by
    SQLite), so the entry is stored as UTF-8 bytes."""
    if getattr(conn, "on_server", False):
        text = [
            [op[0], op[1], {"columns": op[2]["columns"], "rows": _rows(conn, op[1], op[2])}, None]
            if op[0] == RANGE
            else op
            for op in ops
        ]
        conn.execute("UPDATE journal SET forward = ? WHERE id = ?", (json.dumps(text), entry))
        return
    pieces: list[bytes | tuple[str, str, list[int]]] = [b"["]
    for n, (op, table, row, before) in enumerate(ops):
        pieces.append(b", " if n else b"")
        if op != RANGE:
            pieces.append(json.dumps([op, table, row, before]).encode())
            continue
        head = json.dumps({"columns": row["columns"]})[:-1] + ', "rows": '
        pieces.append(f'["insert_many", {json.dumps(table)}, {head}'.encode())
        pieces.append((table, ", ".join(row["columns"]), row["ids"]))
        pieces.append(b"}, null]")
    pieces.append(b"]")
    size = sum(len(p) if isinstance(p, bytes) else _json_size(conn, *p) for p in pieces)
    conn.execute("UPDATE journal SET forward = zeroblob(?) WHERE id = ?", (size, entry))
    with conn.blobopen("journal", "forward", entry) as blob:
        for piece in pieces:
            for chunk in [piece] if isinstance(piece, bytes) else _json_rows(conn, *piece):
                blob.write(chunk)
        if blob.tell() != size:
            raise RuntimeError(f"the journal entry {entry} is {blob.tell()} bytes, not {size}")


def _json_size(conn: sqlite3.Connection, table: str, columns: str, ids: list[int]) -> int:
    """The length in bytes of what :func:`_json_rows` writes."""
    count, total = conn.execute(
        f"SELECT count(*), coalesce(sum(length(CAST(json_array({columns}) AS BLOB))), 0) "
        f"FROM {table} WHERE id BETWEEN ? AND ?",
        ids,
    ).fetchone()
    return int(total) + max(int(count) - 1, 0) + 2


def _json_rows(
    conn: sqlite3.Connection, table: str, columns: str, ids: list[int]
) -> Iterator[bytes]:
    """The rows of ``table`` with ids in ``ids`` as a JSON array of arrays, in pieces of about
    a thousand rows."""
    found = conn.execute(
        f"SELECT CAST(json_array({columns}) AS BLOB) FROM {table} "
        "WHERE id BETWEEN ? AND ? ORDER BY id",
        ids,
    )
    yield b"["
    first = True
    while batch := found.fetchmany(1000):
        yield (b"" if first else b",") + b",".join(r[0] for r in batch)
        first = False
    yield b"]"
