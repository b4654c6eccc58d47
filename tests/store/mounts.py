"""Real storage that fails, for the tests: a small tmpfs that fills up, a read-only bind mount, and
desk run as a user without root's power to override file permissions.

Mounting needs root. Where it is impossible the test is skipped; CI, which runs as root, fails
such a skip (``DESK_NO_MISSING_SKIPS``): these are the only tests of those failures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _cannot(what: str) -> None:
    pytest.skip(f"cannot {what} here (needs root)")


def _mount(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        _cannot("mount")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        _cannot(f"mount ({done.stderr.strip()})")


@contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """``folder`` as a tmpfs of ``size_kb`` KB, for the time of the block."""
    folder.mkdir()
    _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@contextmanager
def read_only_view(source: Path, folder: Path) -> Iterator[Path]:
    """``source`` seen read-only at ``folder`` (a bind mount, as a CD or a locked share)."""
    folder.mkdir()
    _mount("--bind", str(source), str(folder))
    try:
        # Older mount(8) ignores "ro" on the bind itself: remount it read-only.
        _mount("-o", "remount,bind,ro", str(folder))
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def as_user(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run desk's command line as an ordinary user would: as root, without the power to
    override file permissions."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            _cannot("drop root's permissions (no setpriv)")
        prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "desk", *args],
        input=stdin,
        capture_output=True,
        text=True,
    )
