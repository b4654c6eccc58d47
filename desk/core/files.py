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


def publish(tmp: Path, target: Path) -> None:
    """Give a finished temporary file the usual permissions and rename it to ``target``."""
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}.") from exc
