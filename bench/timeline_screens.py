"""The timeline's picture at 32 ranges of the bench's project, to compare two versions of desk.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/timeline_screens.py grab FOLDER
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/timeline_screens.py compare FOLDER_A FOLDER_B

``grab`` builds the project of ``bench_timeline.py`` (the same seed, so the same beats, notes and
links), shows the timeline at 1600×700 and saves the view at ten fixed ranges and at frames of
each of the bench's pans and of its zoom. Run it with each version's tree on ``PYTHONPATH``, then
``compare`` prints how many pixels differ per range and in all: a change that is only meant to
be faster must print 0.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append(str(Path(__file__).resolve().parents[1]))  # desk, unless PYTHONPATH names one
# desk and the test helpers from PYTHONPATH first: bench_timeline puts its own tree in front
import desk.ui.timeline  # noqa: E402, F401
import tests.bulk  # noqa: E402, F401

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_timeline's project and ranges

import bench_timeline as bench  # noqa: E402
import numpy as np  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

FIXED_MS = [
    (0, 7_200_000),
    (-72_000, 7_128_000),
    (3_000_000, 3_600_000),
    (3_600_000, 3_620_000),
    (3_603_000, 3_623_000),
    (3_596_500, 3_603_500),
    (1_000_000, 1_060_000),
    (3_500_000, 3_700_000),
    (5_000_000, 5_005_000),
    (100_000, 2_000_000),
]


def ranges() -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = [(float(a), float(b)) for a, b in FIXED_MS]
    pans = (
        (bench.pan_ranges(bench.DURATION_MS, -bench.DURATION_MS * 0.01), 5),
        (bench.pan_ranges(600_000, 3_000_000), 7),
        (bench.pan_ranges(20_000, 3_600_000), 11),
    )
    for frames, phase in pans:
        out += [r for k, r in enumerate(frames) if k % 23 == phase]
    out += [r for k, r in enumerate(bench.zoom_ranges(3_600_000)) if k % 9 == 4]
    return out


def grab(folder: Path) -> None:
    from desk.store.project import Project
    from desk.ui.session import Session
    from desk.ui.timeline import TimelineWidget
    from desk.ui.transport import Transport

    app = QApplication.instance() or QApplication(sys.argv)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="desk-timeline-screens-") as work:
        path = Path(work) / "large.desk"
        bench.write_project(path)
        project = Project.open(path, backup=False)
        widget = TimelineWidget(Session(project), Transport())
        widget.resize(1600, 700)
        widget.show()
        app.processEvents()
        for number, (low, high) in enumerate(ranges()):
            widget.plots.show_range(low, high)
            widget.view.viewport().repaint()
            widget.view.grab().save(str(folder / f"range{number:02d}.png"))
        widget.close()
        project.close()
    print(f"saved {len(ranges())} pictures of the timeline of {Path(desk.__file__).parent}")


def pixels(path: Path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).copy()


def compare(first: Path, second: Path) -> None:
    total = 0
    for path in sorted(first.glob("range*.png")):
        a, b = pixels(path), pixels(second / path.name)
        differ = int((a != b).any(axis=2).sum()) if a.shape == b.shape else a.shape[0] * a.shape[1]
        total += differ
        print(f"{path.name}: {differ} pixels differ of {a.shape[0] * a.shape[1]}")
    print(f"in all: {total} pixels differ")


if __name__ == "__main__":
    if sys.argv[1:2] == ["grab"]:
        grab(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["compare"]:
        compare(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(__doc__)
