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

An edit waits for the server once, at its ``COMMIT``: a new row's id comes from a block the
connection reserved from the table's sequence (:data:`ID_BLOCK` at a time), a check's question
asked before is answered as it was then and sent along as a guard that refuses the edit if the
server would now answer otherwise (the edit is then run again, asking), and what changed is
announced by ``pg_notify`` with the edit's own statements (see :mod:`desk.store.live`).

Credentials come from libpq's usual places (``PGUSER``, ``PGPASSFILE``, a service file): an
address that carries a password is refused, so none lands in a shell's history or a recent list.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import selectors
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import parse_qsl, urlencode, urlsplit

from desk.errors import ProjectError

if TYPE_CHECKING:
    import psycopg

    from desk.store.changes import Changes

SCHEMES = ("postgresql://", "postgres://")
#: A class's name is a PostgreSQL identifier desk writes unquoted.
_CLASS_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


#: How many ids of a table a connection reserves from its sequence at a time: one wait for the
#: server every 32 new rows of a table instead of one for each row's ``RETURNING id``.
ID_BLOCK = 32
#: The longest announcement sent with ids (PostgreSQL refuses a payload of 8,000 bytes); a longer
#: one names only the kinds of thing that changed.
NOTICE_BYTES = 7_000
#: The session setting that tells a class's triggers that desk announces this connection's edits
#: itself (they announce only what others change by hand, in SQL).
ANNOUNCES = "desk.announces_edits"


class StaleAnswer(ProjectError):
    """A check's question was answered as it was before, and the server now answers otherwise:
    the edit was rolled back and is to be run again, asking (see :meth:`ServerConnection.check`).
    Told to the user only if the edit, run again, meets it again."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "another window changed what this edit relied on while it was being saved; "
            "nothing was changed: try again."
        )


class TakenId(StaleAnswer):
    """A new row's id, reserved from its table's sequence, was taken by a row that did not
    come from the sequence (an earlier desk that set the sequence back to the table's highest
    id): the edit was rolled back, the reserved ids are forgotten, and it is to be run again
    with ids from past the table's rows."""

    def __init__(self) -> None:
        super().__init__(
            "another window took the id this edit gave a new row; nothing was changed: try again."
        )


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


def channel(address: ClassAddress) -> str:
    """The LISTEN/NOTIFY channel a class's changes are announced on."""
    return f"desk_{address.class_name}"


def _digest_sql(query: str) -> str:
    """A statement whose one value is a digest of every row ``query`` returns, as the server
    writes them out."""
    return f"SELECT md5(coalesce(string_agg(CAST(ROW(q.*) AS text), '|'), '')) FROM ({query}) AS q"


def _guard_sql(query: str) -> str:
    """A statement that fails (a division by zero) unless ``query``'s digest is the one given
    (its first argument, before the query's own)."""
    return (
        "SELECT 1 / (md5(coalesce(string_agg(CAST(ROW(q.*) AS text), '|'), '')) = %s)::int "
        f"FROM ({query}) AS q"
    )


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


def past_sql(table: str) -> str:
    """A statement that moves ``table``'s id sequence past its rows when rows were inserted
    with ids of their own above it (never back, below the ids that windows reserved; rows
    numbered from the sequence leave it as it is, and a student, who may not set it, needs
    nothing more)."""
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    return (
        f"SELECT setval({sequence}, top) FROM (SELECT max(id) AS top FROM {table}) AS t "
        f"WHERE top > coalesce(pg_sequence_last_value({sequence}::regclass), 0)"
    )


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
    connection waits for the server only when an answer is asked for and at ``COMMIT``. A new
    row's id is reserved beforehand (:meth:`reserved_id`) and a check asked before is answered as
    then and guarded (:meth:`check`), so a note with a time link, which once waited eight times,
    waits once, for its ``COMMIT`` (a first check, and a block of ids every 32 rows, still wait).
    An edit is still acknowledged only once the server answered its ``COMMIT``, and a statement
    the server refuses fails the whole transaction as before (the server skips what follows it
    until the transaction is rolled back).
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
        #: Ids reserved from each table's sequence and not used yet. They are this connection's
        #: alone (``nextval`` never hands a value out twice), and forgotten with the connection:
        #: a server that crashed may hand out again what it had not yet written to disk.
        self._reserved: dict[str, list[int]] = {}
        #: A check's answer by its statement and arguments, with the digest the server gave it.
        self._known: dict[tuple[str, tuple[Any, ...]], tuple[tuple[Any, ...] | None, str]] = {}
        #: Whether the open transaction holds a guard (then a division by zero is a guard's).
        self._guarded = False
        #: Whether a check of the open (or last) transaction was answered from what is known
        #: rather than asked: a refusal it leads to may rest on an answer no longer true.
        self.guessed = False
        #: Tables whose sequence fell behind their rows (a reserved id was found taken): moved
        #: past them before the next transaction begins.
        self._behind: set[str] = set()
        #: Whether ids may be being taken under the lock of :meth:`_taken_in_turn`.
        self._in_turn = False
        #: Whether this desk announces its own edits (the class's triggers then skip them).
        self.announces = False

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
            if self._lost_quietly():
                self.reconnect()
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

    def _lost_quietly(self) -> bool:
        """Whether the connection was lost between edits without a word: a server that stopped
        or restarted closed its end, and the socket reads as ready. An idle connection's socket
        has nothing to read, so nothing is sent to find out. (A network that dropped shows only
        when the edit waits for its answer, which fails the edit: it was not acknowledged.)"""
        import psycopg

        try:
            # A selector, not select.select: a descriptor numbered 1024 or above is fine.
            with selectors.DefaultSelector() as selector:
                selector.register(self.raw.fileno(), selectors.EVENT_READ)
                ready = selector.select(0)
        except (OSError, ValueError, psycopg.OperationalError):
            return True
        if not ready:
            return False
        try:  # something to read: a goodbye, or a message for an idle connection
            self.raw.execute("SELECT 1")
        except psycopg.OperationalError:
            return True
        return False

    def _begin(self) -> ServerCursor:
        for table in sorted(self._behind):
            self._move_past(table)
        self._behind.clear()
        self._pipeline = self._leave.enter_context(self.raw.pipeline())
        self._unanswered = []
        self._guarded = False
        self.guessed = False
        return self._in_transaction("BEGIN", [])

    def _send(self, query: str, args: list[Any]) -> ServerCursor:
        """Send ``query`` in the open transaction, or run it at once outside of one."""
        if self._pipeline is not None:
            return self._in_transaction(query, args)
        return ServerCursor(self, self.raw.execute(query, args), False)

    def reserved_id(self, table: str) -> int:
        """A new id for a row of ``table``, from the block this connection reserved (the
        insert then names its id, and needs no answer from the server)."""
        block = self._reserved.get(table)
        if not block:
            cur = self._send(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s) ORDER BY 1 DESC",
                [table, ID_BLOCK],
            )
            block = self._reserved[table] = [int(r[0]) for r in cur.fetchall()]
        return block.pop()

    def reserved_run(self, table: str, count: int) -> int:
        """The first of ``count`` ids in a row reserved for ``table``'s rows inserted together
        (the journal names them by their first and last): taken from its sequence, as every
        window's ids are, in turn with the other windows' runs, and taken again in the rare
        case another window's block (or a row inserted by hand, in SQL) took one between them.
        A window's block of single ids is taken without the lock: an edit waits for nobody."""
        for _ in range(5):
            (found,) = self._taken_in_turn(
                table,
                "SELECT min(v), max(v) FROM (SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "AS v FROM generate_series(1, %s)) AS run",
                [table, count],
            )
            if int(found[1]) - int(found[0]) + 1 == count:
                return int(found[0])
        raise ProjectError(
            f"other windows kept adding rows to {table} while this edit reserved ids for "
            f"its {count}; nothing was changed: try again."
        )

    def _taken_in_turn(self, table: str, query: str, args: list[Any]) -> list[tuple[Any, ...]]:
        """The rows of ``query``, which takes a run of ids from ``table``'s sequence, taken while
        no other window takes a run from it, so that two runs never break each other (three
        windows importing at once did, two runs in three). The lock is held for the one
        statement, and sent with it (no wait more); the lock of an edit that failed on its way
        is let go with the edit (:meth:`_end`)."""
        key = [f"desk ids {self.address.class_name}.{table}"]
        self._in_turn = True
        try:
            self._send("SELECT pg_advisory_lock(hashtext(%s))", key)
            cur = self._send(query, args)
            self._send("SELECT pg_advisory_unlock(hashtext(%s))", key)
            rows = cur.fetchall()
        except BaseException:
            if self._pipeline is None and not self.raw.broken:  # no edit to let it go with
                with contextlib.suppress(Exception):
                    self.raw.execute("SELECT pg_advisory_unlock_all()")
                self._in_turn = False
            raise
        self._in_turn = False
        return rows

    def check(self, sql: str, args: Any = ()) -> tuple[Any, ...] | None:
        """The first row a check's ``sql`` returns, answered without waiting when it was asked
        before: the answer then is taken, and the statement sent with the edit's others as a
        guard, which refuses the whole edit at its ``COMMIT`` if the server now answers
        otherwise (:class:`StaleAnswer`: the edit is run again, asking). A check asks of rows
        that rarely change (the film's length, that a character exists), so a guess is almost
        always right, and an edit waits once instead of once per check."""
        query = translate(sql)
        values = list(args)
        if self._pipeline is None:
            return self.execute(sql, values).fetchone()
        key = (query, tuple(values))
        known = self._known.get(key)
        if known is not None:
            self._guarded = self.guessed = True
            self._in_transaction(_guard_sql(query), [known[1], *values])
            return known[0]
        found = self._in_transaction(query, values)
        digest = self._in_transaction(_digest_sql(query), values)
        row = found.fetchone()
        said = digest.fetchone()
        if said is not None:
            if len(self._known) >= 256:
                self._known.clear()
            self._known[key] = (row, str(said[0]))
        return row

    def announce(self, changes: Changes) -> None:
        """Tell the class's open windows what this edit changes, delivered when it commits
        (nothing when the class's triggers announce every edit themselves: a class shared by
        an earlier desk).

        Inside the edit's transaction, though PostgreSQL keeps notifications in commit order by
        a lock over the server that a notifying transaction holds until its commit is flushed:
        sent after the ``COMMIT`` in a transaction of its own, the edits of 30 students flat out
        were no faster (the two cores, not the flushes, were the limit) and were heard later."""
        if not self.announces or not changes:
            return
        said = {what.value: sorted(ids) for what, ids in changes.rows.items()}
        payload = json.dumps({"c": said}, separators=(",", ":"))
        if len(payload) > NOTICE_BYTES:  # an import: the kinds say enough to read again
            payload = json.dumps({"c": {what: [] for what in said}}, separators=(",", ":"))
        self._send("SELECT pg_notify(%s, %s)", [channel(self.address), payload])

    def announce_own_edits(self) -> None:
        """From now on, announce this connection's edits (:meth:`announce`) and tell the
        class's triggers so, for this session and every one made again after a loss."""
        self.announces = True
        self.raw.execute(f"SET {ANNOUNCES} = on")

    def forget_guesses(self) -> None:
        """Trust no answer known from before: every check is asked anew."""
        self._known.clear()

    def _refused(self, exc: psycopg.Error) -> NoReturn:
        """Raise ``exc``, the server's refusal of a statement of the edit: as a stale guess
        when a guard refused it (then nothing known is trusted again until asked anew), as a
        taken id when a reserved id was found in use (then no reserved id is trusted again)."""
        import psycopg

        if self._guarded and isinstance(exc, psycopg.errors.DivisionByZero):
            self._known.clear()
            raise StaleAnswer() from exc
        if isinstance(exc, psycopg.errors.UniqueViolation):
            table = exc.diag.table_name
            if table and table not in _WITHOUT_ID and exc.diag.constraint_name == f"{table}_pkey":
                self._reserved.clear()
                self._behind.add(table)
                raise TakenId() from exc
        raise exc

    def _move_past(self, table: str) -> None:
        """Move ``table``'s sequence past its rows, outside any transaction: set by one who
        may (the teacher), else by taking the ids in between (a student may only take them)."""
        import psycopg

        try:
            self.raw.execute(past_sql(table))
        except psycopg.errors.InsufficientPrivilege:
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            self.raw.execute(
                f"SELECT count(nextval({sequence})) FROM generate_series(1, least(100000, "
                f"(SELECT coalesce(max(id), 0) FROM {table}) "
                f"- coalesce(pg_sequence_last_value({sequence}::regclass), 0)))"
            )

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
        except psycopg.Error as exc:  # an answer read while sending: a refusal, or a guard's
            self._refused(exc)
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
        except psycopg.Error as exc:
            self._refused(exc)
        self._unanswered = None

    def _lost_unanswered(self) -> bool:
        return self._unanswered is not None and self.raw.broken

    def _send_again(self) -> None:
        """Make the connection again and send the open transaction's statements on it."""
        sent = self._unanswered or []
        guarded, guessed = self._guarded, self.guessed
        self._drop_pipeline()
        self.reconnect()
        self._begin()
        self._guarded, self.guessed = guarded, guessed
        for cursor, query, args in sent[1:]:
            again = self._in_transaction(query, args)
            if cursor is not None:
                cursor._cur = again._cur

    def _end(self, *, commit: bool) -> None:
        """Send ``COMMIT`` (and wait for the server's answer: the edit is then durable) or
        ``ROLLBACK``, and leave pipeline mode."""
        import psycopg

        if commit:
            try:
                # Sending reads the answers already there: a refusal may be read here.
                self.raw.execute("COMMIT")
            except psycopg.Error as exc:
                self._refused(exc)  # the transaction is left open, to be rolled back
            self._pipeline = self._unanswered = None
            try:
                self._leave.close()  # sends a sync, reads every answer: the first refusal raises
            except psycopg.Error as exc:
                self._refused(exc)
            return
        self._drop_pipeline()
        if not self.raw.broken and self.in_transaction:
            self.raw.execute("ROLLBACK")
        if self._in_turn and not self.raw.broken:
            # The statement that lets the lock go was skipped with the rest of the edit.
            self.raw.execute("SELECT pg_advisory_unlock_all()")
        self._in_turn = False

    def _drop_pipeline(self) -> None:
        """Leave pipeline mode, taking in whatever answers are left; what went wrong in the
        transaction was raised already, or does not matter now it is given up."""
        self._pipeline = self._unanswered = None
        with contextlib.suppress(Exception):
            self._leave.close()

    def reconnect(self) -> None:
        self._drop_pipeline()
        self._reserved.clear()
        with contextlib.suppress(Exception):
            self.raw.close()
        self.raw = connect(self.address)
        self._in_turn = False  # a lock is the session's, and went with it
        if self.announces:
            self.raw.execute(f"SET {ANNOUNCES} = on")

    def executemany(self, sql: str, rows: Any) -> None:
        # What was sent before is answered first: rows sent in bulk are not kept to be sent
        # again on a new connection.
        import psycopg

        self.wait()
        query = translate(sql).removesuffix(" RETURNING id")
        with self.raw.cursor() as cur:
            try:
                cur.executemany(query, list(rows))
            except psycopg.Error as exc:  # a refusal: a reserved id taken, say
                self._refused(exc)
        # A bulk insert names its ids (an import's cues); the table's sequence must then move
        # past them, or the next single insert would be given one of them again.
        match = _INSERT.match(query)
        columns = query[query.find("(") + 1 : query.find(")")].replace(" ", "").split(",")
        if match and "id" in columns:
            self.raw.execute(past_sql(match[1]))

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
