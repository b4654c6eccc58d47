"""Film analysis speed and cut quality on a 1080p H.264 film with known cuts.

    .venv/bin/python bench/bench_analysis.py [seconds] [trials]

Renders (once, cached in the temp folder) a 1920×1080, 24 fps H.264/AAC film with hard cuts at
irregular known times and a sound bed whose loudness changes, then times the loudness envelope and
the cut detection as multiples of real time (targets: ≥ 10× and ≥ 4×) and scores the cuts found
(precision and recall within one frame). If PySceneDetect (``scenedetect``) is installed, its
ContentDetector runs on the same film, with the same threshold, for comparison; otherwise that
line is skipped.

The baseline is FFmpeg doing the same work in the same run, its runs alternating with desk's:
decoding the video and scaling it to 64×36 (``-vf scale=64:36 -f null -``) for the cuts, and its
``ebur128`` filter for the loudness; each figure is printed with FFmpeg's and the ratio (target
≤ 1.5×).
"""

from __future__ import annotations

import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from desk.media import analysis
from desk.media.synth import render_film

FPS = Fraction(24)
WIDTH, HEIGHT = 1920, 1080


def known_cuts(duration_s: float) -> list[int]:
    """Cut frames: irregular, at least 14 frames apart, plus the frames where the synthetic bars
    background wraps around (a change of picture of its own)."""
    wrap = WIDTH // (2 * max(1, WIDTH // 320))
    total = int(duration_s * FPS)
    wraps = set(range(wrap, total, wrap))
    rng = np.random.default_rng(2024)
    frames, at = set(wraps), 0
    while (at := at + int(rng.integers(14, 90))) < total - 14:
        if all(abs(at - w) >= 14 for w in wraps):
            frames.add(at)
    return sorted(frames)


def film(duration_s: float) -> tuple[Path, list[int]]:
    cut_frames = known_cuts(duration_s)
    path = Path(tempfile.gettempdir()) / f"desk-bench-analysis-{int(duration_s)}s-1080p.mp4"
    if not path.exists():
        t0 = time.perf_counter()
        render_film(
            path,
            width=WIDTH,
            height=HEIGHT,
            fps=FPS,
            duration_s=duration_s,
            keyframe_interval=48,
            cuts_at_s=[float(f / FPS) for f in cut_frames],
            audio_curve=lambda t: 0.1 + 0.4 * (math.sin(t / 3) > 0),
        )
        print(f"rendered {path.name} in {time.perf_counter() - t0:.1f} s")
    return path, [math.ceil(Fraction(f) * 1000 / FPS) for f in cut_frames]


def score(found: np.ndarray, expected: list[int]) -> tuple[float, float]:
    tolerance = 1000 / FPS
    truth = np.asarray(expected)
    hits = sum(1 for f in found if np.min(np.abs(truth - f)) <= tolerance)
    caught = sum(1 for e in truth if len(found) and np.min(np.abs(found - e)) <= tolerance)
    return hits / max(1, len(found)), caught / max(1, len(truth))


def scenedetect_cuts(path: Path) -> np.ndarray | None:
    try:
        from scenedetect import ContentDetector, SceneManager, open_video
    except ImportError:
        return None
    video = open_video(str(path), backend="pyav")
    manager = SceneManager()
    manager.add_detector(ContentDetector(threshold=27.0, min_scene_len=12))
    manager.detect_scenes(video)
    starts = [scene[0].seconds for scene in manager.get_scene_list()[1:]]
    return np.asarray([math.ceil(s * 1000 - 1e-6) for s in starts], dtype=np.int64)


def line(name: str, seconds: float, duration_s: float, extra: str = "") -> None:
    print(f"  {name:<34} {seconds:6.2f} s   {duration_s / seconds:6.1f}× real time  {extra}")


def ffmpeg_seconds(path: Path, *work: str) -> float:
    """Wall-clock seconds of the ``ffmpeg`` program reading ``path`` and doing ``work``."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SystemExit("the baseline is the ffmpeg program: install it")
    began = time.perf_counter()
    subprocess.run([ffmpeg, "-v", "error", "-i", str(path), *work, "-f", "null", "-"], check=True)
    return time.perf_counter() - began


def compare(name: str, desk: list[float], base: list[float], duration_s: float, extra: str) -> None:
    mine, theirs = statistics.median(desk), statistics.median(base)
    print(
        f"  {name:<26} desk {mine:6.2f} s ({duration_s / mine:5.1f}× real time) | FFmpeg"
        f" {theirs:6.2f} s | ratio {mine / theirs:4.2f}× (target ≤ 1.5×)  {extra}"
    )


def main() -> None:
    duration_s = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    trials = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    path, expected = film(duration_s)
    print(
        f"{path.name}: {duration_s:.0f} s, {WIDTH}×{HEIGHT} H.264 at {FPS} fps, "
        f"{len(expected)} known cuts; medians of {trials} runs each, desk and FFmpeg in turn"
    )
    loud, loud_base, cuts, cuts_base = [], [], [], []
    found = np.zeros(0)
    for trial in range(trials):
        for desk_first in (trial % 2 == 0, trial % 2 == 1):
            if desk_first:
                t0 = time.perf_counter()
                envelope = analysis.loudness_envelope(path)
                loud.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                found = analysis.detect_cuts(path)
                cuts.append(time.perf_counter() - t0)
            else:
                loud_base.append(ffmpeg_seconds(path, "-vn", "-af", "ebur128"))
                cuts_base.append(ffmpeg_seconds(path, "-an", "-vf", "scale=64:36"))
    precision, recall = score(found, expected)
    compare("loudness (BS.1770)", loud, loud_base, duration_s, f"{len(envelope.lufs)} values")
    compare(
        "cuts (HSV content)",
        cuts,
        cuts_base,
        duration_s,
        f"precision {precision:.3f} recall {recall:.3f} (target ≥ 0.98)",
    )
    t0 = time.perf_counter()
    reference = scenedetect_cuts(path)
    if reference is None:
        print("  PySceneDetect is not installed: comparison skipped")
        return
    precision, recall = score(reference, expected)
    line(
        "cuts (PySceneDetect 27, PyAV)",
        time.perf_counter() - t0,
        duration_s,
        f"precision {precision:.3f} recall {recall:.3f}",
    )


if __name__ == "__main__":
    main()
