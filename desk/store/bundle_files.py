"""Project files that travel in bundles: a copy made portable before it is sent, the checks a
received one must pass beyond those of opening, and a new project filled with a received one's rows.

A bundle's project is a copy of the sender's, and the receiver's desk opens it through the same
checks as any project (:meth:`desk.store.project.Project.open`); what is here works on such copies
only, never on a project someone has open.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from desk.core.text import clean_text
from desk.store import merge_rows, schema, search
from desk.store.commands import PROSE_COLUMNS, table_of
from desk.store.project import Project
from desk.store.sqlite import connect, interrupt_after


def file_name(path: str) -> str:
    """The last part of a path written on any system (``C:\\films\\a.mkv`` → ``a.mkv``)."""
    return re.split(r"[\\/]", path)[-1]


def make_portable(copy: Path) -> None:
    """Remove from a copy of a project what must not travel: the sender's folders (each film copy
    and each tier's source keep their file name only, and no film copy counts as confirmed), the
    undo history (old rows, old paths), the analysis cache, the words of deleted text in the
    search index and in the merge base (:func:`desk.store.merge_rows.hide_deleted`); then rebuild
    the file so that no freed page keeps any of it."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for media_id, path in conn.execute("SELECT id, path FROM media").fetchall():
            conn.execute(
                "UPDATE media SET path = ?, path_confirmed = 0 WHERE id = ?",
                (file_name(str(path)), media_id),
            )
        for tier_id, source in conn.execute("SELECT id, source FROM tier").fetchall():
            conn.execute("UPDATE tier SET source = ? WHERE id = ?", (file_name(source), tier_id))
        conn.execute("DELETE FROM journal")
        conn.execute("DELETE FROM analysis")
        merge_rows.hide_deleted(conn)
        # The search index keeps the words of deleted text in its segments until they merge;
        # rebuilt from the rows that are there, it holds none of them.
        conn.execute("INSERT INTO search(search) VALUES ('rebuild')")
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


def _tables() -> list[Any]:
    """desk's own tables (SQLAlchemy ``Table`` objects), in dependency order."""
    from desk.store import models

    return [models.SQLModel.metadata.tables[table_of(m)] for m in models.EDITABLE]


#: ``typeof()`` values each declared column type accepts.
_TYPES = {"INTEGER": "'integer'", "BOOLEAN": "'integer'", "FLOAT": "'real', 'integer'",
          "VARCHAR": "'text'"}  # fmt: skip


def _type_checks() -> dict[str, str]:
    """Per table, SQL counting the rows whose values are not of the types desk writes."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    dialect = sqlite_dialect.dialect()
    checks = {}
    for table in _tables():
        terms = []
        for column in table.columns:
            allowed = _TYPES[str(column.type.compile(dialect=dialect))]
            if column.nullable:
                allowed += ", 'null'"
            terms.append(f"typeof({column.name}) NOT IN ({allowed})")
        checks[table.name] = f"SELECT count(*) FROM {table.name} WHERE {' OR '.join(terms)}"
    return checks


def holds_together(project: Project, *, deadline: float | None = None) -> bool:
    """Whether every index of a received project agrees with its table (which the
    ``quick_check`` of opening does not look at) and every reference between its rows holds.

    SQLite stops with an interrupt error once ``time.monotonic()`` passes ``deadline``."""
    with interrupt_after(project.conn, deadline):
        if project.query("PRAGMA integrity_check(1)") != [("ok",)]:
            return False
        return not project.query("PRAGMA foreign_key_check")


def table_with_foreign_values(project: Project, *, deadline: float | None = None) -> str | None:
    """The first table of a received project holding values of types desk does not write there
    (text in a time, a number in a name), or None.

    SQLite stops with an interrupt error once ``time.monotonic()`` passes ``deadline``."""
    with interrupt_after(project.conn, deadline):
        for table, sql in _type_checks().items():
            if project.query(sql)[0][0]:
                return table
    return None


def new_project_from(
    source: Project,
    target: Path,
    *,
    film: Path | None,
    base: Iterable[tuple[str, str, int, str]] = (),
) -> dict[str, int]:
    """Write every row of ``source`` into a new file at ``target`` of desk's own schema (none of
    the source's tables, triggers or history comes along); returns how many rows of each table.
    The new project's merge base is ``base`` (the source's own is not copied: the new project's
    other side holds what the source holds).

    Text is cleaned as every edit's is (a sender's bidi override must not reverse text in the
    receiver's window); each film copy is named by its file name and unconfirmed, and the
    reference copy points at ``film`` when there is one; missing uids are filled and the search
    index is built. The file is written in one transaction and synced: when SQLite refuses the
    rows (``sqlite3.Error``), ``target`` holds none of them.
    """
    conn = connect(target)
    try:
        conn.execute("BEGIN IMMEDIATE")
        schema.create_schema(conn)
        counts = _copy_rows(source, conn)
        conn.executemany(
            "INSERT INTO merge_base (kind, uid, position, content) VALUES (?, ?, ?, ?)", base
        )
        for media_id, old in conn.execute("SELECT id, path FROM media").fetchall():
            conn.execute(
                "UPDATE media SET path = ?, path_confirmed = 0 WHERE id = ?",
                (file_name(str(old)), media_id),
            )
        reference = conn.execute(
            "SELECT id FROM media ORDER BY is_reference DESC, id LIMIT 1"
        ).fetchone()
        if film is not None and reference is not None:
            conn.execute("UPDATE media SET path = ? WHERE id = ?", (str(film), reference[0]))
        for table_name in (*schema.UID_TABLES, "tier"):
            conn.execute(schema.FILL_UIDS.format(table=table_name))
        search.reindex_all(conn)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    with target.open("rb+") as f:
        os.fsync(f.fileno())
    return counts


def _copy_rows(source: Project, conn: sqlite3.Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in _tables():
        if table.name == "merge_base":
            continue
        columns = ", ".join(c.name for c in table.columns)
        marks = ", ".join("?" * len(table.columns))
        rows = _cleaned(
            source.conn.execute(f"SELECT {columns} FROM {table.name}"),
            [i for i, c in enumerate(table.columns) if c.name in PROSE_COLUMNS],
        )
        counts[table.name] = conn.executemany(
            f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", rows
        ).rowcount
    return counts


def _cleaned(rows: Iterable[tuple[Any, ...]], prose: list[int]) -> Iterable[tuple[Any, ...]]:
    """``rows`` with the text of their ``prose`` columns cleaned as every edit's is."""
    if not prose:
        return rows
    return (
        tuple(clean_text(v) if i in prose and isinstance(v, str) else v for i, v in enumerate(row))
        for row in rows
    )
