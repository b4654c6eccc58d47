"""Imports at scale: a CSV sheet of many notes imported into a new project.

    python bench/bench_imports.py [--rows 300000] [--runs 3]

The sheet is what another tool or a spreadsheet writes: ``type,start,end,text,characters``, one
note per row, about 65 bytes a row (300,000 rows: 20 MB). Each run is a fresh process, so its
peak resident memory (``VmHWM``) is the import's; desk's runs alternate with two baselines on the
same file: Python's csv module reading every row, and the csv module feeding the rows to
``sqlite3``'s ``executemany`` in one transaction (a note and a time link per row, no checks, no
undo, no search index): the least an import can do. Printed: wall and CPU seconds (the latter
less moved by other work on a shared machine) and peak MB. Target: 300,000 rows in ≤ 10 s and
≤ 300 MB.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

PEAK = textwrap.dedent(
    """
    import resource, sys, time
    def peak_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    """
)

DESK = PEAK + textwrap.dedent(
    """
    from pathlib import Path
    from desk.interchange.formats import import_file
    from desk.store.project import Project
    sheet, target = Path(sys.argv[1]), Path(sys.argv[2])
    with Project.create(target) as project:
        start, start_cpu = time.perf_counter(), cpu()
        summary = import_file(project, "csv", sheet)
        took, used = time.perf_counter() - start, cpu() - start_cpu
    print(f"{took:.3f} {peak_mb():.1f} {used:.3f} {summary.describe()}")
    """
)

CSV_ONLY = PEAK + textwrap.dedent(
    """
    import csv
    start, start_cpu = time.perf_counter(), cpu()
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        rows = sum(1 for _ in csv.reader(f))
    took, used = time.perf_counter() - start, cpu() - start_cpu
    print(f"{took:.3f} {peak_mb():.1f} {used:.3f} {rows} rows")
    """
)

CSV_SQLITE = PEAK + textwrap.dedent(
    """
    import csv, sqlite3
    start, start_cpu = time.perf_counter(), cpu()
    db = sqlite3.connect(sys.argv[2], isolation_level=None)
    db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT, character TEXT)")
    db.execute("CREATE TABLE time_link (id INTEGER PRIMARY KEY, note_id INT, start TEXT, end TEXT)")
    db.execute("BEGIN")
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        notes = links = 0
        for k, (_type, begin, end, text, character) in enumerate(rows, 1):
            db.execute("INSERT INTO note VALUES (?, ?, ?)", (k, text, character))
            db.execute("INSERT INTO time_link (note_id, start, end) VALUES (?, ?, ?)",
                       (k, begin, end))
    db.execute("COMMIT")
    took, used = time.perf_counter() - start, cpu() - start_cpu
    print(f"{took:.3f} {peak_mb():.1f} {used:.3f} {k} rows")
    """
)

WORDS = ("snow", "ring", "kiss", "door", "bags", "wipers", "silence", "car", "refuses", "hits")


def _clock(ms: int) -> str:
    return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"


def write_sheet(path: Path, rows: int) -> None:
    chosen = random.Random(17)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("type,start,end,text,characters\r\n")
        for k in range(rows):
            start = k * 20  # 300,000 rows span 100 minutes
            text = " ".join(chosen.choice(WORDS) for _ in range(6))
            character = "Ani" if k % 3 == 0 else ""
            out.write(f"note,{_clock(start)},{_clock(start + 1500)},{text},{character}\r\n")


def run(script: str, *args: str) -> tuple[float, float, float, str]:
    """(wall seconds, peak MB, CPU seconds, what was read) of one run in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    seconds, peak, used, what = done.stdout.split(" ", 3)
    return float(seconds), float(peak), float(used), what.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desk-bench-imports-") as tmp:
        folder = Path(tmp)
        sheet = folder / "notes.csv"
        write_sheet(sheet, args.rows)
        print(f"{args.rows:,} rows, {sheet.stat().st_size / 2**20:.1f} MB")
        results: dict[str, list[tuple[float, float, float]]] = {
            "desk": [], "csv": [], "csv+sqlite": []
        }  # fmt: skip
        for k in range(args.runs):
            for name, script in (("desk", DESK), ("csv", CSV_ONLY), ("csv+sqlite", CSV_SQLITE)):
                target = folder / f"{name}-{k}.db"
                seconds, peak, used, what = run(script, str(sheet), str(target))
                results[name].append((seconds, peak, used))
                print(
                    f"  run {k + 1} {name:>10}: {seconds:7.2f} s ({used:6.2f} s CPU), "
                    f"peak {peak:6.1f} MB  ({what})"
                )
        desk = statistics.median(s for s, _, _ in results["desk"])
        desk_cpu = statistics.median(c for _, _, c in results["desk"])
        print(
            f"desk median {desk:.2f} s ({desk_cpu:.2f} s CPU), "
            f"peak {max(p for _, p, _ in results['desk']):.0f} MB"
        )
        for name in ("csv", "csv+sqlite"):
            base = statistics.median(s for s, _, _ in results[name])
            base_cpu = statistics.median(c for _, _, c in results[name])
            peak = max(p for _, p, _ in results[name])
            print(
                f"{name} median {base:.2f} s ({base_cpu:.2f} s CPU), peak {peak:.0f} MB: "
                f"desk is {desk / base:.1f}× ({desk_cpu / base_cpu:.1f}× in CPU time)"
            )


if __name__ == "__main__":
    main()
