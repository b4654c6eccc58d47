"""Scrubbing: how well the player's pictures keep up with a dragged seek bar, and how long the GUI
thread is kept from its event loop meanwhile.

    xvfb-run -a .venv/bin/python bench/bench_scrub.py

Opens the real player (libVLC, or Qt Multimedia if libVLC does not start) in a 1280x800 window on
a 1920x1080 H.264 film at 24000/1001 frames/s with a keyframe every 240 frames and every frame's
number burned in (rendered once, cached in ``--workdir``). Then, a few times over, empties the
frame cache, drags the seek bar back and forth across the film with mouse events at 60 Hz, as a
hand would, and lets go. A heartbeat timer (every 5 ms) records the gaps in the event loop, first
with the player idle (the baseline), then while dragging and letting go. Printed:

- the event loop's gaps, median, p99 and max, idle and while dragging (target: none > 50 ms);
- the preview latency: from a pointer move that leaves the picture on screen out of place (not
  between the keyframe at or before the pointer and the pointer) to the first picture in place,
  median, p95 and max (target <= 30 ms), for pictures decoded then and for pictures shown earlier
  in the same drag (cached); and the moves never answered before the pointer left the interval;
- after each release: the time until the exact frame is on screen, and whether its pixels show it.
"""

from __future__ import annotations

import argparse
import bisect
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402

from bench.bench_seek import FPS, film  # noqa: E402
from desk.core.timemap import TimeMap  # noqa: E402
from desk.media.synth import read_frame_number  # noqa: E402
from desk.ui.player_view import PlayerView  # noqa: E402
from desk.ui.transport import Transport  # noqa: E402

HEARTBEAT_MS = 5
POINTER_HZ = 60


def frame_at(copy_ms: float) -> int:
    return math.floor(Fraction(round(copy_ms)) * FPS / 1000)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def spread(values: Sequence[float]) -> str:
    if not values:
        return "(none)"
    return (
        f"median {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
        f"   max {max(values):6.1f} ms   (n={len(values)})"
    )


def keyframes(path: Path) -> list[int]:
    """The numbers of the film's keyframes, read from its packets."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        found = sorted(
            round(packet.pts * video.time_base * FPS)
            for packet in container.demux(video)
            if packet.is_keyframe and packet.pts is not None
        )
    return found or [0]


def wait(condition: Callable[[], bool], timeout_ms: int = 10_000) -> bool:
    """Run the event loop until ``condition()`` holds (checked every 2 ms) or time is up.

    The loop sleeps between events, as an application's does: spinning on ``processEvents`` would
    keep the decoding threads from the interpreter and slow them down many times over.
    """
    if condition():
        return True
    loop = QEventLoop()
    check = QTimer(interval=2, timerType=Qt.TimerType.PreciseTimer)
    check.timeout.connect(lambda: condition() and loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    check.start()
    loop.exec()
    check.stop()
    return condition()


def run_loop(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


class Heartbeat:
    """Records the times between the ticks of a precise timer: the event loop's gaps."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=HEARTBEAT_MS, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.gaps_ms: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps_ms = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now


@dataclass
class Record:
    """Pointer moves and pictures shown, with their times (perf_counter seconds)."""

    moves: list[tuple[float, int]] = field(default_factory=list)  # (t, film ms asked)
    shown: list[tuple[float, int, bool]] = field(default_factory=list)  # (t, film ms, exact)
    gaps: list[float] = field(default_factory=list)  # the event loop's, in ms
    released: float = 0.0
    goal: int = -1  # the frame at the pointer when released
    answered: float | None = None  # when that exact frame was shown


def mouse(widget: QWidget, kind: QEvent.Type, x: float, held: bool) -> None:
    pos = QPointF(x, widget.height() / 2)
    button = Qt.MouseButton.LeftButton
    if kind == QEvent.Type.MouseMove:
        button = Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind, pos, QPointF(widget.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


class Hand:
    """Drags a slider back and forth at 60 Hz: one pass across it every ``pass_s`` seconds."""

    def __init__(self, slider: QWidget, pass_s: float, seconds: float) -> None:
        self.slider, self.pass_s, self.seconds = slider, pass_s, seconds
        self.timer = QTimer(interval=round(1000 / POINTER_HZ), timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._move)
        self._began = 0.0
        self._phase = 0.0

    def x_at(self, t: float) -> float:
        width = self.slider.width() - 1
        cycle = ((t / self.pass_s) + self._phase) % 2.0
        share = cycle if cycle <= 1.0 else 2.0 - cycle
        return 2 + share * (width - 4)

    def press(self, phase: float) -> None:
        self._phase = phase
        self._began = time.perf_counter()
        mouse(self.slider, QEvent.Type.MouseButtonPress, self.x_at(0.0), held=True)
        self.timer.start()

    def _move(self) -> None:
        x = self.x_at(time.perf_counter() - self._began)
        mouse(self.slider, QEvent.Type.MouseMove, x, held=True)

    def release(self) -> None:
        self.timer.stop()
        x = self.x_at(time.perf_counter() - self._began)
        mouse(self.slider, QEvent.Type.MouseButtonRelease, x, held=False)


@dataclass
class Previews:
    """How pictures followed the pointer during one drag (latencies in ms)."""

    decoded: list[float] = field(default_factory=list)  # answered by a picture new to this drag
    again: list[float] = field(default_factory=list)  # answered by one shown before (cached)
    missed: int = 0  # never answered while the pointer stayed in the interval
    moves: int = 0


def preview_latencies(record: Record, keys: list[int]) -> Previews:
    """For each move that leaves the picture on screen out of place (not between the pointer's
    keyframe and the pointer): the time until a picture in place was shown."""

    def key_of(index: int) -> int:
        return keys[max(0, bisect.bisect_right(keys, index) - 1)]

    def fits(shown_ms: int, asked: int) -> bool:
        index = frame_at(shown_ms)
        return key_of(asked) <= index <= asked

    out = Previews(moves=len(record.moves))
    first_shown: dict[int, float] = {}
    for t, ms, _ in record.shown:
        first_shown.setdefault(ms, t)
    on_screen: int | None = None
    shown_at = 0
    for number, (t, asked_ms) in enumerate(record.moves):
        while shown_at < len(record.shown) and record.shown[shown_at][0] <= t:
            on_screen = record.shown[shown_at][1]
            shown_at += 1
        asked = frame_at(asked_ms)
        if on_screen is not None and fits(on_screen, asked):
            continue
        leaves = next(
            (
                t2
                for t2, ms2 in record.moves[number + 1 :]
                if key_of(frame_at(ms2)) != key_of(asked)
            ),
            math.inf,
        )
        answer = next(
            ((t2, ms2) for t2, ms2, _ in record.shown[shown_at:] if t2 >= t and fits(ms2, asked)),
            None,
        )
        if answer is None or answer[0] > leaves:
            out.missed += 1
        else:
            latency = (answer[0] - t) * 1000
            (out.decoded if first_shown[answer[1]] == answer[0] else out.again).append(latency)
    return out


def exact_shown(record: Record, goal: int, since: float) -> float | None:
    """When the exact frame ``goal`` was shown after ``since`` (waits up to 10 s); None if not."""

    def found() -> float | None:
        times = (
            t for t, ms, exact in record.shown if exact and t >= since and frame_at(ms) == goal
        )
        return next(times, None)

    wait(lambda: found() is not None)
    return found()


def shown_number(player: PlayerView) -> int:
    image = player.picture.shown_image()
    assert image is not None
    image = image.convertToFormat(image.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    width = image.width()
    return read_frame_number(data[:, : width * 3].reshape(image.height(), width, 3))


def idle_baseline(heartbeat: Heartbeat, seconds: float) -> list[float]:
    heartbeat.start()
    run_loop(seconds)
    return heartbeat.stop()


@dataclass
class Results:
    baseline: list[float] = field(default_factory=list)  # event loop gaps, idle
    gaps: list[float] = field(default_factory=list)  # event loop gaps, dragging and releasing
    decoded: list[float] = field(default_factory=list)
    again: list[float] = field(default_factory=list)
    missed: int = 0
    releases: list[float] = field(default_factory=list)
    wrong: list[tuple[int, int]] = field(default_factory=list)  # (frame asked, frame seen)


def open_player(path: Path, frames: int) -> tuple[QMainWindow, PlayerView, str]:
    window = QMainWindow()
    player = PlayerView(Transport(window))
    window.setCentralWidget(player)
    window.resize(1280, 800)
    window.show()
    wait(window.isVisible, 3000)
    duration_ms = math.ceil(Fraction(frames) * 1000 / FPS)
    notice = player.load(path, TimeMap(), (FPS.numerator, FPS.denominator), duration_ms)
    return window, player, notice


def drag_once(player: PlayerView, hand: Hand, heartbeat: Heartbeat, phase: float) -> Record:
    """One drag from a cold cache, then a release; returns what happened (and the release's
    time in ``Record.released``)."""
    record = Record()
    on_shown = lambda ms, exact: record.shown.append((time.perf_counter(), ms, exact))  # noqa: E731
    on_moved = lambda ms: record.moves.append((time.perf_counter(), ms))  # noqa: E731
    player.server.wait_idle(10)
    player.server.cache.clear()  # each drag starts cold: its previews are decoded
    player.frame_shown.connect(on_shown)
    player.controls.seek_bar.sliderMoved.connect(on_moved)
    heartbeat.start()
    hand.press(phase)
    run_loop(hand.seconds)
    hand.release()
    record.released = time.perf_counter()
    record.goal = frame_at(player.transport.position_ms)
    record.answered = exact_shown(record, record.goal, record.released)
    record.gaps = heartbeat.stop()
    player.frame_shown.disconnect(on_shown)
    player.controls.seek_bar.sliderMoved.disconnect(on_moved)
    return record


def report(results: Results, drags: int) -> None:
    def gap_line(name: str, gaps: list[float]) -> str:
        return (
            f"  {name:<22} median {statistics.median(gaps):6.1f} ms   p99 "
            f"{percentile(gaps, 0.99):6.1f} ms   max {max(gaps):6.1f} ms   (n={len(gaps)})"
        )

    print(f"event loop gaps (heartbeat every {HEARTBEAT_MS} ms; target: none > 50 ms)")
    print(gap_line("idle", results.baseline))
    print(gap_line("dragging, releasing", results.gaps))
    print(f"  gaps over 50 ms while dragging: {sum(1 for g in results.gaps if g > 50)}")
    print("preview latency, pointer move -> picture in place (target <= 30 ms)")
    print(f"  decoded                {spread(results.decoded)}")
    print(f"  shown before (cache)   {spread(results.again)}")
    print(f"  never in place before the pointer moved on: {results.missed}")
    print(f"exact frame after release  {spread(results.releases)}")
    wrong = results.wrong
    print(
        f"  pixels show the exact frame: {drags - len(wrong)}/{drags}"
        + (f"   wrong (asked, seen; -1: none): {wrong}" if wrong else "")
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "desk-bench")
    parser.add_argument("--duration", type=float, default=60.0, help="film length in seconds")
    parser.add_argument("--keyint", type=int, default=240, help="frames between keyframes")
    parser.add_argument("--drags", type=int, default=6, help="drags, each ended by a release")
    parser.add_argument("--drag-seconds", type=float, default=4.0, help="length of each drag")
    parser.add_argument("--pass-seconds", type=float, default=1.5, help="one pass across the bar")
    parser.add_argument("--quick", action="store_true", help="two drags of 2 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.drags, args.drag_seconds = 2, 2.0
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = film(args.workdir, args.duration, args.keyint)
    keys = keyframes(path)
    frames = round(Fraction(args.duration) * FPS)

    app = QApplication.instance() or QApplication(sys.argv)
    window, player, notice = open_player(path, frames)
    backend = player.backend.name if player.backend is not None else "none"
    print(
        f"film: {path.name}, 1920x1080, {float(FPS):.3f} frames/s, {frames} frames, keyframes "
        f"every {args.keyint}; picture {player.picture.width()}x{player.picture.height()}, "
        f"platform {app.platformName()}, backend {backend}" + (f" ({notice})" if notice else "")
    )
    if not wait(lambda: player.picture.shown_image() is not None):
        raise SystemExit("the player showed no frame")
    heartbeat = Heartbeat()
    results = Results(baseline=idle_baseline(heartbeat, 2.0))
    hand = Hand(player.controls.seek_bar, args.pass_seconds, args.drag_seconds)
    for number in range(args.drags):
        record = drag_once(player, hand, heartbeat, phase=number * 0.37)
        results.gaps += record.gaps
        if record.answered is None:
            results.wrong.append((record.goal, -1))
        else:
            results.releases.append((record.answered - record.released) * 1000)
            seen = shown_number(player)
            if seen != record.goal:
                results.wrong.append((record.goal, seen))
        previews = preview_latencies(record, keys)
        results.decoded += previews.decoded
        results.again += previews.again
        results.missed += previews.missed
        print(
            f"drag {number + 1}: {previews.moves} pointer moves; picture put in place: decoded "
            f"median {statistics.median(previews.decoded or [math.nan]):5.1f} ms, max "
            f"{max(previews.decoded or [math.nan]):5.1f} ms (n={len(previews.decoded)}), "
            f"from cache n={len(previews.again)}, missed {previews.missed}"
        )
        idle_baseline(heartbeat, 0.5)
    player.close_media()
    window.close()
    report(results, args.drags)


if __name__ == "__main__":
    main()
