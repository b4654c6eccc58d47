"""Film analysis speed and cut quality on a 1080p H.264 film with known cuts.

    .venv/bin/python bench/bench_analysis.py [seconds]

Renders (once, cached in the temp folder) a 1920×1080, 24 fps H.264/AAC film with hard cuts at
irregular known times and a sound bed whose loudness changes, then times the loudness envelope and
the cut detection as multiples of real time (targets: ≥ 10× and ≥ 4×) and scores the cuts found
(precision and recall within one frame). If PySceneDetect (``scenedetect``) is installed, its
ContentDetector runs on the same film, with the same threshold, for comparison; otherwise that
line is skipped.
"""

from __future__ import annotations

import math
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


def main() -> None:
    duration_s = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    path, expected = film(duration_s)
    print(
        f"{path.name}: {duration_s:.0f} s, {WIDTH}×{HEIGHT} H.264 at {FPS} fps, "
        f"{len(expected)} known cuts"
    )
    t0 = time.perf_counter()
    envelope = analysis.loudness_envelope(path)
    line(
        "loudness (BS.1770 momentary)",
        time.perf_counter() - t0,
        duration_s,
        f"{len(envelope.lufs)} values, target ≥ 10×",
    )
    t0 = time.perf_counter()
    found = analysis.detect_cuts(path)
    precision, recall = score(found, expected)
    line(
        "cuts (desk, HSV content)",
        time.perf_counter() - t0,
        duration_s,
        f"precision {precision:.3f} recall {recall:.3f}, target ≥ 4×",
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
