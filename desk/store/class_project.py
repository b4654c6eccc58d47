"""A class project on a PostgreSQL server, open as a :class:`~desk.store.project.Project`.

Everything the store does to a file it does here through the same commands and reads (see
:mod:`desk.store.server`); what differs is said here: there is no file to lock, back up or
migrate (the server is the department's, and a class is created at desk's current schema), and
an edit the server refuses (another student's note, a dropped connection) is told as one sentence,
with nothing changed.

:func:`share` copies a local project to the server as a new class, run as the teacher's role;
:func:`pull` copies a class back into a local project file, for offline work and the report.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from desk.errors import ProjectError, ProjectReadOnly, ProjectTooNew
from desk.store import commands, live, schema, server_schema
from desk.store.changes import Changes
from desk.store.project import Project
from desk.store.search import reindex_all
from desk.store.server import ClassAddress, ServerConnection, connect, parse_address

log = logging.getLogger("desk.store")
T = TypeVar("T")


class ClassProject(Project):
    """A class project, open on the server as the connected role."""

    def __init__(self, address: ClassAddress, conn: ServerConnection, *, readonly: bool) -> None:
        # The store's code speaks to ``conn`` as to an sqlite3 connection (it has that face).
        super().__init__(Path(address.class_name), cast(Any, conn), None)
        self.address = address
        self.server = conn
        self._viewing = readonly
        self._watch: live.Watch | None = None

    @classmethod
    def open_class(cls, url: str, *, readonly: bool = False) -> ClassProject:
        address = parse_address(url)
        conn = ServerConnection(connect(address), address)
        try:
            version = _class_version(conn)
            if version == schema.LATEST and live.triggers_skip_desk(conn):
                conn.announce_own_edits()
        except BaseException:
            conn.close()
            raise
        if version > schema.LATEST:
            conn.close()
            raise ProjectTooNew(
                f"the class {address.class_name} was shared by a newer desk (schema {version}, "
                f"this desk reads up to {schema.LATEST}); update desk to open it."
            )
        if version < schema.LATEST:
            # A class is not migrated in place under its students' windows (yet): it is carried
            # forward by pulling it to a file, which migrates, and sharing that again.
            conn.close()
            raise ProjectError(
                f"the class {address.class_name} was shared by an older desk (schema {version}, "
                f"this desk writes {schema.LATEST}); open it with that desk, or pull it with "
                "that desk and share the file again."
            )
        return cls(address, conn, readonly=readonly)

    @property
    def readonly(self) -> bool:
        return self._viewing

    @property
    def role(self) -> str:
        """The server role this project is open as."""
        return str(self.server.raw.info.user)

    def watch(
        self, on_changes: Callable[[Changes], None], on_connected: Callable[[bool], None]
    ) -> live.Watch:
        """Report what others commit to the class, and whether the server answers, until the
        project is closed (both on a thread of their own)."""
        if self._watch is None:
            self._watch = live.Watch(self.address, self._backend_pid, on_changes, on_connected)
        return self._watch

    def _backend_pid(self) -> int:
        """The server process of this window's own connection (0 while it is being made again:
        then nothing heard is taken for this window's own echo)."""
        try:
            return int(self.server.raw.info.backend_pid)
        except Exception:  # closed or broken: psycopg's errors for a connection not there
            return 0

    def close(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
        with contextlib.suppress(Exception):
            self.server.close()

    def _saving(self, write: Callable[[], T]) -> T:
        import psycopg

        if self.readonly:
            raise ProjectReadOnly(
                f"the class {self.address.class_name} is open for viewing; it cannot be edited."
            )
        try:
            return write()
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ProjectError(
                "the class server refused the edit: only the teacher and the author of a note, "
                "beat or evidence may change it; nothing was changed."
            ) from exc
        except psycopg.OperationalError as exc:
            raise ProjectError(
                f"the class server could not be reached ({_first_line(exc)}); the edit was not "
                "saved."
            ) from exc

    def save_copy(self, target: Path) -> None:
        pull(self, Path(target))

    def rotate_backups(self) -> Path | None:
        """The server's backups are its administrator's."""
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__


def _class_version(conn: ServerConnection) -> int:
    import psycopg

    try:
        found = conn.raw.execute("SELECT version FROM desk_class").fetchone()
    except psycopg.errors.UndefinedTable as exc:
        raise ProjectError(
            f"there is no class {conn.address.class_name} on that server (or you are not "
            "enrolled in it)."
        ) from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ProjectError(
            f"you are not enrolled in the class {conn.address.class_name}; ask its teacher."
        ) from exc
    if found is None:
        raise ProjectError(f"the class {conn.address.class_name} is damaged (no version).")
    return int(found[0])


def _rows(project: Project) -> dict[str, list[dict[str, Any]]]:
    """Every row a user owns, table by table in dependency order, without who wrote it."""
    out = {}
    for table in commands.KEYS:
        rows = project.rows(f"SELECT * FROM {table}")
        out[table] = [{k: v for k, v in r.items() if k != "owner"} for r in rows]
    return out


def share(
    source: Path,
    url: str,
    class_name: str | None,
    students: list[str],
    *,
    share_work: bool = False,
) -> ClassAddress:
    """Copy the project at ``source`` to the server as a new class, run as the teacher's role,
    and enrol ``students``; the whole class is made in one transaction or not at all."""
    import psycopg

    address = parse_address(url, class_name)
    with Project.open(source, readonly=True) as project:
        tables = _rows(project)
    conn = ServerConnection(connect(address, search_class=False), address)
    try:
        conn.raw.execute("BEGIN")
        server_schema.create_class(conn, schema.LATEST, share_work)
        server_schema.copy_rows(conn, tables)
        server_schema.name_annotators(conn)
        for ddl in live.notify_ddl(address.class_name):  # after the copy, which no one watches
            conn.raw.execute(ddl)
        server_schema.enrol(conn, students)
        conn.raw.execute("COMMIT")
    except psycopg.errors.DuplicateSchema as exc:
        raise ProjectError(
            f"the server already has a class {address.class_name}; choose another name."
        ) from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ProjectError(
            f"your role may not create a class in that database ({_first_line(exc)}); ask the "
            "server's administrator to GRANT CREATE ON DATABASE to it."
        ) from exc
    finally:
        conn.close()
    return address


def enrol(url: str, roles: list[str]) -> None:
    """Enrol existing server roles as students of the class at ``url`` (run as its teacher)."""
    project = ClassProject.open_class(url)
    conn = project.server
    try:
        conn.raw.execute("BEGIN")
        server_schema.enrol(conn, roles)
        conn.raw.execute("COMMIT")
    finally:
        project.close()  # an enrolment not committed is rolled back with the connection


def set_share_work(url: str, shared: bool) -> None:
    """Let the class's students see each other's notes, beats and evidence, or only their own
    (run as its teacher: the server refuses anyone else)."""
    project = ClassProject.open_class(url)
    try:
        setting = "UPDATE desk_class SET share_work = (? = 1)"
        project._saving(lambda: project.server.execute(setting, [int(shared)]))
    finally:
        project.close()


def pull(project: Project, target: Path) -> None:
    """Write the class (as the connected role sees it) into a new local project file."""
    if target.exists():
        raise ProjectError(f"{target} already exists; choose another name.")
    tables = _rows(project)
    try:
        with Project.create(target) as local:
            conn = local.conn
            # A row may point at one this role cannot see (the teacher's evidence on another
            # student's beat): it is left out, with what points at it in turn.
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("BEGIN IMMEDIATE")
            for table in ("emotion", "project"):
                conn.execute(f"DELETE FROM {table}")  # the seed: the class has its own
            for table, rows in tables.items():
                for row in rows:
                    conn.execute(
                        f"INSERT INTO {table} ({', '.join(row)}) "
                        f"VALUES ({', '.join('?' * len(row))})",
                        list(row.values()),
                    )
            _drop_dangling(conn)
            reindex_all(conn)
            conn.execute("COMMIT")
            conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        # A half-written copy is no copy (Project.create refused an existing file above).
        target.unlink(missing_ok=True)
        raise


def _drop_dangling(conn: Any) -> None:
    """Delete the rows whose references lead nowhere, until none is left."""
    while dangling := conn.execute("PRAGMA foreign_key_check").fetchall():
        for table, rowid, _parent, _key in dangling:
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
