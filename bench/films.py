"""Films the benchmarks share, rendered once and cached outside the repository.

- :func:`two_hour_film`: a real two-hour H.264/AAC encode made by FFmpeg (its ``testsrc2``
  pattern, B-frames, a keyframe every 10 s), for the benchmarks that need a film of feature
  length: probing, the report's stills, opening a project whose film is two hours long. A
  synthetic 1080p render of two hours takes over an hour on a 2-core machine, so this film is
  960×540; its length, packet count and keyframe spacing are a feature film's.

    .venv/bin/python bench/films.py   # renders it now (about 25 minutes on 2 cores)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "desk-bench"
TWO_HOURS_S = 7200
SIZE = (960, 540)
FPS = 24
KEYINT = 240


def two_hour_film(folder: Path = CACHE, seconds: int = TWO_HOURS_S) -> Path:
    """The cached two-hour film (rendered now if missing: needs the ``ffmpeg`` program)."""
    width, height = SIZE
    path = folder / f"film-{seconds}s-{width}x{height}-k{KEYINT}-b2.mp4"
    if path.exists():
        return path
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("the two-hour film is rendered by FFmpeg: install the ffmpeg program")
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial.mp4")
    print(f"rendering {path} (once) ...", flush=True)
    began = time.perf_counter()
    try:
        subprocess.run(
            [
                ffmpeg, "-v", "error", "-y",
                "-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r={FPS},format=yuv420p",
                "-f", "lavfi", "-i", "sine=f=220:r=48000",
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
    print(two_hour_film())
