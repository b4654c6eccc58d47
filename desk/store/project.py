"""The project file: create, open, lock, migrate, back up and copy a ``*.desk`` SQLite file.

Opening is careful because project files travel between people. Before SQLite touches a file,
desk reads the SQLite header (a foreign, truncated or newer-version file is refused with one
sentence and left exactly as it was) and takes a lock beside the file's real path (refusing a file
that another desk has open). Then, on a read-only defensive connection, ``quick_check`` runs, the
version is read again as SQLite sees it (an edit not yet folded in from the ``-wal`` counts), and
the schema is compared with desk's own (:mod:`desk.store.schema_check`), so nothing of the file
runs. Only then is an older file migrated, after a backup copy of it is made. Opening and reading a
current file imports neither SQLModel nor SQLAlchemy (a quarter of a second before desk can show
anything); creating and migrating do.

A file desk cannot write (its file, folder or disk is read-only) opens only for viewing and export,
read so that nothing is created beside it. Every edit goes through :meth:`Project.run` (see
:mod:`desk.store.commands`), one committed transaction each; nothing rewrites the file in place, and
a disk that fails an edit is told as itself. Rotating backups and "save a copy" use SQLite's backup
API, writing to a temporary name that is renamed into place when complete.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from filelock import FileLock, Timeout

from desk.core.outputs import check_target
from desk.errors import (
    ProjectCorrupt,
    ProjectError,
    ProjectLocked,
    ProjectReadOnly,
    ProjectTooNew,
    ProjectTooSlow,
)
from desk.store import commands, schema, schema_check
from desk.store.changes import Changes
from desk.store.commands import Tx
from desk.store.server import is_server_address
from desk.store.sqlite import (
    APPLICATION_ID,
    backup_to,
    configure,
    connect,
    interrupt_after,
    quick_check,
    read_header,
    storage_failure,
)

if TYPE_CHECKING:
    from desk.store.live import Watch

log = logging.getLogger("desk.store")
T = TypeVar("T")

SUFFIX = ".desk"
#: How many rotating backups are kept beside a project.
BACKUPS_KEPT = 5


def lock_path(path: Path) -> Path:
    """The lock beside the project's real file: the same project reached through a symbolic link
    or another spelling of its path has the same lock."""
    real = Path(path).resolve()
    return real.with_name(real.name + ".lock")


def backup_dir(path: Path) -> Path:
    return path.with_name(path.stem + ".desk-backups")


class Project:
    """An open project file, locked for this desk until :meth:`close`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: FileLock | None) -> None:
        self.path = path
        self.conn = conn
        self._lock = lock
        self._backup_thread: threading.Thread | None = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, **project: Any) -> Project:
        """Create a new, empty project; refuse to replace an existing file."""
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; choose another name.")
        if not path.parent.is_dir():
            raise ProjectError(f"cannot create {path}: the folder {path.parent} does not exist.")
        lock = _acquire(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
        try:
            conn = connect(tmp)
            conn.execute("BEGIN IMMEDIATE")
            schema.create_schema(conn)
            conn.execute("COMMIT")
            conn.close()
            os.replace(tmp, path)
        except OSError as exc:
            lock.release()
            tmp.unlink(missing_ok=True)
            raise ProjectError(f"cannot create {path}: {exc.strerror or exc}.") from exc
        created = cls(path, connect(path), lock)
        fields = {"title": path.stem, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S"), **project}
        commands.run(created.conn, "Create project", lambda tx: _seed(tx, fields), journal=False)
        return created

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        readonly: bool = False,
        backup: bool = True,
        deadline: float | None = None,
    ) -> Project:
        """Open an existing project, or raise a :class:`ProjectError` that says why not.

        ``readonly`` opens it for viewing and export; a project on read-only media can only be
        opened so (:class:`ProjectReadOnly` says why otherwise), and an older one is then upgraded
        in memory, never on disk. Checking and upgrading stop with a :class:`ProjectError` once
        ``time.monotonic()`` passes ``deadline``.

        ``path`` may also be a class's address on a PostgreSQL server
        (``postgresql://…/DB?class=NAME``, see :mod:`desk.store.class_project`).
        """
        if is_server_address(path):
            from desk.store.class_project import ClassProject

            assert isinstance(path, str)

            return ClassProject.open_class(path, readonly=readonly)
        path = Path(path)
        if not path.is_file():
            raise ProjectError(f"there is no project at {path}.")
        _check_header(path)  # before the lock: a refused file gets nothing beside it
        unwritable = _why_unwritable(path)
        if unwritable is not None and not readonly:
            raise ProjectReadOnly(
                f"{path.name} {unwritable}, and desk saves every edit into the project as it is "
                "made; make it writable, or copy it somewhere you can write."
            )
        lock = None if readonly else _acquire(path)
        try:
            conn, version = _checked_connection(
                path, immutable=unwritable is not None, deadline=deadline
            )
            if readonly:
                if version < schema.LATEST:
                    conn = _upgraded_in_memory(conn, path, version, deadline)
            else:
                conn.close()
                if version < schema.LATEST:
                    _save_backup(path, tag=f"before-v{schema.LATEST}")
                conn = _writer(path)
                if version < schema.LATEST:
                    _migrate(conn, path, version, deadline)
            project = cls(path, conn, lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if backup and not readonly:
            project._backup_thread = threading.Thread(
                target=project.rotate_backups, name="desk-backup", daemon=True
            )
            project._backup_thread.start()
        return project

    def close(self) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()
            self._backup_thread = None
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- editing ---------------------------------------------------------------------------
    @property
    def readonly(self) -> bool:
        """Opened for viewing and export only: every edit is refused."""
        return self._lock is None

    def run(self, label: str, fn: Callable[[Tx], T], *, journal: bool = True) -> tuple[T, Changes]:
        """Apply one command as a durable transaction; returns its result and what changed.
        ``journal`` false leaves it out of undo (a fact about the film, not an edit)."""
        return self._saving(lambda: commands.run(self.conn, label, fn, journal=journal))

    def undo(self) -> Changes | None:
        return self._saving(lambda: commands.undo(self.conn))

    def redo(self) -> Changes | None:
        return self._saving(lambda: commands.redo(self.conn))

    def _saving(self, write: Callable[[], T]) -> T:
        """Run ``write``; a disk that fails it is told as itself (the transaction is gone, so
        the project is as it was before)."""
        if self.readonly:
            raise ProjectReadOnly(
                f"{self.path.name} is open read-only, for viewing and export; it cannot be edited."
            )
        try:
            return write()
        except sqlite3.Error as exc:
            reason = storage_failure(exc)
            if reason is None:
                raise  # a bug, not the disk
            raise ProjectError(
                f"{self.path.name} could not be saved: {reason}; nothing was changed."
            ) from exc

    def watch(
        self, on_changes: Callable[[Changes], None], on_connected: Callable[[bool], None]
    ) -> Watch | None:
        """Report edits others make to the project while it is open; a file has none (its lock
        keeps every other desk out), a class on a server has its students'
        (:mod:`desk.store.class_project`)."""
        return None

    def undo_labels(self) -> tuple[str | None, str | None]:
        return commands.labels(self.conn)

    def forget_history(self) -> None:
        """Drop the undo history, for a project desk made that starts without one (the sample:
        undoing its filling would empty it)."""
        self.conn.execute("DELETE FROM journal")

    # -- reading ---------------------------------------------------------------------------
    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, args).fetchall()

    def rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- copies ----------------------------------------------------------------------------
    def save_copy(self, target: Path) -> None:
        """Write a consistent copy of the project to ``target`` (never in place)."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise ProjectError("a copy cannot replace the project itself.")
        check_target(target)  # nor another project, its companions or a read-only file
        try:
            _atomic_backup(self.conn, target)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise ProjectError(f"cannot write {target}: {reason}.") from exc

    def rotate_backups(self) -> Path | None:
        """Keep the newest :data:`BACKUPS_KEPT` copies of the project beside it.

        Runs on its own read connection (a consistent snapshot in WAL mode), so opening a project
        does this in the background while edits go on.
        """
        try:
            folder = backup_dir(self.path)
            folder.mkdir(exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            target = folder / f"{self.path.stem}-{stamp}{SUFFIX}"
            reader = connect(self.path, readonly=True)
            try:
                _atomic_backup(reader, target)
            finally:
                reader.close()
            for old in sorted(folder.glob(f"*{SUFFIX}"))[:-BACKUPS_KEPT]:
                old.unlink()
            return target
        except (OSError, sqlite3.Error) as exc:
            log.warning("could not back up %s: %s", self.path, exc)
            return None


def _seed(tx: Tx, fields: dict[str, Any]) -> None:
    from desk.store import models

    tx.insert(models.Project, **fields)
    for name, color in models.DEFAULT_EMOTIONS.items():
        tx.insert(models.Emotion, name=name, color=color)


def _acquire(path: Path) -> FileLock:
    lock = FileLock(lock_path(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ProjectLocked(f"{path.name} is open in another desk; close it there first.") from None
    except OSError as exc:
        raise ProjectError(f"cannot lock {path.name}: {exc.strerror or exc}.") from exc
    return lock


def _too_new(name: str, version: int) -> ProjectTooNew:
    return ProjectTooNew(
        f"{name} was saved by a newer desk (schema {version}, this desk reads up to "
        f"{schema.LATEST}); update desk to open it."
    )


def _check_header(path: Path) -> int:
    """Refuse foreign, truncated and newer files without opening them; return the version.

    The header is only a first look: an edit not yet folded into the file lives in its ``-wal``,
    so the version is read again through SQLite (:func:`_checked_connection`)."""
    header = read_header(path)
    if header is None:
        raise ProjectCorrupt(f"{path.name} is not a desk project (it is not an SQLite database).")
    if header.application_id != APPLICATION_ID:
        raise ProjectCorrupt(f"{path.name} is an SQLite database but not a desk project.")
    if header.user_version < 1:
        raise ProjectCorrupt(f"{path.name} is damaged (it has no schema version).")
    if header.user_version > schema.LATEST:
        raise _too_new(path.name, header.user_version)
    if header.page_count_valid and not _has_wal(path):
        expected = header.page_size * header.page_count
        if path.stat().st_size < expected:
            raise ProjectCorrupt(
                f"{path.name} is truncated ({path.stat().st_size} of {expected} bytes); "
                "open one of its backups instead."
            )
    return header.user_version


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def _why_unwritable(path: Path) -> str | None:
    """Why desk cannot save into ``path`` (SQLite writes its ``-wal`` and ``-shm`` beside the
    file, and desk its lock), as the end of a sentence; None when it can."""
    folder = path.resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "is on a read-only disk"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "is read-only"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"is in a read-only folder ({folder})"
    return None


def _checked_connection(
    path: Path, *, immutable: bool, deadline: float | None
) -> tuple[sqlite3.Connection, int]:
    """A read-only connection to a project that passed SQLite's ``quick_check``, whose version
    (as SQLite sees it, after the ``-wal``) this desk reads, and whose schema is desk's own; and
    that version. Nothing here writes the file, so a refused file is left exactly as it was (a
    writable connection would first switch it to WAL mode).

    ``immutable`` is for a file nobody can write: it is read without creating a ``-shm`` beside
    it, which would be left with the file's read-only mode and fail every later edit."""
    if immutable and _has_wal(path):
        if not path.with_name(path.name + "-shm").exists():
            raise ProjectReadOnly(
                f"{path.name} cannot be written, and edits not yet folded into it wait in "
                f"{path.name}-wal; open it once where it can be written."
            )
        immutable = False  # both files are there: SQLite reads them and creates nothing
    # A damaged schema can make SQLite's own message undecodable (UnicodeDecodeError).
    try:
        conn = connect(path, readonly=True, immutable=immutable)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        reason = storage_failure(exc)
        if reason is not None:
            raise ProjectError(f"{path.name} cannot be read: {reason}.") from exc
        raise ProjectCorrupt(f"{path.name} cannot be opened: {exc}.") from exc
    try:
        with interrupt_after(conn, deadline):
            _check(conn, path)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if application_id != APPLICATION_ID or version < 1:
            raise ProjectCorrupt(f"{path.name} is damaged (it has no schema version).")
        if version > schema.LATEST:
            raise _too_new(path.name, version)
        with interrupt_after(conn, deadline):
            schema_check.verify(conn, version, path.name)
    except BaseException:
        conn.close()
        raise
    return conn, version


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's ``quick_check``, told as damage, a failing disk or a file that takes too long."""
    try:
        problem = quick_check(conn)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
            raise _too_slow(path.name) from exc
        reason = storage_failure(exc)
        if reason is not None:
            raise ProjectError(f"{path.name} cannot be read: {reason}.") from exc
        problem = str(exc)
    if problem is not None:
        backups = backup_dir(path)
        raise ProjectCorrupt(
            f"{path.name} is damaged ({problem}); open one of its backups instead"
            + (f" (in {backups})." if backups.is_dir() else ".")
        )


def _too_slow(name: str) -> ProjectTooSlow:
    return ProjectTooSlow(f"{name} took too long to check and was not opened.")


def _writer(path: Path) -> sqlite3.Connection:
    try:
        return connect(path)
    except sqlite3.Error as exc:
        reason = storage_failure(exc) or str(exc)
        raise ProjectError(f"{path.name} cannot be opened for writing: {reason}.") from exc


def _migrate(conn: sqlite3.Connection, path: Path, version: int, deadline: float | None) -> None:
    """Carry the file forward in one transaction: on any failure it is left as it was."""
    try:
        with interrupt_after(conn, deadline):
            schema.migrate(conn, version)
    except (sqlite3.Error, ValueError) as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
            raise ProjectTooSlow(
                f"{path.name} took too long to upgrade; it was left as it was."
            ) from exc
        reason = storage_failure(exc)
        if reason is not None:
            raise ProjectError(
                f"{path.name} could not be upgraded: {reason}; it was left as it was."
            ) from exc
        # a damaged or doctored older file
        raise ProjectCorrupt(
            f"{path.name} could not be upgraded ({exc}); it was left as it was."
        ) from exc


def _upgraded_in_memory(
    conn: sqlite3.Connection, path: Path, version: int, deadline: float | None
) -> sqlite3.Connection:
    """An older project opened read-only: a copy in memory, carried forward (the file is not
    touched, so a project on read-only media can still be viewed and exported)."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.backup(memory)
        configure(memory, readonly=True)
        _migrate(memory, path, version, deadline)
    except BaseException:
        memory.close()
        raise
    finally:
        conn.close()
    return memory


def _save_backup(path: Path, tag: str) -> None:
    """A copy of the file before it is upgraded; a failing disk refuses the upgrade."""
    try:
        conn = connect(path, readonly=True)
        try:
            folder = backup_dir(path)
            folder.mkdir(exist_ok=True)
            _atomic_backup(conn, folder / f"{path.stem}-{tag}{SUFFIX}")
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        reason = storage_failure(exc) or str(exc)
        raise ProjectError(
            f"{path.name} needs upgrading, but no backup of it could be made first ({reason}); "
            "it was left as it was."
        ) from exc


def _atomic_backup(conn: sqlite3.Connection, target: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        backup_to(conn, tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
