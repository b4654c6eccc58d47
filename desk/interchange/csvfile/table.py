"""A CSV file's bytes as a table: its text decoded, its delimiter found, its header read."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from desk.core.essay import legacy_text
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
    text = legacy_text(data)
    return data.decode("cp1252", errors="replace") if text is None else text


def _column(name: str) -> str:
    key = re.sub(r"[\s_]+", "", name.strip().lstrip("\ufeff").lower())
    return ALIASES.get(key, key)


@dataclass
class Table:
    header: dict[str, int]  # column → its index
    other: list[str]  # the header's names that are not desk's columns
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def table(text: str, subject: str) -> Table:
    lines = re.split(r"\r\n|\r|\n", text)  # where the csv module ends a line
    first = next((i for i, line in enumerate(lines) if line.strip(" \t,;")), None)
    if first is None:
        raise ImportFormatError(f"{subject} has no rows.")
    sep = re.fullmatch(r'"?sep=([,;\t|])"?[,;\t|]*', lines[first].strip(" "))
    skip = first + 1 if sep else first
    header_line = lines[skip] if skip < len(lines) else ""

    def known(delimiter: str) -> int:
        return sum(_column(c.strip('"')) in COLUMNS for c in header_line.split(delimiter))

    delimiter = sep[1] if sep else max((",", ";", "\t"), key=known)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(records, 1):
            if len(rows) > 1_000_000:
                raise ImportFormatError(f"{subject} has more rows than desk imports.")
            rows.append((number, cells))
    except csv.Error as exc:
        raise ImportFormatError(f"{subject}, row {number + 1}: {exc}.") from None
    rows = rows[skip:]
    if not rows:
        raise ImportFormatError(f"{subject} has no header row.")
    _, names = rows.pop(0)
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
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    return Table(header, other, rows)
