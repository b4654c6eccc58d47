"""Start-up: how long until desk's window is on screen, against a bare PySide6 window.

    xvfb-run -a python bench/bench_startup.py [--runs 5]

Each figure is the median of several fresh processes, desk's and the bare window's alternated after
one warm-up of each, measured from process start to the first paint of the window; for desk also
to the first paint of the sample film's first frame, and to the workspace complete (every panel and
the timeline built, which desk does after that frame). Targets: the window ≤ 2× the bare window;
the sample's first frame ≤ 3×.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

BARE = textwrap.dedent(
    """
    import time, sys
    t0 = float(sys.argv[1])
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([])
    w = QMainWindow(); w.resize(1500, 920)
    class Paint(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint:
                print(f"window {time.time() - t0:.4f}", flush=True); app.quit()
            return False
    f = Paint(); w.installEventFilter(f); w.show(); app.exec()
    """
)

DESK = textwrap.dedent(
    """
    import time, sys
    t0 = float(sys.argv[1])
    from PySide6.QtCore import QEvent, QObject, QTimer
    from desk.app import start_gui
    app, w = start_gui(None)  # desk's own start-up, shown and waiting for its first paint
    state = {"painted": False}
    class Paint(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and not state["painted"]:
                state["painted"] = True
                print(f"window {time.time() - t0:.4f}", flush=True)
            return False
    f = Paint(); w.installEventFilter(f)
    class FramePaint(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and state.get("shown") and not state.get("frame"):
                state["frame"] = True
                print(f"frame {time.time() - t0:.4f}", flush=True)
                QTimer.singleShot(0, complete)
            return False
    def complete():
        if all(dock.widget().layout().count() for dock in w.docks.values()):
            print(f"complete {time.time() - t0:.4f}", flush=True)
            app.quit()
        else:
            QTimer.singleShot(5, complete)
    def opened():
        player = w.workspace.player
        state["filter"] = FramePaint()
        player.picture.installEventFilter(state["filter"])
        def shown(ms, exact):
            state["shown"] = True
        if player._shown_film_ms >= 0:
            shown(0, True)
            player.picture.update()
        player.frame_shown.connect(shown)
    def hook():
        if w.workspace is None:
            QTimer.singleShot(1, hook)
        else:
            opened()
    hook()
    app.exec()
    """
)


#: As an installed desk runs: its bytecode cached (pip and PyInstaller compile it; a checkout caches
#: it on first start), which this machine's PYTHONDONTWRITEBYTECODE would otherwise prevent.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "QT_QPA_PLATFORM": "xcb"
}


def run(script: str, *args: str) -> dict[str, float]:
    import time

    out = subprocess.run(
        [sys.executable, "-c", script, repr(time.time()), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    ).stdout
    return {k: float(v) for k, v in (line.split() for line in out.splitlines() if line.strip())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from desk.sample import write_sample

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DESK_DATA_DIR"] = folder
        os.environ["XDG_CONFIG_HOME"] = folder
        write_sample(Path(folder) / "sample")  # where the first run finds it
        ENV.update(DESK_DATA_DIR=folder, XDG_CONFIG_HOME=folder)
        run(BARE), run(DESK)  # warm: bytecode written, files in the page cache
        bare, desk = [], []
        for _ in range(args.runs):  # alternated, so both see the same load on the machine
            bare.append(run(BARE)["window"])
            desk.append(run(DESK))
    b = statistics.median(bare)
    w = statistics.median(d["window"] for d in desk)
    f = statistics.median(d["frame"] for d in desk if "frame" in d)
    c = statistics.median(d["complete"] for d in desk if "complete" in d)
    print(f"bare PySide6 window     {b * 1000:7.0f} ms")
    print(f"desk window             {w * 1000:7.0f} ms   {w / b:.2f}x  (target <= 2x)")
    print(f"sample's first frame    {f * 1000:7.0f} ms   {f / b:.2f}x  (target <= 3x)")
    print(f"workspace complete      {c * 1000:7.0f} ms   {c / b:.2f}x")


if __name__ == "__main__":
    main()
