"""A crash drill: kill a real desk process in the middle of a stream of edits, then check the file.

Used by the test suite once and by ``bench/stress_kill.py`` a thousand times. Every edit that desk
acknowledged must be in the reopened file, and SQLite's ``integrity_check`` must pass.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from desk.store.project import Project


@dataclass(frozen=True)
class DrillResult:
    acknowledged: int
    found: int
    lost: int
    integrity: str


def kill_during_edits(path: Path, *, after_acks: int, rng: random.Random) -> DrillResult:
    """Stream notes into ``desk apply``, SIGKILL it after ``after_acks`` acknowledgements."""
    if not path.exists():
        Project.create(path).close()
    start = _max_note_id(path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk", "apply", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    acked: list[int] = []
    try:
        for n in range(after_acks + 50):
            text = f"note {start + n} " + "x" * rng.randint(0, 400)
            proc.stdin.write(json.dumps({"op": "add_note", "text": text, "start_ms": n}) + "\n")
        proc.stdin.flush()
        while len(acked) < after_acks:
            line = proc.stdout.readline()
            if not line:
                break
            acked.append(int(line.split()[2]))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()
    conn = sqlite3.connect(path)
    try:
        present = {r[0] for r in conn.execute("SELECT id FROM note")}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    found = sum(1 for note_id in acked if note_id in present)
    return DrillResult(len(acked), found, len(acked) - found, integrity)


def _max_note_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM note").fetchone()[0])
    finally:
        conn.close()
