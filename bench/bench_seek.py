"""How exact and how fast paused seeks and frame steps are: libVLC alone, desk's frame server, and
bare PyAV as the baseline.

Renders (once, cached in ``--workdir``) a 1920x1080 H.264 film at 24000/1001 frames/s with a
keyframe every 240 frames and every frame's number burned in, then prints:

- the share of exact frames after random paused seeks, for libVLC alone (pixels captured through
  its memory video output) and for desk's FrameServer;
- median and 95th-percentile latency of a cold exact seek, a cached seek, steps forward and back
  (within the cached range and across a keyframe), and the keyframe preview;
- the same decode-from-keyframe by bare PyAV, and the ratio desk / bare.

Run: ``.venv/bin/python bench/bench_seek.py`` (``--quick`` for a shorter run).
"""

from __future__ import annotations

import argparse
import ctypes
import math
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desk.media.frames import FrameServer  # noqa: E402
from desk.media.synth import read_frame_number, render_film  # noqa: E402

FPS = Fraction(24000, 1001)
VLC_SIZE = (480, 270)  # libVLC scales the picture it hands over; the block code reads at any size


def shown_at(copy_ms: int) -> int:
    return math.floor(Fraction(copy_ms) * FPS / 1000)


def start_ms(frame: int) -> int:
    return math.ceil(Fraction(frame) * 1000 / FPS)


def stats(seconds: Sequence[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]
    return f"median {statistics.median(ms):8.2f} ms   p95 {p95:8.2f} ms   (n={len(ms)})"


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = call()
    return time.perf_counter() - began, result


def film(workdir: Path, duration_s: float, keyint: int) -> Path:
    path = workdir / f"seek-1080p-{duration_s:g}s-k{keyint}.mp4"
    if not path.exists():
        print(f"rendering {path} ...", flush=True)
        seconds, _ = timed(
            lambda: render_film(
                path,
                width=1920,
                height=1080,
                fps=FPS,
                duration_s=duration_s,
                keyframe_interval=keyint,
            )
        )
        print(f"  rendered in {seconds:.1f} s")
    return path


# -- libVLC alone ----------------------------------------------------------------------------------
class VlcCapture:
    """libVLC with its memory video output: every displayed picture is copied here."""

    def __init__(self, path: Path) -> None:
        import vlc

        width, height = VLC_SIZE
        self.buffer = np.zeros(width * height * 4 + 64, np.uint8)
        offset = (-self.buffer.ctypes.data) % 32
        self.pixels = self.buffer[offset : offset + width * height * 4].reshape(height, width, 4)
        self.shown = threading.Condition()
        self.count = 0
        self.last: np.ndarray | None = None
        self.first_after_seek = -1
        self.instance = vlc.Instance(["--quiet", "--aout=dummy", "--file-caching=150"])
        self.player = self.instance.media_player_new()
        self.player.set_media(self.instance.media_new(str(path)))
        self._lock = vlc.CallbackDecorators.VideoLockCb(self._on_lock)
        self._display = vlc.CallbackDecorators.VideoDisplayCb(self._on_display)
        self.player.video_set_callbacks(self._lock, None, self._display, None)
        self.player.video_set_format("RV32", width, height, width * 4)

    def _on_lock(self, opaque: Any, planes: Any) -> None:
        planes[0] = ctypes.c_void_p(self.pixels.ctypes.data)

    def _on_display(self, opaque: Any, picture: Any) -> None:
        with self.shown:
            self.last = self.pixels[..., :3].copy()
            self.count += 1
            self.shown.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.shown:
            return self.shown.wait_for(lambda: self.count >= count, timeout)

    def start_paused(self) -> None:
        self.player.play()
        if not self.wait_for(1, 15):
            raise RuntimeError("libVLC showed no picture")
        self.player.set_pause(1)
        deadline = time.monotonic() + 5
        while self.player.is_playing() and time.monotonic() < deadline:
            self.wait_for(self.count + 1, 0.05)

    def seek(self, copy_ms: int, settle_s: float = 0.25) -> int | None:
        """The number of the frame libVLC shows after a paused seek (None if it showed none)."""
        before = self.count
        self.player.set_time(copy_ms)
        if not self.wait_for(before + 1, 3.0):
            return None
        assert self.last is not None
        self.first_after_seek = read_frame_number(self.last)
        deadline = time.monotonic() + 1.0  # a paused libVLC may keep redrawing the same picture
        while time.monotonic() < deadline and self.wait_for(self.count + 1, settle_s):
            pass
        assert self.last is not None
        return read_frame_number(self.last)

    def close(self) -> None:
        self.player.stop()
        self.player.release()
        self.instance.release()


def bench_vlc(path: Path, times: list[int]) -> None:
    try:
        capture = VlcCapture(path)
        capture.start_paused()
    except Exception as exc:  # libVLC missing or broken: the rest of the run still counts
        print(f"libVLC alone: unavailable ({exc})")
        return
    offsets: list[int | None] = []
    first_offsets: list[int] = []
    try:
        for copy_ms in times:
            shown = capture.seek(copy_ms)
            offsets.append(None if shown is None else shown - shown_at(copy_ms))
            if shown is not None:
                first_offsets.append(capture.first_after_seek - shown_at(copy_ms))
    finally:
        capture.close()
    first_exact = sum(1 for o in first_offsets if o == 0)
    print(
        f"libVLC, first picture after the seek: exact {first_exact}/{len(first_offsets)}"
        f"   frames off: {sorted(o for o in first_offsets if o)[:12]}"
    )
    exact = sum(1 for o in offsets if o == 0)
    misses = sorted(o for o in offsets if o is not None and o != 0)
    blank = sum(1 for o in offsets if o is None)
    print(
        f"libVLC, settled (up to 1 s)   exact {exact}/{len(times)}"
        f" = {100 * exact / len(times):5.1f} %"
        f"   (target 100 %)   frames off: {misses[:12]}{' ...' if len(misses) > 12 else ''}"
        f"{f'   no picture: {blank}' if blank else ''}"
    )


# -- desk and bare PyAV ----------------------------------------------------------------------------
class BarePyAV:
    """The baseline: one open container; seek to the keyframe, decode forward, convert."""

    def __init__(self, path: Path) -> None:
        self.container = av.open(str(path))
        self.stream = self.container.streams.video[0]
        self.stream.thread_type = "AUTO"

    def frame_at(self, copy_ms: int) -> np.ndarray:
        target = round(shown_at(copy_ms) / FPS / self.stream.time_base)
        self.container.seek(target, stream=self.stream, backward=True)
        for frame in self.container.decode(self.stream):
            if frame.pts >= target:
                return frame.to_ndarray(format="rgb24")
        raise RuntimeError("ran off the end")

    def close(self) -> None:
        self.container.close()


def bench_exact(server: FrameServer, times: list[int]) -> None:
    exact = 0
    for copy_ms in times:
        server.wait_idle(30)
        server.cache.clear()
        frame = server.frame_at(copy_ms, timeout=30)
        exact += frame.index == shown_at(copy_ms) == read_frame_number(frame.rgb)
    print(
        f"desk server    exact {exact}/{len(times)} = {100 * exact / len(times):5.1f} %"
        "   (target 100 %)"
    )


def bench_cold(server: FrameServer, bare: BarePyAV, times: list[int]) -> None:
    desk_s, bare_s, cached_s = [], [], []

    def desk_seek(copy_ms: int) -> None:
        server.wait_idle(30)
        server.cache.clear()
        desk_s.append(timed(lambda: server.frame_at(copy_ms, timeout=30))[0])
        cached_s.append(timed(lambda: server.frame_at(copy_ms, timeout=30))[0])
        server.wait_idle(30)

    def bare_seek(copy_ms: int) -> None:
        bare_s.append(timed(lambda: bare.frame_at(copy_ms))[0])

    for trial, copy_ms in enumerate(times):  # take turns going first, so neither gets the
        first, second = (desk_seek, bare_seek) if trial % 2 else (bare_seek, desk_seek)
        first(copy_ms)  # file cache warmed by the other
        second(copy_ms)
    ratio = statistics.median(desk_s) / statistics.median(bare_s)
    print(f"cold exact seek, desk        {stats(desk_s)}")
    print(f"cold exact seek, bare PyAV   {stats(bare_s)}")
    print(f"  desk / bare (medians)      {ratio:8.2f}            (target <= 1.2)")
    print(f"cached seek                  {stats(cached_s)}")


def bench_steps(server: FrameServer, starts: list[int], keyint: int, steps: int) -> None:
    forward, back, held_key, held_back = [], [], [], []
    for copy_ms in starts:
        server.wait_idle(30)
        server.cache.clear()
        at = server.frame_at(copy_ms, timeout=30)
        for delta, out in ((+1, forward), (-1, back)):
            frame = at
            for _ in range(steps):
                server.wait_idle(30)  # the user's pace: the worker fills the cache in between
                seconds, frame = timed(lambda f=frame, d=delta: server.step(f.pts_ms, d, 30))
                out.append(seconds)
        for delta, out in ((+1, held_key), (-1, held_back)):
            server.wait_idle(30)
            server.cache.clear()
            frame = server.frame_at(copy_ms, timeout=30)
            for _ in range(steps):  # a key held down: no pause, nothing cached around
                seconds, frame = timed(lambda f=frame, d=delta: server.step(f.pts_ms, d, 30))
                out.append(seconds)
    print(f"step forward (user pace)     {stats(forward)}   (target median <= 50 ms)")
    print(f"step forward (key held)      {stats(held_key)}")
    print(f"step back within cache       {stats(back)}   (target p95 <= 100 ms)")
    print(f"step back (key held)         {stats(held_back)}")


def bench_gop_back(server: FrameServer, keyframes: list[int]) -> None:
    cold, warm = [], []
    for key in keyframes:
        for out, wait in ((cold, False), (warm, True)):
            server.wait_idle(30)
            server.cache.clear()
            at = server.frame_at(start_ms(key), timeout=30)
            if wait:
                server.wait_idle(30)
            seconds, frame = timed(lambda a=at: server.step(a.pts_ms, -1, 30))
            assert frame.index == key - 1 == read_frame_number(frame.rgb)
            out.append(seconds)
    print(f"step back across a keyframe  {stats(cold)}   (right after landing on it)")
    print(f"  ... after a moment idle    {stats(warm)}   (previous interval cached)")


def bench_preview(server: FrameServer, times: list[int]) -> None:
    seconds = []
    for copy_ms in times:
        server.wait_idle(30)
        server.cache.clear()
        took, frame = timed(lambda t=copy_ms: server.preview_at(t))
        assert frame is not None
        seconds.append(took)
    print(f"keyframe preview             {stats(seconds)}   (target <= 30 ms)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "desk-bench")
    parser.add_argument("--duration", type=float, default=60.0, help="film length in seconds")
    parser.add_argument("--keyint", type=int, default=240, help="frames between keyframes")
    parser.add_argument("--trials", type=int, default=100, help="random paused seeks")
    parser.add_argument("--quick", action="store_true", help="a 30 s film and 30 trials")
    parser.add_argument("--no-vlc", action="store_true", help="skip the libVLC measurement")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.trials = min(args.duration, 30.0), min(args.trials, 30)
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = film(args.workdir, args.duration, args.keyint)
    rng = random.Random(args.seed)
    frames = round(Fraction(args.duration) * FPS)
    times = [rng.randrange(start_ms(frames - 1)) for _ in range(args.trials)]
    few = times[: max(10, args.trials // 5)]
    keyframes = [k for k in range(args.keyint, frames, args.keyint)][:10]
    print(
        f"film: {path.name}, 1920x1080, {float(FPS):.3f} frames/s, {frames} frames, "
        f"keyframe every {args.keyint}"
    )
    if not args.no_vlc:
        bench_vlc(path, times)
    server, bare = FrameServer(path), BarePyAV(path)
    try:
        bench_exact(server, times)
        bench_cold(server, bare, times)
        bench_steps(server, few[:5], args.keyint, steps=10)
        bench_gop_back(server, keyframes)
        bench_preview(server, few)
    finally:
        server.close()
        bare.close()


if __name__ == "__main__":
    main()
