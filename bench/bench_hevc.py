"""Heavy and long films: exact seeks on 4K 10-bit HEVC HDR, and the frame index of a two-hour film,
each beside bare PyAV in the same run.

- **4K HEVC.** Renders (once, cached in ``--workdir``) a 3840×2160 10-bit HEVC film in BT.2020
  with PQ light (ffmpeg's x265, a keyframe every 48 frames, B-frames), then times cold exact
  seeks to random frames: a fresh desk :class:`~desk.media.decoder.FrameDecoder` against a fresh
  bare PyAV container that seeks to the keyframe before the frame and decodes up to it, taking
  turns going first. desk converts the frame at 4K (as stills and reports take it) and at an HD
  screen's width (as the paused player shows it: :class:`~desk.ui.player_view.PlayerView`
  decodes a film wider than its screen to the screen's width). The bare side converts the frame
  two ways: read as SDR (what PyAV gives alone: the baseline) and tone-mapped as desk does
  (:func:`desk.media.hdr.sdr_rgb`, the fair baseline for a 4K still). Medians, 95th percentiles
  and their ratios.
- **Frame index.** Reads every frame time of the two-hour film that ``bench_cli.py`` renders
  (24 frames/s, 172,800 frames, B-frames) as desk's :func:`~desk.media.frame_index.build_index`
  does, against a bare PyAV demux loop that touches every video packet; then reads the index
  back from the cache.

Run: ``.venv/bin/python bench/bench_hevc.py`` (``--trials N``; a few minutes, the first time
longer for the renders).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import av

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_cli import probe_film  # noqa: E402
from bench.bench_seek import quantile, ratio, stats, timed  # noqa: E402
from bench.films import CACHE  # noqa: E402
from desk.media.decoder import FrameDecoder  # noqa: E402
from desk.media.frame_index import build_index, frame_index  # noqa: E402
from desk.media.hdr import sdr_rgb  # noqa: E402

SIZE = (3840, 2160)
FRAMES, KEYINT = 96, 48
#: The player decodes a wider film to its screen's width (an HD screen here).
SCREEN_WIDTH = 1920


def hevc_film(folder: Path) -> Path:
    """The 4K 10-bit PQ film (rendered once: a minute or two with x265's fastest preset)."""
    width, height = SIZE
    path = folder / f"hevc-{width}x{height}-10bit-pq-{FRAMES}f-k{KEYINT}.mp4"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.partial.mp4")
    print(f"rendering {path} (once) ...", flush=True)
    source = f"testsrc2=size={width}x{height}:rate=24,format=yuv420p10le"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source]
        + ["-frames:v", str(FRAMES), "-c:v", "libx265", "-preset", "ultrafast"]
        + ["-x265-params", f"log-level=error:keyint={KEYINT}:min-keyint={KEYINT}:bframes=3"]
        + ["-pix_fmt", "yuv420p10le", "-color_primaries", "bt2020"]
        + ["-color_trc", "smpte2084", "-colorspace", "bt2020nc", str(partial)],
        check=True,
    )
    partial.replace(path)
    return path


def bare_seek(path: Path, index: int, tone_map: bool) -> Any:
    """Bare PyAV: seek to the keyframe at or before frame ``index``, decode up to it, convert it."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        video.thread_type = "AUTO"
        tb, rate = video.time_base, video.average_rate
        start = video.start_time or 0
        target = start + round(index / (rate * tb))
        container.seek(target, stream=video, backward=True)
        for frame in container.decode(video):
            if frame.pts is not None and frame.pts >= target:
                return sdr_rgb(frame) if tone_map else frame.to_ndarray(format="rgb24")
    raise SystemExit(f"frame {index} not found in {path}")


def desk_seek(path: Path, index: int, max_width: int | None = None) -> Any:
    with FrameDecoder(path, max_width=max_width) as decoder:
        frame = decoder.frame_at_index(index)
    if frame is None or frame.index != index:
        raise SystemExit(f"desk gave {frame} for frame {index}")
    return frame


def bench_seek_4k(path: Path, trials: int) -> None:
    frame_index(path)  # the index is read once per copy, before the first seek
    rng = random.Random(14)
    targets = [rng.randrange(FRAMES) for _ in range(trials)]
    desk_s: list[float] = []
    shown_s: list[float] = []
    mapped_s: list[float] = []
    plain_s: list[float] = []
    runs = [
        (desk_s, lambda i: desk_seek(path, i)),
        (shown_s, lambda i: desk_seek(path, i, SCREEN_WIDTH)),
        (mapped_s, lambda i: bare_seek(path, i, True)),
        (plain_s, lambda i: bare_seek(path, i, False)),
    ]
    for trial, index in enumerate(targets):  # each goes first in turn: same file cache for all
        shift = trial % len(runs)
        for times, seek in runs[shift:] + runs[:shift]:
            times.append(timed(lambda seek=seek, index=index: seek(index))[0])
    print(f"4K HEVC PQ exact seek, desk at 4K (stills)   {stats(desk_s)}")
    print(f"  desk at {SCREEN_WIDTH} wide (the paused player)   {stats(shown_s)}")
    print(f"  bare PyAV, tone-mapped as desk does        {stats(mapped_s)}")
    print(f"  bare PyAV, read as SDR                     {stats(plain_s)}   (baseline)")
    print(f"  player / bare read as SDR: median {ratio(shown_s, plain_s)}, "
          f"p95 {ratio(shown_s, plain_s, 0.95)}   (target <= 1.2x)")  # fmt: skip
    print(f"  stills / bare tone-mapped: median {ratio(desk_s, mapped_s)}, "
          f"p95 {ratio(desk_s, mapped_s, 0.95)}   (target <= 1.2x)")  # fmt: skip
    print(f"  stills / bare read as SDR: median {ratio(desk_s, plain_s)}, "
          f"p95 {ratio(desk_s, plain_s, 0.95)}")  # fmt: skip


def bare_demux(path: Path) -> int:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        return sum(1 for packet in container.demux(video) if packet.pts is not None)


def bench_index(path: Path, runs: int) -> None:
    desk_s, bare_s = [], []
    count = 0
    for run in range(runs):
        pair = [("desk", lambda: build_index(path).frame_count), ("bare", lambda: bare_demux(path))]
        for name, read in pair if run % 2 else pair[::-1]:
            seconds, count = timed(read)
            (desk_s if name == "desk" else bare_s).append(seconds)
    print(f"frame index of a 2-hour film ({count} frames), desk   {stats(desk_s)}")
    print(f"  bare PyAV demux loop                       {stats(bare_s)}   (baseline)")
    print(f"  desk / bare: median {ratio(desk_s, bare_s)}")
    frame_index(path)
    cached_s = [timed(lambda: frame_index(path))[0] for _ in range(5)]
    print(f"  read back from the cache                   {stats(cached_s)}")
    print(f"  median desk build {quantile(desk_s, 0.5):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=CACHE)
    parser.add_argument("--trials", type=int, default=20, help="seeks per side (default 20)")
    parser.add_argument("--index-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:  # the user's cache stays as it was
        os.environ["DESK_CACHE_DIR"] = cache
        bench_seek_4k(hevc_film(args.workdir), args.trials)
        bench_index(probe_film(args.workdir), args.index_runs)


if __name__ == "__main__":
    main()
