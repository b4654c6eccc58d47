"""desk's help text: argparse's, line for line, for less of the start-up.

argparse lays out help with :mod:`textwrap` (imported and its patterns compiled on the first
help asked for) and finds the terminal's width with :mod:`shutil` (which imports the compression
modules): together a tenth of ``desk --help``. Help that a plain word wrap lays out exactly as
textwrap does is wrapped here; the rest is left to textwrap.
"""

from __future__ import annotations

import argparse
import os
import sys


def terminal_columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` finds it (``COLUMNS``, else the
    terminal of standard output, else 80), without importing :mod:`shutil`, which brings in the
    compression modules."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


def wrapped(text: str, width: int) -> list[str] | None:
    """``text`` (whitespace already single spaces) in lines of at most ``width``, as
    :func:`textwrap.wrap` makes them; None where textwrap would break inside a word: one longer
    than a line, or one with a hyphen that does not fit on the line it follows."""
    if width < 1:
        return None
    lines: list[str] = []
    line = ""
    for word in text.split(" ") if text else ():
        if len(word) > width:
            return None
        if line and len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        elif line and "-" in word:
            return None
        else:
            if line:
                lines.append(line)
            line = word
    return [*lines, line] if line else lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, line for line, without importing :mod:`textwrap` (and compiling its
    patterns) for help that a plain word wrap lays out the same; the rest goes to textwrap."""

    def __init__(self, prog: str, **kwargs: int | None) -> None:
        if kwargs.get("width") is None:
            kwargs["width"] = terminal_columns() - 2  # what argparse takes itself
        super().__init__(prog, **kwargs)  # type: ignore[arg-type]

    def _split_lines(self, text: str, width: int) -> list[str]:
        plain = self._whitespace_matcher.sub(" ", text).strip()
        lines = wrapped(plain, width)
        return super()._split_lines(text, width) if lines is None else lines

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        plain = self._whitespace_matcher.sub(" ", text).strip()
        lines = wrapped(plain, width - len(indent))
        if lines is None:
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in lines)


class RawDescriptionFormatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """A description kept as written (argparse's ``RawDescriptionHelpFormatter``); the rest as
    :class:`HelpFormatter` lays it out."""
