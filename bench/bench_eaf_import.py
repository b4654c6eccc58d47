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

SPEAKERS = 5
UTTERANCES = 20_000
WORDS = 3

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


def write_transcription(path: Path) -> int:
    """The transcription described above; returns its number of annotations."""
    slots, tiers, ann = [], [], 0
    per = UTTERANCES // SPEAKERS
    for s in range(SPEAKERS):
        speaker = f"Speaker {s + 1}"
        lines, translations, words = [], [], []
        for u in range(per):
            start = (u * SPEAKERS + s) * 1500
            n = len(slots)
            slots.append(f'<TIME_SLOT TIME_SLOT_ID="ts{n + 1}" TIME_VALUE="{start}"/>')
            slots.append(f'<TIME_SLOT TIME_SLOT_ID="ts{n + 2}" TIME_VALUE="{start + 1200}"/>')
            line = ann = ann + 1
            lines.append(
                f'<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a{line}" '
                f'TIME_SLOT_REF1="ts{n + 1}" TIME_SLOT_REF2="ts{n + 2}"><ANNOTATION_VALUE>'
                f"line {u} of {speaker}, said slowly</ANNOTATION_VALUE>"
                "</ALIGNABLE_ANNOTATION></ANNOTATION>"
            )
            ann += 1
            translations.append(
                f'<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a{ann}" ANNOTATION_REF="a{line}">'
                f"<ANNOTATION_VALUE>translation of line {u}</ANNOTATION_VALUE>"
                "</REF_ANNOTATION></ANNOTATION>"
            )
            for w in range(WORDS):
                ann += 1
                previous = f' PREVIOUS_ANNOTATION="a{ann - 1}"' if w else ""
                words.append(
                    f'<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a{ann}" '
                    f'ANNOTATION_REF="a{line}"{previous}><ANNOTATION_VALUE>word{w}'
                    "</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>"
                )
        tiers.append(
            f'<TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="{speaker}" '
            f'TIER_ID="{speaker}">{"".join(lines)}</TIER>'
            f'<TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="{speaker}" '
            f'TIER_ID="{speaker} (en)">{"".join(translations)}</TIER>'
            f'<TIER LINGUISTIC_TYPE_REF="words" PARENT_REF="{speaker}" '
            f'TIER_ID="{speaker} words">{"".join(words)}</TIER>'
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-01-01T00:00:00+00:00" FORMAT="3.0" '
        'VERSION="3.0"><HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>'
        f"<TIME_ORDER>{''.join(slots)}</TIME_ORDER>{''.join(tiers)}"
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>'
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="translation" CONSTRAINTS="Symbolic_Association" '
        'TIME_ALIGNABLE="false"/>'
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="words" CONSTRAINTS="Symbolic_Subdivision" '
        'TIME_ALIGNABLE="false"/>'
        '<CONSTRAINT DESCRIPTION="" STEREOTYPE="Symbolic_Association"/>'
        '<CONSTRAINT DESCRIPTION="" STEREOTYPE="Symbolic_Subdivision"/>'
        "</ANNOTATION_DOCUMENT>",
        encoding="utf-8",
    )
    return ann


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
