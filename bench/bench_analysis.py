"""Film analysis speed and cut quality, against FFmpeg doing the same work in the same run.

    .venv/bin/python bench/bench_analysis.py [seconds] [trials] [--two-hours TRIALS]

The film is the one of ``bench/films.py``: FFmpeg's moving test pattern cut into shots of 3–7 s at
known frames, 640×360 H.264 with two B-frames and a keyframe every 10 s, AAC sound whose level
changes. ``seconds`` (default 120) renders, once, the first minutes of that film, on which each
measure runs ``trials`` times (default 20); ``--two-hours`` also runs the whole two-hour film that
many times (about a minute a run). Cut detection and the loudness envelope are timed, and the cuts
found are scored against the known ones (precision and recall within one frame; target ≥ 0.98).
If PySceneDetect (``scenedetect``) is installed, its ContentDetector runs on the excerpt, with the
same threshold, for comparison; otherwise that line is skipped.

The baseline is FFmpeg doing the same work in the same run, its runs alternating with desk's:
decoding the video and scaling it to 64×36 (``-vf scale=64:36 -f null -``) for the cuts, and its
``ebur128`` filter for the loudness. Both are timed the same way, from opening the file to the
result (desk in this process, FFmpeg as a whole process, its start included); each figure is
printed as median and p95 with FFmpeg's and the ratio (target ≤ 1.5×).
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from desk.media import analysis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from films import FPS, cut_frames, two_hour_film  # noqa: E402


def film(duration_s: int) -> tuple[Path, list[int]]:
    """The film of that length and its cuts' start times (ms)."""
    path = two_hour_film(seconds=duration_s)
    return path, [math.ceil(f * 1000 / FPS) for f in cut_frames(duration_s)]


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


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def compare(name: str, desk: list[float], base: list[float], duration_s: float, extra: str) -> None:
    mine, theirs = statistics.median(desk), statistics.median(base)
    print(
        f"  {name:<19} desk {mine:7.2f} s median, {p95(desk):7.2f} s p95"
        f" ({duration_s / mine:5.0f}× real time) | FFmpeg {theirs:7.2f} / {p95(base):7.2f} s"
        f" | ratio {mine / theirs:4.2f}× median, {p95(desk) / p95(base):4.2f}× p95"
        f" (target ≤ 1.5×)  {extra}"
    )


def measure(path: Path, duration_s: float, expected: list[int], trials: int) -> None:
    """Time desk and FFmpeg in turn on ``path``, ``trials`` runs each, and print the figures."""
    loud, loud_base, cuts, cuts_base = [], [], [], []
    found, values = np.zeros(0), 0
    for trial in range(trials):
        for desk_first in (trial % 2 == 0, trial % 2 == 1):
            if desk_first:
                t0 = time.perf_counter()
                values = len(analysis.loudness_envelope(path).lufs)
                loud.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                found = analysis.detect_cuts(path)
                cuts.append(time.perf_counter() - t0)
            else:
                loud_base.append(ffmpeg_seconds(path, "-vn", "-af", "ebur128"))
                cuts_base.append(ffmpeg_seconds(path, "-an", "-vf", "scale=64:36"))
    precision, recall = score(found, expected)
    compare("loudness (BS.1770)", loud, loud_base, duration_s, f"{values} values")
    compare(
        "cuts (HSV content)",
        cuts,
        cuts_base,
        duration_s,
        f"{len(found)} found, precision {precision:.3f} recall {recall:.3f} (target ≥ 0.98)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", type=int, nargs="?", default=120)
    parser.add_argument("trials", type=int, nargs="?", default=20)
    parser.add_argument("--two-hours", type=int, default=0, metavar="TRIALS")
    args = parser.parse_args()
    runs = [(args.seconds, args.trials)]
    if args.two_hours:
        runs.append((7200, args.two_hours))
    for duration_s, trials in runs:
        path, expected = film(duration_s)
        print(
            f"{path.name}: {duration_s} s, 640×360 H.264 at {FPS} fps, {len(expected)} known"
            f" cuts; {trials} runs each, desk and FFmpeg in turn"
        )
        measure(path, duration_s, expected, trials)
    path, expected = film(args.seconds)
    t0 = time.perf_counter()
    reference = scenedetect_cuts(path)
    if reference is None:
        print("  PySceneDetect is not installed: comparison skipped")
        return
    precision, recall = score(reference, expected)
    line(
        "cuts (PySceneDetect 27, PyAV)",
        time.perf_counter() - t0,
        args.seconds,
        f"precision {precision:.3f} recall {recall:.3f}",
    )


if __name__ == "__main__":
    main()
