"""Reading desk's CSV (or desk's saved again by a spreadsheet): rows gathered into annotations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from desk.errors import ImportFormatError
from desk.interchange.csvfile.columns import TYPES, short
from desk.interchange.csvfile.plain import PlainNotes
from desk.interchange.csvfile.rows import Row
from desk.interchange.csvfile.table import Table, decode, table
from desk.interchange.model import Beat, Cue, Link, Note, Paragraph, Scene, Snapshot, Tier
from desk.store.models import BlockKind, NoteKind

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Parsed


def _values(kinds: type[StrEnum]) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)


_BLOCK_KINDS, _NOTE_KINDS = _values(BlockKind), _values(NoteKind)  # asked of every row


def _check_same(first: Row, row: Row, columns: tuple[str, ...]) -> None:
    """A row that shares a uid with ``first`` agrees with it on ``columns``."""
    for column in columns:
        if row.text(column) != first.text(column):
            row.fail(column, f"differs from row {first.number}'s, which has the same uid")


@dataclass
class _Group:
    """The rows of one annotation that share a uid, taken as they come: the first row (for the
    annotation's values, and to check the others against) and the times of each."""

    kind: str
    uid: str
    first: Row
    links: list[Link] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)

    def add(self, row: Row) -> None:
        if row is not self.first:
            _check_same(self.first, row, _SAME[self.kind])
        if self.kind == "cue":
            self.cues.append(Cue(*row.span("cue"), row.text("text"), row.name("characters")))
            return
        link = row.link()
        if link is not None:
            self.links.append(link)

    def item(self) -> Item:
        row, links, uid = self.first, tuple(self.links), self.uid
        if self.kind == "paragraph":
            block = row.kind(_BLOCK_KINDS, BlockKind.BODY.value)
            return Paragraph(row.text("text"), block, links, uid)
        if self.kind == "note":
            return Note(
                row.text("text"),
                row.kind(_NOTE_KINDS, NoteKind.FREE.value),
                links,
                row.name("characters"),
                row.uid("paragraph"),
                row.name("created"),
                uid,
            )
        if self.kind == "scene":
            start, end = row.span("scene")
            return Scene(row.name("label"), start, end, row.text("text"), uid)
        if self.kind == "beat":
            return _beat(row, uid)
        tier_kind = row.name("kind") or "dialogue"
        return Tier(row.name("tier"), tuple(self.cues), tier_kind, uid=uid)


Item = Paragraph | Note | Scene | Beat | Tier
#: The columns the rows of one annotation must agree on.
_SAME = {
    "paragraph": ("text", "kind"),
    "note": ("text", "kind", "characters", "paragraph", "created"),
    "scene": (),
    "beat": (),
    "cue": ("tier", "kind"),
}


@dataclass
class _Groups:
    """Rows gathered by annotation: those that share a type and a uid are one annotation. A row
    that cannot share (no uid) becomes its annotation at once, so a large sheet is never held
    as rows."""

    where: str
    #: Whether a plain note (no uid, no paragraph) is handed back by :meth:`add` instead of
    #: kept: see :class:`Streamed`.
    loose: bool = False
    #: Each annotation in the order of its first row: made, or still taking rows.
    order: list[Item | _Group] = field(default_factory=list)
    open: dict[tuple[str, str], _Group] = field(default_factory=dict)

    def add(self, row: Row) -> Note | None:
        """Take a row; a plain note, when :attr:`loose`, is returned instead of kept."""
        kind = row.name("type").lower() or "note"
        if kind not in TYPES:
            row.fail("type", f"is '{short(kind)}', not one of {', '.join(TYPES)}")
        uid = row.uid()
        if not uid and kind != "cue":
            single = _Group(kind, "", row)
            single.add(row)
            item = single.item()
            if self.loose and isinstance(item, Note) and not item.paragraph:
                return item
            self.order.append(item)
            return None
        key = (kind, uid or f"tier {row.name('tier')}")
        group = self.open.get(key)
        if group is None:
            group = self.open[key] = _Group(kind, uid, row)
            self.order.append(group)
        elif kind in ("beat", "scene"):
            row.fail("uid", f"is the same as row {group.first.number}'s: a {kind} takes one row")
        group.add(row)
        return None

    def snapshot(self) -> Snapshot:
        snap = Snapshot()
        lists: dict[type, list[Any]] = {
            Paragraph: snap.paragraphs,
            Note: snap.notes,
            Scene: snap.scenes,
            Beat: snap.beats,
            Tier: snap.tiers,
        }
        for entry in self.order:
            item = entry.item() if isinstance(entry, _Group) else entry
            lists[type(item)].append(item)
        return snap


def _beat(row: Row, uid: str) -> Beat:
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


def _opened(data: bytes, source: str) -> tuple[Table, list[str]]:
    from desk.interchange.formats import MAX_IMPORT_BYTES

    subject = f"'{source}'" if source else "the file"
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"{subject} is larger than the {MAX_IMPORT_BYTES // 2**20} MB desk imports."
        )
    sheet = table(decode(data, subject), subject)
    warnings = []
    if sheet.other:
        names = ", ".join(f"'{short(name)}'" for name in sheet.other)
        warnings.append(f"desk does not know the columns {names}; they were left out.")
    return sheet, warnings


def read_csv(data: bytes, options: Options, source: str) -> Parsed:
    """A CSV table (desk's, or desk's saved again by a spreadsheet) as a snapshot."""
    from desk.interchange.formats import Parsed

    sheet, warnings = _opened(data, source)
    groups = _Groups(f"{source}, " if source else "")
    for number, cells in sheet.rows:
        groups.add(Row(number, cells, sheet.header, groups.where))
    return Parsed(groups.snapshot(), warnings)


class Streamed:
    """A CSV table read while it is merged. Iterating it reads the rows and yields each plain
    note (a row without a uid or a paragraph: what another tool or a spreadsheet writes, by the
    hundred thousand) as it is read, so the merge can insert it and forget it; the other rows
    are gathered as :func:`read_csv` gathers them, into :meth:`parsed`, once every row is read.
    A bad row raises as it is reached: the merge's transaction then changes nothing."""

    def __init__(self, data: bytes, source: str) -> None:
        self._sheet, self._warnings = _opened(data, source)
        self._groups = _Groups(f"{source}, " if source else "", loose=True)
        self._read = False

    def __iter__(self) -> Iterator[Note]:
        sheet, groups = self._sheet, self._groups
        plain = PlainNotes(sheet.header)
        for number, cells in sheet.rows:
            note = plain.note(cells) or groups.add(Row(number, cells, sheet.header, groups.where))
            if note is not None:
                yield note
        self._read = True

    def parsed(self) -> Parsed:
        """Everything but the plain notes; only once they have all been read."""
        from desk.interchange.formats import Parsed

        if not self._read:
            raise RuntimeError("the sheet's rest is asked for before its rows are read")
        return Parsed(self._groups.snapshot(), self._warnings)


def stream_csv(data: bytes, options: Options, source: str) -> Streamed:
    """A CSV table to merge as it is read (see :class:`Streamed`)."""
    return Streamed(data, source)
