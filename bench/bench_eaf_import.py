"""ELAN import at scale: 100,000 annotations into a new project.

    .venv/bin/python bench/bench_eaf_import.py [RUNS]

The file (made here, about 20 MB) is a transcription of five speakers: 20,000 utterances
(time-aligned), a translation of each (Symbolic_Association) and three words per utterance
(Symbolic_Subdivision): 20,000 + 20,000 + 60,000 = 100,000 annotations on 15 tiers. Each run
is a fresh process that imports the file into a new project (parse, structure, one undoable
command), so its peak resident memory (VmHWM) is the import's. Printed: seconds (wall clock
and CPU, the latter less moved by other work on a shared machine) and peak MB per run, against
the baseline alternated with it in the same session: a bare process that has lxml parse the
same file into a tree and visit every annotation's value (what any reader of the file must at
least do). Targets: ≤ 10 s and ≤ 300 MB.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test files: tests/interchange

from tests.interchange.elan_files import write_transcription  # noqa: E402

_DESK = """
import resource, sys, time
from pathlib import Path
from desk.interchange.formats import import_file
from desk.store.project import Project
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start, start_cpu = time.perf_counter(), cpu()
with Project.create(Path(sys.argv[2])) as project:
    summary = import_file(project, "eaf", Path(sys.argv[1]))
    (cues,) = project.query("SELECT count(*) FROM cue")[0]
elapsed, used = time.perf_counter() - start, cpu() - start_cpu
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(elapsed, int(peak) / 1024, cues, used)
"""

_LXML = """
import resource, sys, time
from lxml import etree
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start, start_cpu = time.perf_counter(), cpu()
root = etree.parse(sys.argv[1]).getroot()
values = sum(1 for v in root.iter("ANNOTATION_VALUE") if v.text is not None)
elapsed, used = time.perf_counter() - start, cpu() - start_cpu
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(elapsed, int(peak) / 1024, values, used)
"""


def _run(code: str, *args: str) -> tuple[float, float, int, float]:
    """(wall seconds, peak MB, count, CPU seconds) of one run in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), float(out[3])


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transcription.eaf"
        annotations = write_transcription(path)
        print(f"{annotations:,} annotations, {path.stat().st_size / 2**20:.1f} MB")
        desk, bare = [], []
        for n in range(runs):
            desk.append(_run(_DESK, str(path), str(Path(folder) / f"run{n}.desk")))
            bare.append(_run(_LXML, str(path)))
            print(
                f"run {n + 1}: desk {desk[-1][0]:.2f} s ({desk[-1][3]:.2f} s CPU), "
                f"{desk[-1][1]:.0f} MB, {desk[-1][2]:,} cues; lxml tree {bare[-1][0]:.2f} s "
                f"({bare[-1][3]:.2f} s CPU), {bare[-1][1]:.0f} MB"
            )
        seconds = statistics.median(d[0] for d in desk), statistics.median(b[0] for b in bare)
        cpu = statistics.median(d[3] for d in desk), statistics.median(b[3] for b in bare)
        peak = statistics.median(d[1] for d in desk), statistics.median(b[1] for b in bare)
        print(
            f"median: desk {seconds[0]:.2f} s vs lxml {seconds[1]:.2f} s "
            f"({seconds[0] / seconds[1]:.1f}x); peak {peak[0]:.0f} MB vs {peak[1]:.0f} MB "
            f"({peak[0] / peak[1]:.1f}x); targets 10 s, 300 MB"
        )
        print(
            f"median CPU time (less moved by other work on the machine): desk {cpu[0]:.2f} s "
            f"vs lxml {cpu[1]:.2f} s ({cpu[0] / cpu[1]:.1f}x)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
