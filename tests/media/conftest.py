"""Small films for the media tests, rendered once per session: every frame shows its number."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import pytest

from desk.media.synth import FramePainter, render_film

NTSC = Fraction(24000, 1001)


@dataclass(frozen=True)
class Film:
    path: Path
    fps: Fraction
    frame_count: int
    keyframe_interval: int
    #: How long after the container's start the first picture comes (ms).
    lead_ms: Fraction = Fraction(0)
    #: Each frame's time as the file stores it (ms from the container's start), where that is
    #: off the rate's grid (Matroska rounds to the millisecond); None: on the grid.
    stored_ms: tuple[Fraction, ...] | None = None

    def shown_at(self, copy_ms: int) -> int:
        """The frame on screen at ``copy_ms`` (from the container's start), with exact fractions:
        the first frame until the second starts."""
        if self.stored_ms is not None:
            return max(0, sum(1 for t in self.stored_ms if t <= copy_ms) - 1)
        frame = math.floor((copy_ms - self.lead_ms) * self.fps / 1000)
        return min(max(0, frame), self.frame_count - 1)

    def start_ms(self, frame: int) -> int:
        if frame <= 0:
            return 0  # the first frame is on screen from the container's start
        if self.stored_ms is not None:  # past the last frame: where another would start
            last = len(self.stored_ms) - 1
            return math.ceil(
                self.stored_ms[min(frame, last)] + max(0, frame - last) * 1000 / self.fps
            )
        return math.ceil(self.lead_ms + Fraction(frame) * 1000 / self.fps)


def lead_ms(path: Path) -> Fraction:
    """Where the first picture lies after the container's start, as PyAV reads the file."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        start = Fraction(video.start_time) * video.time_base
        return (start - Fraction(container.start_time, av.time_base)) * 1000


def stored_ms(path: Path) -> tuple[Fraction, ...]:
    """Each frame's time as the file stores it, in display order (ms from the container's start)."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        pts = sorted(p.pts for p in container.demux(video) if p.pts is not None)
        origin = Fraction(container.start_time or 0, av.time_base)
        return tuple((p * video.time_base - origin) * 1000 for p in pts)


@dataclass(frozen=True)
class VariableFilm:
    path: Path
    times_ms: tuple[int, ...]

    def shown_at(self, copy_ms: int) -> int:
        return max(0, sum(1 for t in self.times_ms if t <= copy_ms) - 1)


@pytest.fixture(scope="session")
def films(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("films")


@pytest.fixture(scope="session")
def ntsc_film(films: Path) -> Film:
    """The reference film: 320x180 at 23.976 frames/s, 10 s, a keyframe every 48 frames."""
    path = render_film(
        films / "ntsc.mp4", width=320, height=180, fps=NTSC, duration_s=10.0, keyframe_interval=48
    )
    return Film(path, NTSC, 240, 48)


@pytest.fixture(scope="session")
def pal_film(films: Path) -> Film:
    path = render_film(
        films / "pal.mp4", width=160, height=90, fps=Fraction(25), duration_s=4.0,
        keyframe_interval=25,
    )  # fmt: skip
    return Film(path, Fraction(25), 100, 25)


@pytest.fixture(scope="session")
def reordered_film(films: Path) -> Film:
    """Matroska with B-frames: decoding order differs from display order, as in most films. Its
    times are stored in whole milliseconds, a fraction before the rate's grid."""
    path = render_film(
        films / "reordered.mkv", width=160, height=90, fps=NTSC, duration_s=5.0,
        keyframe_interval=30, bframes=2,
    )  # fmt: skip
    return Film(path, NTSC, 120, 30, stored_ms=stored_ms(path))


@pytest.fixture(scope="session")
def transport_stream_film(films: Path) -> Film:
    """MPEG-TS with B-frames, as broadcast recordings come: its seeks go by decoding time."""
    path = render_film(
        films / "broadcast.ts", width=160, height=90, fps=NTSC, duration_s=5.0,
        keyframe_interval=30, bframes=2,
    )  # fmt: skip
    return Film(path, NTSC, 120, 30, lead_ms(path))


@pytest.fixture(scope="session")
def truncated_film(films: Path, ntsc_film: Film) -> Path:
    """The first half of the reference film's bytes, as a broken download leaves it."""
    data = ntsc_film.path.read_bytes()
    path = films / "truncated.mp4"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture(scope="session")
def vfr_film(films: Path) -> VariableFilm:
    """Frames held for irregular times (as phones and screen recorders write them)."""
    durations = [40, 40, 80, 33, 50, 120, 41, 42, 200, 40, 60, 33] * 4
    times = [sum(durations[:i]) for i in range(len(durations))]
    path = films / "vfr.mp4"
    painter = FramePainter(160, 90, Fraction(25))
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuv420p"
        stream.codec_context.time_base = stream.time_base = Fraction(1, 1000)
        for index, at_ms in enumerate(times):
            frame = painter.frame(index, at_ms / 1000)
            frame.pts, frame.time_base = at_ms, Fraction(1, 1000)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return VariableFilm(path, tuple(times))
