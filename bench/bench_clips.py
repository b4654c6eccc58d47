"""Benchmark: ten 30-second 1080p lecture clips, desk's export against ffmpeg's, in the same run.

A 1080p stand-in film (snow over the frame code, B-frames, sound, a keyframe every 4 s) is rendered
once and cached. Ten 30-second ranges, overlapping and starting between keyframes and inside
frames, are exported by desk (:func:`desk.export.clips.export_clips`, PyAV decode + libx264
``veryfast`` + AAC) and then by ::

    ffmpeg -ss START -to END -i film -c:v libx264 -preset veryfast -c:a aac clip.mp4

for the same ranges. The script prints both times and their ratio (the target is at most 1.2), and
whether the first and last frames of every clip are exact: the first must be the frame on screen at
the range's start, the last the frame on screen just before its end.

    .venv/bin/python bench/bench_clips.py [--folder DIR] [--clips 10] [--seconds 30]
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

from desk.export.clips import export_clips
from desk.film_tasks import new_project
from desk.media.synth import read_frame_number, render_film
from desk.store import clip_lists

FPS = Fraction(24)
FILM_S = 120.0
KEYFRAMES = 96


def film_at(folder: Path) -> Path:
    film = folder / f"bench-clips-1080p-{int(FILM_S)}s-k{KEYFRAMES}.mp4"
    if not film.exists():
        started = time.perf_counter()
        render_film(film, width=1920, height=1080, fps=FPS, duration_s=FILM_S,
                    keyframe_interval=KEYFRAMES, background="snow", bframes=2)  # fmt: skip
        print(f"rendered {film.name} in {time.perf_counter() - started:.1f} s")
    return film


def ranges(count: int, seconds: float) -> list[tuple[int, int]]:
    """``count`` ranges of ``seconds``, spread over the film, starting inside frames."""
    length = int(seconds * 1000)
    step = (int(FILM_S * 1000) - length - 1000) // max(1, count - 1)
    return [(517 + i * step, 517 + i * step + length) for i in range(count)]


def expected(start_ms: int, end_ms: int) -> tuple[int, int]:
    return math.floor(start_ms * FPS / 1000), math.floor((end_ms - 1) * FPS / 1000)


def ends(path: Path) -> tuple[int, int, int]:
    """(first frame number, last frame number, frames) of a clip, decoding only its ends."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        first = read_frame_number(next(container.decode(stream)).to_ndarray(format="rgb24"))
        tail = max(0, int(stream.duration - 3 / stream.time_base))
        container.seek(tail, stream=stream, backward=True)
        last = None
        for frame in container.decode(stream):
            last = frame
        assert last is not None
        return first, read_frame_number(last.to_ndarray(format="rgb24")), stream.frames


def run_desk(film: Path, spans: list[tuple[int, int]], work: Path) -> tuple[float, list[Path]]:
    path = work / "lecture.desk"
    with new_project(path, film) as project:
        lecture, _ = clip_lists.add_clip_list(project, "Bench")
        for number, (start, end) in enumerate(spans, start=1):
            clip_lists.add_clip(project, lecture, start, end, title=f"clip {number}")
    started = time.perf_counter()
    result = export_clips(path, work / "desk")
    return time.perf_counter() - started, result.clips


def run_ffmpeg(film: Path, spans: list[tuple[int, int]], work: Path) -> tuple[float, list[Path]]:
    folder = work / "ffmpeg"
    folder.mkdir()
    outputs = []
    started = time.perf_counter()
    for number, (start, end) in enumerate(spans, start=1):
        out = folder / f"{number:02d}.mp4"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-y", "-v", "error", "-ss", f"{start / 1000:.3f}",
             "-to", f"{end / 1000:.3f}", "-i", str(film), "-c:v", "libx264",
             "-preset", "veryfast", "-c:a", "aac", str(out)],
            check=True,
        )  # fmt: skip
        outputs.append(out)
    return time.perf_counter() - started, outputs


def report(name: str, spans: list[tuple[int, int]], clips: list[Path]) -> int:
    exact = 0
    for (start, end), clip in zip(spans, clips, strict=True):
        want_first, want_last = expected(start, end)
        first, last, frames = ends(clip)
        ok = (first, last) == (want_first, want_last)
        exact += ok
        if not ok:
            print(f"  {name} {clip.name}: frames {first}..{last} ({frames}), "
                  f"wanted {want_first}..{want_last} ({want_last - want_first + 1})")  # fmt: skip
    print(f"{name}: {exact} of {len(clips)} clips exact at both ends")
    return exact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "desk-bench")
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None:
        raise SystemExit("ffmpeg is needed for the comparison")
    args.folder.mkdir(parents=True, exist_ok=True)
    film = film_at(args.folder)
    spans = ranges(args.clips, args.seconds)
    work = Path(tempfile.mkdtemp(prefix="bench-clips-", dir=args.folder))
    try:
        desk_s, desk_clips = run_desk(film, spans, work)
        ffmpeg_s, ffmpeg_clips = run_ffmpeg(film, spans, work)
        print(f"{len(spans)} clips of {args.seconds:g} s at 1080p, libx264 veryfast + AAC")
        print(f"desk:   {desk_s:7.1f} s  ({desk_s / len(spans):.1f} s a clip)")
        print(f"ffmpeg: {ffmpeg_s:7.1f} s  ({ffmpeg_s / len(spans):.1f} s a clip)")
        print(f"ratio desk / ffmpeg: {desk_s / ffmpeg_s:.2f} (target <= 1.2)")
        report("desk", spans, desk_clips)
        report("ffmpeg", spans, ffmpeg_clips)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
