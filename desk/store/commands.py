"""The one way to change a project: commands made of row operations, journaled for undo and redo.

A command is a function that receives a :class:`Tx` and calls ``insert`` (or ``insert_many`` or
``insert_columns`` for many rows of one table), ``update`` and ``delete`` on it. The transaction
records each operation with its before- and after-image; when the function returns, the operations
and their inverses are written to the ``journal`` table in the same SQLite transaction, which then
commits. So an edit is durable the moment it returns, and undo and redo work the same from the GUI
and the CLI, even in a later session.

What changed is returned as :class:`~desk.store.changes.Changes`, which the GUI broadcasts to its
views.

Undo, redo and the history need only table names and primary keys (:data:`KEYS`), so reading a
project never imports SQLModel; the model classes come in with the commands that insert rows.
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

from desk.core.text import clean_text
from desk.errors import InvalidEdit, ProjectCorrupt
from desk.store import journal_entries, search
from desk.store.changes import BY_TABLE, Changes, note_row
from desk.store.server import StaleAnswer

if TYPE_CHECKING:
    from sqlmodel import SQLModel

Row = dict[str, Any]
T = TypeVar("T")

#: The primary-key columns of every table that commands change, in the dependency order of
#: :data:`desk.store.models.EDITABLE` (a test holds the two in step).
KEYS: dict[str, tuple[str, ...]] = {
    "project": ("id",),
    "media": ("id",),
    "essay": ("id",),
    "paragraph": ("id",),
    "character": ("id",),
    "emotion": ("id",),
    "scene": ("id",),
    "shot": ("id",),
    "beat": ("id",),
    "beat_character": ("beat_id", "character_id"),
    "note": ("id",),
    "time_link": ("id",),
    "reading": ("id",),
    "evidence": ("id",),
    "clip_list": ("id",),
    "clip": ("id",),
    "tier": ("id",),
    "cue": ("id",),
    "merge_base": ("id",),
}
#: How many undoable commands the journal keeps.
JOURNAL_LIMIT = 1000


def table_of(model: type[SQLModel]) -> str:
    return str(model.__tablename__)


def _key(table: str) -> tuple[str, ...]:
    return KEYS[table]


def _row_id(table: str, row: Row) -> int:
    """The id an insert returns: the first key column (a link row's first owner)."""
    return int(row[_key(table)[0]])


def _where(table: str, row: Row) -> tuple[str, list[Any]]:
    key = _key(table)
    return " AND ".join(f"{k} = ?" for k in key), [row[k] for k in key]


@functools.cache
def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


@functools.cache
def _declared(model: type[SQLModel]) -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """Each column of ``model`` with its default value or default factory (required columns
    have neither)."""
    from pydantic_core import PydanticUndefined

    return tuple(
        (name, field.default, cast("Callable[[], Any] | None", field.default_factory))
        for name, field in model.model_fields.items()
        if field.default is not PydanticUndefined or field.default_factory is not None
    )


@functools.cache
def _bulk(
    model: type[SQLModel], given: frozenset[str]
) -> tuple[list[str], Callable[[Row], tuple[Any, ...]], tuple[int, ...], list[Any]]:
    """How :meth:`Tx.insert_many` makes rows of ``model`` from values that name the columns
    ``given``: the columns to insert (``id``, the given ones, then the others), a function that
    picks the given values in that order, the positions among them of prose to clean, and the
    other columns' default values and factories."""
    names = _columns(model)
    unknown = given - set(names)
    if unknown:
        raise TypeError(f"{table_of(model)} has no column {sorted(unknown)}")
    picked = [name for name in names if name in given and name != "id"]
    declared = {name: (default, factory) for name, default, factory in _declared(model)}
    others = [name for name in names if name not in given and name != "id"]
    missing = [name for name in others if name not in declared]
    if missing:
        raise TypeError(f"{table_of(model)} needs {missing}")
    getter = operator.itemgetter(*picked)
    pick: Callable[[Row], tuple[Any, ...]] = (
        getter if len(picked) > 1 else lambda values: (getter(values),)
    )
    prose = tuple(n + 1 for n, name in enumerate(picked) if name in PROSE_COLUMNS)
    fill = [declared[name] for name in others]
    return ["id", *picked, *others], pick, prose, fill


def defaults(model: type[SQLModel], values: Row) -> Row:
    """A full row of ``model`` with its declared defaults filled in: what building the model
    and dumping it gives, without building it (which costs ~0.4 ms a row, most of a bulk
    import's time)."""
    names = _columns(model)
    unknown = set(values) - set(names)
    if unknown:
        raise TypeError(f"{table_of(model)} has no column {sorted(unknown)}")
    row = {name: values[name] for name in names if name in values}
    for name, default, factory in _declared(model):
        if name not in row:
            row[name] = factory() if factory is not None else default
    return row


#: Columns that hold text people write or import; cleaned of bidi and control characters on the
#: way in (paths, colours, uids and JSON are left exactly as given).
PROSE_COLUMNS = frozenset(
    {"title", "author", "film_title", "film_release", "dek", "text", "name", "label"}
    | {"description", "annotator", "summary", "comment", "caption", "speaker"}
)


def _printable(texts: list[Any]) -> bool:
    """Whether every value is a text with nothing to clean (asked of each in C: a column of an
    import holds 300,000)."""
    try:
        return all(map(str.isprintable, texts))
    except TypeError:  # a value that is not a text (None)
        return all(isinstance(text, str) and text.isprintable() for text in texts)


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: clean_text(v) if k in PROSE_COLUMNS and isinstance(v, str) else v
        for k, v in values.items()
    }


class Tx:
    """An open write transaction that records row operations for the journal."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ops: list[tuple[str, str, Row, Row | None]] = []
        self.changes = Changes()

    def insert(self, model: type[SQLModel], **values: Any) -> int:
        row = defaults(model, _cleaned(values))
        table = table_of(model)
        if row.get("id") is None and "id" in row:
            del row["id"]
            # On a class server the row names an id reserved in advance, so that its insert
            # needs no answer before the edit's next statement.
            reserve = getattr(self.conn, "reserved_id", None)
            if reserve is not None:
                row = {"id": reserve(table), **row}
        return self.insert_row(table, row)

    def insert_many(self, model: type[SQLModel], rows: Iterable[Row]) -> range:
        """Insert rows of a table keyed by ``id`` in one statement; their ids, in order.

        The rows go to SQLite as they come and are not kept: the journal names them by their
        range of ids, and their values are written into it from the table when the command
        commits (an import of 300,000 notes would otherwise hold them all twice). What changed
        is noted by that range too, and a link's owners read back from the table."""
        table = table_of(model)
        if _key(table) != ("id",) or _columns(model)[0] != "id":
            raise TypeError(f"{table} is not keyed by id")
        given = iter(rows)
        head = next(given, None)
        first, given = _first_id(self.conn, table, head, given)
        if head is None:
            return range(first, first)
        if head.get("id") is not None:
            raise TypeError(f"rows inserted together into {table} are given their ids")
        keys = head.keys()
        names, pick, prose, fill = _bulk(model, frozenset(keys - {"id"}))
        made = any(factory is not None for _, factory in fill)
        constant = [default for default, _ in fill]
        count = 0

        def values() -> Iterator[list[Any]]:
            nonlocal count
            for values in itertools.chain([head], given):
                if values.keys() != keys:
                    raise TypeError(f"rows inserted together into {table} have the same columns")
                row = [first + count, *pick(values)]
                for n in prose:
                    if isinstance(text := row[n], str) and not text.isprintable():
                        row[n] = clean_text(text)
                row += [f() if f else d for d, f in fill] if made else constant
                count += 1
                yield row

        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            values(),
        )
        return self._inserted(table, names, range(first, first + count))

    def insert_columns(self, model: type[SQLModel], columns: dict[str, list[Any]]) -> range:
        """:meth:`insert_many` for rows given column by column, each column a list of the same
        length: SQLite reads the rows straight from the lists, and no row is built in Python."""
        table = table_of(model)
        if _key(table) != ("id",) or _columns(model)[0] != "id" or "id" in columns:
            raise TypeError(f"{table} is not keyed by id, or its ids are given")
        count = len(next(iter(columns.values()), []))
        if any(len(values) != count for values in columns.values()):
            raise TypeError(f"the columns given for {table} are not of one length")
        first = _first_of_run(self.conn, table, count)
        if not count:
            return range(first, first)
        names, _, prose, fill = _bulk(model, frozenset(columns))
        given = [columns[name] for name in names[1 : len(names) - len(fill)]]
        for n in prose:  # (positions counted with the id first)
            if not _printable(given[n - 1]):
                given[n - 1] = [
                    clean_text(text) if isinstance(text, str) else text for text in given[n - 1]
                ]
        others = [[f() for _ in range(count)] if f else itertools.repeat(d, count) for d, f in fill]
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            zip(range(first, first + count), *given, *others, strict=True),
        )
        return self._inserted(table, names, range(first, first + count))

    def _inserted(self, table: str, names: list[str], ids: range) -> range:
        """Note rows just inserted with ``ids`` as changed, journaled and indexed for search."""
        if not ids:
            return ids
        first = ids[0]
        self.changes.rows.setdefault(BY_TABLE[table], set()).update(ids)
        if table == "time_link":  # a link changes its owner too
            _note_owners(self.changes, self.conn, first, ids[-1])
        self.ops.append(("insert_many", table, {"columns": names, "ids": [first, ids[-1]]}, None))
        if table in search.SOURCES:
            search.put_range(self.conn, table, first, ids[-1])
        return ids

    def insert_row(self, table: str, row: Row) -> int:
        """Insert a complete row of ``table`` as given: no defaults filled in, no text cleaned
        (for machine-written rows in bulk, where building a model per row would cost more than
        the insert)."""
        cols = ", ".join(row)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        if "id" in _key(table) and row.get("id") is None:
            row = {"id": cur.lastrowid, **row}
        self._record("insert", table, row, None)
        return _row_id(table, row)

    def get(self, model: type[SQLModel], row_id: int) -> Row:
        table = table_of(model)
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        found = cur.fetchone()
        if found is None:
            raise LookupError(f"no {table} {row_id}")
        return dict(zip([d[0] for d in cur.description], found, strict=True))

    def update(self, model: type[SQLModel], row_id: int, **values: Any) -> None:
        table = table_of(model)
        current = self.get(model, row_id)
        changed = {k: v for k, v in _cleaned(values).items() if current[k] != v}
        if not changed:
            return
        if table == "media" and "time_map" in changed:
            # A map is journaled with the clock it counts on, so undo restores the two together.
            changed.setdefault("clock_pending", current["clock_pending"])
        key = {k: current[k] for k in _key(table)}
        after = {**key, **changed}
        before = {**key, **{k: current[k] for k in changed}}
        _write_update(self.conn, table, after)
        self._record("update", table, {**current, **changed}, before)

    def delete(self, model: type[SQLModel], row_id: int) -> None:
        self.delete_row(table_of(model), self.get(model, row_id))

    def delete_where(self, model: type[SQLModel], where: str, *args: Any) -> None:
        table = table_of(model)
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE {where}", args)
        names = [d[0] for d in cur.description]
        for found in cur.fetchall():
            self.delete_row(table, dict(zip(names, found, strict=True)))

    def delete_row(self, table: str, row: Row) -> None:
        where, args = _where(table, row)
        self.conn.execute(f"DELETE FROM {table} WHERE {where}", args)
        self._record("delete", table, row, None)

    def _record(self, op: str, table: str, row: Row, before: Row | None) -> None:
        if before is None:
            self.ops.append((op, table, row, None))
        else:
            self.ops.append((op, table, {k: row[k] for k in before}, before))
        note_row(self.changes, self.conn, table, row)
        _reindex(self.conn, "insert" if op == "update" else op, table, row)


def _first_id(
    conn: sqlite3.Connection, table: str, head: Row | None, rest: Iterator[Row]
) -> tuple[int, Iterator[Row]]:
    """The id of the first of the rows ``head`` and ``rest`` inserted together into ``table``,
    and ``rest`` to go on with: past the table's last row in a file; on a class server, the first
    of a run of ids reserved for them all from the table's sequence, which other windows take
    ids from too (``rest`` is then counted, as the server's connection would take it in anyway).
    """
    if getattr(conn, "reserved_run", None) is None or head is None:
        return _first_of_run(conn, table, 0 if head is None else 1), rest
    taken = list(rest)
    return _first_of_run(conn, table, 1 + len(taken)), iter(taken)


def _first_of_run(conn: sqlite3.Connection, table: str, count: int) -> int:
    """The id of the first of ``count`` rows inserted together into ``table`` (as
    :func:`_first_id` gives it, for rows already counted)."""
    reserve = getattr(conn, "reserved_run", None)
    if reserve is None:
        (found,) = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
        return int(found) + 1
    return int(reserve(table, count)) if count else 1


def _announce(conn: sqlite3.Connection, changes: Changes) -> None:
    """On a class server, announce ``changes`` to the class's open windows with the edit's own
    statements: delivered when it commits, never when it is rolled back."""
    announce = getattr(conn, "announce", None)
    if announce is not None:
        announce(changes)


def _note_owners(changes: Changes, conn: sqlite3.Connection, first: int, last: int) -> None:
    """Note as changed the paragraphs and notes that own the links whose ids run from ``first``
    to ``last`` (as :func:`note_row` does for one link)."""
    for owner in ("paragraph", "note"):
        found = conn.execute(
            f"SELECT {owner}_id FROM time_link WHERE id BETWEEN ? AND ? AND {owner}_id IS NOT NULL",
            (first, last),
        )
        owners = {row_id for (row_id,) in found}
        if owners:
            changes.rows.setdefault(BY_TABLE[owner], set()).update(owners)


def _write_update(conn: sqlite3.Connection, table: str, row: Row) -> None:
    where, args = _where(table, row)
    sets = ", ".join(f"{k} = ?" for k in row)
    conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*row.values(), *args])


def _reindex(conn: sqlite3.Connection, op: str, table: str, row: Row) -> None:
    """Keep the full-text index in step; ``row`` may hold only the changed columns."""
    if table not in search.SOURCES:
        return
    if op == "delete":
        search.drop(conn, table, int(row["id"]))
        return
    if op == "update":
        cur = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row["id"],))
        row = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    search.put(conn, table, int(row["id"]), search.text_of(table, row))


def _write_entry(
    conn: sqlite3.Connection, label: str, ops: list[tuple[str, str, Row, Row | None]]
) -> None:
    """Write the journal entry of ``ops``: a bulk insert's rows, which :meth:`Tx.insert_many`
    does not keep, by their range of ids (see :mod:`~desk.store.journal_entries`)."""
    conn.execute(
        "INSERT INTO journal (label, forward, backward, undone) VALUES (?, ?, ?, 0)",
        (label, journal_entries.forward_text(conn, ops), json.dumps(_inverse(ops))),
    )


def _inverse(ops: list[tuple[str, str, Row, Row | None]]) -> list[tuple[str, str, Row, Row | None]]:
    flipped: list[tuple[str, str, Row, Row | None]] = []
    for op, table, row, before in reversed(ops):
        if op == "insert_many":
            first, last = row["ids"]
            flipped.append(("delete_many", table, {"ids": [first, last]}, None))
        elif op == "insert":
            flipped.append(("delete", table, row, None))
        elif op == "delete":
            flipped.append(("insert", table, row, None))
        else:
            flipped.append(("update", table, before or {}, row))
    return flipped


_COLUMN = re.compile(r"[a-z_][a-z0-9_]*")


def _checked(op: str, table: str, row: Row) -> None:
    """Journal entries come from the file: only known tables and plain column names are used
    to build SQL, so a doctored file cannot run its own on undo."""
    if op not in ("insert", "delete", "update") or table not in KEYS:
        raise ProjectCorrupt(f"the undo history names an unknown change ({op} {table}).")
    if not all(isinstance(k, str) and _COLUMN.fullmatch(k) for k in row):
        raise ProjectCorrupt(f"the undo history of {table} names an impossible column.")


def _single(ops: Iterable[list[Any]], conn: sqlite3.Connection) -> Iterator[list[Any]]:
    """Journal operations one row each: a bulk insert as inserts; its inverse stays one
    operation, a range of ids to delete."""
    try:
        yield from _expanded(ops, conn)
    except (KeyError, TypeError, ValueError):
        raise ProjectCorrupt("the undo history holds a damaged change.") from None


def _expanded(ops: Iterable[list[Any]], conn: sqlite3.Connection) -> Iterator[list[Any]]:
    for op, table, row, before in ops:
        if op == "insert_many" and table in KEYS:
            for values in row["rows"]:
                yield ["insert", table, dict(zip(row["columns"], values, strict=True)), None]
        elif op == journal_entries.RANGE:  # read in when undone: to redo, it was undone
            raise ProjectCorrupt("the undo history names rows to redo that it does not hold.")
        elif op == "delete_many" and KEYS.get(table) == ("id",):
            first, last = (int(x) for x in row["ids"])
            yield ["delete_many", table, {"ids": [first, last]}, None]
        else:
            yield [op, table, row, before]


def _delete_range(
    conn: sqlite3.Connection, table: str, first: int, last: int, changes: Changes
) -> None:
    """Delete the rows of ``table`` whose ids run from ``first`` to ``last`` in one statement,
    noting them and their links' owners as changed and dropping them from the search index:
    deleted one at a time, 300,000 notes and their links took a minute to undo."""
    found = {row_id for (row_id,) in conn.execute(
        f"SELECT id FROM {table} WHERE id BETWEEN ? AND ?", (first, last)
    )}  # fmt: skip
    if not found:
        return
    changes.rows.setdefault(BY_TABLE[table], set()).update(found)
    if table == "time_link":
        _note_owners(changes, conn, first, last)
    if table in search.SOURCES:
        search.drop_range(conn, table, first, last)
    conn.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (first, last))


def _on_its_clock(table: str, row: Row) -> Row:
    """A film copy's image journaled before schema 7 has a time map counted from the copy's
    first picture and no ``clock_pending``: restored, it is marked pending, so it gains the
    copy's video start when its film is next read, as the migration did to the maps it found."""
    if table == "media" and "time_map" in row and "clock_pending" not in row:
        return {**row, "clock_pending": 1}
    return row


def _replay(conn: sqlite3.Connection, ops: Iterable[list[Any]], changes: Changes) -> None:
    for op, table, given, _before in _single(ops, conn):
        if op == "delete_many" and KEYS.get(table) == ("id",):  # a bulk insert's, by range
            first, last = given["ids"]
            _delete_range(conn, table, first, last, changes)
            continue
        _checked(op, table, given)
        row = _on_its_clock(table, given)
        if op == "insert":
            conn.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
        elif op == "delete":
            where, args = _where(table, row)
            conn.execute(f"DELETE FROM {table} WHERE {where}", args)
        else:
            _write_update(conn, table, row)
        note_row(changes, conn, table, row)
        _reindex(conn, op, table, row)


def run(
    conn: sqlite3.Connection, label: str, fn: Callable[[Tx], T], *, journal: bool = True
) -> tuple[T, Changes]:
    """Run ``fn`` as one committed transaction, journaled for undo unless told otherwise.

    On a class server ``fn`` may run twice: once more, with nothing of its first run kept,
    when a check was answered as before and the server now answers otherwise, when a refusal
    rested on such an answer, or when a new row's reserved id was found taken. A command must
    therefore be a pure function of its :class:`Tx`: everything it reads, it reads through it,
    and it changes nothing outside it."""
    try:
        return _run(conn, label, fn, journal)
    except StaleAnswer:
        # A check was answered as before and the server now answers otherwise (another person
        # changed what it asks of), or a reserved id was taken: nothing of the edit was kept.
        pass
    except InvalidEdit:
        # A refusal must not rest on a guess: when a check was answered as before, the edit
        # runs again asking, and is refused only if the server's answer refuses it.
        if not getattr(conn, "guessed", False):
            raise
    conn.forget_guesses()  # type: ignore[attr-defined]
    return _run(conn, label, fn, journal)


def _run(
    conn: sqlite3.Connection, label: str, fn: Callable[[Tx], T], journal: bool
) -> tuple[T, Changes]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        tx = Tx(conn)
        result = fn(tx)
        if tx.ops and journal:
            conn.execute("DELETE FROM journal WHERE undone = 1")
            _write_entry(conn, label, tx.ops)
            # The newest JOURNAL_LIMIT entries are kept, counted as entries, not ids: on a class
            # server the ids run through the whole class, and a person sees only their own.
            conn.execute(
                "DELETE FROM journal WHERE id <= "
                "(SELECT id FROM journal ORDER BY id DESC LIMIT 1 OFFSET ?)",
                (JOURNAL_LIMIT,),
            )
        _announce(conn, tx.changes)
        conn.execute("COMMIT")
    except BaseException:
        # SQLite rolls back by itself when the disk is full or failing; rolling back again
        # would raise "no transaction is active" and hide why the edit failed.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    tx.changes.label = label
    return result, tx.changes


def _read_in_bulk_rows(conn: sqlite3.Connection, entry_id: int, backward: list[Any]) -> None:
    """Before an entry is undone, read into its forward text the rows that it names by range
    (:mod:`~desk.store.journal_entries`), for a redo. Each range must be one that the undo
    deletes, of a table keyed by id, with columns that are plain names of that table: anything
    else is a doctored or damaged history, refused before it changes anything."""
    (text,) = conn.execute("SELECT forward FROM journal WHERE id = ?", (entry_id,)).fetchone()
    try:
        forward = json.loads(text)
    except ValueError:
        raise ProjectCorrupt("the undo history holds a damaged change.") from None
    if not isinstance(forward, list):
        raise ProjectCorrupt("the undo history holds a damaged change.")
    named = journal_entries.ranges(forward)
    if not named:
        return  # (its rows inline, one of which has the words)
    deleted = [
        (op[1], op[2].get("ids"))
        for op in reversed(backward)
        if isinstance(op, list) and op[:1] == ["delete_many"] and isinstance(op[2], dict)
    ]
    if [(table, [first, last]) for table, _, first, last in named] != deleted:
        raise ProjectCorrupt("the undo history names rows that its undo does not remove.")
    for table, columns, _, _ in named:
        known = {
            name for (name,) in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))
        }
        if KEYS.get(table) != ("id",) or not set(columns) <= known:
            raise ProjectCorrupt(f"the undo history of {table} names an impossible column.")
    journal_entries.write_rows(conn, entry_id, forward)


def _step(conn: sqlite3.Connection, *, undo: bool) -> Changes | None:
    # (whether the entry names bulk rows by range, asked of SQLite: an older entry holds them
    # inline, tens of MB not to be read for nothing; on a server they are always inline)
    ranged = "0"
    if undo and not getattr(conn, "on_server", False):
        ranged = f"instr(CAST(forward AS BLOB), CAST('\"{journal_entries.RANGE}\"' AS BLOB)) > 0"
    if undo:
        sql = f"SELECT id, label, backward, {ranged} FROM journal WHERE undone = 0 ORDER BY id DESC"
    else:
        sql = f"SELECT id, label, forward, {ranged} FROM journal WHERE undone = 1 ORDER BY id ASC"
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = conn.execute(sql + " LIMIT 1").fetchone()
        if found is None:
            conn.execute("ROLLBACK")
            return None
        entry_id, label, ops, ranged = found
        changes = Changes(label=label)
        ops = json.loads(ops)
        if ranged:
            _read_in_bulk_rows(conn, entry_id, ops)
        _replay(conn, ops, changes)
        conn.execute("UPDATE journal SET undone = ? WHERE id = ?", (int(undo), entry_id))
        _announce(conn, changes)
        conn.execute("COMMIT")
    except BaseException:
        # SQLite rolls back by itself when the disk is full or failing; rolling back again
        # would raise "no transaction is active" and hide why the edit failed.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return changes


def undo(conn: sqlite3.Connection) -> Changes | None:
    """Revert the newest command that is not undone; None when there is nothing to undo."""
    return _step(conn, undo=True)


def redo(conn: sqlite3.Connection) -> Changes | None:
    """Apply again the oldest undone command; None when there is nothing to redo."""
    return _step(conn, undo=False)


def labels(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """The labels of the command that undo and redo would act on."""
    u = conn.execute(
        "SELECT label FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    r = conn.execute(
        "SELECT label FROM journal WHERE undone = 1 ORDER BY id ASC LIMIT 1"
    ).fetchone()
    return (u[0] if u else None), (r[0] if r else None)
