"""Where an output may land: never on a project or on the files kept beside it, and never over a
file the user made read-only.

Every export (report, chart, clips, handout, playlist, interchange file, bundle, still, timeline
picture, a copy of the project) is checked here before its work begins, and again just before the
finished file is renamed into place (:mod:`desk.core.files`), so no writer can forget it.

The check goes by what is on disk, not by the name typed: a symbolic link is followed to the file
it names, and a project is recognised by its SQLite header, so a project reached by another name
(a link, a hard link, a copy open in another desk) is protected as well as the one open. Beside a
database, SQLite keeps ``-wal``, ``-shm`` and ``-journal`` files, and desk a ``.lock`` file and a
``.desk-backups`` folder (the names :mod:`desk.store.project` gives them): all are refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from desk.errors import ExportError

_SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` of a desk project, as the header stores it (big-endian "desk").
_DESK_ID = b"desk"
#: The first four bytes of an SQLite write-ahead log (either byte order of its checksums).
_WAL_MAGICS = (bytes.fromhex("377f0682"), bytes.fromhex("377f0683"))
#: What SQLite and desk keep beside a database, by the suffix of its name.
COMPANIONS = {
    "-wal": "the write-ahead log",
    "-shm": "the shared-memory index",
    "-journal": "the rollback journal",
    ".lock": "the lock",
}
#: The folder of a project's rotating backups ends so (``anora.desk-backups``).
BACKUPS_SUFFIX = ".desk-backups"


def check_target(target: Path) -> None:
    """Refuse, with one sentence, to write ``target`` if it is (or leads to) a project, a file
    kept beside one, a backup, a folder, or a file that the user cannot or chose not to write."""
    target = Path(target)
    real = Path(os.path.realpath(target))
    what = _protected(real)
    if what is not None:
        named = target if real == Path(os.path.abspath(target)) else f"{target} (a link to {real})"
        raise ExportError(f"{named} is {what}, which desk never replaces; choose another file.")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ExportError(f"cannot write {target}: it is a folder; name a file.")
    if not stat.S_ISREG(info.st_mode):  # a device or a pipe: renaming over it would replace it
        raise ExportError(f"cannot write {target}: it is not a regular file.")
    # The owner's write bit, not only os.access: for root os.access allows everything, yet a
    # file made read-only (chmod 444) says "keep this" whoever runs desk.
    if not info.st_mode & stat.S_IWUSR or not os.access(real, os.W_OK):
        raise ExportError(
            f"{target} is read-only, and desk does not replace a read-only file; make it "
            "writable or choose another name."
        )


def check_folder(folder: Path) -> None:
    """Refuse, with one sentence, a folder that exports must not write into (a project's
    backups); each file written there is still checked by :func:`check_target`."""
    backups = _backups_holding(Path(os.path.realpath(folder)))
    if backups is not None:
        raise ExportError(
            f"{folder} is inside {backups}, the backups of a project, where desk writes nothing "
            "else; choose another folder."
        )


def _protected(real: Path) -> str | None:
    """What ``real`` is, if an output must not replace it; None if it may be written."""
    backups = _backups_holding(real)
    if backups is not None:
        return f"inside {backups}, the backups of a project"
    kind = _database(real)
    if kind is not None:
        return f"a {kind}" if kind.startswith("d") else f"an {kind}"
    for suffix, role in COMPANIONS.items():
        if real.name.endswith(suffix) and len(real.name) > len(suffix):
            owner = real.with_name(real.name[: -len(suffix)])
            kind = _database(owner)
            if kind is not None:
                return f"{role} of the {kind} {owner.name}"
    if _head(real, 4) in _WAL_MAGICS:
        return "an SQLite write-ahead log"
    return None


def _backups_holding(real: Path) -> str | None:
    """The name of the project backups folder that is or holds ``real``, if any."""
    for folder in (real, *real.parents):
        if folder.name.endswith(BACKUPS_SUFFIX):
            return folder.name
    return None


def _database(path: Path) -> str | None:
    """'desk project' or 'SQLite database' if ``path`` is one, else None."""
    head = _head(path, 100)
    if not head.startswith(_SQLITE_MAGIC):
        return None
    return "desk project" if head[68:72] == _DESK_ID else "SQLite database"


def _head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a regular file; empty for anything else (opening a pipe would
    wait for a writer) or what cannot be read (then the file's mode decides)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""
        with open(path, "rb", buffering=0) as f:
            return f.read(size)
    except OSError:
        return b""
