"""Memory: desk's window on the sample project against a bare PySide6 window.

    xvfb-run -a python bench/bench_memory.py [--runs 3] [--settle 4]

Each figure is the peak resident memory (``VmHWM``) of a fresh process, desk's and the bare
window's alternated: the bare window is shown and left for the settle time; desk starts on the
sample project as a user would, and is left for the settle time after its workspace is complete
(every panel and the timeline built, thumbnails and the film's first frame on screen), with the
film played for a second in between. Also the peak of a bare ``import PySide6.QtWidgets``, so
the share of each that is Python and Qt themselves shows, and desk's peak when the critic also
writes one note after playing (the first edit loads the project's SQLModel tables, which reading
and playing do not need). Target: desk ≤ 2.5× the bare window.
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

PEAK = textwrap.dedent(
    """
    def peak_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    """
)

IMPORT = PEAK + "import PySide6.QtWidgets\nprint(f'peak {peak_mb():.1f}')\n"

BARE = PEAK + textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([])
    w = QMainWindow(); w.resize(1500, 920); w.show()
    def done():
        print(f"peak {peak_mb():.1f}", flush=True); app.quit()
    QTimer.singleShot(int(float(sys.argv[1]) * 1000), done)
    app.exec()
    """
)

DESK = PEAK + textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from desk.app import start_gui
    settle = int(float(sys.argv[1]) * 1000)
    app, w = start_gui(None)  # desk's own start-up on the sample project
    def done():
        print(f"peak {peak_mb():.1f}", flush=True); app.quit()
    def played():
        w.workspace.player.toggle_play()
        if sys.argv[2:] == ["edit"]:
            from desk.store import edits
            w.session.edit(edits.add_note, "the ring, again", start_ms=1000, initiator=w)
        QTimer.singleShot(settle, done)
    def complete():
        ws = w.workspace
        if ws is not None and all(d.widget().layout().count() for d in w.docks.values()):
            ws.player.toggle_play()
            QTimer.singleShot(1000, played)
        else:
            QTimer.singleShot(20, complete)
    complete()
    app.exec()
    """
)

ENV = dict(os.environ) | {"QT_QPA_PLATFORM": "xcb"}


def run(script: str, settle: float, *extra: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", script, str(settle), *extra],
        capture_output=True,
        text=True,
        timeout=180,
        env=ENV,
        check=True,
    ).stdout
    return float(next(ln.split()[1] for ln in out.splitlines() if ln.startswith("peak")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=4.0, help="seconds left running")
    args = parser.parse_args()
    from desk.sample import write_sample

    with tempfile.TemporaryDirectory() as folder:
        ENV.update(DESK_DATA_DIR=folder, XDG_CONFIG_HOME=folder)
        os.environ.update(DESK_DATA_DIR=folder, XDG_CONFIG_HOME=folder)
        write_sample(Path(folder) / "sample")  # where the first run finds it
        run(DESK, 0.5)  # warm: the sample film rendered, files in the page cache
        imports, bare, desk, edited = [], [], [], []
        for _ in range(args.runs):  # alternated, so both see the same machine
            imports.append(run(IMPORT, 0))
            bare.append(run(BARE, args.settle))
            desk.append(run(DESK, args.settle))
            edited.append(run(DESK, args.settle, "edit"))
    i, b, d, e = (statistics.median(x) for x in (imports, bare, desk, edited))
    print(f"import PySide6.QtWidgets  {i:7.1f} MB")
    print(f"bare PySide6 window       {b:7.1f} MB")
    print(f"desk on the sample        {d:7.1f} MB   {d / b:.2f}x  (target <= 2.5x)")
    print(f"  and one note written    {e:7.1f} MB   {e / b:.2f}x")


if __name__ == "__main__":
    main()
