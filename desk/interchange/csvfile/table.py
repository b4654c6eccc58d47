"""A CSV file's bytes as a table: its text decoded, its delimiter found, its header read, and
its rows read one by one as they are asked for (a sheet of 300,000 rows is never held as a list
of rows)."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from desk.errors import ImportFormatError
from desk.interchange.csvfile.columns import ALIASES, COLUMNS

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, subject: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ImportFormatError(
                    f"{subject} is not valid {codec.upper()} text (byte {exc.start + 1})."
                ) from None
    if b"\x00" in data:
        raise ImportFormatError(f"{subject} holds binary data; it is not a CSV file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from desk.core.essay import legacy_text  # the essay reader's guess; only for such a file

    text = legacy_text(data)
    return data.decode("cp1252", errors="replace") if text is None else text


def _column(name: str) -> str:
    key = re.sub(r"[\s_]+", "", name.strip().lstrip("\ufeff").lower())
    return ALIASES.get(key, key)


#: The most rows a sheet may hold.
MAX_ROWS = 1_000_000


@dataclass
class Table:
    header: dict[str, int]  # column → its index
    other: list[str]  # the header's names that are not desk's columns
    #: (spreadsheet row number, cells) of each row that is not blank, read as they are asked for
    rows: Iterator[tuple[int, list[str]]]


def _head(text: str) -> tuple[list[str], int | None]:
    """The lines of ``text`` up to the one after its first non-blank line (lines ended where
    the csv module ends them), and the index of that first non-blank line (None if none)."""
    lines: list[str] = []
    first = None
    for found in re.finditer(r"([^\r\n]*)(?:\r\n|\r|\n|$)", text):
        lines.append(found[1])
        if first is None and found[1].strip(" \t,;"):
            first = len(lines) - 1
        if (first is not None and len(lines) > first + 1) or found.end() == len(text):
            break
    return lines, first


def _records(records: Iterator[list[str]], subject: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of a csv reader with their numbers, naming the row and line of what the reader
    refuses: a quoted cell never closed would otherwise take every row after it."""
    number, line = 0, 1  # the row being read, and the line it starts on
    reader = cast("Any", records)  # a csv reader, which counts the lines it has read
    try:
        for number, cells in enumerate(records, 1):
            if number > MAX_ROWS:
                raise ImportFormatError(f"{subject} has more rows than desk imports.")
            yield number, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        place = f"{subject}, row {number + 1} (line {line})"
        if "unexpected end of data" in str(exc):
            raise ImportFormatError(
                f"{place}: a quoted cell opens there and is never closed."
            ) from None
        raise ImportFormatError(f"{place}: {exc}.") from None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, split where ``io.StringIO(text, newline="")``
    splits them, one at a time: a StringIO holds 4 bytes a character (80 MB for a 20 MB sheet)."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


_LINE_END = re.compile(r"\r\n|\r|\n")


def table(text: str, subject: str) -> Table:
    """The header of a sheet, and its rows as an iterator: a large sheet is read row by row."""
    head, first = _head(text)
    if first is None:
        raise ImportFormatError(f"{subject} has no rows.")
    sep = re.fullmatch(r'"?sep=([,;\t|])"?[,;\t|]*', head[first].strip(" "))
    skip = first + 1 if sep else first
    header_line = head[skip] if skip < len(head) else ""

    def known(delimiter: str) -> int:
        return sum(_column(c.strip('"')) in COLUMNS for c in header_line.split(delimiter))

    delimiter = sep[1] if sep else max((",", ";", "\t"), key=known)
    records = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    rows = _records(records, subject)
    names: list[str] | None = None
    for number, cells in rows:
        if number > skip:
            names = cells
            break
    if names is None:
        raise ImportFormatError(f"{subject} has no header row.")
    header: dict[str, int] = {}
    other = []
    for index, name in enumerate(names):
        column = _column(name)
        if column not in COLUMNS:
            other += [name.strip()] if name.strip() else []
        elif column in header:
            raise ImportFormatError(f"{subject}: the header names '{column}' twice.")
        else:
            header[column] = index
    if "start" not in header and "text" not in header:
        raise ImportFormatError(
            f"{subject} does not start with a header desk knows: it needs columns such as "
            "type, start, end and text."
        )
    filled = ((n, cells) for n, cells in rows if "".join(cells).strip())  # a cell not blank
    return Table(header, other, filled)
