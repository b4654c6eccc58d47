"""Timeline scale: build the view of a 2-hour film with 100,000 annotations, then pan and zoom.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_timeline.py

The project (30,000 beats over 4 characters, 35,000 notes with 35,000 links, 2,000 scenes and
3,000 shots) is written in bulk through SQL into a temporary folder. Printed: the time to build the
view (target ≤ 0.5 s) and to paint its first frame, and the time per frame of panning and zooming
(target: median ≤ 16 ms), each frame measured as a change of the view range plus a synchronous
repaint of the plot's viewport.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from desk.store.bulk import write_large_project  # noqa: E402
from desk.store.project import Project  # noqa: E402
from desk.ui.session import Session  # noqa: E402
from desk.ui.timeline import TimelineWidget  # noqa: E402
from desk.ui.transport import Transport  # noqa: E402

DURATION_MS = 7_200_000
FRAMES = 90


def frame_times(widget: TimelineWidget, ranges: list[tuple[float, float]]) -> list[float]:
    viewport = widget.view.viewport()
    out = []
    for low, high in ranges:
        t0 = time.perf_counter()
        widget.plots.show_range(low, high)
        viewport.repaint()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pan_ranges(width_ms: float, start_ms: float) -> list[tuple[float, float]]:
    step = width_ms * 0.05
    return [(start_ms + i * step, start_ms + i * step + width_ms) for i in range(FRAMES)]


def zoom_ranges(centre_ms: float) -> list[tuple[float, float]]:
    widths = [DURATION_MS * (0.001 / 1) ** (i / (FRAMES // 2 - 1)) for i in range(FRAMES // 2)]
    widths += widths[::-1]
    return [(centre_ms - w / 2, centre_ms + w / 2) for w in widths]


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"  {name:<34} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="desk-bench-timeline-"))
    path = folder / "large.desk"
    t0 = time.perf_counter()
    write_large_project(
        path,
        paragraphs=0,
        notes=35_000,
        beats=30_000,
        scenes=2_000,
        shots=3_000,
        duration_ms=DURATION_MS,
    )
    print(
        f"wrote the project in {time.perf_counter() - t0:.1f} s: 30,000 beats, 35,000 notes, "
        "35,000 links, 2,000 scenes, 3,000 shots over 2 hours"
    )
    project = Project.open(path, backup=False)
    session, transport = Session(project), Transport()
    t0 = time.perf_counter()
    widget = TimelineWidget(session, transport)
    built = time.perf_counter() - t0
    widget.resize(1600, 700)
    widget.show()
    app.processEvents()
    t1 = time.perf_counter()
    widget.view.viewport().repaint()
    first = time.perf_counter() - t1
    print(f"build the view: {built * 1000:.0f} ms (target ≤ 500 ms)")
    print(f"first frame: {first * 1000:.0f} ms")
    print(f"per frame, {FRAMES} frames each, 1600×700 px:")
    report(
        "pan, whole film in view", frame_times(widget, pan_ranges(DURATION_MS, -DURATION_MS * 0.01))
    )
    report("pan, 10 minutes in view", frame_times(widget, pan_ranges(600_000, 3_000_000)))
    report("pan, 20 seconds in view", frame_times(widget, pan_ranges(20_000, 3_600_000)))
    report("zoom, whole film ↔ 7 s and back", frame_times(widget, zoom_ranges(3_600_000)))
    t0 = time.perf_counter()
    row = int(widget.beats.data.ids[15_000])
    from desk.store import edits

    session.edit(edits.update_beat, row, valence=0.5, initiator=None)
    refreshed = (time.perf_counter() - t0) * 1000
    print(f"one beat edited elsewhere → edit and timeline refresh: {refreshed:.0f} ms")
    widget.close()
    project.close()


if __name__ == "__main__":
    main()
