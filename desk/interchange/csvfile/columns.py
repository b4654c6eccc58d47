"""The columns of desk's CSV, the other names a header may give them, and the uid a cell names."""

from __future__ import annotations

import uuid

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
#: Columns of free text: a cell that a spreadsheet would run as a formula is quoted.
TEXT_COLUMNS = frozenset(COLUMNS[5:]) - {"valence", "intensity", "paragraph"}
#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = tuple("=+-@\t\r'")
UID_SPACE = uuid.UUID("5b4f1d0e-6c1a-4c39-9a57-0b7d1e2f3a4c")  # uids made from other ids


def uid_of(cell: str) -> str:
    """The desk uid a uid cell names: its UUID, or one made from its text that is the same on
    every import."""
    try:
        return uuid.UUID(cell).hex
    except ValueError:
        return uuid.uuid5(UID_SPACE, cell).hex


def short(text: str) -> str:
    """A cell as an error message quotes it: at most 40 characters."""
    return text if len(text) <= 40 else text[:37] + "..."
