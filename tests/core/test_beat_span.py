"""A beat made with one key lasts: to the next shot cut, or two seconds, never past the film."""

from __future__ import annotations

from desk.core.beat_span import beat_span

FRAME = 1000 / 24


def test_a_beat_runs_to_the_next_cut_when_one_comes_soon() -> None:
    assert beat_span(30_000, [10_000, 33_500, 50_000], 90_000, FRAME) == (30_000, 33_500)


def test_a_beat_lasts_two_seconds_without_a_cut_nearby() -> None:
    assert beat_span(30_000, [], 90_000, FRAME) == (30_000, 32_000)
    assert beat_span(30_000, [45_000], 90_000, FRAME) == (30_000, 32_000)  # too far
    assert beat_span(30_000, [30_100], 90_000, FRAME) == (30_000, 32_000)  # a flash: not a beat


def test_a_beat_at_the_end_of_the_film_stops_there_and_still_lasts() -> None:
    assert beat_span(89_000, [], 90_000, FRAME) == (89_000, 90_000)
    start, end = beat_span(95_000, [], 90_000, FRAME)  # past the end: on the last frame
    assert start < end == 90_000
