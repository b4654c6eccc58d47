"""Writing a file so that a reader never sees half of it: under a temporary name beside the
target, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.errors import ExportError


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
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: the folder {folder} does not exist.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write into {folder}: {exc.strerror or exc}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        publish(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
    """Give a finished temporary file the usual permissions and rename it to ``target``."""
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from exc
