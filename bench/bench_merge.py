"""Merging a student's bundle back into a large project: three-way against two-way.

    python bench/bench_merge.py [--notes 20000] [--paragraphs 1000] [--runs 3]

A teacher's project of ``--notes`` notes and ``--paragraphs`` paragraphs is shared as a bundle; a
student's copy edits 50 notes, deletes 20 and adds 20, and is sent back. Each run merges it into
a fresh copy of the teacher's project twice, alternated: as desk does (three-way: the bundle's
base and the project's own compared, the new base written in the same command) and two-way (the
same snapshot with no base, nothing recorded), and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk.interchange.base import base_rows  # noqa: E402
from desk.interchange.bundle import open_as_project, open_bundle, write_bundle  # noqa: E402
from desk.interchange.formats import Options  # noqa: E402
from desk.interchange.merge import apply_snapshot  # noqa: E402
from desk.interchange.snapshot_read import read_snapshot  # noqa: E402
from desk.store import edits  # noqa: E402
from desk.store.merge_rows import read_base  # noqa: E402
from desk.store.project import Project  # noqa: E402
from tests.bulk import write_large_project  # noqa: E402


def homework(folder: Path, notes: int, paragraphs: int) -> tuple[Path, Path]:
    """The teacher's project and the student's bundle sent back."""
    teacher = write_large_project(folder / "teacher.desk", notes=notes, paragraphs=paragraphs)
    with Project.open(teacher, backup=False) as project:
        write_bundle(project, folder / "lecture.deskz", Options())
    open_as_project(folder / "student.desk", folder / "lecture.deskz")
    with Project.open(folder / "student.desk", backup=False) as student:
        ids = [row for (row,) in student.query("SELECT id FROM note ORDER BY id LIMIT 70")]
        for row in ids[:50]:
            edits.update_note(student, row, text=f"Rewritten at home ({row}).")
        for row in ids[50:]:
            edits.delete_note(student, row)
        for n in range(20):
            edits.add_note(student, f"A new thought, number {n}.", start_ms=60_000 + n * 1000)
        write_bundle(student, folder / "homework.deskz", Options())
    return teacher, folder / "homework.deskz"


def merge_once(teacher: Path, bundle: Path, folder: Path, *, three_way: bool) -> float:
    copy = folder / "target.desk"
    for stale in folder.glob("target.desk*"):
        stale.unlink()
    shutil.copy(teacher, copy)
    with Project.open(copy, backup=False) as project, open_bundle(bundle) as opened:
        snap = read_snapshot(opened.project)
        base = read_base(opened.project)
        start = time.perf_counter()
        if three_way:
            apply_snapshot(project, snap, "Merge", base=base, own_base=read_base(project),
                           new_base=base_rows(snap))  # fmt: skip
        else:
            apply_snapshot(project, snap, "Merge")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--paragraphs", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desk-bench-merge-") as tmp:
        folder = Path(tmp)
        teacher, bundle = homework(folder, args.notes, args.paragraphs)
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.runs):
            for three_way in (True, False):
                times[three_way].append(merge_once(teacher, bundle, folder, three_way=three_way))
    three, two = (statistics.median(times[k]) for k in (True, False))
    sys.stdout.write(
        f"merge of a bundle of {args.notes:,} notes and {args.paragraphs:,} paragraphs "
        f"(50 edited, 20 deleted, 20 added), median of {args.runs}:\n"
        f"  three-way (desk): {three:.2f} s\n  two-way:          {two:.2f} s\n"
        f"  ratio: {three / two:.2f}×\n"
    )


if __name__ == "__main__":
    main()
