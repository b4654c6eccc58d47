"""Another copy of the film is aligned by marking matching moments in both."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.timemap import TimeMap

PAL_SPEED_UP = Fraction(25) / Fraction(24000, 1001)  # 1001/960, about 1.0427

film_times = st.integers(min_value=-3_600_000, max_value=4 * 3_600_000)
offsets = st.integers(min_value=-600_000, max_value=600_000)
real_rates = st.fractions(min_value=Fraction(1, 2), max_value=2, max_denominator=100_000)


@st.composite
def marked_moments(draw: st.DrawFn, *, slopes: st.SearchStrategy[Fraction] = real_rates) -> list:
    """Moments a user matches along a copy: a few, moving forward in both, in any order."""
    film, copy = draw(st.integers(0, 600_000)), draw(st.integers(-60_000, 600_000))
    pairs = [(film, copy)]
    for _ in range(draw(st.integers(0, 5))):
        step = draw(st.integers(1_000, 1_800_000))
        film, copy = film + step, copy + max(1, round(step * draw(slopes)))
        pairs.append((film, copy))
    return draw(st.permutations(pairs))


def test_a_map_starts_as_the_identity() -> None:
    same = TimeMap()
    assert same.is_identity
    assert (same.to_copy(83_500), same.to_film(83_500)) == (83_500, 83_500)
    assert same.offset_ms == 0
    assert same.rate == 1
    assert TimeMap.from_anchors([]) == same == TimeMap.from_offset(0)


def test_one_pair_gives_an_offset() -> None:
    streaming = TimeMap.from_anchors([(60_000, 72_000)])  # 12 s of logos before the film
    assert streaming == TimeMap.from_offset(12_000)
    assert streaming.offset_ms == 12_000
    assert streaming.rate == 1
    assert streaming.to_copy(0) == 12_000
    assert streaming.to_film(72_000) == 60_000


def test_a_copy_that_lacks_the_opening_maps_it_before_its_own_start() -> None:
    trimmed = TimeMap.from_anchors([(5_000, 0)])
    assert trimmed.to_copy(0) == -5_000
    assert trimmed.to_film(0) == 5_000


def test_a_pal_copy_is_aligned_with_two_marked_pairs() -> None:
    start, end = 2_000, 6_000_000
    dvd = TimeMap.from_anchors([(start, 400 + round(start / PAL_SPEED_UP)),
                                (end, 400 + round(end / PAL_SPEED_UP))])  # fmt: skip
    assert abs(dvd.rate - PAL_SPEED_UP) < Fraction(1, 100_000)
    assert abs(dvd.offset_ms - 400) <= 1
    assert abs(dvd.to_copy(3_000_000) - (400 + 3_000_000 / PAL_SPEED_UP)) <= 1
    assert dvd.to_copy(end) == 400 + round(end / PAL_SPEED_UP)


def test_a_known_speed_up_needs_only_the_offset() -> None:
    dvd = TimeMap.from_affine(400, PAL_SPEED_UP)
    assert dvd.rate == Fraction(1001, 960)
    assert dvd.to_copy(6_000_000) == 400 + 5_754_246  # 6 000 000 * 960 / 1001, rounded
    assert dvd.to_film(400 + 5_754_246) == 6_000_000


def test_a_cut_with_a_scene_added_maps_piecewise() -> None:
    cut = TimeMap.from_anchors([(700_000, 760_000), (0, 0), (600_000, 600_000)])
    assert cut.to_copy(300_000) == 300_000
    assert cut.to_copy(650_000) == 680_000  # the added minute stretches this stretch
    assert cut.to_copy(800_000) == 920_000  # past the last anchor, its segment's slope goes on
    assert cut.to_film(680_000) == 650_000
    assert cut.rate == 1  # of the first segment


def test_a_cut_that_starts_later_extends_its_first_segment_backwards() -> None:
    cut = TimeMap.from_anchors([(10_000, 20_000), (20_000, 40_000), (30_000, 50_000)])
    assert cut.to_copy(0) == 0
    assert cut.offset_ms == 0
    assert cut.rate == Fraction(1, 2)


@pytest.mark.parametrize(
    "pairs",
    [[(0, 10_000), (5_000, 2_000)], [(0, 0), (0, 1_000)], [(0, 0), (1_000, 0)],
     [(0, 0), (1_000, 1_000), (2_000, 500)]],
)  # fmt: skip
def test_moments_marked_out_of_order_are_refused(pairs: list[tuple[int, int]]) -> None:
    with pytest.raises(ValueError, match="move forward in both the film and the copy"):
        TimeMap.from_anchors(pairs)


def test_a_copy_cannot_run_backwards_or_stand_still() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        TimeMap.from_affine(0, 0)
    with pytest.raises(ValueError, match="rate must be positive"):
        TimeMap.from_affine(0, -1)


@settings(max_examples=200)
@given(marked_moments())
def test_every_marked_moment_maps_exactly_onto_its_match(pairs: list[tuple[int, int]]) -> None:
    copy = TimeMap.from_anchors(pairs)
    for film_ms, copy_ms in pairs:
        assert copy.to_copy(film_ms) == copy_ms
        assert copy.to_film(copy_ms) == film_ms


@settings(max_examples=200)
@given(marked_moments(), film_times)
def test_film_and_copy_time_undo_each_other_within_a_millisecond(
    pairs: list[tuple[int, int]], t: int
) -> None:
    copy = TimeMap.from_anchors(pairs)
    assert abs(copy.to_film(copy.to_copy(t)) - t) <= 1
    assert abs(copy.to_copy(copy.to_film(t)) - t) <= 1


@given(offsets, real_rates, film_times)
def test_a_copy_at_any_real_speed_maps_both_ways_within_a_millisecond(
    offset: int, rate: Fraction, t: int
) -> None:
    copy = TimeMap.from_affine(offset, rate)
    assert abs(copy.to_copy(t) - (offset + t / rate)) <= Fraction(1, 2)
    assert abs(copy.to_film(copy.to_copy(t)) - t) <= 1


@given(marked_moments(slopes=st.fractions(Fraction(1, 1000), 1000)), film_times, film_times)
def test_later_film_time_is_never_earlier_in_the_copy(pairs: list, a: int, b: int) -> None:
    copy = TimeMap.from_anchors(pairs)
    a, b = min(a, b), max(a, b)
    assert copy.to_copy(a) <= copy.to_copy(b)
    assert copy.to_film(a) <= copy.to_film(b)


# -- storage ---------------------------------------------------------------------------------


def test_a_stored_map_reads_as_plain_versioned_json() -> None:
    assert TimeMap().to_json() == {"version": 1, "kind": "identity"}
    assert TimeMap.from_affine(400, PAL_SPEED_UP).to_json() == {
        "version": 1, "kind": "affine", "offset_ms": 400, "rate": "1001/960",
    }  # fmt: skip
    assert TimeMap.from_anchors([(0, 0), (1, 3), (2, 4)]).to_json() == {
        "version": 1, "kind": "piecewise", "anchors": [[0, 0], [1, 3], [2, 4]],
    }  # fmt: skip
    assert TimeMap.from_anchors([(0, 1), (3, 3)]).to_json()["offset_ms"] == 1
    assert TimeMap.from_anchors([(1, 1), (4, 3)]).to_json()["offset_ms"] == "1/3"


def test_the_default_a_project_stores_for_a_copy_reads_as_the_identity() -> None:
    assert TimeMap.from_json({"kind": "identity"}) == TimeMap()


@settings(max_examples=200)
@given(marked_moments() | st.builds(TimeMap.from_affine, offsets, real_rates))
def test_a_stored_map_comes_back_equal(made: list | TimeMap) -> None:
    original = made if isinstance(made, TimeMap) else TimeMap.from_anchors(made)
    text = json.dumps(original.to_json())
    assert TimeMap.from_json(json.loads(text)) == original


MALFORMED: list[object] = [
    None,
    [],
    "identity",
    {},
    {"kind": "sideways"},
    {"version": 2, "kind": "identity"},
    {"kind": "affine"},
    {"kind": "affine", "offset_ms": 0},
    {"kind": "affine", "offset_ms": "0", "rate": "0"},
    {"kind": "affine", "offset_ms": "0", "rate": "-1"},
    {"kind": "affine", "offset_ms": "0", "rate": "1/0"},
    {"kind": "affine", "offset_ms": 1.5, "rate": "1"},
    {"kind": "affine", "offset_ms": True, "rate": "1"},
    {"kind": "affine", "offset_ms": 0, "rate": "fast"},
    {"kind": "piecewise", "anchors": 3},
    {"kind": "piecewise", "anchors": [[0, 0], [1, 1]]},
    {"kind": "piecewise", "anchors": [[0, 0], [1, 1], [2]]},
    {"kind": "piecewise", "anchors": [[0, 0], [2, 2], [1, 3]]},
    {"kind": "piecewise", "anchors": [[0, 0], [1, 1], ["2", "x"]]},
]


@pytest.mark.parametrize("data", MALFORMED)
def test_a_malformed_stored_map_is_refused(data: object) -> None:
    with pytest.raises(ValueError, match="not a time map") as refused:
        TimeMap.from_json(data)
    assert "\n" not in str(refused.value)
