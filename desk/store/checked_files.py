"""Project files known to have passed SQLite's ``quick_check`` and not changed since.

``quick_check`` reads every page of a project before desk trusts it: on a project of 5,000
paragraphs and 100,000 notes (48 MB), about 80 ms of CPU time at each opening, the largest step
of it. So when desk closes a project cleanly that passed the check at its opening (or was opened on
such a record), a record is left in the user's cache folder, named after the file's device and
inode: the file's status as the system keeps it (size, modification and change times, to the
nanosecond) and the change counter and page count of its SQLite header. The next opening of the
same, unchanged file skips the full check; the header, the version and the schema are still
checked, as for every file.

Any write to the file changes its times, and a rename, a copy or a restore its inode or its change
time, which no program can set back: so a record never outlives the content it was made for, and a
file copied, truncated, edited by another program or damaged by one is checked in full. Two cases
need care. A file system stamps times from a clock that ticks (every few milliseconds on Linux,
every second or two on some file systems), so a write in the same tick as desk's close would leave
the times as recorded: the record is written only once that clock has moved past the file's times
(a wait of a tick at most; never, on a file system that keeps whole seconds, if the file changed
in the last two). And a project that another program wrote to while desk had it open (SQLite's
``PRAGMA data_version`` says so), or that was not closed cleanly (its ``-wal`` is still there),
gets no record or is checked in full. What a record cannot see is damage done by the disk itself
under an unchanged status.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from pathlib import Path

from desk.errors import KnownError
from desk.paths import cache_dir
from desk.store.sqlite import read_header

log = logging.getLogger("desk.store")

#: Bumped when a record's content changes meaning; older records are not read.
RECORD_VERSION = 1
#: How long a close waits at most for the file system's clock to tick past the file's times.
SETTLE_S = 0.05
_SECOND_NS = 1_000_000_000
_CLOCK_REALTIME_COARSE = 5  # Linux's <time.h>; Python's time module does not name it


def _record_file(st: os.stat_result) -> Path:
    return cache_dir() / "checked" / f"{st.st_dev}-{st.st_ino}-v{RECORD_VERSION}.checked"


def _status(path: Path) -> tuple[os.stat_result, str] | None:
    """The file's status and header as a record holds them; None if either cannot be read (or
    the file changed while they were read)."""
    try:
        before = path.stat()
        header = read_header(path)
        after = path.stat()
    except OSError:
        return None
    if header is None or _identity(before) != _identity(after):
        return None
    line = (
        f"{after.st_size} {after.st_mtime_ns} {after.st_ctime_ns} "
        f"{header.change_counter} {header.page_count}"
    )
    return after, line


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _has_wal(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def recorded(path: Path) -> bool:
    """Whether ``path`` is, to the nanosecond and the header, the file desk last closed cleanly
    after it was checked (with no edit left waiting in a ``-wal`` beside it)."""
    found = None if _has_wal(path) else _status(path)
    if found is None:
        return False
    st, line = found
    try:
        return _record_file(st).read_text(encoding="ascii").strip() == line
    except (OSError, ValueError, KnownError):
        return False


def _clock_ns() -> int:
    """The clock a file system stamps times from: on Linux the coarse real-time clock, which
    lags the precise one by up to a tick."""
    if sys.platform.startswith("linux"):
        return time.clock_gettime_ns(_CLOCK_REALTIME_COARSE)
    return time.time_ns() - 20_000_000  # Windows' system time ticks every 15.6 ms


def _settled(st: os.stat_result) -> bool:
    """Wait until any later write to the file would stamp it with other times; False if that
    takes too long."""
    latest = max(st.st_mtime_ns, st.st_ctime_ns)
    if latest % _SECOND_NS == 0:  # a file system that keeps whole seconds (FAT: two)
        latest += 2 * _SECOND_NS
    give_up = time.monotonic() + SETTLE_S
    while _clock_ns() <= latest:
        if time.monotonic() > give_up:
            return False
        time.sleep(0.002)
    return True


def record(path: Path) -> None:
    """Remember ``path`` as it is now, just closed cleanly by desk after it was checked."""
    wal = path.with_name(path.name + "-wal")
    found = None if wal.exists() else _status(path)  # a -wal left: another connection has it
    if found is None or not _settled(found[0]) or _status(path) != found:
        forget(path)
        return
    st, line = found
    try:
        target = _record_file(st)
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_text(line + "\n", encoding="ascii")
        os.replace(tmp, target)
    except (OSError, KnownError) as exc:  # no record: the next opening checks the file in full
        log.info("no record of the check of %s: %s", path.name, exc)


def forget(path: Path) -> None:
    """Drop any record of ``path``: its next opening checks it in full."""
    with contextlib.suppress(OSError, KnownError):
        _record_file(path.stat()).unlink(missing_ok=True)
