"""A class project on a PostgreSQL server: its address, and a connection the store speaks to as it
speaks to SQLite.

A class lives in one PostgreSQL *schema* named after the class, in a database the department
gives the course. A schema rather than a class column in shared tables: every table, policy and
grant of a class is created, granted and dropped as one thing, two classes never see each other's
rows even by mistake, and the store's SQL runs unchanged (``search_path`` names the class).

The store's statements are written for SQLite's ``sqlite3`` (``?`` placeholders, ``BEGIN
IMMEDIATE``, ``cursor.lastrowid``, integer booleans). :class:`ServerConnection` gives a psycopg 3
connection that same face, so every command, undo and read runs on both: placeholders become
psycopg's, an insert returns its new id, booleans travel as the 0 and 1 SQLite stores, and the few
SQLite-only statements are answered here. Nothing outside :mod:`desk.store` learns which kind of
store a project is on.

Credentials come from libpq's usual places (``PGUSER``, ``PGPASSFILE``, a service file): an
address that carries a password is refused, so none lands in a shell's history or a recent list.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from desk.errors import ProjectError

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
#: A class's name is a PostgreSQL identifier desk writes unquoted.
_CLASS_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def is_server_address(where: object) -> bool:
    return isinstance(where, str) and where.startswith(SCHEMES)


@dataclass(frozen=True)
class ClassAddress:
    """Where a class project is: a libpq address (without the class) and the class's name."""

    conninfo: str
    class_name: str

    @property
    def shown(self) -> str:
        """The address as people read it (it never holds a password)."""
        return f"{self.conninfo}{'&' if '?' in self.conninfo else '?'}class={self.class_name}"


def class_name_checked(name: str) -> str:
    if not _CLASS_NAME.fullmatch(name):
        raise ProjectError(
            f"'{name}' cannot name a class: use lower-case letters, digits and underscores, "
            "starting with a letter."
        )
    return name


def parse_address(url: str, class_name: str | None = None) -> ClassAddress:
    """Split ``postgresql://…/DB?class=NAME`` into libpq's address and the class's name."""
    parts = urlsplit(url)
    if parts.password:
        raise ProjectError(
            "a class address must not hold a password; put it in your PGPASSFILE "
            "(~/.pgpass) or a service file, where libpq finds it."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    named = [v for k, v in query if k == "class"]
    if class_name is None:
        if not named:
            raise ProjectError(f"{url} names no class; add ?class=NAME to the address.")
        class_name = named[-1]
    if any(k == "password" for k, _ in query):
        raise ProjectError(
            "a class address must not hold a password; put it in your PGPASSFILE "
            "(~/.pgpass) or a service file, where libpq finds it."
        )
    rest = urlencode([(k, v) for k, v in query if k != "class"])
    # Written out, not by urlunsplit: an empty host (the local socket) must keep its "//".
    conninfo = f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else "")
    return ClassAddress(conninfo, class_name_checked(class_name))


def connect(address: ClassAddress, *, search_class: bool = True) -> psycopg.Connection[Any]:
    """A psycopg connection in autocommit mode (transactions are explicit, as on SQLite)."""
    import psycopg
    from psycopg.types.numeric import Int4Dumper

    try:
        conn = psycopg.connect(address.conninfo, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise ProjectError(f"cannot reach the class server: {_first_line(exc)}.") from exc
    # SQLite stores booleans as 0 and 1, and the store's SQL compares them so.
    conn.adapters.register_dumper(bool, Int4Dumper)
    if search_class:
        conn.execute(f"SET search_path TO {address.class_name}")
    return conn


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__


#: Tables whose rows have no ``id`` of their own (an insert returns none).
_WITHOUT_ID = frozenset({"beat_character"})
_INSERT = re.compile(r"^\s*INSERT INTO (\w+)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """The SQLite statement ``sql`` as PostgreSQL reads it (a command sends the same few
    statements again and again, so each is translated once)."""
    if sql.strip().upper() == "BEGIN IMMEDIATE":
        return "BEGIN"
    # SQLite's "a IS ?" compares with NULL as with a value; PostgreSQL spells it out.
    sql = re.sub(r"\bIS NOT \?", "IS DISTINCT FROM ?", sql, flags=re.IGNORECASE)
    sql = re.sub(r"\bIS \?", "IS NOT DISTINCT FROM ?", sql, flags=re.IGNORECASE)
    sql = sql.replace("%", "%%").replace("?", "%s")
    # SQLite's names for the functions PostgreSQL calls otherwise.
    # group_concat(x) joins any values with commas; string_agg joins text and is told the comma.
    sql = re.sub(r"\bgroup_concat\((\w+)\)", r"string_agg(CAST(\1 AS text), ',')", sql)
    sql = re.sub(r"\bgroup_concat\(", "string_agg(", sql)
    sql = re.sub(r"\bchar\(", "chr(", sql)
    match = _INSERT.match(sql)
    if match and match[1] not in _WITHOUT_ID and "RETURNING" not in sql.upper():
        sql += " RETURNING id"
    return sql


class ServerCursor:
    """The part of ``sqlite3.Cursor`` the store uses, over a psycopg cursor.

    Inside a transaction the statement may still be on its way (see :class:`ServerConnection`):
    the first question asked of its answer waits for it, and for every statement sent before it.
    """

    def __init__(self, conn: ServerConnection, cur: psycopg.Cursor[Any], returns_id: bool) -> None:
        self._conn = conn
        self._cur = cur
        self._returns_id = returns_id
        self._id: int | None = None

    def _answered(self) -> psycopg.Cursor[Any]:
        if self._cur.pgresult is None:
            self._conn.wait()
        return self._cur

    @property
    def lastrowid(self) -> int | None:
        if self._returns_id and self._id is None:
            cur = self._answered()
            found = cur.fetchone() if cur.description is not None else None
            self._id = int(found[0]) if found else None
        return self._id

    @property
    def rowcount(self) -> int:
        return self._answered().rowcount

    @property
    def description(self) -> list[tuple[str, ...]] | None:
        cur = self._answered()
        if cur.description is None:
            return None
        return [(c.name,) for c in cur.description]

    def fetchone(self) -> tuple[Any, ...] | None:
        cur = self._answered()
        return cur.fetchone() if cur.description is not None else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        cur = self._answered()
        return cur.fetchall() if cur.description is not None else []

    def __iter__(self) -> Any:
        return iter(self.fetchall())


class ServerConnection:
    """A class project's connection with the face of ``sqlite3.Connection`` that the store uses.

    A transaction runs in psycopg's pipeline mode: each statement is sent as it comes, and the
    connection waits for the server only when an answer is asked for (a check's ``SELECT``, an
    insert's new id) and at ``COMMIT``. ``BEGIN`` travels with the first statement, and the
    journal's statements with the ``COMMIT``: a note with a time link is four round trips, not
    eight. An edit is still acknowledged only once the server answered its ``COMMIT``, and a
    statement the server refuses fails the whole transaction as before (the server skips what
    follows it until the transaction is rolled back).
    """

    #: Lets the few per-backend functions of the store (search, version) tell the two apart.
    on_server = True

    def __init__(self, conn: psycopg.Connection[Any], address: ClassAddress) -> None:
        self.raw = conn
        self.address = address
        #: The open transaction's pipeline, while there is one, and how to leave it.
        self._pipeline: psycopg.Pipeline | None = None
        self._leave = contextlib.ExitStack()
        #: The open transaction's statements, until the server first answers one of them: a
        #: connection found lost by then is made again and they are sent again (nothing of them
        #: was done). Once the server has answered, a lost connection fails the edit.
        self._unanswered: list[tuple[ServerCursor | None, str, list[Any]]] | None = None

    def execute(self, sql: str, args: Any = ()) -> ServerCursor:
        if sql.lstrip().upper().startswith("PRAGMA"):
            return self._pragma(sql)
        import psycopg

        query = translate(sql)
        if self._pipeline is not None:
            return self._in_transaction(query, list(args))
        if self.raw.broken or self.raw.closed:  # lost earlier, and any transaction with it
            self.reconnect()
        if query == "BEGIN":
            return self._begin()
        outside = not self.in_transaction
        try:
            cur = self.raw.execute(query, list(args))
        except psycopg.OperationalError:
            # A connection lost between edits (the server restarted, the network dropped) is
            # made again for a statement that starts anew; one lost inside a transaction fails
            # the edit, which was then never committed nor acknowledged.
            if not (outside and self.raw.broken):
                raise
            self.reconnect()
            cur = self.raw.execute(query, list(args))
        return ServerCursor(self, cur, query.endswith(" RETURNING id"))

    def _begin(self) -> ServerCursor:
        self._pipeline = self._leave.enter_context(self.raw.pipeline())
        self._unanswered = []
        return self._in_transaction("BEGIN", [])

    def _in_transaction(self, query: str, args: list[Any]) -> ServerCursor:
        import psycopg

        upper = query.strip().upper()
        if upper in ("COMMIT", "ROLLBACK"):
            self._end(commit=upper == "COMMIT")
            return ServerCursor(self, self.raw.cursor(), False)
        try:
            cur = self.raw.execute(query, args)
        except psycopg.OperationalError:
            if not self._lost_unanswered():
                raise
            self._send_again()
            return self._in_transaction(query, args)
        cursor = ServerCursor(self, cur, query.endswith(" RETURNING id"))
        if self._unanswered is not None:
            self._unanswered.append((None if query == "BEGIN" else cursor, query, args))
        return cursor

    def wait(self) -> None:
        """Wait for the server's answers to every statement sent so far in this transaction;
        the first statement it refused raises here."""
        import psycopg

        if self._pipeline is None:
            return
        try:
            self._pipeline.sync()
        except psycopg.OperationalError:
            if not self._lost_unanswered():
                raise
            self._send_again()
            self.wait()
            return
        self._unanswered = None

    def _lost_unanswered(self) -> bool:
        return self._unanswered is not None and self.raw.broken

    def _send_again(self) -> None:
        """Make the connection again and send the open transaction's statements on it."""
        sent = self._unanswered or []
        self._drop_pipeline()
        self.reconnect()
        self._begin()
        for cursor, query, args in sent[1:]:
            again = self._in_transaction(query, args)
            if cursor is not None:
                cursor._cur = again._cur

    def _end(self, *, commit: bool) -> None:
        """Send ``COMMIT`` (and wait for the server's answer: the edit is then durable) or
        ``ROLLBACK``, and leave pipeline mode."""
        if commit:
            self.raw.execute("COMMIT")
            self._pipeline = self._unanswered = None
            self._leave.close()  # sends a sync and reads every answer: the first refusal raises
            return
        self._drop_pipeline()
        if not self.raw.broken and self.in_transaction:
            self.raw.execute("ROLLBACK")

    def _drop_pipeline(self) -> None:
        """Leave pipeline mode, taking in whatever answers are left; what went wrong in the
        transaction was raised already, or does not matter now it is given up."""
        self._pipeline = self._unanswered = None
        with contextlib.suppress(Exception):
            self._leave.close()

    def reconnect(self) -> None:
        self._drop_pipeline()
        with contextlib.suppress(Exception):
            self.raw.close()
        self.raw = connect(self.address)

    def executemany(self, sql: str, rows: Any) -> None:
        # What was sent before is answered first: rows sent in bulk are not kept to be sent
        # again on a new connection.
        self.wait()
        query = translate(sql).removesuffix(" RETURNING id")
        with self.raw.cursor() as cur:
            cur.executemany(query, list(rows))
        # A bulk insert names its ids (an import's cues); the table's sequence must then move
        # past them, or the next single insert would be given one of them again.
        match = _INSERT.match(query)
        columns = query[query.find("(") + 1 : query.find(")")].replace(" ", "").split(",")
        if match and "id" in columns:
            self.raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{match[1]}', 'id'), "
                f"(SELECT max(id) FROM {match[1]}))"
            )

    def _pragma(self, sql: str) -> ServerCursor:
        """SQLite's settings have no meaning here; the version is the class's, and the server
        keeps its own pages whole."""
        self.wait()  # answered at once, so nothing unanswered is left to be sent again
        if "user_version" in sql:
            cur = self.raw.execute("SELECT version FROM desk_class")
        elif "integrity_check" in sql or "quick_check" in sql:
            cur = self.raw.execute("SELECT 'ok'")
        else:
            cur = self.raw.execute("SELECT 'ok' WHERE false")
        return ServerCursor(self, cur, False)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        if self._pipeline is not None:
            return True
        if (
            self.raw.broken or self.raw.closed
        ):  # the server ended the transaction with the connection
            return False
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._drop_pipeline()
        self.raw.close()
