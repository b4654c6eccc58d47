"""CSV: one row per annotation, in a file that spreadsheets open as it is.

Writing. UTF-8 with a byte-order mark (so Excel reads the accents right), commas, CRLF line ends
and a header row of :data:`COLUMNS`. Times are ``HH:MM:SS.mmm`` (``00:01:23.500``); ``duration``
is there for reading and sorting. The rows, by ``type``:

- ``paragraph``: one row per time link (one without times when it has none): ``text``, ``kind``
  (``body`` or ``heading``), the link's ``label``.
- ``scene``: ``label`` (its name), ``text`` (its description).
- ``beat``: ``label``, ``text`` (its description), ``emotion``, ``valence`` (-1 to 1),
  ``intensity`` (0 to 1), ``characters`` (``Ani, Igor``), ``annotator``.
- ``note``: one row per time link, all with the note's uid: ``text``, ``kind``, ``characters``
  (its one character), ``paragraph`` (the uid of its paragraph), ``created``, the link's ``label``.
- ``cue``: a line of a reference tier: ``text``, ``characters`` (the speaker), ``tier`` (its name)
  and ``kind``; ``uid`` is the tier's, so the lines of one tier share it.

Uids are written as UUIDs (``3d5464cb-2909-4ee4-9693-bb29e1f3be84``), which no spreadsheet takes
for a number. A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
``'`` gets a leading ``'``, so a spreadsheet shows it as text instead of running it as a formula;
the reader takes that ``'`` off again. A CSV has no place for readings, the essay's title and dek,
the colours of characters and emotions, the film, nor a tier's language, source and empty tiers:
:func:`write_csv` says so when a project has any.

Reading. What a spreadsheet saves back: with or without the byte-order mark (or UTF-16 with one,
as Excel's "Unicode text"), ``,``, ``;`` or tab between cells (found from the header, or from an
Excel ``sep=`` line), any line ends, cells over several lines, columns in any order and any case,
other columns ignored, blank rows skipped. Times in any form that
:func:`~desk.core.timecode.parse_timecode` reads (``00:01:23.500``, ``00:01:23,500``, ``01:23.5``,
``83.5``); ``end`` may be left empty for a moment, or given by ``duration``. Numbers may have a
decimal comma. A file that is not UTF-8 is read in the legacy encoding it most likely is in
(Windows-1252 first). Only ``start`` or ``text`` is needed in the header: a row without a ``type``
is a note, and rows without a uid are one annotation each. A uid that is not a UUID (``n1``)
groups rows all the same and becomes the same desk uid on every import. Anything wrong raises
:class:`~desk.errors.ImportFormatError` naming the row as a spreadsheet numbers it (the header
is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn

from desk.core.essay import legacy_text
from desk.core.timecode import format_ms, parse_timecode
from desk.errors import ImportFormatError
from desk.interchange.model import (
    MAX_FILM_MS,
    Beat,
    Cue,
    Link,
    Note,
    Paragraph,
    Scene,
    Snapshot,
    Tier,
)
from desk.store.models import BlockKind, NoteKind

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Parsed, Written

# fmt: off
COLUMNS = (
    "type", "uid", "start", "end", "duration", "label", "text", "kind", "emotion", "valence",
    "intensity", "characters", "annotator", "paragraph", "tier", "created",
)
# fmt: on
TYPES = ("paragraph", "scene", "beat", "note", "cue")
#: Other names a header may give a column.
ALIASES = {
    "begin": "start",
    "in": "start",
    "stop": "end",
    "out": "end",
    "note": "text",
    "comment": "text",
    "character": "characters",
    "speaker": "characters",
}
_TEXT_COLUMNS = frozenset(COLUMNS[5:]) - {"valence", "intensity", "paragraph"}
_FORMULA_STARTS = tuple("=+-@\t\r'")
_UID_SPACE = uuid.UUID("5b4f1d0e-6c1a-4c39-9a57-0b7d1e2f3a4c")  # uids made from other ids
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Encodings a CSV that is not UTF-8 is likely in, the likelier first.


# -- writing ----------------------------------------------------------------------------------
def _uuid(uid: str) -> str:
    try:
        return str(uuid.UUID(hex=uid))
    except ValueError:
        return uid


def _times(start_ms: int, end_ms: int) -> dict[str, str]:
    return {
        "start": format_ms(start_ms),
        "end": format_ms(end_ms),
        "duration": format_ms(end_ms - start_ms),
    }


def _link_rows(base: dict[str, str], links: tuple[Link, ...]) -> Iterator[dict[str, str]]:
    if not links:
        yield base
    for link in links:
        yield {**base, **_times(link.start_ms, link.end_ms), "label": link.label}


def _number(value: float) -> str:
    return repr(float(value)).removesuffix(".0")


def _rows(snap: Snapshot) -> Iterator[dict[str, str]]:
    for p in snap.paragraphs:
        base = {"type": "paragraph", "uid": _uuid(p.uid), "text": p.text, "kind": p.kind}
        yield from _link_rows(base, p.links)
    for s in snap.scenes:
        yield {
            "type": "scene",
            "uid": _uuid(s.uid),
            **_times(s.start_ms, s.end_ms),
            "label": s.name,
            "text": s.description,
        }
    for b in snap.beats:
        yield {
            "type": "beat",
            "uid": _uuid(b.uid),
            **_times(b.start_ms, b.end_ms),
            "label": b.label,
            "text": b.description,
            "emotion": b.emotion,
            "valence": _number(b.valence),
            "intensity": _number(b.intensity),
            "characters": ", ".join(b.characters),
            "annotator": b.annotator,
        }
    for n in snap.notes:
        base = {
            "type": "note",
            "uid": _uuid(n.uid),
            "text": n.text,
            "kind": n.kind,
            "characters": n.character,
            "paragraph": _uuid(n.paragraph),
            "created": n.created_at,
        }
        yield from _link_rows(base, n.links)
    for t in snap.tiers:
        for c in t.cues:
            yield {
                "type": "cue",
                "uid": _uuid(t.uid),
                **_times(c.start_ms, c.end_ms),
                "text": c.text,
                "characters": c.speaker,
                "tier": t.name,
                "kind": t.kind,
            }


def _cell(column: str, value: str) -> str:
    if column in _TEXT_COLUMNS and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _left_out(snap: Snapshot) -> list[str]:
    left = {
        "readings": len(snap.readings),
        "the essay's title and dek": bool(snap.title or snap.dek),
        "the colours of characters and emotions": bool(snap.characters or snap.emotions),
        "the film's details": bool(snap.film.fingerprint or snap.film.title),
        "the language and source of reference tiers": any(
            t.language or t.source for t in snap.tiers
        ),
        "reference tiers without lines": sum(not t.cues for t in snap.tiers),
    }
    return [
        f"a CSV file has no place for {what}, so they were left out."
        for what, n in left.items()
        if n
    ]


def write_csv(snapshot: Snapshot, options: Options) -> Written:
    from desk.interchange.formats import Written

    out = io.StringIO(newline="")
    writer = csv.writer(out)  # the "excel" dialect: commas, quotes where needed, CRLF
    writer.writerow(COLUMNS)
    for row in _rows(snapshot):
        writer.writerow([_cell(c, row.get(c, "")) for c in COLUMNS])
    return Written(("\ufeff" + out.getvalue()).encode("utf-8"), _left_out(snapshot))


# -- reading: bytes to rows -------------------------------------------------------------------
def _decode(data: bytes, subject: str) -> str:
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
class _Table:
    header: dict[str, int]  # column → its index
    other: list[str]  # the header's names that are not desk's columns
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def _table(text: str, subject: str) -> _Table:
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
    return _Table(header, other, rows)


# -- reading: rows to annotations -------------------------------------------------------------
class _Row:
    """One row of the table, its cells by column, and its number to name when one is wrong."""

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
        if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
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
        try:
            if len(value) > 40:
                raise ValueError(value)
            ms = parse_timecode(value)
        except ValueError:
            self.fail(column, f"is '{_short(value)}', not a timecode")
        if not 0 <= ms <= MAX_FILM_MS:
            self.fail(column, f"is '{_short(value)}', not a time in a film")
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
            self.fail(column, f"is '{_short(value)}', not a number from {low:g} to {high:g}")
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
            self.fail("kind", f"is '{_short(value)}', not one of {', '.join(allowed)}")
        return value


def uid_of(cell: str) -> str:
    """The desk uid a uid cell names: its UUID, or one made from its text that is the same on
    every import."""
    try:
        return uuid.UUID(cell).hex
    except ValueError:
        return uuid.uuid5(_UID_SPACE, cell).hex


def _values(kinds: type[StrEnum]) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _same(rows: list[_Row], columns: tuple[str, ...]) -> _Row:
    """The first of rows that share a uid, after checking that they agree on ``columns``."""
    first = rows[0]
    for row in rows[1:]:
        for column in columns:
            if row.text(column) != first.text(column):
                row.fail(column, f"differs from row {first.number}'s, which has the same uid")
    return first


@dataclass
class _Groups:
    """Rows gathered by annotation: those that share a type and a uid are one annotation."""

    where: str
    order: dict[tuple[str, str], list[_Row]] = field(default_factory=dict)

    def add(self, row: _Row) -> None:
        kind = row.name("type").lower() or "note"
        if kind not in TYPES:
            row.fail("type", f"is '{_short(kind)}', not one of {', '.join(TYPES)}")
        uid = row.uid()
        key = uid or (f"tier {row.name('tier')}" if kind == "cue" else f"row {row.number}")
        rows = self.order.setdefault((kind, key), [])
        if rows and kind in ("beat", "scene"):
            row.fail("uid", f"is the same as row {rows[0].number}'s: a {kind} takes one row")
        rows.append(row)

    def snapshot(self) -> Snapshot:
        snap = Snapshot()
        for (kind, key), rows in self.order.items():
            uid = "" if key.startswith(("row ", "tier ")) else key
            links = tuple(link for link in (r.link() for r in rows) if link is not None)
            if kind == "paragraph":
                row = _same(rows, ("text", "kind"))
                block = row.kind(_values(BlockKind), BlockKind.BODY.value)
                snap.paragraphs.append(Paragraph(row.text("text"), block, links, uid))
            elif kind == "note":
                row = _same(rows, ("text", "kind", "characters", "paragraph", "created"))
                snap.notes.append(
                    Note(
                        row.text("text"),
                        row.kind(_values(NoteKind), NoteKind.FREE.value),
                        links,
                        row.name("characters"),
                        row.uid("paragraph"),
                        row.name("created"),
                        uid,
                    )
                )
            elif kind == "scene":
                (row,) = rows
                start, end = row.span(kind)
                snap.scenes.append(Scene(row.name("label"), start, end, row.text("text"), uid))
            elif kind == "beat":
                snap.beats.append(_beat(rows[0], uid))
            else:
                row = _same(rows, ("tier", "kind"))
                cues = tuple(Cue(*r.span(kind), r.text("text"), r.name("characters")) for r in rows)
                tier_kind = row.name("kind") or "dialogue"
                snap.tiers.append(Tier(row.name("tier"), cues, tier_kind, uid=uid))
        return snap


def _beat(row: _Row, uid: str) -> Beat:
    start, end = row.span("beat")
    characters = {name.strip() for name in re.split(r"[,;]", row.text("characters"))}
    return Beat(
        start,
        end,
        row.name("label"),
        row.text("text"),
        row.name("emotion"),
        row.decimal("valence", -1, 1, 0.0),
        row.decimal("intensity", 0, 1, 0.5),
        row.name("annotator"),
        tuple(sorted(characters - {""})),
        uid,
    )


def read_csv(data: bytes, options: Options, source: str) -> Parsed:
    """A CSV table (desk's, or desk's saved again by a spreadsheet) as a snapshot."""
    from desk.interchange.formats import MAX_IMPORT_BYTES, Parsed

    subject = f"'{source}'" if source else "the file"
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"{subject} is larger than the {MAX_IMPORT_BYTES // 2**20} MB desk imports."
        )
    table = _table(_decode(data, subject), subject)
    groups = _Groups(f"{source}, " if source else "")
    for number, cells in table.rows:
        groups.add(_Row(number, cells, table.header, groups.where))
    warnings = []
    if table.other:
        names = ", ".join(f"'{_short(name)}'" for name in table.other)
        warnings.append(f"desk does not know the columns {names}; they were left out.")
    return Parsed(groups.snapshot(), warnings)
