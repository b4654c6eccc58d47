"""A project file runs no code of its own: its schema must be exactly the one desk writes.

A project file carries its own schema, and SQLite obeys it: a trigger ``AFTER INSERT ON note`` runs
on the next edit, a view named like a table is read as data, a recursive trigger hangs a migration.
``trusted_schema`` off stops only functions with side effects. So before any statement that could
fire a trigger or read a view, :func:`verify` reads ``sqlite_master`` and compares every table,
column, index, trigger and view with what this desk creates for the file's schema version; anything
extra, missing or different refuses the file with one sentence naming the object.

What desk creates for version *n* is built, not written down twice: an empty database in memory is
made from each released schema *k* ≤ *n* (``desk/store/schemas/v{k}.sql``) and carried to *n* by
desk's own migrations, because a file made at *k* and upgraded has its ``CREATE`` text extended by
``ALTER TABLE`` rather than written as a new file's. The FTS5 shadow tables of the search index and
SQLite's own automatic indexes come out of the same build, so they are expected when desk made them.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass

from desk.errors import ProjectForeign

#: Tables SQLite itself makes when someone runs ``ANALYZE`` on a file: statistics for the query
#: planner, never run as code. Any other ``sqlite_`` object is refused like any other extra.
_SQLITE_STATISTICS = {
    "sqlite_stat1": "CREATE TABLE sqlite_stat1(tbl,idx,stat)",
    "sqlite_stat4": "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
}

#: String literals and quoted names, which whitespace normalisation must leave alone.
_QUOTED = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\])""")


@dataclass(frozen=True)
class SchemaObject:
    """One row of ``sqlite_master``: its kind, its name, the table it belongs to, its SQL."""

    kind: str  # table, index, trigger or view
    name: str
    table: str
    sql: str  # normalised; empty for SQLite's automatic indexes


Schema = dict[tuple[str, str], SchemaObject]


def normalise(sql: str | None) -> str:
    """``sql`` with runs of whitespace outside quotes made one space, and none beside brackets
    and commas: versions of SQLAlchemy and SQLite lay out the same statement differently."""
    if not sql:
        return ""
    parts = _QUOTED.split(sql)
    for i in range(0, len(parts), 2):  # the even parts lie outside quotes
        bare = re.sub(r"\s+", " ", parts[i])
        parts[i] = re.sub(r" ?([(),]) ?", r"\1", bare)
    return "".join(parts).strip()


def read_schema(conn: sqlite3.Connection) -> Schema:
    """Every object of ``conn``'s main database, as ``sqlite_master`` describes it (reading it
    runs nothing of the file's)."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master").fetchall()
    return {
        (str(kind), str(name)): SchemaObject(str(kind), str(name), str(table), normalise(sql))
        for kind, name, table, sql in rows
    }


@functools.cache
def expected_schema(made_at: int, version: int) -> Schema:
    """The schema desk gives a file made at version ``made_at`` and carried to ``version``."""
    from desk.store import schema

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.executescript(schema.frozen_schema(made_at))
        conn.execute("BEGIN")
        for step in range(made_at, version):
            schema.STEPS[step](conn)
        conn.execute("COMMIT")
        return read_schema(conn)
    finally:
        conn.close()


def differences(actual: Schema, expected: Schema) -> list[str]:
    """What sets ``actual`` apart from ``expected``, most telling first: extra objects (triggers
    and views before tables), then changed ones, then missing ones."""
    extra, changed, missing = [], [], []
    for key, obj in actual.items():
        want = expected.get(key)
        if want is None:
            if _SQLITE_STATISTICS.get(obj.name) == obj.sql and obj.kind == "table":
                continue
            extra.append(obj)
        elif want != obj:
            changed.append(obj)
    missing = [obj for key, obj in expected.items() if key not in actual]
    order = {"trigger": 0, "view": 1, "table": 2, "index": 3}
    extra.sort(key=lambda o: (order.get(o.kind, 4), o.name))
    return (
        [f"it has an extra {_kind(o.kind)} {_shown(o.name)}" for o in extra]
        + [f"its {_kind(o.kind)} {_shown(o.name)} differs from desk's" for o in changed]
        + [f"it lacks the {_kind(o.kind)} {_shown(o.name)}" for o in missing]
    )


def verify(conn: sqlite3.Connection, version: int, name: str) -> None:
    """Refuse the file behind ``conn`` unless its schema is one desk gives a file of
    ``version``; ``name`` is the file's name for the message."""
    actual = read_schema(conn)
    found: list[list[str]] = []
    # A file made at its own version is the common case: the older builds are made only when
    # that one does not match (each costs a few tens of milliseconds).
    for made_at in range(version, 0, -1):
        problems = differences(actual, expected_schema(made_at, version))
        if not problems:
            return
        found.append(problems)
    problems = min(found, key=len)
    if problems:
        raise ProjectForeign(
            f'"{name}" is not a desk project as this version writes it: {problems[0]}.',
            problem=problems[0],
        )


def _kind(kind: str) -> str:
    return kind if kind in ("table", "index", "trigger", "view") else "object"


def _shown(name: str) -> str:
    """A name from the file, fit for a message: printable, not too long, in quotes."""
    shown = "".join(c if c.isprintable() else "?" for c in name)
    return f'"{shown if len(shown) <= 60 else shown[:59] + "…"}"'
