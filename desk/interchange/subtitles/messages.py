"""The wording of messages about a subtitle file: its name, the line or subtitle at fault, a
clipped quote of a line and a counted noun."""

from __future__ import annotations

from desk.errors import ImportFormatError


def _named(source: str) -> str:
    return f"'{source}'" if source else "the file"


def _error(source: str, where: int | str, message: str) -> ImportFormatError:
    """An error at a line (a number) or an element (``"subtitle 12"``) of a file."""
    place = f"line {where}" if isinstance(where, int) else where
    return ImportFormatError(f"{source}, {place}: {message}" if source else f"{place}: {message}")


def _clip(line: str, size: int = 60) -> str:
    line = line.strip()
    return line if len(line) <= size else line[: size - 1] + "…"


def _plural(n: int, word: str, verb: tuple[str, str] = ("has", "have")) -> str:
    return f"{n} {word}{'' if n == 1 else 's'} {verb[0] if n == 1 else verb[1]}"
