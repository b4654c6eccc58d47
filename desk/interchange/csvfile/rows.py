"""One row of a CSV table read as desk's values: text, times, numbers, a link, a kind."""

from __future__ import annotations

import math
import re
from typing import NoReturn

from desk.core.timecode import format_ms, parse_timecode
from desk.errors import ImportFormatError
from desk.interchange.csvfile.columns import FORMULA_STARTS, short, uid_of
from desk.interchange.model import MAX_FILM_MS, Link

#: A time as desk writes it (``00:01:23.500``), read without the general parser: a sheet of
#: 300,000 rows has 600,000 of them.
WRITTEN = re.compile(r"(\d{1,4}):([0-5]\d):([0-5]\d)[.,](\d{3})")


class Row:
    """One row of the table, its cells by column, and its number to name when one is wrong."""

    __slots__ = ("cells", "header", "number", "where")

    def __init__(self, number: int, cells: list[str], header: dict[str, int], where: str):
        self.number = number
        self.cells = cells
        self.header = header
        self.where = where

    def fail(self, column: str, problem: str) -> NoReturn:
        raise ImportFormatError(f"{self.where}row {self.number}: '{column}' {problem}.")

    def raw(self, column: str) -> str:
        index = self.header.get(column)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def text(self, column: str) -> str:
        value = self.raw(column).replace("\r\n", "\n")
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            return value[1:]
        return value

    def name(self, column: str) -> str:
        return self.text(column).strip()

    def uid(self, column: str = "uid") -> str:
        value = self.raw(column).strip()
        return uid_of(value) if value else ""

    def time(self, column: str) -> int | None:
        value = self.raw(column).strip()
        if not value:
            return None
        written = WRITTEN.fullmatch(value)
        try:
            if len(value) > 40:
                raise ValueError(value)
            if written is not None:
                h, m, s, ms = (int(part) for part in written.groups())
                ms += ((h * 60 + m) * 60 + s) * 1000
            else:
                ms = parse_timecode(value)
        except ValueError:
            self.fail(column, f"is '{short(value)}', not a timecode")
        if not 0 <= ms <= MAX_FILM_MS:
            self.fail(column, f"is '{short(value)}', not a time in a film")
        return ms

    def decimal(self, column: str, low: float, high: float, default: float) -> float:
        value = self.raw(column).strip()
        if not value:
            return default
        cleaned = value.replace(",", ".") if re.fullmatch(r"[+-]?\d*,\d+", value) else value
        try:
            number = float(cleaned) if len(cleaned) <= 40 else math.nan
        except ValueError:
            number = math.nan
        if not low <= number <= high:
            self.fail(column, f"is '{short(value)}', not a number from {low:g} to {high:g}")
        return number

    def link(self) -> Link | None:
        start, end, duration = self.time("start"), self.time("end"), self.time("duration")
        if start is None:
            if end is not None:
                self.fail("start", "is empty, but 'end' is not")
            return None
        if end is None:
            end = start + (duration or 0)
        if end < start:
            self.fail("end", f"is {format_ms(end)}, before 'start' ({format_ms(start)})")
        return Link(start, min(end, MAX_FILM_MS), self.text("label"))

    def span(self, kind: str) -> tuple[int, int]:
        link = self.link()
        if link is None:
            self.fail("start", f"is empty, but a {kind} needs a time")
        return link.start_ms, link.end_ms

    def kind(self, allowed: tuple[str, ...], default: str) -> str:
        value = self.name("kind").lower() or default
        if value not in allowed:
            self.fail("kind", f"is '{short(value)}', not one of {', '.join(allowed)}")
        return value
