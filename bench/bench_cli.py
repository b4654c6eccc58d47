"""The command line: start-up, ``desk frame`` and ``desk probe``, each beside its baseline.

    python bench/bench_cli.py [--runs 20] [--film PATH] [--start-only]

Every figure is whole processes, started afresh and alternated with their baseline (A B A B ...)
so that a machine whose speed drifts moves both alike; medians and p95 over ``--runs`` runs each,
and the ratio of the medians. Both run as installed: with their bytecode cached (pip compiles it on
install, as the standard library's is), which a ``PYTHONDONTWRITEBYTECODE`` in the environment
would otherwise prevent for desk alone, so desk would be timed compiling its sources while the
baseline is not. Baselines and targets:

- start-up: ``desk --version``, ``desk --help`` and ``desk COMMAND --help`` against
  ``python -c "import argparse"`` (target ≤ 1.3×);
- ``desk frame FILM --at T -o F.png`` against a bare PyAV script doing the same seek, decode to
  the frame at T and write (target ≤ 1.2×), and against ``ffmpeg -ss T -i FILM -frames:v 1``
  (which is not exact: it is the yardstick of a tool users already have);
- ``desk probe FILM`` against ``ffprobe -show_format -show_streams FILM`` on a film of feature
  length (a two-hour encode at 192×108, rendered once into the benchmarks' cache: probing reads
  the packets' timestamps, so its length matters, not its picture size) (target ≤ 2×).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from films import CACHE  # noqa: E402

PYTHON = sys.executable
DESK = str(Path(sys.executable).with_name("desk"))
#: As an installed desk runs: its bytecode cached (the warm-up run of each command writes it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

#: The same exact frame desk writes, with nothing but PyAV: seek to the keyframe before T,
#: decode forward to the last frame shown at T, convert to RGB and write it.
BARE_FRAME = textwrap.dedent(
    """
    import sys
    import av
    film, at, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    with av.open(film) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        start = container.start_time or 0  # the container's clock, as desk counts time
        target = int((at + start / av.time_base) / stream.time_base)
        container.seek(target, stream=stream, backward=True)
        shown = None
        for frame in container.decode(stream):
            if frame.pts is not None and frame.pts > target and shown is not None:
                break
            shown = frame
        shown.reformat(format="rgb24").save(out)
    """
)


def timed(command: Sequence[str]) -> float:
    began = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    return time.perf_counter() - began


def side_by_side(name: str, a: Sequence[str], b: Sequence[str], runs: int, target: str) -> None:
    """Run A and B in turn (one warm-up each, not counted) and print medians, p95 and ratio."""
    timed(a), timed(b)
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))

    def figure(times: list[float]) -> str:
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return f"{statistics.median(times) * 1000:7.1f} ms median, {p95 * 1000:7.1f} ms p95"

    ratio = statistics.median(ta) / statistics.median(tb)
    print(f"{name:<34} {figure(ta)}   vs {figure(tb)}   {ratio:.2f}×   (target {target})")


def probe_film(folder: Path = CACHE, seconds: int = 7200) -> Path:
    """A film of feature length for probing (rendered once: about two minutes with FFmpeg)."""
    path = folder / f"cli-probe-{seconds}s-192x108.mp4"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.partial.mp4")
    print(f"rendering {path} (once) ...", flush=True)
    lavfi = ("testsrc2=size=192x108:rate=24", "sine=frequency=440:sample_rate=48000")
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", lavfi[0], "-f", "lavfi", "-i", lavfi[1], "-t", str(seconds)]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-g", "240", "-bf", "2"]
        + ["-c:a", "aac", "-b:a", "32k", "-shortest", str(partial)],
        check=True,
    )
    partial.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--film",
        type=Path,
        default=CACHE / "seek-1080p-30s-k240-b2.mp4",
        help="the film desk frame reads (default: bench_seek.py's 1080p MP4)",
    )
    parser.add_argument("--at", default="20.5", help="the time desk frame writes, in seconds")
    parser.add_argument("--start-only", action="store_true", help="time the start-up alone")
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        raise SystemExit("the baselines need the ffmpeg and ffprobe programs")
    runs = args.runs
    argparse_only = [PYTHON, "-c", "import argparse"]
    print(f"{runs} runs each, alternated with the baseline; whole processes\n")
    for asked in (["--version"], ["--help"], ["info", "--help"], ["export", "report", "--help"]):
        side_by_side(f"desk {' '.join(asked)}", [DESK, *asked], argparse_only, runs, "<= 1.3×")
    print("  baseline: python -c 'import argparse'\n")
    if args.start_only:
        return

    if not args.film.exists():
        raise SystemExit(f"{args.film} is missing: run bench/bench_seek.py once, or give --film")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        bare = out / "bare.py"
        bare.write_text(BARE_FRAME)
        desk_frame = [DESK, "frame", str(args.film), "--at", args.at, "-o", str(out / "desk.png")]
        side_by_side(
            f"desk frame ({args.film.name})",
            desk_frame,
            [PYTHON, str(bare), str(args.film), args.at, str(out / "bare.png")],
            runs,
            "<= 1.2×",
        )
        print("  baseline: bare PyAV (seek, decode to the frame, write a PNG)")
        side_by_side(
            "desk frame",
            desk_frame,
            ["ffmpeg", "-v", "error", "-y", "-ss", args.at, "-i", str(args.film)]
            + ["-frames:v", "1", str(out / "ffmpeg.png")],
            runs,
            "none on 1080p H.264; <= 1.1× on 4K HEVC",
        )
        print("  baseline: ffmpeg -ss T -i FILM -frames:v 1 F.png\n")

    film = probe_film()
    side_by_side(
        f"desk probe ({film.name})",
        [DESK, "probe", str(film)],
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", str(film)],
        runs,
        "<= 2×",
    )
    print("  baseline: ffprobe -show_format -show_streams FILM")


if __name__ == "__main__":
    main()
