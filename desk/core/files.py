"""Writing a file so that a reader never sees half of it: under a temporary name beside the
target, then renamed into place.

The temporary file is named as desk's own (``.NAME.XXXXXXXX.part``) and, where the system has
``flock``, locked by the process writing it. An export killed halfway leaves its ``.part`` behind;
the next export into that folder removes every such file that no live desk holds and that is older
than the current run. Every target is checked by :func:`desk.core.outputs.check_target` first, and
again before the rename: no output lands on a project, its companions or a read-only file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.core.outputs import check_target
from desk.errors import ExportError

try:
    import fcntl
except ImportError:  # Windows: a file open there cannot be removed, which protects it instead
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("desk.files")

#: When this run began: only ``.part`` files older than it can be left over from a killed export.
RUN_STARTED = time.time()
#: Without ``flock``, a ``.part`` file is taken for stale only when it is older than this.
UNLOCKED_STALE_S = 24 * 3600
#: desk's temporary names: ``.`` + the target's name + 8 random characters (:data:`LETTERS`) +
#: ``.part``, with the target's extension after it for writers that pick a format by extension.
_PART_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.part(\.[A-Za-z0-9]{1,8})?")
#: The letters of a new file's random part (those of :mod:`tempfile`'s names).
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
#: Open a new file for writing, failing if the name is taken or is a link.
_NEW_FILE = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def new_file(folder: Path, prefix: str, suffix: str = "") -> tuple[int, Path]:
    """A new, empty file in ``folder`` named ``prefix`` + 8 random letters + ``suffix``, open for
    writing (its descriptor and path), readable by its owner alone: what
    :func:`tempfile.mkstemp` makes, without importing :mod:`tempfile` (which brings in
    :mod:`random` and :mod:`shutil`, a noticeable part of ``desk frame``'s start)."""
    for _ in range(100):
        letters = "".join(LETTERS[byte % len(LETTERS)] for byte in os.urandom(8))
        path = folder / f"{prefix}{letters}{suffix}"
        try:
            return os.open(path, _NEW_FILE, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for a new file in {folder}")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` under a temporary name beside ``target``, then rename it into place."""
    with replacing(target) as tmp:
        tmp.write_bytes(data)


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """An empty temporary file beside ``target`` for the block to write; it becomes ``target``
    when the block ends and is removed if the block raises. An operating-system error becomes an
    :class:`~desk.errors.ExportError` naming ``target``; ``target`` is never left half written.
    """
    with claimed(target) as tmp:
        try:
            yield tmp
            publish(tmp, target)
        except OSError as exc:
            raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from exc


@contextmanager
def claimed(target: Path, suffix: str = "") -> Iterator[Path]:
    """A new, empty temporary file beside ``target`` (named ``.NAME.XXXXXXXX.part`` + ``suffix``),
    held by this process until the block ends, then removed unless it was renamed into place.

    The target is checked first (:func:`~desk.core.outputs.check_target`), and stale ``.part``
    files of killed exports are swept from the folder.
    """
    check_target(target)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: the folder {folder} does not exist.")
    sweep_stale_parts(folder)
    try:
        fd, tmp = new_file(folder, prefix=f".{target.name}.", suffix=f".part{suffix}")
    except OSError as exc:
        raise ExportError(f"cannot write into {folder}: {exc.strerror or exc}.") from exc
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # just made: nobody else holds it
    else:
        os.close(fd)  # Windows cannot rename a file that is open
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)
        if fcntl is not None:
            os.close(fd)


def sweep_stale_parts(folder: Path) -> list[Path]:
    """Remove the ``.part`` files a killed export left in ``folder``; returns those removed.

    Only desk's own names are touched, only files older than this run, and only those no live
    process holds (their lock is free), so an export running now in another desk is left alone.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _PART_NAME.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= RUN_STARTED:
                continue
            if _remove_if_unheld(Path(entry.path)):
                removed.append(Path(entry.path))
    if removed:
        log.info(
            "removed %d unfinished file(s) of an interrupted export from %s", len(removed), folder
        )
    return removed


def _remove_if_unheld(path: Path) -> bool:
    if fcntl is None:
        if time.time() - path.stat().st_mtime < UNLOCKED_STALE_S:
            return False
        path.unlink()
        return True
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live desk is writing it
        path.unlink()
        return True
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask, read without setting it where the system allows (setting it, even for
    an instant, would change the mode of files other threads create meanwhile)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)  # the strictest guess, should another thread create a file now
    os.umask(mask)
    return mask


def publish(tmp: Path, target: Path) -> None:
    """Give a finished temporary file the usual permissions and rename it to ``target`` (checked
    once more: the target may have changed while the file was being written)."""
    check_target(target)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from exc
