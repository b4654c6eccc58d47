"""Timecodes: film time is integer milliseconds; this module prints and reads every common form.

A frame rate is an exact fraction (23.976 is 24000/1001). Frame ``n`` is on screen from
``start_ms(n)`` (the first whole millisecond at or after ``n / rate`` seconds) until the next frame
starts, so ``frame_at(start_ms(n)) == n`` for every ``n >= 0``.

Styles of :func:`format_ms`:

- ``"ms"``: ``83500ms``
- ``"seconds"``: ``83.5``
- ``"hms"``: ``00:01:23.500``
- ``"short"``: ``1:23`` (``H:MM:SS`` from an hour on)
- ``"short_ms"``: ``1:23.500``
- ``"smpte"``: ``00:01:23:12`` at a frame rate; drop-frame ``00:01:23;12`` at 29.97 and 59.94
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

#: Decimal spellings that mean the NTSC fractions.
_NTSC = {"23.976": Fraction(24000, 1001), "23.98": Fraction(24000, 1001),
         "29.97": Fraction(30000, 1001), "59.94": Fraction(60000, 1001),
         "47.952": Fraction(48000, 1001), "119.88": Fraction(120000, 1001)}  # fmt: skip


class TimecodeError(ValueError):
    """Text that is not a timecode; the message names the text."""


@dataclass(frozen=True)
class FrameRate:
    """An exact frame rate in frames per second."""

    fps: Fraction

    def __post_init__(self) -> None:
        if self.fps <= 0:
            raise ValueError(f"not a frame rate: {self.fps}")
        object.__setattr__(self, "fps", Fraction(self.fps))

    @classmethod
    def parse(cls, text: str) -> FrameRate:
        text = text.strip()
        if text in _NTSC:
            return cls(_NTSC[text])
        try:
            return cls(Fraction(text))
        except (ValueError, ZeroDivisionError):
            raise TimecodeError(f"not a frame rate: {text!r}") from None

    @property
    def nominal(self) -> int:
        """Frames counted per timecode second (30 for 29.97)."""
        return round(self.fps)

    @property
    def drop_frame_capable(self) -> bool:
        return self.fps.denominator == 1001 and self.nominal in (30, 60)

    def frame_at(self, ms: int) -> int:
        """The frame on screen at ``ms``."""
        return math.floor(Fraction(ms) * self.fps / 1000)

    def start_ms(self, frame: int) -> int:
        """The first whole millisecond at which ``frame`` is on screen."""
        return math.ceil(Fraction(frame) * 1000 / self.fps)

    def snap_ms(self, ms: int) -> int:
        """The start of the frame on screen at ``ms``."""
        return self.start_ms(self.frame_at(ms))


def _split_ms(ms: int) -> tuple[str, int, int, int, int]:
    sign = "-" if ms < 0 else ""
    ms = abs(int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return sign, hours, minutes, seconds, millis


def _drop_frames_per_minute(rate: FrameRate) -> int:
    return 2 * rate.nominal // 30


def frames_to_smpte(frame: int, rate: FrameRate, *, drop: bool | None = None) -> str:
    """``HH:MM:SS:FF`` for a frame number (``;`` before the frames when drop-frame)."""
    drop = rate.drop_frame_capable if drop is None else drop and rate.drop_frame_capable
    sign = "-" if frame < 0 else ""
    frame = abs(frame)
    nominal = rate.nominal
    if drop:
        dropped = _drop_frames_per_minute(rate)
        per_ten = nominal * 600 - dropped * 9
        per_minute = nominal * 60 - dropped
        tens, rest = divmod(frame, per_ten)
        extra = dropped * 9 * tens
        if rest > dropped:
            extra += dropped * ((rest - dropped) // per_minute)
        frame += extra
    ff = frame % nominal
    total_seconds = frame // nominal
    hh, rem = divmod(total_seconds, 3600)
    mm, ss = divmod(rem, 60)
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}{';' if drop else ':'}{ff:02d}"


def format_ms(
    ms: int, style: str = "hms", rate: FrameRate | None = None, *, drop: bool | None = None
) -> str:
    """Print a time in one of the styles listed in the module docstring."""
    if style == "ms":
        return f"{int(ms)}ms"
    if style == "seconds":
        sign, _h, _m, _s, millis = _split_ms(ms)
        return f"{sign}{abs(int(ms)) // 1000}.{millis:03d}".rstrip("0").rstrip(".")
    if style == "smpte":
        if rate is None:
            raise ValueError("SMPTE timecode needs a frame rate")
        return frames_to_smpte(rate.frame_at(ms), rate, drop=drop)
    sign, h, m, s, millis = _split_ms(ms)
    if style == "hms":
        return f"{sign}{h:02d}:{m:02d}:{s:02d}.{millis:03d}"
    if style in ("short", "short_ms"):
        head = f"{sign}{h}:{m:02d}:{s:02d}" if h else f"{sign}{m}:{s:02d}"
        return head if style == "short" else f"{head}.{millis:03d}"
    raise ValueError(f"unknown timecode style: {style!r}")


_UNIT = re.compile(r"^(?P<num>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>ms|s)?$")
_SMPTE = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})([:;])(\d{1,3})$")


def _seconds_field(text: str, original: str) -> Fraction:
    try:
        value = Fraction(text)
    except ValueError:
        raise TimecodeError(f"not a timecode: {original!r}") from None
    if value >= 60:
        raise TimecodeError(f"not a timecode: {original!r} (seconds must be below 60)")
    return value


def _clock_ms(parts: list[str], original: str) -> Fraction:
    if not all(re.fullmatch(r"\d+", p) for p in parts[:-1]):
        raise TimecodeError(f"not a timecode: {original!r}")
    seconds = _seconds_field(parts[-1], original)
    numbers = [int(p) for p in parts[:-1]]
    if len(numbers) == 2 and numbers[1] >= 60:
        raise TimecodeError(f"not a timecode: {original!r} (minutes must be below 60)")
    total = Fraction(0)
    for n in numbers:
        total = total * 60 + n
    return (total * 60 + seconds) * 1000


def smpte_to_frame(hh: int, mm: int, ss: int, ff: int, rate: FrameRate, drop: bool) -> int:
    nominal = rate.nominal
    frame = ((hh * 60 + mm) * 60 + ss) * nominal + ff
    if drop:
        total_minutes = hh * 60 + mm
        frame -= _drop_frames_per_minute(rate) * (total_minutes - total_minutes // 10)
    return frame


def _parse_smpte(match: re.Match[str], rate: FrameRate | None, original: str) -> int:
    if rate is None:
        raise TimecodeError(f"{original!r} counts frames; the film's frame rate is needed")
    hh, mm, ss, sep, ff = match.groups()
    h, m, s, f = int(hh), int(mm), int(ss), int(ff)
    drop = sep == ";"
    if m >= 60 or s >= 60 or f >= rate.nominal:
        raise TimecodeError(f"not a timecode: {original!r}")
    if drop and not rate.drop_frame_capable:
        raise TimecodeError(f"{original!r} is drop-frame, which {float(rate.fps):g} fps has not")
    if drop and s == 0 and m % 10 and f < _drop_frames_per_minute(rate):
        raise TimecodeError(f"{original!r} names a dropped frame number")
    return rate.start_ms(smpte_to_frame(h, m, s, f, rate, drop))


def parse_timecode(text: str, rate: FrameRate | None = None) -> int:
    """Milliseconds from any common way of writing a time (see the module docstring)."""
    original = text
    cleaned = text.strip().replace(",", ".")
    negative = cleaned.startswith("-")
    cleaned = cleaned[1:].strip() if negative else cleaned
    if not cleaned:
        raise TimecodeError(f"not a timecode: {original!r}")
    smpte = _SMPTE.match(cleaned) if cleaned.count(":") + cleaned.count(";") == 3 else None
    if smpte:
        ms = Fraction(_parse_smpte(smpte, rate, original))
    elif ":" in cleaned:
        parts = cleaned.split(":")
        if len(parts) > 3 or any(p == "" for p in parts):
            raise TimecodeError(f"not a timecode: {original!r}")
        ms = _clock_ms(parts, original)
    else:
        unit = _UNIT.match(cleaned)
        if unit is None:
            raise TimecodeError(f"not a timecode: {original!r}")
        value = Fraction(unit["num"])
        ms = value if unit["unit"] == "ms" else value * 1000
    result = round(ms)
    return -result if negative else result
