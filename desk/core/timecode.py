"""Timecodes: film time is whole milliseconds; this module prints and reads every common form.

Frames. A :class:`FrameRate` is an exact fraction of frames per second (23.976 is 24000/1001).
Frame ``n`` is on screen from ``start_ms(n)``, the first whole millisecond at or after
``n * 1000 / fps``, until the next frame starts. Rates are at most 1000 fps, so every frame holds
at least one millisecond and ``frame_at(start_ms(n)) == n`` for every ``n >= 0`` (and below).

Styles of :func:`format_ms`, shown for 83 500 ms:

- ``"ms"``: ``83500ms`` (with its unit: a bare number reads back as seconds)
- ``"seconds"``: ``83.5``
- ``"hms"``: ``00:01:23.500``
- ``"short"``: ``1:23``, ``H:MM:SS`` from an hour on; milliseconds are dropped
- ``"short_ms"``: ``1:23.500``
- ``"smpte"``: ``00:01:23:12`` at 24 fps, the frame on screen at that time; with ``drop=True`` at
  29.97 or 59.94 fps, drop-frame ``00:01:23;14``. On a film whose rate varies (a phone's), frames
  do not fall on the timecode's grid: the label is counted at the nominal rate and marked so,
  ``~00:01:23:12``.

Negative times get a leading ``-``. :func:`parse_timecode` reads all of these back, and more (see
its docstring): ``parse_timecode(format_ms(ms, style))`` is ``ms`` for ``"ms"``, ``"seconds"``,
``"hms"`` and ``"short_ms"``, and ``rate.snap_ms(ms)`` for ``"smpte"``.

Drop-frame timecode counts frames at 30 (or 60) a second but skips the labels ``;00`` and ``;01``
(four labels, ``;00`` to ``;03``, at 59.94) at the start of every minute except each tenth minute,
so that its hours stay within 4 ms of the clock. Only the labels are skipped, never the frames.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Style = Literal["ms", "seconds", "hms", "short", "short_ms", "smpte"]

#: Fastest rate accepted: a frame must last at least one millisecond to have a start of its own.
MAX_FPS = 1000

_DROP_FRAME_FPS = (Fraction(30000, 1001), Fraction(60000, 1001))


class TimecodeError(ValueError):
    """Text that is not a timecode (or a frame rate); the one-line message names the text."""


@dataclass(frozen=True)
class FrameRate:
    """An exact frame rate in frames per second, above 0 and at most :data:`MAX_FPS`.

    ``variable`` says the film's frames do not keep this rate (it is their average): timecodes
    counted at it are nominal.
    """

    fps: Fraction
    variable: bool = False

    def __post_init__(self) -> None:
        fps = Fraction(self.fps)
        if not 0 < fps <= MAX_FPS:
            raise ValueError(f"not a frame rate: {fps} fps (it must be above 0 and at most 1000)")
        object.__setattr__(self, "fps", fps)

    @classmethod
    def parse(cls, text: str) -> FrameRate:
        """``"25"``, ``"24000/1001"`` or a decimal; decimals that abbreviate an NTSC rate
        (``"23.976"``, ``"23.98"``, ``"29.97"``, ``"59.94"``...) mean the exact ``n*1000/1001``."""
        cleaned = text.strip().replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?|\d+/\d+", cleaned) or re.fullmatch(r"\d+/0+", cleaned):
            raise TimecodeError(f"not a frame rate: {text!r}")
        fps = Fraction(cleaned)
        ntsc = Fraction(round(fps * Fraction(1001, 1000)) * 1000, 1001)
        if "." in cleaned and fps.denominator != 1 and abs(fps - ntsc) < Fraction(1, 200):
            fps = ntsc
        try:
            return cls(fps)
        except ValueError:
            raise TimecodeError(f"not a frame rate: {text!r}") from None

    def __str__(self) -> str:
        """``"25"``, ``"23.976"``, ``"29.97"``, otherwise ``"num/den"``; :meth:`parse` reads it."""
        if self.fps.denominator == 1:
            return str(self.fps.numerator)
        if self.fps.denominator == 1001 and self.fps.numerator % 1000 == 0:
            return f"{float(self.fps):.3f}".rstrip("0")
        return str(self.fps)

    @property
    def nominal(self) -> int:
        """Frames counted per timecode second: the rate rounded up (24 at 23.976, 30 at 29.97)."""
        return math.ceil(self.fps)

    @property
    def drop_frame_capable(self) -> bool:
        """Whether drop-frame timecode exists at this rate (29.97 and 59.94 fps)."""
        return self.fps in _DROP_FRAME_FPS

    def frame_at(self, ms: int) -> int:
        """The index of the frame on screen at ``ms``: ``floor(ms * fps / 1000)``, exactly."""
        return (ms * self.fps.numerator) // (1000 * self.fps.denominator)

    def start_ms(self, frame: int) -> int:
        """The first whole millisecond at which ``frame`` is on screen: ``ceil(frame*1000/fps)``.

        ``frame_at(start_ms(n)) == n`` for every ``n``, and ``start_ms(n) - 1`` shows ``n - 1``.
        """
        return -((-frame * 1000 * self.fps.denominator) // self.fps.numerator)

    def snap_ms(self, ms: int) -> int:
        """The start of the frame on screen at ``ms`` (``ms`` itself when a frame starts there)."""
        return self.start_ms(self.frame_at(ms))


def _dropped_labels(rate: FrameRate) -> int:
    """Labels a drop-frame minute skips: 2 at 29.97, 4 at 59.94."""
    return rate.nominal // 15


def frame_to_smpte(frame: int, rate: FrameRate, *, drop: bool = False) -> str:
    """``HH:MM:SS:FF`` for a frame index; drop-frame ``HH:MM:SS;FF`` when ``drop``."""
    if drop and not rate.drop_frame_capable:
        raise ValueError(f"drop-frame timecode exists at 29.97 and 59.94 fps, not at {rate} fps")
    sign = "-" if frame < 0 else ""
    label = abs(frame)
    if drop:
        dropped = _dropped_labels(rate)
        per_minute = rate.nominal * 60 - dropped
        tens, rest = divmod(label, per_minute * 10 + dropped)
        label += dropped * 9 * tens + dropped * max(0, (rest - dropped) // per_minute)
    seconds, ff = divmod(label, rate.nominal)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}{';' if drop else ':'}{ff:02d}"


def format_ms(
    ms: int, style: Style = "hms", rate: FrameRate | None = None, *, drop: bool = False
) -> str:
    """Print a time in one of the styles listed in the module docstring.

    ``"smpte"`` needs ``rate``; ``drop=True`` asks for drop-frame, which only 29.97 and 59.94 fps
    have (:attr:`FrameRate.drop_frame_capable`). Other styles ignore both.
    """
    if style == "smpte":
        if rate is None:
            raise ValueError("an SMPTE timecode needs a frame rate")
        label = frame_to_smpte(rate.frame_at(ms), rate, drop=drop)
        return f"~{label}" if rate.variable else label
    sign = "-" if ms < 0 else ""
    whole_seconds, millis = divmod(abs(ms), 1000)
    minutes, ss = divmod(whole_seconds, 60)
    hh, mm = divmod(minutes, 60)
    if style == "ms":
        return f"{ms}ms"
    if style == "seconds":
        decimals = f".{millis:03d}".rstrip("0") if millis else ""
        return f"{sign}{whole_seconds}{decimals}"
    if style == "hms":
        return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}.{millis:03d}"
    if style in ("short", "short_ms"):
        clock = f"{hh}:{mm:02d}:{ss:02d}" if hh else f"{mm}:{ss:02d}"
        return f"{sign}{clock}" + (f".{millis:03d}" if style == "short_ms" else "")
    raise ValueError(f"unknown timecode style: {style!r}")


_NUMBER = re.compile(r"(?P<value>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>ms|s)?")
_CLOCK = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d+(?:\.\d*)?)")
_SMPTE = re.compile(r"(?P<h>\d+)[:;](?P<m>\d+)[:;](?P<s>\d+)[:;](?P<f>\d+)")


def smpte_to_frame(text: str, rate: FrameRate) -> int:
    """The frame index an SMPTE timecode names; a ``;`` anywhere in it means drop-frame.

    Minutes and seconds must be below 60 and frames below the rate's nominal frames per second.
    """
    cleaned = text.strip()
    negative = cleaned.startswith("-")
    match = _SMPTE.fullmatch(cleaned.removeprefix("-"))
    if match is None:
        raise TimecodeError(f"not an SMPTE timecode: {text!r}")
    h, m, s, f = (int(match[k]) for k in "hmsf")
    drop = ";" in cleaned
    if m >= 60 or s >= 60:
        raise TimecodeError(f"not a timecode: {text!r} (minutes and seconds must be below 60)")
    if f >= rate.nominal:
        raise TimecodeError(f"not a timecode: {text!r} (frames must be below {rate.nominal})")
    if drop and not rate.drop_frame_capable:
        raise TimecodeError(f"not a timecode: {text!r} is drop-frame, which {rate} fps has not")
    minutes = h * 60 + m
    frame = (minutes * 60 + s) * rate.nominal + f
    if drop:
        dropped = _dropped_labels(rate)
        if s == 0 and f < dropped and minutes % 10:
            raise TimecodeError(f"not a timecode: {text!r} names a label drop-frame skips")
        frame -= dropped * (minutes - minutes // 10)
    return -frame if negative else frame


def _clock_ms(match: re.Match[str], text: str) -> Fraction:
    if Fraction(match["s"]) >= 60:
        raise TimecodeError(f"not a timecode: {text!r} (seconds must be below 60)")
    if match["h"] is not None and int(match["m"]) >= 60:
        raise TimecodeError(f"not a timecode: {text!r} (minutes must be below 60)")
    hours = int(match["h"] or 0)
    return ((hours * 60 + int(match["m"])) * 60 + Fraction(match["s"])) * 1000


def parse_timecode(text: str, rate: FrameRate | None = None) -> int:
    """Milliseconds from any common way of typing a time.

    Accepted: ``83500ms``, ``83.5s``, ``83.5`` (a bare number is seconds), ``1:23`` (M:SS),
    ``1:23.5``, ``1:01:23`` and ``01:01:23.500`` (H:MM:SS), SMPTE ``01:01:23:12`` and drop-frame
    ``01:01:23;12`` (both need ``rate``; the result is the start of that frame), a leading ``-``,
    surrounding spaces, a comma for the decimal point, and the ``~`` of a nominal SMPTE timecode.
    Fractions of a millisecond round to the nearest one, halves to even.
    Anything else raises :class:`TimecodeError`.
    """
    cleaned = text.strip().replace(",", ".").lower()
    sign = -1 if cleaned.startswith("-") else 1
    body = cleaned.removeprefix("-").strip().removeprefix("~")
    if smpte := _SMPTE.fullmatch(body):
        if rate is None:
            raise TimecodeError(f"{text!r} counts frames: reading it needs the film's frame rate")
        return rate.start_ms(sign * smpte_to_frame(smpte[0], rate))
    if clock := _CLOCK.fullmatch(body):
        ms = _clock_ms(clock, text)
    elif number := _NUMBER.fullmatch(body):
        value = Fraction(number["value"])
        ms = value if number["unit"] == "ms" else value * 1000
    else:
        raise TimecodeError(f"not a timecode: {text!r}")
    return round(sign * ms)


#: What may stand between the two ends of a typed range: an en dash, a hyphen, "to" or "..".
_SPAN_SEPARATOR = re.compile(r"\s*(?:–|—|\.\.|\bto\b|(?<=\d)\s*-\s*(?=\d))\s*")


def parse_span(text: str, rate: FrameRate | None = None) -> tuple[int, int] | None:
    """A range of milliseconds typed as ``0:40–0:55`` (or with ``-``, ``to``, ``..``), a moment
    as one time (``1:01.727``: its end is its start), or None for empty text. Each end is read by
    :func:`parse_timecode`; an end before its start or a time before 0 raises
    :class:`TimecodeError`."""
    if not text.strip():
        return None
    parts = _SPAN_SEPARATOR.split(text.strip(), maxsplit=1)
    start = parse_timecode(parts[0], rate)
    end = start if len(parts) == 1 else parse_timecode(parts[1], rate)
    if start < 0:
        raise TimecodeError(f"a time cannot be before the film's start: {text!r}")
    if end < start:
        raise TimecodeError(f"the range ends before it starts: {text!r}")
    return start, end
