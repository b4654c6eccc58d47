"""Timeline scale: build the view of a 2-hour film with 100,000 annotations, then pan and zoom.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_timeline.py

The project (30,000 beats over 4 characters, 35,000 notes with 35,000 links, 2,000 scenes and
3,000 shots) is written in bulk through SQL into a temporary folder. Printed: the time to build the
view (target ≤ 0.5 s) and to paint its first frame, and the time per frame of panning and zooming
(target: p95 ≤ 16 ms, one frame of a 60 Hz screen), each frame measured as a change of the view
range plus a synchronous repaint of the plot's viewport; desk's CPU time per frame is printed too.

The baseline, built and driven in the same run, is pyqtgraph drawing the same beats, links, scenes
and shots plainly: one ``BarGraphItem`` per lane, every rectangle drawn whatever its size. Its
frames alternate with desk's, so both see the same load on the machine; each figure is printed
with the baseline's and the ratio.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the large projects: tests/bulk.py

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desk.store.project import Project  # noqa: E402
from desk.ui.session import Session  # noqa: E402
from desk.ui.timeline import TimelineWidget, model  # noqa: E402
from desk.ui.transport import Transport  # noqa: E402
from tests.bulk import write_large_project  # noqa: E402

DURATION_MS = 7_200_000
FRAMES = 90
TRIALS = 20


class Plain:
    """The baseline: pyqtgraph drawing every beat, link, scene and shot as a plain rectangle."""

    def __init__(self, project: Project) -> None:
        self.view = pg.GraphicsLayoutWidget()
        self.plot = self.view.addPlot()
        self.plot.invertY(True)
        beats = model.load_beats(project)
        lanes = model.lanes_of(beats, model.load_characters(project))
        scenes = model.load_scenes(project)
        rows: list[tuple[np.ndarray, np.ndarray]] = [
            (scenes.starts, scenes.ends),
            (model.load_starts(project, "shot"),) * 2,  # type: ignore[list-item]
            (model.load_starts(project, "time_link"),) * 2,  # type: ignore[list-item]
        ]
        rows += [(beats.starts[lane.rows], beats.ends[lane.rows]) for lane in lanes]
        for y, (starts, ends) in enumerate(rows):
            self.plot.addItem(
                pg.BarGraphItem(
                    x0=starts,
                    x1=ends,
                    y0=np.full(len(starts), y + 0.08),
                    height=0.84,
                    brush="#6fa8dc",
                    pen="#202024",
                )  # fmt: skip
            )
        self.plot.setYRange(0, len(rows), padding=0)

    def show_range(self, low: float, high: float) -> None:
        self.plot.setXRange(low, high, padding=0)


def frame_times(
    widget: TimelineWidget, plain: Plain, ranges: list[tuple[float, float]]
) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds per frame for desk and for the baseline, their frames taking turns, and the
    CPU time (the process') of each of desk's frames: on a loaded machine the wall time also
    counts the waits for a core."""
    desk, base, desk_cpu = [], [], []
    desk_port, base_port = widget.view.viewport(), plain.view.viewport()
    for low, high in ranges:
        c0, t0 = time.process_time(), time.perf_counter()
        widget.plots.show_range(low, high)
        desk_port.repaint()
        t1, c1 = time.perf_counter(), time.process_time()
        plain.show_range(low, high)
        base_port.repaint()
        t2 = time.perf_counter()
        desk.append((t1 - t0) * 1000)
        base.append((t2 - t1) * 1000)
        desk_cpu.append((c1 - c0) * 1000)
    return desk, base, desk_cpu


def pan_ranges(width_ms: float, start_ms: float) -> list[tuple[float, float]]:
    step = width_ms * 0.05
    return [(start_ms + i * step, start_ms + i * step + width_ms) for i in range(FRAMES)]


def zoom_ranges(centre_ms: float) -> list[tuple[float, float]]:
    widths = [DURATION_MS * (0.001 / 1) ** (i / (FRAMES // 2 - 1)) for i in range(FRAMES // 2)]
    widths += widths[::-1]
    return [(centre_ms - w / 2, centre_ms + w / 2) for w in widths]


def quantile(values: list[float], at: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(at * len(ordered)) - 1))]


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):6.1f}  p95 {quantile(values, 0.95):6.1f} ms"


def report(name: str, times: tuple[list[float], list[float], list[float]]) -> None:
    desk, base, desk_cpu = times
    share = quantile(desk, 0.95) / quantile(base, 0.95)
    print(
        f"  {name:<34} desk {summary(desk)} | pyqtgraph plain {summary(base)}"
        f" | ratio p95 {share:4.2f}x   (target p95 ≤ 16 ms)"
    )
    print(f"  {'':<34} desk's CPU time {summary(desk_cpu)}")


def write_project(path: Path) -> None:
    """The bench's project: 30,000 beats, 35,000 notes and links, 2,000 scenes, 3,000 shots."""
    write_large_project(
        path,
        paragraphs=0,
        notes=35_000,
        beats=30_000,
        scenes=2_000,
        shots=3_000,
        duration_ms=DURATION_MS,
    )


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="desk-bench-timeline-"))
    path = folder / "large.desk"
    t0 = time.perf_counter()
    write_project(path)
    print(
        f"wrote the project in {time.perf_counter() - t0:.1f} s: 30,000 beats, 35,000 notes, "
        "35,000 links, 2,000 scenes, 3,000 shots over 2 hours"
    )
    project = Project.open(path, backup=False)
    session, transport = Session(project), Transport()
    built, base_built = [], []
    for trial in range(TRIALS):  # taking turns at going first
        for build, out in sorted(
            ((lambda: TimelineWidget(session, transport), built),
             (lambda: Plain(project).view, base_built)),
            key=lambda pair: (pair[1] is built) == bool(trial % 2),
        ):  # fmt: skip
            t0 = time.perf_counter()
            made = build()
            out.append((time.perf_counter() - t0) * 1000)
            made.close()
            made.deleteLater()  # gone now, or its slots would answer the edit timed below
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    widget = TimelineWidget(session, transport)
    plain = Plain(project)
    for shown in (widget, plain.view):
        shown.resize(1600, 700)
        shown.show()
    app.processEvents()
    t1 = time.perf_counter()
    widget.view.viewport().repaint()
    first = time.perf_counter() - t1
    share = statistics.median(built) / statistics.median(base_built)
    print(
        f"build the view ({TRIALS} times): desk {summary(built)} | pyqtgraph plain"
        f" {summary(base_built)} | ratio of medians {share:.2f}x   (target ≤ 500 ms)"
    )
    print(f"first frame: {first * 1000:.0f} ms")
    print(f"per frame, {FRAMES} frames each, 1600×700 px:")
    report(
        "pan, whole film in view",
        frame_times(widget, plain, pan_ranges(DURATION_MS, -DURATION_MS * 0.01)),
    )
    report("pan, 10 minutes in view", frame_times(widget, plain, pan_ranges(600_000, 3_000_000)))
    report("pan, 20 seconds in view", frame_times(widget, plain, pan_ranges(20_000, 3_600_000)))
    report("zoom, whole film ↔ 7 s and back", frame_times(widget, plain, zoom_ranges(3_600_000)))
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
