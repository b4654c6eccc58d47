"""Films the benchmarks share, rendered once and cached outside the repository.

- :func:`two_hour_film`: a real two-hour H.264/AAC encode made by FFmpeg, for the benchmarks that
  need a film of feature length: probing, the report's stills, analysis, opening a project whose
  film is two hours long. Its pictures are FFmpeg's moving ``testsrc2`` pattern cut into shots of
  2–8 s (about 1,400 cuts, at frames :func:`cut_frames` knows: each shot turns the hue and every
  other one is a negative), with a tone whose level changes every few seconds, two B-frames and a
  keyframe every 10 s. It is 640×360 so that two cores render it in about ten minutes; its length,
  packet count and keyframe spacing are a feature film's.

    .venv/bin/python bench/films.py   # renders it now
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "desk-bench"
TWO_HOURS_S = 7200
SIZE = (640, 360)
FPS = 24
KEYINT = 240
# The shot a time falls in: floor of a rising curve, so shots are 2.9 to 7.3 s long, not periodic.
SHOT = "t/5+0.8*sin(t/7)"


def _shot(t: float) -> int:
    return math.floor(t / 5 + 0.8 * math.sin(t / 7))


def cut_frames(seconds: float) -> list[int]:
    """Indexes of the frames that begin a new shot in the film of that length (FFmpeg evaluates
    the same curve at each frame's time)."""
    total = int(seconds * FPS)
    return [n for n in range(1, total) if _shot(n / FPS) != _shot((n - 1) / FPS)]


def two_hour_film(folder: Path = CACHE, seconds: int = TWO_HOURS_S) -> Path:
    """The cached film of that length (rendered now if missing: needs the ``ffmpeg`` program)."""
    width, height = SIZE
    path = folder / f"film-{seconds}s-{width}x{height}-k{KEYINT}-b2-cuts.mp4"
    if path.exists():
        return path
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("the benchmarks' films are rendered by FFmpeg: install the ffmpeg program")
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial.mp4")
    print(f"rendering {path} (once) ...", flush=True)
    began = time.perf_counter()
    pictures = (
        f"testsrc2=s={width}x{height}:r={FPS},hue=h='137*floor({SHOT})',"
        f"negate=enable='mod(floor({SHOT}),2)',format=yuv420p"
    )
    sound = "sine=f=220:r=48000,volume='0.1+0.4*gt(sin(t/3),0)':eval=frame"
    try:
        subprocess.run(
            [
                ffmpeg, "-v", "error", "-y",
                "-f", "lavfi", "-i", pictures,
                "-f", "lavfi", "-i", sound,
                "-t", str(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28",
                "-bf", "2", "-g", str(KEYINT), "-keyint_min", str(KEYINT), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart",
                str(partial),
            ],
            check=True,
        )  # fmt: skip
    except BaseException:  # an interrupted render leaves nothing behind
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    print(f"  rendered in {time.perf_counter() - began:.0f} s")
    return path


if __name__ == "__main__":
    import sys

    print(two_hour_film(seconds=int(sys.argv[1]) if len(sys.argv) > 1 else TWO_HOURS_S))
