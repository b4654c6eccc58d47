"""Benchmark: the PDF report of a long essay with stills from a real two-hour film, and of projects
with 20,000 and 100,000 notes.

**Stills.** A 45-paragraph essay with about 100 exact-frame stills spread over the two-hour film of
``bench/films.py`` (a real encode: 640×360 H.264, two B-frames, a keyframe every 10 s, rendered
once and cached outside the repository). Each still needs a keyframe seek and a decode through
half a keyframe interval on average. ``desk export report`` runs as a user runs it, a whole
process timed from outside (the frame index already kept, as after ``desk new``; one extra first
run with an empty cache shows what reading the index adds). Two baselines run in turn with it:
the ``ffmpeg`` program writing the same stills as JPEGs with ``-ss`` before ``-i`` (a keyframe
seek and an exact decode forward), one process per still, two at a time as desk decodes on two
workers; and bare PyAV in the bench's own process, on two threads, seeking and decoding to each
still and writing it as a JPEG. The report also lays out and writes the PDF, which the baselines
do not: the ratios are an upper bound on what desk's stills cost over theirs.

**Notes.** Projects written by ``tests/bulk.py``: N notes, N/40 paragraphs (one link
each), N/100 beats, 20 scenes, each note linked to a time in the same two-hour film (about 560
stills, most in a keyframe interval of their own). ``desk export report`` runs as a whole process
timed from outside, its peak resident memory and CPU time its own (``wait4``), in turn with the
same two baselines writing the same stills (``--notes-trials`` runs of each). Targets: 20,000
notes in ≤ 30 s and ≤ 500 MB; 100,000 notes to finish in ≤ 1 GB (ReportLab holds the whole
document until it writes it, so memory grows with the PDF, a few KB a note, while the flowables
are made and dropped batch by batch).

    .venv/bin/python bench/bench_report.py [--trials 20] [--notes 20000 100000] [--no-stills]
        [--notes-trials 3]

The figures are printed at the end of each run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from desk.store import edits
from desk.store.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the large projects: tests/bulk.py
sys.path.insert(0, str(Path(__file__).resolve().parent))
from films import two_hour_film  # noqa: E402

T = TypeVar("T")

FILM_HOURS = 2
SENTENCE = (
    "the camera holds on her face while the snow keeps falling and nobody speaks; what the scene "
    "refuses to say is carried by the framing, the distance between two bodies in one car, and the "
    "sound of the wipers that measures out the time she will not spend on feeling"
)
WORDS = SENTENCE.split(" ")


def text(n: int, words: int) -> str:
    return " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(words)).capitalize() + "."


def build_project(folder: Path, film: Path) -> Path:
    from desk.film_tasks import new_project

    path = folder / "bench.desk"
    project = new_project(path, film, title="Bench")
    try:
        edits.update_project(project, film_title="A two-hour film", film_year=2024)
        _fill(project, FILM_HOURS * 3_600_000)
    finally:
        project.close()
    return path


def spread(n: int) -> int:
    """Where the ``n``-th still falls within its 10-second keyframe interval (ms): spread over
    the whole interval, so the stills cost a decode through half of it on average."""
    return (n * 3_797) % 10_000


def _fill(project: Project, span_ms: int) -> None:
    scenes = [(f"Scene {i + 1}", i * span_ms // 3, (i + 1) * span_ms // 3) for i in range(3)]
    for name, start, end in scenes:
        edits.add_scene(project, name, start, end)
    ani, _ = edits.add_character(project, "Ani", "#d1495b")
    igor, _ = edits.add_character(project, "Igor", "#3d7ea6")
    for i in range(19):  # the arc of scene 2: one still per beat
        start = span_ms // 3 + (i * 2 + 1) * span_ms // 3 // 40 + spread(i)
        edits.add_beat(
            project,
            start_ms=start,
            end_ms=start + 40_000,
            label=f"Beat {i + 1}",
            description=text(i, 14),
            characters=[ani if i % 2 else igor],
            valence=((i * 37) % 200 - 100) / 100,
            intensity=(i * 53 % 100) / 100,
        )
    for i in range(45):  # the essay: one link per paragraph, spread over two hours
        pid, _ = edits.add_paragraph(project, text(i, 330))
        at = (i * 2 + 1) * span_ms // 90 + spread(i + 19)
        edits.link(project, start_ms=at, end_ms=at + 8_000, paragraph_id=pid)
        edits.add_note(project, text(i + 3, 30), start_ms=at + 2_000, paragraph_id=pid)
    for r in range(6):
        reading, _ = edits.add_reading(project, f"Reading {r + 1}", text(r, 60))
        for b in range(1 + r, 19, 3):
            edits.add_evidence(project, reading, "supports" if b % 2 else "contradicts", beat_id=b)


def still_times(project_path: Path) -> list[int]:
    """The times of the stills the report of the project shows, as the report picks them."""
    from desk.export.report import data as report_data
    from desk.export.report import plan as report_plan
    from desk.export.report.writer import cover_time

    with Project.open(project_path, readonly=True) as project:
        data = report_data.load(project)
    chosen = report_data.pick_scene(data.scenes, None)
    times = set(report_plan.still_times(data, chosen, report_plan.plan(data, chosen)))
    cover = cover_time(data, chosen)
    return sorted(times | ({cover} if cover is not None else set()))


def desk_report(project: Path, out: Path, env: dict[str, str]) -> float:
    """Wall-clock seconds of ``desk export report`` writing the project's report."""
    return desk_report_process(project, out, env)[0]


def desk_report_process(
    project: Path, out: Path, env: dict[str, str]
) -> tuple[float, float, float]:
    """(wall s, CPU s, peak resident MB) of the ``desk export report`` process."""
    desk = Path(sys.executable).with_name("desk")
    began = time.perf_counter()
    child = subprocess.Popen([str(desk), "export", "report", str(project), "-o", str(out)], env=env)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"desk export report failed ({child.returncode})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB on Linux


def ffmpeg_stills(film: Path, times_ms: list[int], folder: Path) -> float:
    """Wall-clock seconds of FFmpeg writing a JPEG of each time, two processes at a time."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("the baseline is the ffmpeg program: install it")

    def one(index_ms: tuple[int, int]) -> None:
        index, ms = index_ms
        subprocess.run(
            [
                ffmpeg, "-v", "error", "-y", "-ss", f"{ms / 1000:.3f}", "-i", str(film),
                "-frames:v", "1", "-q:v", "2", str(folder / f"still-{index}.jpg"),
            ],
            check=True,
        )  # fmt: skip

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, enumerate(times_ms)))
    return time.perf_counter() - began


def pyav_stills(film: Path, times_ms: list[int], folder: Path) -> float:
    """Wall-clock seconds of bare PyAV writing a JPEG of each time, on two threads, each with its
    own container: seek to the keyframe before, decode to the last frame that starts at or before
    the time (the frame shown then), write it."""
    import av

    def run(part: list[tuple[int, int]]) -> None:
        with av.open(str(film)) as container:
            stream = container.streams.video[0]
            for index, ms in part:
                container.seek(ms * 1000, backward=True)  # microseconds: av.time_base
                shown = None
                for frame in container.decode(stream):
                    if frame.time is not None and frame.time * 1000 > ms:
                        break
                    shown = frame
                if shown is not None:
                    shown.to_image().save(folder / f"bare-{index}.jpg", quality=90)

    numbered = list(enumerate(times_ms))
    half = len(numbered) // 2
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, [numbered[:half], numbered[half:]]))
    return time.perf_counter() - began


def in_turn(
    trials: int, desk: Callable[[], T], film: Path, times: list[int], folder: Path
) -> tuple[list[T], list[float], list[float]]:
    """desk's run and the two baselines' (FFmpeg, bare PyAV) in turn, ``trials`` times each,
    who goes first alternating from trial to trial."""
    mine: list[T] = []
    theirs: list[float] = []
    bare: list[float] = []
    for trial in range(trials):
        for desk_first in (trial % 2 == 0, trial % 2 == 1):
            if desk_first:
                mine.append(desk())
            else:
                theirs.append(ffmpeg_stills(film, times, folder))
                bare.append(pyav_stills(film, times, folder))
    return mine, theirs, bare


def page_count(pdf: Path) -> str:
    """The number of pages ``pdfinfo`` reads in ``pdf`` ("?" if it reads none)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return found[1] if found else "?"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def stills_run(args: argparse.Namespace) -> None:
    film = two_hour_film()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = build_project(folder, film)
        times = still_times(project)
        out = folder / "bench.pdf"
        env = dict(os.environ, DESK_CACHE_DIR=str(folder / "cold-cache"))
        cold = desk_report(project, out, env)  # the frame index read from the film, then kept
        env["DESK_CACHE_DIR"] = str(folder / "cache")
        desk_report(project, out, env)  # the index kept, as after `desk new`; files in the OS cache
        mine, theirs, bare = in_turn(
            args.trials, lambda: desk_report(project, out, env), film, times, folder
        )
        size = out.stat().st_size
        if args.keep:
            shutil.copyfile(out, args.keep)
        pages = page_count(out)
    print(
        f"{film.name}: report of {pages} pages, {len(times)} stills, {size / 1e6:.1f} MB;"
        f" {args.trials} runs each, desk and FFmpeg in turn"
    )
    m, t = statistics.median(mine), statistics.median(theirs)
    print(
        f"  desk export report  {m:6.2f} s median, {p95(mine):6.2f} s p95 (target ≤ 20 s)"
        f" | FFmpeg -ss, the same stills: {t:6.2f} / {p95(theirs):6.2f} s"
        f" | ratio {m / t:4.2f}× median, {p95(mine) / p95(theirs):4.2f}× p95"
    )
    b = statistics.median(bare)
    print(
        f"  {'':19} bare PyAV, the same stills, one process: {b:6.2f} / {p95(bare):6.2f} s"
        f" | ratio {m / b:4.2f}× median, {p95(mine) / p95(bare):4.2f}× p95"
    )
    print(f"  first report with no frame index kept: {cold:6.2f} s")


# -- many notes -------------------------------------------------------------------------------
#: Targets per run: (seconds, peak resident MB); None where only memory is held to.
NOTES_TARGETS = {20_000: (30.0, 500), 100_000: (None, 1024)}


def notes_project(folder: Path, film: Path, notes: int) -> Path:
    """A bulk project of ``notes`` notes whose film is ``film``, two hours long."""
    from tests.bulk import write_large_project

    path = folder / f"notes-{notes}.desk"
    span_ms = FILM_HOURS * 3_600_000
    write_large_project(
        path,
        paragraphs=notes // 40,
        notes=notes,
        beats=notes // 100,
        scenes=20,
        duration_ms=span_ms,
    )
    with Project.open(path, backup=False) as project:
        edits.update_media(project, 1, path=str(film), width=640, height=360)
    return path


def notes_run(notes: int, trials: int) -> None:
    film = two_hour_film()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        project = notes_project(folder, film, notes)
        written = time.perf_counter() - began
        times = still_times(project)
        out = folder / "notes.pdf"
        env = dict(os.environ, DESK_CACHE_DIR=str(folder / "cache"))
        desk_report_process(project, out, env)  # the frame index kept, as after `desk new`
        mine, theirs, bare = in_turn(
            trials, lambda: desk_report_process(project, out, env), film, times, folder
        )
        pages = page_count(out)
        size = out.stat().st_size
    seconds, peak = NOTES_TARGETS.get(notes, (None, None))
    time_target = f"(target <= {seconds:.0f} s)" if seconds else "(target: finishes)"
    peak_target = f"(target <= {peak} MB)" if peak else ""
    walls = [w for w, _cpu, _mb in mine]
    cpus = [c for _w, c, _mb in mine]
    print(
        f"{notes:,} notes, {notes // 40:,} paragraphs (project written in {written:.1f} s):"
        f" {pages} pages, {len(times)} stills, {size / 1e6:.1f} MB PDF; {trials} runs each in turn"
    )
    m, t, b = statistics.median(walls), statistics.median(theirs), statistics.median(bare)
    print(
        f"  desk export report  {m:6.1f} s median, {max(walls):6.1f} s worst {time_target};"
        f" CPU {statistics.median(cpus):6.1f} s median;"
        f" peak RSS {max(mb for _w, _c, mb in mine):5.0f} MB {peak_target}"
    )
    print(
        f"  FFmpeg -ss, the same stills: {t:6.1f} s median | ratio {m / t:4.2f}×;"
        f" bare PyAV, the same stills: {b:6.1f} s median | ratio {m / b:4.2f}×"
    )
    print("  each run (desk wall / CPU / MB, FFmpeg, bare PyAV):")
    for (w, c, mb), f, p in zip(mine, theirs, bare, strict=True):
        print(f"    {w:6.1f} s / {c:6.1f} s / {mb:4.0f} MB, {f:6.1f} s, {p:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="runs of each, in turn")
    parser.add_argument("--keep", type=Path, help="copy the report of the stills run here")
    parser.add_argument(
        "--notes", type=int, nargs="*", default=[20_000, 100_000], help="note counts to report on"
    )
    parser.add_argument("--no-stills", action="store_true", help="skip the 100-still report")
    parser.add_argument(
        "--notes-trials", type=int, default=3, help="runs of each, in turn, per note count"
    )
    args = parser.parse_args()
    if not args.no_stills:
        stills_run(args)
    for notes in args.notes:
        notes_run(notes, args.notes_trials)


if __name__ == "__main__":
    main()
