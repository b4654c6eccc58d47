"""Running the desk command as a user does: a new process, its output read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def desk(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desk", *args], capture_output=True, text=True, input=stdin, cwd=cwd
    )
