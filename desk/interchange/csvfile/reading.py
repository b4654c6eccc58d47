"""Reading desk's CSV (or desk's saved again by a spreadsheet): rows gathered into annotations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from desk.errors import ImportFormatError
from desk.interchange.csvfile.columns import TYPES, short
from desk.interchange.csvfile.rows import Row
from desk.interchange.csvfile.table import decode, table
from desk.interchange.model import Beat, Cue, Note, Paragraph, Scene, Snapshot, Tier
from desk.store.models import BlockKind, NoteKind

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Parsed


def _values(kinds: type[StrEnum]) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)


def _same(rows: list[Row], columns: tuple[str, ...]) -> Row:
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
    order: dict[tuple[str, str], list[Row]] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        kind = row.name("type").lower() or "note"
        if kind not in TYPES:
            row.fail("type", f"is '{short(kind)}', not one of {', '.join(TYPES)}")
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


def read_csv(data: bytes, options: Options, source: str) -> Parsed:
    """A CSV table (desk's, or desk's saved again by a spreadsheet) as a snapshot."""
    from desk.interchange.formats import MAX_IMPORT_BYTES, Parsed

    subject = f"'{source}'" if source else "the file"
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"{subject} is larger than the {MAX_IMPORT_BYTES // 2**20} MB desk imports."
        )
    sheet = table(decode(data, subject), subject)
    groups = _Groups(f"{source}, " if source else "")
    for number, cells in sheet.rows:
        groups.add(Row(number, cells, sheet.header, groups.where))
    warnings = []
    if sheet.other:
        names = ", ".join(f"'{short(name)}'" for name in sheet.other)
        warnings.append(f"desk does not know the columns {names}; they were left out.")
    return Parsed(groups.snapshot(), warnings)
