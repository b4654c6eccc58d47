"""What a two-hour film costs desk to keep: the frame index, the frame cache, the analysis cache.

    .venv/bin/python bench/bench_film_caches.py [--seeks 300]

On the two-hour film of ``bench/films.py`` (172,800 frames), with a cache folder of its own:

- the frame index: the time to read it from the film and from its cache file, the file's size,
  the index's size in memory and the peak Python allocation while it is read (``tracemalloc``);
- the frame cache of the window's frame server (:class:`~desk.media.frames.FrameServer` at its
  default budget) after ``--seeks`` exact frames at random times and ten seconds stepped through
  frame by frame: the bytes it holds against its budget, and the process's resident memory;
- the analysis cache: the loudness envelope and the cuts of a two-hour film as the project file
  keeps them (a float32 every 100 ms, an int64 a cut), written into a new project, and how much
  the project file grows.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from films import cut_frames, two_hour_film  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeks", type=int, default=300)
    args = parser.parse_args()
    film = two_hour_film()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DESK_CACHE_DIR"] = str(Path(tmp) / "cache")
        from desk.media import frame_index

        tracemalloc.start()
        began = time.perf_counter()
        index = frame_index.frame_index(film)
        built = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        idx = next((Path(tmp) / "cache" / "frame-index").glob("*.idx"))
        began = time.perf_counter()
        again = frame_index.frame_index(film)
        read = time.perf_counter() - began
        assert again.from_cache
        assert again.frame_count == index.frame_count
        memory = index.pts.buffer_info()[1] * index.pts.itemsize
        print(f"{film.name}: {index.frame_count:,} frames")
        print(
            f"  frame index: read from the film in {built:.2f} s (peak Python allocation"
            f" {peak / 2**20:.1f} MB), from its cache file in {read * 1000:.1f} ms;"
            f" file {idx.stat().st_size / 2**20:.2f} MB, {memory / 2**20:.2f} MB in memory"
            f" ({idx.stat().st_size / index.frame_count:.1f} bytes a frame)"
        )

        from desk.media.frames import FrameServer

        before = rss_mb()
        server = FrameServer(film)
        rng = random.Random(7)
        duration_ms = index.frame_count * 1000 // 24
        most, began = 0, time.perf_counter()
        for _ in range(args.seeks):
            server.frame_at(rng.randrange(duration_ms - 1000), timeout=30)
            most = max(most, server.cache.bytes_used)
        at = duration_ms // 2
        for _ in range(240):  # ten seconds, a frame at a time
            at = server.step(at, 1, timeout=30).pts_ms
            most = max(most, server.cache.bytes_used)
        server.wait_idle(30)
        most = max(most, server.cache.bytes_used)
        print(
            f"  frame cache: {args.seeks} exact seeks and 240 steps in"
            f" {time.perf_counter() - began:.0f} s; at most {most / 2**20:.0f} MB held"
            f" ({len(server.cache)} frames at the end) of a {server.cache.max_bytes / 2**20:.0f} MB"
            f" budget; resident memory {before:.0f} → {rss_mb():.0f} MB"
        )
        server.close()

        import numpy as np

        from desk.film_tasks import new_project
        from desk.media import analysis
        from desk.store import analysis_cache
        from desk.store.project import Project

        project_path = Path(tmp) / "caches.desk"
        new_project(project_path, film).close()  # closing folds the journal into the file
        empty = project_path.stat().st_size
        values = index.frame_count * 1000 // 24 // analysis.STEP_MS
        cuts = len(cut_frames(index.frame_count // 24))
        lufs = np.full(values, -23.0, dtype=np.float32)
        times = np.arange(cuts, dtype=np.int64) * 5_000
        with Project.open(project_path, backup=False) as project:
            loudness = analysis.loudness_params(None)
            analysis_cache.write(project, 1, analysis_cache.LOUDNESS, loudness, lufs)
            analysis_cache.write(project, 1, analysis_cache.CUTS, analysis.CUT_PARAMS, times)
        grown = project_path.stat().st_size - empty
        print(
            f"  analysis cache: {values:,} loudness values and {cuts:,} cuts,"
            f" {(lufs.nbytes + times.nbytes) / 2**10:.0f} KB of data; the project file grows"
            f" by {grown / 2**10:.0f} KB"
        )


if __name__ == "__main__":
    main()
