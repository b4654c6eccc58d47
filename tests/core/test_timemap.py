"""Another copy of the film is aligned by marking matching moments."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.core.timemap import TimeMap

film_ms = st.integers(min_value=0, max_value=4 * 3_600_000)


def test_one_pair_gives_an_offset() -> None:
    streaming = TimeMap.from_anchors([(60_000, 72_000)])  # 12 s of logos before the film
    assert streaming.to_copy(0) == 12_000
    assert streaming.to_film(72_000) == 60_000
    assert streaming.rate == 1


def test_a_pal_copy_is_aligned_with_two_marked_pairs() -> None:
    pal = Fraction(25) / Fraction(24000, 1001)
    end_film = 6_000_000
    dvd = TimeMap.from_anchors([(0, 400), (end_film, 400 + round(end_film / pal))])
    assert abs(float(dvd.rate) - float(pal)) < 1e-6
    assert abs(dvd.to_copy(3_000_000) - (400 + 3_000_000 / float(pal))) <= 1


def test_a_cut_with_a_scene_added_maps_piecewise() -> None:
    cut = TimeMap.from_anchors([(0, 0), (600_000, 600_000), (700_000, 760_000)])
    assert cut.to_copy(300_000) == 300_000
    assert cut.to_copy(650_000) == 680_000  # the added minute stretches this stretch
    assert cut.to_copy(800_000) == 920_000  # past the last anchor, the last slope goes on


def test_anchors_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="same order"):
        TimeMap.from_anchors([(0, 10_000), (5_000, 2_000)])


@given(st.lists(st.tuples(film_ms, st.integers(0, 10**8)), min_size=0, max_size=5), film_ms)
def test_copy_and_film_time_are_inverse_within_a_millisecond(pairs, t) -> None:
    fs = sorted({f for f, _ in pairs})
    cs = sorted({c for _, c in pairs})
    anchors = list(zip(fs, cs, strict=False))
    m = TimeMap.from_anchors(anchors)
    assert abs(m.to_film(m.to_copy(t)) - t) <= 1 or len(anchors) >= 2


@given(st.integers(-100_000, 100_000), st.fractions(min_value=Fraction(1, 2), max_value=2))
def test_a_stored_map_comes_back_equal(offset: int, rate: Fraction) -> None:
    m = TimeMap.from_affine(offset, rate)
    back = TimeMap.from_json(m.to_json())
    assert [back.to_copy(t) for t in (0, 1000, 10**7)] == [m.to_copy(t) for t in (0, 1000, 10**7)]


MALFORMED = [
    {},
    {"kind": "affine"},
    {"kind": "piecewise", "anchors": 3},
    {"kind": "affine", "offset_ms": "0", "rate": "0"},
    None,
]


@pytest.mark.parametrize("data", MALFORMED)
def test_a_malformed_stored_map_is_refused(data) -> None:
    with pytest.raises(ValueError, match="time map"):
        TimeMap.from_json(data)
