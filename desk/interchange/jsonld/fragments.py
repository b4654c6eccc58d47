"""The time a Media Fragment names (``t=12.5,15.04``, ``t=npt:...``, ``t=smpte:...``) in
milliseconds.
"""

from __future__ import annotations

import re
from fractions import Fraction
from urllib.parse import unquote

from desk.core.timecode import FrameRate, TimecodeError, parse_timecode
from desk.interchange.jsonld.values import _show
from desk.interchange.model import MAX_FILM_MS

_NPT = re.compile(r"\d+(?:\.\d*)?|\.\d+|(?:\d+:)?\d{1,2}:\d{1,2}(?:\.\d*)?")
_SMPTE_TIME = re.compile(r"(\d+):(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?")
_SMPTE_RATES = {
    "smpte": Fraction(30),
    "smpte-25": Fraction(25),
    "smpte-30-drop": Fraction(30000, 1001),
}


def _time_ms(text: str, scheme: str) -> int:
    if len(text) > 32:
        raise TimecodeError(text)
    if scheme == "npt":
        if not _NPT.fullmatch(text):
            raise TimecodeError(text)
        ms = parse_timecode(text)
    else:
        match = _SMPTE_TIME.fullmatch(text)
        if match is None:
            raise TimecodeError(text)
        h, m, s, f = match.groups()
        sep = ";" if scheme.endswith("drop") else ":"
        ms = parse_timecode(f"{h}:{m}:{s}{sep}{f or '00'}", FrameRate(_SMPTE_RATES[scheme]))
    if ms > MAX_FILM_MS:
        raise TimecodeError(text)
    return ms


def _t_value(fragment: str) -> str | None:
    times = None
    for part in fragment.lstrip("#").split("&"):
        name, _, value = part.partition("=")
        if unquote(name).strip() == "t":
            times = unquote(value).strip()
    return times


def names_no_end(fragment: str) -> bool:
    """Whether a fragment's ``t=`` gives a start and no end (``t=21``), which Media Fragments
    read as "from 21 s to the end of the media"."""
    times = _t_value(fragment)
    return times is not None and "," not in times


def media_fragment_times(fragment: str) -> tuple[int, int] | None:
    """``(start_ms, end_ms)`` from a media fragment's ``t=`` (``None`` when it has none; a start
    without an end as a moment, see :func:`names_no_end`); raises :class:`ValueError` saying why
    when its ``t=`` is malformed."""
    times = _t_value(fragment)
    if times is None:
        return None
    shown = _show(f"t={times}")
    scheme, colon, rest = times.partition(":")
    if colon and scheme == "clock":
        raise ValueError(f"is {shown}, a wall-clock time, not a time in the film")
    if colon and scheme in ("npt", *_SMPTE_RATES):
        times = rest
    else:
        scheme = "npt"
    begin, comma, end = times.partition(",")
    try:
        start = _time_ms(begin, scheme) if begin or not comma else 0
        stop = _time_ms(end, scheme) if comma else start
    except ValueError:
        raise ValueError(f"is {shown}, not a time in the Media Fragments syntax") from None
    if stop < start:
        raise ValueError(f"is {shown}, which ends before it starts")
    return start, stop
