"""A large project in the workspace: open time, search time, scrolling the essay.

    QT_QPA_PLATFORM=offscreen python bench/bench_workspace.py

A project with 5,000 paragraphs and 100,000 notes (each linked to the film). Prints the time to
open it and show every panel (target ≤ 1 s), full-text search latency (median and p95 over
typical queries, target ≤ 20 ms), and the per-frame time of scrolling the essay (target ≤ 16 ms).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from desk.store.bulk import write_large_project

    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DESK_DATA_DIR"] = folder
        os.environ["XDG_CONFIG_HOME"] = folder
        path = Path(folder) / "large.desk"
        began = time.perf_counter()
        write_large_project(path)
        print(f"wrote 5,000 paragraphs + 100,000 notes in {time.perf_counter() - began:.1f} s")

        from desk.store.search import search
        from desk.ui import messages
        from desk.ui.main_window import MainWindow

        # The large project's film is missing on purpose: answer the relink prompt with "No".
        messages.question = lambda *a, **k: False
        window = MainWindow()
        window.show()
        app.processEvents()
        began = time.perf_counter()
        window.open_project(path, trusted_media=True)
        app.processEvents()
        opened = time.perf_counter() - began
        print(f"open and show                 {opened * 1000:7.0f} ms   (target <= 1000 ms)")

        conn = window.session.project.conn  # type: ignore[union-attr]
        timings = []
        for query in ("snow", "ring kiss", "fairy", "grief anger", "wipers breath chest", "pri"):
            for _ in range(5):
                t = time.perf_counter()
                search(conn, query)
                timings.append((time.perf_counter() - t) * 1000)
        timings.sort()
        print(
            f"search median / p95           {statistics.median(timings):7.1f} / "
            f"{timings[int(len(timings) * 0.95)]:.1f} ms   (target <= 20 ms)"
        )

        view = window.workspace.essay.view  # type: ignore[union-attr]
        bar = view.verticalScrollBar()
        frames = []
        for step in range(60):
            t = time.perf_counter()
            bar.setValue(step * bar.maximum() // 60)
            view.viewport().repaint()
            frames.append((time.perf_counter() - t) * 1000)
        frames.sort()
        print(
            f"essay scroll per frame        {statistics.median(frames):7.1f} ms median, "
            f"{frames[int(len(frames) * 0.95)]:.1f} ms p95   (target <= 16 ms)"
        )
        window.close_project()


if __name__ == "__main__":
    main()
