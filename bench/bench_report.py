"""Benchmark: the PDF report, of a long essay with 100 stills and of projects with 20,000 and
100,000 notes.

**Stills.** A 50-page report with 100 exact-frame stills from a two-hour 1080p film. Rendering two
hours of 1080p is too slow for a benchmark, so the film is a shorter 1080p copy (snow over the frame
code, B-frames, a long keyframe interval) and the project's time map squeezes two hours of film
time onto it (an affine map, ``copy = film / rate``). The 100 stills then sit about
``duration / 100`` apart in the copy, and each costs a decode forward of that many frames (or a
keyframe seek when that is cheaper): what a still costs in a real two-hour film whose stills each
need a seek and a decode through half a keyframe interval of that length on average.

- default, a 4-minute copy: stills ~58 frames apart, like a film with a keyframe every ~5 s;
- ``--duration 500 --keyframes 240``: stills ~120 frames apart, each in its own keyframe interval,
  like a film with x264's longest default interval (10 s).

**Notes.** Projects written by ``tests/bulk.py``: N notes, N/40 paragraphs (one link
each), N/100 beats, 20 scenes, each note linked to a time in a two-hour film, on a 640×360 test
film squeezed onto those two hours the same way. Each report is written in its own process, so its
peak resident memory is its own. Targets: 20,000 notes in ≤ 30 s and ≤ 500 MB; 100,000 notes to
finish in ≤ 1 GB (ReportLab holds the whole document until it writes it, so memory grows with the
PDF, a few KB a note, while the flowables are made and dropped batch by batch).

    .venv/bin/python bench/bench_report.py [--folder DIR] [--duration 240] [--keyframes 250]
                                           [--notes 20000 100000] [--no-stills]

The films are cached in the folder between runs; the figures are printed at the end of each run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from desk.export.report import export_report
from desk.store import edits
from desk.store.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the large projects: tests/bulk.py

FILM_HOURS = 2
SENTENCE = (
    "the camera holds on her face while the snow keeps falling and nobody speaks; what the scene "
    "refuses to say is carried by the framing, the distance between two bodies in one car, and the "
    "sound of the wipers that measures out the time she will not spend on feeling"
)
WORDS = SENTENCE.split(" ")


def render(folder: Path, duration_s: float, keyframes: int) -> Path:
    from desk.media.synth import render_film

    film = folder / f"bench-1080p-snow-{int(duration_s)}s-k{keyframes}.mp4"
    if not film.exists():
        started = time.perf_counter()
        render_film(
            film,
            width=1920,
            height=1080,
            fps=Fraction(24),
            duration_s=duration_s,
            keyframe_interval=keyframes,
            background="snow",
            bframes=2,
            audio=False,
        )
        print(f"rendered {film.name} in {time.perf_counter() - started:.1f} s")
    return film


def text(n: int, words: int) -> str:
    return " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(words)).capitalize() + "."


def build_project(folder: Path, film: Path, copy_ms: int) -> Path:
    from desk.film_tasks import new_project

    span_ms = FILM_HOURS * 3_600_000
    rate = Fraction(span_ms, copy_ms)
    path = folder / "bench.desk"
    project = new_project(path, film, title="Bench")
    try:
        edits.update_media(
            project, 1, time_map=f'{{"kind": "affine", "offset_ms": "0", "rate": "{rate}"}}'
        )
        edits.update_project(project, film_title="A two-hour film", film_year=2024)
        _fill(project, span_ms)
    finally:
        project.close()
    return path


def _fill(project: Project, span_ms: int) -> None:
    scenes = [(f"Scene {i + 1}", i * span_ms // 3, (i + 1) * span_ms // 3) for i in range(3)]
    for name, start, end in scenes:
        edits.add_scene(project, name, start, end)
    ani, _ = edits.add_character(project, "Ani", "#d1495b")
    igor, _ = edits.add_character(project, "Igor", "#3d7ea6")
    for i in range(19):  # the arc of scene 2: one still per beat
        start = span_ms // 3 + (i * 2 + 1) * span_ms // 3 // 40 + 1_234
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
        at = (i * 2 + 1) * span_ms // 90 + 1_234
        edits.link(project, start_ms=at, end_ms=at + 8_000, paragraph_id=pid)
        edits.add_note(project, text(i + 3, 30), start_ms=at + 2_000, paragraph_id=pid)
    for r in range(6):
        reading, _ = edits.add_reading(project, f"Reading {r + 1}", text(r, 60))
        for b in range(1 + r, 19, 3):
            edits.add_evidence(project, reading, "supports" if b % 2 else "contradicts", beat_id=b)


def stills_run(args: argparse.Namespace) -> None:
    film = render(args.folder, args.duration, args.keyframes)
    with tempfile.TemporaryDirectory() as tmp:
        project = build_project(Path(tmp), film, int(args.duration * 1000))
        out = Path(tmp) / "bench.pdf"
        result = export_report(project, out, workers=args.workers)
        size = out.stat().st_size
        if args.keep:
            shutil.copyfile(out, args.keep)
    spacing = args.duration * 24 / max(1, result.stills)
    print(f"pages {result.pages}, stills {result.stills}, {size / 1e6:.1f} MB")
    print(f"stills ~{spacing:.0f} frames apart in a copy with a keyframe every {args.keyframes}")
    print(
        f"total {result.total_s:.2f} s, decoding {result.decode_s:.2f} s "
        f"({100 * result.decode_s / result.total_s:.0f} %), layout and writing "
        f"{result.total_s - result.decode_s:.2f} s"
    )
    print("target: 50 pages, 100 stills, <= 20 s")


# -- many notes -------------------------------------------------------------------------------
NOTES_FILM_S = 240
#: Targets per run: (seconds, peak resident MB); None where only memory is held to.
NOTES_TARGETS = {20_000: (30.0, 500), 100_000: (None, 1024)}


def notes_film(folder: Path) -> Path:
    from desk.media.synth import render_film

    film = folder / f"bench-360p-snow-{NOTES_FILM_S}s.mp4"
    if not film.exists():
        render_film(
            film,
            width=640,
            height=360,
            duration_s=NOTES_FILM_S,
            keyframe_interval=48,
            background="snow",
            audio=False,
        )
    return film


def notes_project(folder: Path, film: Path, notes: int) -> Path:
    """A bulk project of ``notes`` notes whose film is ``film``, squeezed onto two hours."""
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
    rate = Fraction(span_ms, NOTES_FILM_S * 1000)
    with Project.open(path, backup=False) as project:
        edits.update_media(
            project,
            1,
            path=str(film),
            width=640,
            height=360,
            time_map=json.dumps({"kind": "affine", "offset_ms": "0", "rate": str(rate)}),
        )
    return path


def notes_child(project: Path) -> None:
    """Write the report of ``project`` and print its figures as JSON (run in its own process)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "notes.pdf"
        result = export_report(project, out)
        size = out.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {
        "pages": result.pages,
        "stills": result.stills,
        "total_s": result.total_s,
        "decode_s": result.decode_s,
        "peak_mb": peak_mb,
        "pdf_mb": size / 1e6,
    }
    print(json.dumps(figures))


def notes_run(folder: Path, notes: int) -> None:
    film = notes_film(folder)
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        project = notes_project(Path(tmp), film, notes)
        written = time.perf_counter() - began
        done = subprocess.run(
            [sys.executable, __file__, "--report-of", str(project)],
            capture_output=True,
            text=True,
            check=True,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    seconds, peak = NOTES_TARGETS.get(notes, (None, None))
    time_target = f"(target <= {seconds:.0f} s)" if seconds else "(target: finishes)"
    peak_target = f"(target <= {peak} MB)" if peak else ""
    print(f"{notes:,} notes, {notes // 40:,} paragraphs (project written in {written:.1f} s)")
    print(f"  pages {figures['pages']}, stills {figures['stills']}, {figures['pdf_mb']:.1f} MB PDF")
    print(
        f"  total {figures['total_s']:6.1f} s {time_target}, decoding {figures['decode_s']:.1f} s"
    )
    print(f"  peak RSS {figures['peak_mb']:6.0f} MB {peak_target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "desk-bench-report"
    )
    parser.add_argument("--duration", type=float, default=240.0, help="seconds of 1080p copy")
    parser.add_argument("--keyframes", type=int, default=250, help="frames between keyframes")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="copy the report of the stills run here")
    parser.add_argument(
        "--notes", type=int, nargs="*", default=[20_000, 100_000], help="note counts to report on"
    )
    parser.add_argument("--no-stills", action="store_true", help="skip the 100-still report")
    parser.add_argument("--report-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report_of is not None:
        notes_child(args.report_of)
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    if not args.no_stills:
        stills_run(args)
    for notes in args.notes:
        notes_run(args.folder, notes)


if __name__ == "__main__":
    main()
