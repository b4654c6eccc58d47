"""Timecodes read the way editors type them and print the way they read them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.core.timecode import (
    FrameRate,
    Style,
    TimecodeError,
    format_ms,
    frame_to_smpte,
    parse_span,
    parse_timecode,
    smpte_to_frame,
)

RATE_NAMES = ("23.976", "24", "25", "29.97", "30", "50", "59.94", "60")
RATES = [FrameRate.parse(name) for name in RATE_NAMES]
NTSC_30 = FrameRate(Fraction(30000, 1001))
NTSC_60 = FrameRate(Fraction(60000, 1001))
MS_STYLES: tuple[Style, ...] = ("ms", "seconds", "hms", "short_ms")

times = st.integers(min_value=-30 * 3_600_000, max_value=30 * 3_600_000)
any_rate = st.fractions(min_value=Fraction(1, 10), max_value=1000, max_denominator=100_000)


# -- frame rates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fps"),
    [("23.976", Fraction(24000, 1001)), ("23.98", Fraction(24000, 1001)),
     ("24000/1001", Fraction(24000, 1001)), ("29.97", Fraction(30000, 1001)),
     ("59.94", Fraction(60000, 1001)), (" 25 ", Fraction(25)), ("12.5", Fraction(25, 2)),
     ("29,97", Fraction(30000, 1001)), ("24.0", Fraction(24))],
)  # fmt: skip
def test_the_usual_spellings_of_a_frame_rate_mean_the_exact_rate(text: str, fps: Fraction) -> None:
    assert FrameRate.parse(text).fps == fps


@pytest.mark.parametrize("text", ["", "abc", "0", "-25", "1/0", "2000", "25 fps", "1e3"])
def test_a_frame_rate_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(TimecodeError, match="not a frame rate"):
        FrameRate.parse(text)


@pytest.mark.parametrize("name", RATE_NAMES)
def test_a_frame_rate_prints_the_way_it_is_typed(name: str) -> None:
    assert str(FrameRate.parse(name)) == name


@given(any_rate)
def test_every_printed_frame_rate_reads_back(fps: Fraction) -> None:
    rate = FrameRate(fps)
    assert FrameRate.parse(str(rate)) == rate


def test_only_ntsc_broadcast_rates_can_drop_frames() -> None:
    assert [rate.drop_frame_capable for rate in RATES] == [
        False, False, False, True, False, False, True, False,
    ]  # fmt: skip
    assert [rate.nominal for rate in RATES] == [24, 24, 25, 30, 30, 50, 60, 60]


# -- frames and milliseconds ---------------------------------------------------------------


def test_the_first_frames_of_an_ntsc_film_start_on_the_next_whole_millisecond() -> None:
    film = FrameRate.parse("23.976")
    assert [film.start_ms(n) for n in range(4)] == [0, 42, 84, 126]  # 41.7, 83.4, 125.1 ms
    assert [film.frame_at(ms) for ms in (0, 41, 42, 83, 84)] == [0, 0, 1, 1, 2]
    assert film.snap_ms(100) == 84


@settings(max_examples=200)
@given(st.integers(min_value=-10_000_000, max_value=10_000_000), st.sampled_from(RATES) | any_rate)
def test_a_frame_is_shown_from_its_start_and_not_a_millisecond_before(
    frame: int, rate: FrameRate | Fraction
) -> None:
    rate = rate if isinstance(rate, FrameRate) else FrameRate(rate)
    start = rate.start_ms(frame)
    assert rate.frame_at(start) == frame
    assert rate.frame_at(start - 1) == frame - 1


@given(times, st.sampled_from(RATES))
def test_marking_a_time_snaps_it_back_to_the_start_of_its_frame(ms: int, rate: FrameRate) -> None:
    snapped = rate.snap_ms(ms)
    assert snapped <= ms
    assert rate.frame_at(snapped) == rate.frame_at(ms)
    assert rate.snap_ms(snapped) == snapped


# -- printing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "text"),
    [("ms", "83500ms"), ("seconds", "83.5"), ("hms", "00:01:23.500"), ("short", "1:23"),
     ("short_ms", "1:23.500")],
)  # fmt: skip
def test_a_time_prints_in_every_style(style: Style, text: str) -> None:
    assert format_ms(83_500, style) == text
    assert format_ms(-83_500, style) == f"-{text}"


def test_short_times_grow_an_hour_field_only_when_needed() -> None:
    assert format_ms(3_683_000, "short") == "1:01:23"
    assert format_ms(59_999, "short") == "0:59"
    assert format_ms(83_000, "seconds") == "83"
    assert format_ms(83_050, "seconds") == "83.05"


def test_smpte_shows_the_frame_on_screen() -> None:
    assert format_ms(83_500, "smpte", FrameRate.parse("24")) == "00:01:23:12"
    assert format_ms(83_500, "smpte", NTSC_30, drop=True) == "00:01:23;14"
    assert format_ms(83_500, "smpte", NTSC_30) == "00:01:23:12"
    assert format_ms(-1, "smpte", FrameRate.parse("25")) == "-00:00:00:01"


def test_smpte_without_a_rate_or_drop_frame_at_a_film_rate_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="frame rate"):
        format_ms(0, "smpte")
    with pytest.raises(ValueError, match="drop-frame"):
        format_ms(0, "smpte", FrameRate.parse("25"), drop=True)
    with pytest.raises(ValueError, match="unknown timecode style"):
        format_ms(0, cast(Any, "feet"))


@pytest.mark.parametrize(
    ("frame", "text"),
    [(0, "00:00:00;00"), (1799, "00:00:59;29"), (1800, "00:01:00;02"), (3597, "00:01:59;29"),
     (3598, "00:02:00;02"), (17981, "00:09:59;29"), (17982, "00:10:00;00"),
     (17983, "00:10:00;01"), (19781, "00:10:59;29"), (19782, "00:11:00;02"),
     (107892, "01:00:00;00"), (2589407, "23:59:59;29")],
)  # fmt: skip
def test_drop_frame_at_29_97_counts_as_smpte_does(frame: int, text: str) -> None:
    assert frame_to_smpte(frame, NTSC_30, drop=True) == text
    assert smpte_to_frame(text, NTSC_30) == frame


@pytest.mark.parametrize(
    ("frame", "text"),
    [(3599, "00:00:59;59"), (3600, "00:01:00;04"), (35964, "00:10:00;00"),
     (215784, "01:00:00;00")],
)  # fmt: skip
def test_drop_frame_at_59_94_skips_four_labels_a_minute(frame: int, text: str) -> None:
    assert frame_to_smpte(frame, NTSC_60, drop=True) == text
    assert smpte_to_frame(text, NTSC_60) == frame


def test_an_hour_of_drop_frame_timecode_is_an_hour_of_clock_time() -> None:
    assert parse_timecode("01:00:00;00", NTSC_30) == 3_599_997  # 3.6 ms early
    assert parse_timecode("01:00:00:00", NTSC_30) == 3_603_600  # non-drop: 3.6 s late


# -- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [("83500ms", 83_500), ("83.5s", 83_500), ("83.5", 83_500), ("1:23", 83_000),
     ("1:23.5", 83_500), ("01:01:23.500", 3_683_500), ("1:01:23", 3_683_000), ("-1:00", -60_000),
     (" 2,5 ", 2_500), ("0", 0), ("83500 MS", 83_500), ("83.5 s", 83_500), (".5", 500),
     ("90:00", 5_400_000), ("1:23,25", 83_250), ("0.0005", 0), ("0.0015", 2), ("- 3", -3_000)],
)  # fmt: skip
def test_every_common_way_of_typing_a_time_is_understood(text: str, ms: int) -> None:
    assert parse_timecode(text) == ms


@pytest.mark.parametrize(
    "text",
    ["1:99", "abc", "1::2", "", "  ", "1:2:3:4:5", "1:60:00", "--1", "1:23:", ":23", "1e3",
     "1.2.3", "83500m", "1:1e1", "1/2", "1:-5", "ms"],
)  # fmt: skip
def test_nonsense_is_refused_with_the_text_in_the_message(text: str) -> None:
    with pytest.raises(TimecodeError, match="not a timecode") as refused:
        parse_timecode(text, FrameRate.parse("24"))
    assert repr(text) in str(refused.value)
    assert "\n" not in str(refused.value)


def test_seconds_and_minutes_past_59_are_named_in_the_refusal() -> None:
    with pytest.raises(TimecodeError, match=r"'1:99' \(seconds must be below 60\)"):
        parse_timecode("1:99")
    with pytest.raises(TimecodeError, match="minutes must be below 60"):
        parse_timecode("1:60:00")


def test_smpte_frames_need_the_film_rate_and_stay_below_it() -> None:
    with pytest.raises(TimecodeError, match="frame rate"):
        parse_timecode("00:00:01:12")
    assert parse_timecode("01:01:23:12", FrameRate.parse("24")) == 3_683_500
    assert parse_timecode("-00:00:00:01", FrameRate.parse("25")) == -40
    with pytest.raises(TimecodeError, match="frames must be below 25"):
        parse_timecode("00:00:01:25", FrameRate.parse("25"))
    with pytest.raises(TimecodeError, match="below 60"):
        parse_timecode("00:60:00:00", FrameRate.parse("25"))


def test_drop_frame_is_read_only_where_it_exists_and_only_with_real_labels() -> None:
    assert parse_timecode("00:01:00;02", NTSC_30) == NTSC_30.start_ms(1800)
    assert parse_timecode("00;01;00;02", NTSC_30) == NTSC_30.start_ms(1800)
    assert parse_timecode("00:10:00;00", NTSC_30) == NTSC_30.start_ms(17982)
    with pytest.raises(TimecodeError, match="skips"):
        parse_timecode("00:01:00;00", NTSC_30)
    with pytest.raises(TimecodeError, match="skips"):
        parse_timecode("00:01:00;03", NTSC_60)
    with pytest.raises(TimecodeError, match="drop-frame"):
        parse_timecode("00:01:00;02", FrameRate.parse("25"))


# -- round trips -----------------------------------------------------------------------------


@given(times)
def test_every_millisecond_style_reads_back_exactly(ms: int) -> None:
    for style in MS_STYLES:
        assert parse_timecode(format_ms(ms, style)) == ms


@given(times)
def test_the_short_style_reads_back_to_the_whole_second(ms: int) -> None:
    whole = abs(ms) // 1000 * 1000
    assert parse_timecode(format_ms(ms, "short")) == (whole if ms >= 0 else -whole)


@settings(max_examples=200)
@given(times, st.sampled_from(RATES), st.booleans())
def test_smpte_reads_back_to_the_start_of_the_frame(ms: int, rate: FrameRate, drop: bool) -> None:
    drop = drop and rate.drop_frame_capable
    text = format_ms(ms, "smpte", rate, drop=drop)
    assert (";" in text) == drop
    assert parse_timecode(text, rate) == rate.snap_ms(ms)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=24 * 3600 * 60), st.sampled_from([NTSC_30, NTSC_60]))
def test_drop_frame_labels_follow_each_other_like_non_drop_ones(
    frame: int, rate: FrameRate
) -> None:
    here = frame_to_smpte(frame, rate, drop=True)
    after = frame_to_smpte(frame + 1, rate, drop=True)
    assert smpte_to_frame(here, rate) == frame
    assert smpte_to_frame(after, rate) == frame + 1
    assert here < after


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("0:40–0:55", (40_000, 55_000)),
        ("0:40.000 - 0:55.500", (40_000, 55_500)),
        ("40s to 55s", (40_000, 55_000)),
        ("1:01.727", (61_727, 61_727)),
        ("  ", None),
    ],
)
def test_a_typed_range_reads_as_its_two_ends(text: str, span: tuple[int, int] | None) -> None:
    assert parse_span(text) == span


@pytest.mark.parametrize(("text", "why"), [("0:55–0:40", "ends before"), ("soon", "not a timecode"),
                                           ("-1", "before the film")])  # fmt: skip
def test_a_range_that_is_not_one_is_refused_with_a_sentence(text: str, why: str) -> None:
    with pytest.raises(TimecodeError, match=why):
        parse_span(text)
