"""Synthetic films: every frame shows its own number, so a program can check what it sees."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from desk.errors import Cancelled
from desk.media.synth import Card, code_row_height, read_frame_number, render_film

from .conftest import NTSC, Film


def decoded_pictures(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def test_every_frame_carries_its_number(ntsc_film: Film) -> None:
    with av.open(str(ntsc_film.path)) as container:
        seen = [
            (read_frame_number(f.to_ndarray(format="rgb24")), f.pts * f.time_base)
            for f in container.decode(video=0)
        ]
    assert [number for number, _ in seen] == list(range(ntsc_film.frame_count))
    assert all(at == n / NTSC for n, at in seen)


def test_the_number_survives_half_size_and_jpeg(ntsc_film: Film, tmp_path: Path) -> None:
    with av.open(str(ntsc_film.path)) as container:
        frame = next(f for f in container.decode(video=0) if f.pts == 173 * 1001)
    small = frame.reformat(width=160, height=90, format="yuvj420p")
    small.save(tmp_path / "small.jpg", qscale=12)
    with av.open(str(tmp_path / "small.jpg")) as picture:
        rgb = next(picture.decode(video=0)).to_ndarray(format="rgb24")
    assert read_frame_number(rgb) == 173


def test_keyframes_land_exactly_every_interval(ntsc_film: Film) -> None:
    with av.open(str(ntsc_film.path)) as container:
        stream = container.streams.video[0]
        keys = [
            p.pts // 1001 for p in container.demux(stream) if p.pts is not None and p.is_keyframe
        ]
    assert keys == list(range(0, ntsc_film.frame_count, ntsc_film.keyframe_interval))


def test_the_film_has_a_sound_track_that_follows_the_curve(tmp_path: Path) -> None:
    path = render_film(
        tmp_path / "curve.mp4", width=160, height=90, duration_s=2.0,
        audio_curve=lambda t: 0.1 if t < 1.0 else 0.8,
    )  # fmt: skip
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate) == ("aac", 48_000)
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(stream)])
    quiet, loud = samples[10_000:40_000], samples[58_000:88_000]
    assert np.sqrt(np.mean(quiet**2)) == pytest.approx(0.1 / np.sqrt(2), rel=0.15)
    assert np.sqrt(np.mean(loud**2)) == pytest.approx(0.8 / np.sqrt(2), rel=0.15)


def test_a_cut_changes_the_whole_picture_at_once(tmp_path: Path) -> None:
    path = render_film(
        tmp_path / "cuts.mp4", width=160, height=90, fps=Fraction(24), duration_s=2.0,
        cuts_at_s=[0.5, 1.25], audio=False,
    )  # fmt: skip
    pictures = decoded_pictures(path)
    below_numbers = slice(45, 90)  # under the block row and the burned-in numbers
    change = [
        float(np.abs(b[below_numbers].astype(int) - a[below_numbers]).mean())
        for a, b in zip(pictures, pictures[1:], strict=False)
    ]
    cuts = sorted(range(len(change)), key=change.__getitem__)[-2:]
    assert sorted(i + 1 for i in cuts) == [12, 30]
    assert max(c for i, c in enumerate(change) if i not in cuts) < min(change[i] for i in cuts) / 4


def test_the_bars_slide_smoothly_in_colour_too(tmp_path: Path) -> None:
    """Without a cut, no frame differs from the one before much more than any other does: the
    colour planes wrap around with the brightness, not a frame later or earlier."""
    path = render_film(
        tmp_path / "bars.mp4", width=320, height=180, fps=Fraction(24), duration_s=12.0,
        audio=False,
    )  # fmt: skip
    with av.open(str(path)) as container:
        chroma = [f.to_ndarray(format="yuv420p")[180:225].astype(int) for f in container.decode()]
    change = [float(np.abs(b - a).mean()) for a, b in zip(chroma, chroma[1:], strict=False)]
    assert max(change) < 1.5 * float(np.median(change))


def test_a_card_shows_its_text_only_during_its_time(tmp_path: Path) -> None:
    path = render_film(
        tmp_path / "card.mp4", width=320, height=180, fps=Fraction(24), duration_s=2.0,
        cards=[Card(0.5, 1.0, "SHE REFUSES THE KISS")], audio=False,
    )  # fmt: skip
    pictures = decoded_pictures(path)
    middle = (slice(80, 100), slice(40, 280))

    def white_share(picture: np.ndarray) -> float:
        return float((picture[middle].min(axis=2) > 200).mean())

    assert all(white_share(p) > 0.05 for p in pictures[12:24])
    assert all(white_share(p) == 0 for p in pictures[:12] + pictures[24:])


def test_the_snow_film_is_the_same_every_time(tmp_path: Path) -> None:
    options = {"width": 160, "height": 90, "duration_s": 1.0, "background": "snow"}
    first = decoded_pictures(render_film(tmp_path / "a.mp4", **options))  # type: ignore[arg-type]
    second = decoded_pictures(render_film(tmp_path / "b.mkv", **options))  # type: ignore[arg-type]
    assert len(first) == len(second) == 24
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert [read_frame_number(p) for p in first] == list(range(24))


def test_the_block_row_stays_readable_at_the_smallest_size(tmp_path: Path) -> None:
    path = render_film(tmp_path / "tiny.mp4", width=160, height=90, duration_s=1.0, audio=False)
    assert code_row_height(90) >= 8
    assert [read_frame_number(p) for p in decoded_pictures(path)] == list(range(24))


def test_progress_runs_to_the_end(tmp_path: Path) -> None:
    seen: list[float] = []
    render_film(tmp_path / "p.mp4", width=160, height=90, duration_s=2.0, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[0] == 0.0
    assert seen[-1] == 1.0


def test_a_cancelled_render_leaves_nothing_behind(tmp_path: Path) -> None:
    asked = iter(range(1000))

    with pytest.raises(Cancelled):
        render_film(
            tmp_path / "gone.mp4", width=160, height=90, duration_s=5.0,
            cancel=lambda: next(asked) >= 30,
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "size"), [("film.avi", (160, 90)), ("film.mp4", (161, 90)), ("film.mp4", (20, 20))]
)
def test_unusable_settings_are_refused(tmp_path: Path, name: str, size: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="film"):
        render_film(tmp_path / name, width=size[0], height=size[1])
    assert list(tmp_path.iterdir()) == []
