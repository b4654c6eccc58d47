"""Timecodes read the way editors type them and print the way they read them."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.core.timecode import FrameRate, TimecodeError, format_ms, frames_to_smpte, parse_timecode

RATES = [FrameRate.parse(r) for r in ("23.976", "24", "25", "29.97", "30", "50", "59.94", "60")]
times = st.integers(min_value=0, max_value=30 * 3_600_000)


@pytest.mark.parametrize(
    ("text", "ms"),
    [("83500ms", 83_500), ("83.5s", 83_500), ("83.5", 83_500), ("1:23", 83_000),
     ("1:23.5", 83_500), ("01:01:23.500", 3_683_500), ("1:01:23", 3_683_000), ("-1:00", -60_000),
     (" 2,5 ", 2_500), ("0", 0)],
)  # fmt: skip
def test_every_common_way_of_typing_a_time_is_understood(text: str, ms: int) -> None:
    assert parse_timecode(text) == ms


@pytest.mark.parametrize("text", ["1:99", "abc", "1::2", "", "1:2:3:4:5", "1:60:00", "--1"])
def test_nonsense_is_refused_with_the_text_in_the_message(text: str) -> None:
    with pytest.raises(TimecodeError, match="timecode"):
        parse_timecode(text)


def test_smpte_frames_need_the_film_rate_and_stay_below_it() -> None:
    with pytest.raises(TimecodeError, match="frame rate"):
        parse_timecode("00:00:01:12")
    assert parse_timecode("01:01:23:12", FrameRate(Fraction(24))) == 3_683_500
    with pytest.raises(TimecodeError):
        parse_timecode("00:00:01:25", FrameRate(Fraction(25)))


def test_drop_frame_counts_as_smpte_does() -> None:
    ntsc = FrameRate.parse("29.97")
    assert frames_to_smpte(1799, ntsc) == "00:00:59;29"
    assert frames_to_smpte(1800, ntsc) == "00:01:00;02"
    assert frames_to_smpte(17982, ntsc) == "00:10:00;00"
    assert frames_to_smpte(1800, ntsc, drop=False) == "00:01:00:00"
    assert frames_to_smpte(3600, FrameRate.parse("59.94")) == "00:01:00;04"
    with pytest.raises(TimecodeError, match="dropped"):
        parse_timecode("00:01:00;00", ntsc)


@given(times)
def test_millisecond_styles_round_trip(ms: int) -> None:
    for style in ("ms", "seconds", "hms", "short_ms"):
        assert parse_timecode(format_ms(ms, style)) == ms
    assert parse_timecode(format_ms(-ms, "hms")) == -ms


@given(times, st.sampled_from(RATES))
def test_smpte_round_trips_to_the_start_of_the_frame(ms: int, rate: FrameRate) -> None:
    text = format_ms(ms, "smpte", rate)
    assert parse_timecode(text, rate) == rate.snap_ms(ms)


@given(st.integers(min_value=0, max_value=10_000_000), st.sampled_from(RATES))
def test_a_frame_starts_where_it_is_shown(frame: int, rate: FrameRate) -> None:
    start = rate.start_ms(frame)
    assert rate.frame_at(start) == frame
    assert rate.frame_at(start - 1) == frame - 1 or rate.start_ms(frame - 1) == start - 1 + 1
