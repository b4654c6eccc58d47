"""Moments marked in the film and in another copy give the simplest mapping between them."""

from __future__ import annotations

import math
from fractions import Fraction

from desk.core.alignment import align, with_pair
from desk.core.timecode import FrameRate

NTSC = Fraction(24000, 1001)
FILM_FRAMES = 240  # 10 s at 23.976


def start_ms(frame: int, fps: Fraction) -> int:
    return FrameRate(fps).start_ms(frame)


def test_each_film_frame_maps_into_the_copy_frame_it_was_matched_with() -> None:
    """A copy with a leader of 12 frames at the same rate: an offset of 500.5 ms."""
    pairs = [(start_ms(n, NTSC), start_ms(n + 12, NTSC)) for n in (10, 100, 200)]
    time_map = align(pairs, NTSC, NTSC).time_map
    assert time_map is not None
    for n in range(FILM_FRAMES):
        copy_ms = time_map.to_copy(start_ms(n, NTSC))
        assert math.floor(Fraction(copy_ms) * NTSC / 1000) == n + 12


def test_a_wrong_pair_stands_out() -> None:
    fps = Fraction(24)
    pairs = [(start_ms(n, fps), start_ms(n + 5, fps)) for n in (10, 60, 110, 160)]
    pairs[2] = (pairs[2][0], pairs[2][1] + 2000)
    alignment = align(pairs, fps, fps)
    assert alignment.outliers == {2}
    assert round(float(alignment.off_ms[2]) * 24 / 1000) == -48


def test_the_same_moment_twice_replaces_the_earlier_pair() -> None:
    pairs, replaced = with_pair([(1000, 2000), (3000, 4000)], (1000, 2500))
    assert pairs == [(1000, 2500), (3000, 4000)]
    assert replaced == [(1000, 2000)]
    pairs, replaced = with_pair(pairs, (1500, 4000))  # the same copy moment
    assert pairs == [(1000, 2500), (1500, 4000)]
    assert replaced == [(3000, 4000)]
    assert with_pair(pairs, (1000, 2500)) == (pairs, [])
