"""How exact and how fast paused seeks and frame steps are: libVLC alone, desk's frame server, and
bare PyAV as the baseline.

Renders (once, cached in ``--workdir``) 1920x1080 H.264 films at 24000/1001 frames/s with a
keyframe every 240 frames, B-frames (as nearly every real film has: without them libVLC lands on
the right frame too, and the benchmark could not show what desk adds) and every frame's number
burned in, as MP4, Matroska and MPEG-TS, then prints:

- for each container, the share of exact frames after random paused seeks: libVLC's first picture
  after the seek and its picture once settled (pixels captured through its memory video output),
  beside desk's FrameServer on the same times;
- on the MP4 film, median and 95th-percentile latency of a truly cold exact seek (a fresh server
  and a fresh bare PyAV container for every trial, in alternating order) and their ratio, a cached
  seek, steps forward and back at the user's pace, steps with the key held (a key repeat every
  40 ms, never waiting for the worker to go idle) beside bare PyAV seeking to each frame, a step
  back across a keyframe, and the keyframe preview.

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
#: X11's default key repeat: 25 a second.
KEY_REPEAT_S = 1 / 25
VLC_SIZE = (480, 270)  # libVLC scales the picture it hands over; the block code reads at any size


def shown_at(copy_ms: int) -> int:
    return math.floor(Fraction(copy_ms) * FPS / 1000)


def start_ms(frame: int) -> int:
    return math.ceil(Fraction(frame) * 1000 / FPS)


def stats(seconds: Sequence[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"median {statistics.median(ms):8.2f} ms   p95 {quantile(ms, 0.95):8.2f} ms   (n={len(ms)})"
    )


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = call()
    return time.perf_counter() - began, result


def film(workdir: Path, duration_s: float, keyint: int, bframes: int, suffix: str) -> Path:
    path = workdir / f"seek-1080p-{duration_s:g}s-k{keyint}-b{bframes}.{suffix}"
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
                bframes=bframes,
            )
        )
        print(f"  rendered in {seconds:.1f} s")
    return path


def ratio(desk: Sequence[float], bare: Sequence[float], at: float = 0.5) -> str:
    """desk / baseline at one quantile (0.5: medians)."""
    return f"{quantile(desk, at) / quantile(bare, at):5.2f}x"


def quantile(seconds: Sequence[float], at: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(at * len(ordered)) - 1))]


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


def bench_vlc(path: Path, times: list[int]) -> tuple[str, str]:
    """libVLC's first picture after each paused seek, and its picture once settled."""
    try:
        capture = VlcCapture(path)
        capture.start_paused()
    except Exception as exc:  # libVLC missing or broken: the rest of the run still counts
        return f"unavailable ({exc})", ""
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
    first_off = sorted(o for o in first_offsets if o)
    exact = sum(1 for o in offsets if o == 0)
    misses = sorted(o for o in offsets if o is not None and o != 0)
    blank = sum(1 for o in offsets if o is None)
    return (
        f"{first_exact:3d}/{len(times)}   frames off: {first_off[:10]}"
        f"{' ...' if len(first_off) > 10 else ''}"
        f"{f'   no picture: {blank}' if blank else ''}",
        f"{exact:3d}/{len(times)}   frames off: {misses[:10]}{' ...' if len(misses) > 10 else ''}",
    )


def bench_exact(path: Path, times: list[int]) -> str:
    """desk's exactness on the same times, each from a fresh server."""
    exact = 0
    for copy_ms in times:
        with FrameServer(path) as server:
            frame = server.frame_at(copy_ms, timeout=30)
        exact += frame.index == shown_at(copy_ms) == read_frame_number(frame.rgb)
    return f"{exact:3d}/{len(times)}"


def bench_exactness(path: Path, times: list[int], vlc: bool) -> None:
    print(f"{path.name}: exact frame after a paused seek, {len(times)} random times")
    if vlc:
        first, settled = bench_vlc(path, times)
        print(f"  libVLC, first picture      {first}")
        if settled:
            print(f"  libVLC, settled (<= 1 s)   {settled}")
    print(f"  desk                       {bench_exact(path, times)}   (target: all)")


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


def bench_cold(path: Path, times: list[int]) -> None:
    """A fresh server and a fresh bare container for every seek: nothing decoded before."""
    desk_s, bare_s, cached_s = [], [], []

    def desk_seek(copy_ms: int) -> None:
        with FrameServer(path) as server:
            desk_s.append(timed(lambda: server.frame_at(copy_ms, timeout=30))[0])
            cached_s.append(timed(lambda: server.frame_at(copy_ms, timeout=30))[0])

    def bare_seek(copy_ms: int) -> None:
        bare = BarePyAV(path)
        try:
            bare_s.append(timed(lambda: bare.frame_at(copy_ms))[0])
        finally:
            bare.close()

    for trial, copy_ms in enumerate(times):  # take turns going first, so neither gets the
        first, second = (desk_seek, bare_seek) if trial % 2 else (bare_seek, desk_seek)
        first(copy_ms)  # file cache warmed by the other
        second(copy_ms)
    print(f"cold exact seek, desk        {stats(desk_s)}")
    print(f"cold exact seek, bare PyAV   {stats(bare_s)}   (baseline)")
    print(f"  desk / bare: median {ratio(desk_s, bare_s)}, p95 {ratio(desk_s, bare_s, 0.95)}"
          "   (target <= 1.2x)")  # fmt: skip
    print(f"cached seek                  {stats(cached_s)}")


def key_held(step: Callable[[Any], Any], start: Any, steps: int, out: list[float]) -> None:
    """Steps at the key repeat's pace: each as soon as it is due, never waiting for idle work."""
    frame, due = start, time.perf_counter()
    for _ in range(steps):
        now = time.perf_counter()
        if now < due:
            time.sleep(due - now)
        began = time.perf_counter()
        frame = step(frame)
        out.append(time.perf_counter() - began)
        due = began + KEY_REPEAT_S


def stepping_back(bare: BarePyAV) -> Callable[[int], int]:
    """Bare PyAV's way back one frame: a seek to the keyframe and a decode forward, each time."""

    def step(index: int) -> int:
        bare.frame_at(start_ms(index - 1))
        return index - 1

    return step


def bench_steps(path: Path, starts: list[int], steps: int) -> None:
    forward, back, held_forward, held_back, bare_back = [], [], [], [], []
    with FrameServer(path) as server:
        for copy_ms in starts:
            server.cache.clear()
            at = server.frame_at(copy_ms, timeout=30)
            for delta, out in ((+1, forward), (-1, back)):
                frame = at
                for _ in range(steps):
                    server.wait_idle(30)  # a user's pace: the worker fills the cache in between
                    seconds, frame = timed(lambda f=frame, d=delta: server.step(f.pts_ms, d, 30))
                    out.append(seconds)
    for copy_ms in starts:
        for delta, out in ((+1, held_forward), (-1, held_back)):
            with FrameServer(path) as server:  # cold: nothing cached around the start
                at = server.frame_at(copy_ms, timeout=30)
                key_held(lambda f, d=delta, s=server: s.step(f.pts_ms, d, 30), at, steps, out)  # type: ignore[misc]
        bare = BarePyAV(path)
        try:
            frame = shown_at(copy_ms)
            bare.frame_at(start_ms(frame))

            key_held(stepping_back(bare), frame, steps, bare_back)
        finally:
            bare.close()
    print(f"step forward (user pace)     {stats(forward)}   (target median <= 50 ms)")
    print(f"step back (user pace)        {stats(back)}   (target p95 <= 100 ms)")
    print(f"step forward (key held)      {stats(held_forward)}")
    print(f"step back (key held), desk   {stats(held_back)}   (target p95 <= 100 ms)")
    print(f"step back (key held), bare   {stats(bare_back)}   (baseline: a seek per frame)")
    print(f"  desk / bare: median {ratio(held_back, bare_back)}, "
          f"p95 {ratio(held_back, bare_back, 0.95)}")  # fmt: skip


def bench_gop_back(path: Path, keyframes: list[int]) -> None:
    cold, warm = [], []
    with FrameServer(path) as server:
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


def bench_preview(path: Path, times: list[int]) -> None:
    seconds = []
    with FrameServer(path) as server:
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
    parser.add_argument("--bframes", type=int, default=2, help="B-frames between references")
    parser.add_argument("--containers", default="mp4,mkv,ts", help="comma-separated suffixes")
    parser.add_argument("--trials", type=int, default=40, help="random paused seeks")
    parser.add_argument("--quick", action="store_true", help="a 30 s film and 20 trials")
    parser.add_argument("--no-vlc", action="store_true", help="skip the libVLC measurement")
    parser.add_argument("--only", choices=["exact", "timing"], help="run one half only")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.trials = min(args.duration, 30.0), min(args.trials, 20)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    frames = round(Fraction(args.duration) * FPS)
    times = [rng.randrange(start_ms(frames - 1)) for _ in range(args.trials)]
    keyframes = [k for k in range(args.keyint, frames, args.keyint)][:10]
    suffixes = [s.strip() for s in args.containers.split(",") if s.strip()]
    films = [film(args.workdir, args.duration, args.keyint, args.bframes, s) for s in suffixes]
    print(
        f"films: 1920x1080 H.264, {float(FPS):.3f} frames/s, {frames} frames, keyframe every "
        f"{args.keyint}, {args.bframes} B-frames"
    )
    if args.only != "timing":
        for path in films:
            bench_exactness(path, times, not args.no_vlc)
    if args.only != "exact":
        path = films[0]
        print(f"timing on {path.name}:")
        bench_cold(path, times)
        bench_steps(path, times[:5], steps=max(20, args.trials))
        bench_gop_back(path, keyframes)
        bench_preview(path, times[:20])


if __name__ == "__main__":
    main()
