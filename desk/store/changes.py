"""What an edit changed, as types: which kinds of thing, which of them, why and on whose behalf.

Every command, undo and redo returns :class:`Changes`; the GUI broadcasts it to its views, and each
view refreshes only when a kind of thing it shows is among :attr:`Changes.rows`. The kinds are
:class:`Changed` members, named for what the user sees; which table touches which member is decided
here and nowhere else (:func:`note_row`), so the views never name a table.

:attr:`Changes.initiator` is whoever asked for the edit (in the GUI, the view that made it; ``None``
for undo, redo and the command line), so a view can skip the echo of its own edit.
"""

from __future__ import annotations

import dataclasses
import enum
import sqlite3
from dataclasses import dataclass, field
from typing import Any


class Changed(enum.Enum):
    """A kind of thing in a project that an edit can change."""

    PROJECT = "project"
    #: The copy of the film the project plays, with its offset and rate.
    FILM = "film"
    ESSAY = "essay"
    PARAGRAPHS = "paragraphs"
    CHARACTERS = "characters"
    EMOTIONS = "emotions"
    SCENES = "scenes"
    SHOTS = "shots"
    #: Beats, and who is in each beat.
    BEATS = "beats"
    NOTES = "notes"
    #: The moments of the film that paragraphs and notes cite. A changed link also changes its
    #: owner: its paragraph or note is reported among PARAGRAPHS or NOTES.
    LINKS = "links"
    READINGS = "readings"
    EVIDENCE = "evidence"
    CLIP_LISTS = "clip lists"
    CLIPS = "clips"
    #: The tiers of reference annotations (a transcript, imported subtitles)...
    TIERS = "tiers"
    #: ... and their cues.
    CUES = "cues"
    #: What the other side of an exchange of bundles last held (no view shows it).
    MERGE_BASE = "merge base"


#: The member each table touches; the ids reported under a member are always ids of its own table
#: (a beat's cast reports its beat). A test holds this in step with the tables commands change.
BY_TABLE: dict[str, Changed] = {
    "project": Changed.PROJECT,
    "media": Changed.FILM,
    "essay": Changed.ESSAY,
    "paragraph": Changed.PARAGRAPHS,
    "character": Changed.CHARACTERS,
    "emotion": Changed.EMOTIONS,
    "scene": Changed.SCENES,
    "shot": Changed.SHOTS,
    "beat": Changed.BEATS,
    "beat_character": Changed.BEATS,
    "note": Changed.NOTES,
    "time_link": Changed.LINKS,
    "reading": Changed.READINGS,
    "evidence": Changed.EVIDENCE,
    "clip_list": Changed.CLIP_LISTS,
    "clip": Changed.CLIPS,
    "tier": Changed.TIERS,
    "cue": Changed.CUES,
    "merge_base": Changed.MERGE_BASE,
}
#: The id column reported for a table whose rows have no ``id`` of their own.
_ID_COLUMN = {"beat_character": "beat_id"}
#: A link's owner columns, and what a change of the link changes besides.
_LINK_OWNERS = (("paragraph_id", Changed.PARAGRAPHS), ("note_id", Changed.NOTES))


@dataclass
class Changes:
    """Which things of which kinds a command touched, its label, and who asked for it."""

    rows: dict[Changed, set[int]] = field(default_factory=dict)
    label: str = ""
    #: Whoever asked for the edit, compared by identity; None for undo, redo and the CLI.
    initiator: object | None = None

    def add(self, what: Changed, row_id: int) -> None:
        self.rows.setdefault(what, set()).add(row_id)

    def touches(self, *what: Changed) -> bool:
        return any(w in self.rows for w in what)

    def ids(self, what: Changed) -> frozenset[int]:
        """The ids of the things of kind ``what`` that changed (none when it was not touched)."""
        return frozenset(self.rows.get(what, ()))

    def by(self, initiator: object | None) -> Changes:
        """The same changes, asked for by ``initiator``."""
        return dataclasses.replace(self, initiator=initiator)

    def made_by(self, initiator: object) -> bool:
        """Whether ``initiator`` asked for this edit: a view's own echo."""
        return self.initiator is not None and self.initiator is initiator

    def __bool__(self) -> bool:
        return bool(self.rows)


def note_row(changes: Changes, conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Add to ``changes`` what a change of ``row`` in ``table`` changed.

    ``row`` may hold only its key and changed columns (an update replayed by undo); a link's owner
    is then read from the file, where the link still is after an update.
    """
    changes.add(BY_TABLE[table], int(row[_ID_COLUMN.get(table, "id")]))
    if table != "time_link":
        return
    if not all(column in row for column, _ in _LINK_OWNERS):
        found = conn.execute(
            "SELECT paragraph_id, note_id FROM time_link WHERE id = ?", (row["id"],)
        ).fetchone()
        row = dict(zip(("paragraph_id", "note_id"), found or (None, None), strict=True))
    for column, owner in _LINK_OWNERS:
        if row[column] is not None:
            changes.add(owner, int(row[column]))
