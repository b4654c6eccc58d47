"""Memory floor: what desk's fixed stack costs before any of desk's own code runs.

    xvfb-run -a python bench/bench_memory_floor.py [--runs 3] [--settle 4]

desk is built on PySide6 for the window, libVLC (python-vlc) for playback, PyAV for exact frames
and pyqtgraph for the timeline. This bench measures the peak resident memory
(``VmHWM``) of a fresh process that uses each of them as little as desk can: a window of desk's
size with a native surface that libVLC plays the sample film into for a second, one frame of the
film decoded by PyAV and shown, and a pyqtgraph plot with one bar item, left for the settle time;
beside a bare PySide6 window left as long, alternated, and each part alone added to the bare
window. Nothing of desk is imported (the sample film is rendered first, by desk, in another
process). What the stack alone costs bounds from below what desk's window can cost.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_memory import ENV, PEAK, run  # noqa: E402

# argv: settle seconds, film path, then the parts to load: vlc, av, pyqtgraph
STACK = PEAK + textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QImage, QPixmap
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QWidget
    settle, film, parts = float(sys.argv[1]), sys.argv[2], set(sys.argv[3:])
    app = QApplication([])
    w = QMainWindow(); w.resize(1500, 920)
    split = QSplitter(Qt.Orientation.Vertical); w.setCentralWidget(split)
    surface = QWidget(); surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    surface.setMinimumSize(640, 360); split.addWidget(surface)
    if "av" in parts:
        import av
        with av.open(film) as container:
            frame = next(container.decode(video=0)).to_rgb()
        rows = bytes(frame.planes[0])
        image = QImage(rows, frame.width, frame.height, frame.planes[0].line_size,
                       QImage.Format.Format_RGB888)
        label = QLabel(); label.setPixmap(QPixmap.fromImage(image)); split.addWidget(label)
    if "pyqtgraph" in parts:
        import pyqtgraph as pg
        plot = pg.PlotWidget()
        plot.addItem(pg.BarGraphItem(x0=[0, 10, 20], x1=[5, 15, 25], y0=0, y1=1, brush="b"))
        split.addWidget(plot)
    w.show()
    player = None
    if "vlc" in parts:
        import vlc
        instance = vlc.Instance(["--no-video-title-show", "--quiet", "--no-xlib"])
        player = instance.media_player_new()
        player.set_media(instance.media_new_path(film))
        player.set_xwindow(int(surface.winId()))
    def done():
        print(f"peak {peak_mb():.1f}", flush=True); app.quit()
    def played():
        if player is not None:
            player.pause()
        QTimer.singleShot(int(settle * 1000), done)
    def start():
        if player is not None:
            player.play()
        QTimer.singleShot(1000, played)
    QTimer.singleShot(200, start)
    app.exec()
    """
)

CASES = (
    ("bare PySide6 window", ()),
    ("  + libVLC playing", ("vlc",)),
    ("  + PyAV, one frame", ("av",)),
    ("  + pyqtgraph plot", ("pyqtgraph",)),
    ("the whole stack", ("vlc", "av", "pyqtgraph")),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=4.0, help="seconds left running")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(  # the sample's film, rendered by desk in a process of its own
            [sys.executable, "-c", "import sys, pathlib; from desk.sample import write_sample;"
             "write_sample(pathlib.Path(sys.argv[1]))", folder],
            check=True, env=ENV | {"DESK_DATA_DIR": folder, "XDG_CONFIG_HOME": folder},
        )  # fmt: skip
        film = next(Path(folder).glob("*.mp4"))
        peaks: dict[str, list[float]] = {name: [] for name, _ in CASES}
        run(
            STACK, 0.5, str(film), "vlc", "av", "pyqtgraph"
        )  # warm: the film and libraries in the page cache
        for _ in range(args.runs):  # alternated, so each sees the same machine
            for name, parts in CASES:
                peaks[name].append(run(STACK, args.settle, str(film), *parts))
    bare = statistics.median(peaks[CASES[0][0]])
    for name, _ in CASES:
        mb = statistics.median(peaks[name])
        print(f"{name:24s} {mb:7.1f} MB   {mb / bare:.2f}x the bare window")


if __name__ == "__main__":
    main()
