"""The rows of a sheet that another tool or a spreadsheet writes by the hundred thousand: a note
with no uid and no paragraph, its cells plain. Such a row is read here in one pass over its
cells, to what :class:`~desk.interchange.csvfile.rows.Row` and
:mod:`~desk.interchange.csvfile.reading` would make of it; any other row (and any row with a
fault, for the message that names it) is left to them.
"""

from __future__ import annotations

import operator

from desk.core.timecode import parse_timecode
from desk.interchange.csvfile.rows import WRITTEN
from desk.interchange.model import MAX_FILM_MS, Link, Note
from desk.store.models import NoteKind

#: The kinds of note by how a cell may spell them, each the one string of its kind.
_KINDS = {kind.value: kind.value for kind in NoteKind} | {"": NoteKind.FREE.value}
#: The columns a plain note reads, in the order of :class:`PlainNotes`' indexes.
_READ = (
    "type", "uid", "paragraph", "text", "kind", "characters", "created", "label", "start", "end",
    "duration",
)  # fmt: skip


class PlainNotes:
    """Reads plain note rows of one sheet, given its header."""

    def __init__(self, header: dict[str, int]) -> None:
        index = [header.get(column) for column in _READ]
        self.width = max(i for i in index if i is not None) + 1
        # a column the sheet lacks is read from an empty cell put after the row's
        self.cells = operator.itemgetter(*(-1 if i is None else i for i in index))
        #: Each character's name as one string, however many rows name it.
        self.names: dict[str, str] = {}

    def note(self, cells: list[str]) -> Note | None:
        """The note of a plain row; None when the row is not one (or is wrong)."""
        if len(cells) < self.width:
            return None
        cells.append("")
        kind, uid, paragraph, text, note_kind, who, created, label, start, end, duration = (
            self.cells(cells)
        )
        del cells[-1]
        # (a cell is most often empty: it is stripped only when it is not)
        if (uid and uid.strip()) or (paragraph and paragraph.strip()):
            return None
        if (duration and duration.strip()) or (kind and kind.strip().lower() != "note"):
            return None
        if "'" in (text[:1], who[:1], created[:1], label[:1]):
            return None  # a formula's quote is for Row.text to take off
        if "\r" in text or "\r" in who or "\r" in created or "\r" in label:
            return None  # and so are line ends
        known = _KINDS.get(note_kind.strip().lower() if note_kind else "")
        if known is None:
            return None
        links = _links(start.strip() if start else "", end.strip() if end else "", label)
        if links is None:
            return None
        if who:
            who = who.strip()
            who = self.names.setdefault(who, who)
        return Note(text, known, links, who, "", created.strip() if created else "", "")


def _links(start: str, end: str, label: str) -> tuple[Link, ...] | None:
    """A plain row's link (none without times); None when its times are not plain."""
    if not start:
        return None if end else ()
    begin, until = _ms(start), _ms(end) if end else None
    if begin is None or (end and until is None):
        return None
    if until is None:
        until = begin
    return None if until < begin else (Link(begin, until, label),)


def _ms(cell: str) -> int | None:
    """A time (stripped) in milliseconds, read as
    :meth:`~desk.interchange.csvfile.rows.Row.time` reads it; None where that refuses it."""
    found = WRITTEN.fullmatch(cell)
    if found is not None:  # as desk writes it (``00:01:23.500``): most sheets, every row
        # (read by index, without a tuple of groups: 600,000 times in a sheet of 300,000 rows)
        total = (
            int(found[1]) * 3_600_000 + int(found[2]) * 60_000 + int(found[3]) * 1000
            + int(found[4])
        )  # fmt: skip
    elif len(cell) > 40:
        return None
    else:
        try:
            total = parse_timecode(cell)
        except ValueError:
            return None
    return total if 0 <= total <= MAX_FILM_MS else None
