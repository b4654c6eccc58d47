"""The edits a critic makes, as commands over the store (used alike by the GUI and the CLI).

Each public function takes an open :class:`~desk.store.project.Project`, applies one undoable,
durable command and returns ``(result, changes)``. Times are integer milliseconds of film time.
The values of the edits a critic makes are checked inside the command, before its first write
(:mod:`desk.store.checks`): a bad one is refused with a sentence naming it, and nothing of that
edit is applied.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from desk.errors import InvalidEdit, ProjectError
from desk.store import checks, tables
from desk.store.changes import Changes
from desk.store.commands import Tx
from desk.store.kinds import BlockKind, NoteKind, Stance
from desk.store.project import Project as ProjectFile

Result = tuple[int, Changes]

#: The fields of a beat besides its range and characters.
BEAT_FIELDS = ("label", "description", "emotion_id", "valence", "intensity", "annotator")
#: The fields of a note that an edit may change.
NOTE_FIELDS = ("text", "kind", "paragraph_id", "character_id")
#: The fields of a scene that an edit may change.
SCENE_FIELDS = ("name", "description", "start_ms", "end_ms")
#: The fields of a character that an edit may change.
CHARACTER_FIELDS = ("name", "color")


# -- project and film -------------------------------------------------------------------------
def update_project(project: ProjectFile, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(tables.Project, 1, **fields)
        return 1

    return project.run("Edit project details", apply)


def add_media(project: ProjectFile, **fields: Any) -> Result:
    return project.run("Add film copy", lambda tx: tx.insert(tables.Media, **fields))


def update_media(project: ProjectFile, media_id: int, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(tables.Media, media_id, **fields)
        return media_id

    return project.run("Edit film copy", apply)


def settle_media_clock(project: ProjectFile, media_id: int, time_map: str) -> Result:
    """A copy counted from its first picture (a project from before schema 5) now counted on its
    container's clock: its new map, and no longer pending. Not undoable: it finishes the file's
    migration, and undoing it would move every link off its frame."""

    def apply(tx: Tx) -> int:
        tx.update(tables.Media, media_id, time_map=time_map, clock_pending=False)
        return media_id

    return project.run("Count the film on its container's clock", apply, journal=False)


# -- essay ------------------------------------------------------------------------------------
def essay_id(project: ProjectFile) -> int | None:
    found = project.query("SELECT id FROM essay ORDER BY id LIMIT 1")
    return int(found[0][0]) if found else None


def import_essay(
    project: ProjectFile,
    title: str,
    dek: str,
    blocks: Iterable[tuple[str, str]],
    *,
    replace: bool = False,
) -> Result:
    """Make the project's essay from imported blocks of (kind, text)."""

    def apply(tx: Tx) -> int:
        existing = essay_id(project)
        if existing is not None:
            count = project.query("SELECT count(*) FROM paragraph WHERE essay_id = ?", existing)
            if count[0][0] and not replace:
                raise ProjectError("the project already has an essay; import with --replace.")
            _delete_essay(tx, existing)
        new_id = tx.insert(tables.Essay, title=title, dek=dek)
        for position, (kind, text) in enumerate(blocks):
            tx.insert(tables.Paragraph, essay_id=new_id, position=position, kind=kind, text=text)
        return new_id

    return project.run("Import essay", apply)


def _delete_essay(tx: Tx, essay: int) -> None:
    for (pid,) in tx.conn.execute("SELECT id FROM paragraph WHERE essay_id = ?", (essay,)):
        _delete_paragraph(tx, pid)
    tx.delete(tables.Essay, essay)


def ensure_essay(tx: Tx) -> int:
    found = tx.conn.execute("SELECT id FROM essay ORDER BY id LIMIT 1").fetchone()
    return int(found[0]) if found else tx.insert(tables.Essay)


def add_paragraph(
    project: ProjectFile, text: str, *, position: int | None = None, kind: str = BlockKind.BODY
) -> Result:
    """Insert a paragraph at ``position`` (default: at the end)."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, text=text)
        checks.one_of(BlockKind)(tx.conn, "kind", kind)
        wanted = checks.given(tx.conn, position=position)["position"]
        essay = ensure_essay(tx)
        ids = _paragraph_order(tx, essay)
        at = len(ids) if wanted is None else min(wanted, len(ids))
        _renumber(tx, ids[at:], start=at + 1)
        return tx.insert(tables.Paragraph, essay_id=essay, position=at, kind=str(kind), text=text)

    return project.run("Add paragraph", apply)


def edit_paragraph(project: ProjectFile, paragraph_id: int, text: str) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, paragraph_id=paragraph_id, text=text)
        tx.update(tables.Paragraph, paragraph_id, text=text)
        return paragraph_id

    return project.run("Edit paragraph", apply)


def move_paragraph(project: ProjectFile, paragraph_id: int, position: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, paragraph_id=paragraph_id, position=position)
        essay = tx.get(tables.Paragraph, paragraph_id)["essay_id"]
        ids = [i for i in _paragraph_order(tx, essay) if i != paragraph_id]
        ids.insert(max(0, min(position, len(ids))), paragraph_id)
        _renumber(tx, ids, start=0)
        return paragraph_id

    return project.run("Move paragraph", apply)


def split_paragraph(project: ProjectFile, paragraph_id: int, at_char: int) -> Result:
    """Split a paragraph at a character offset; its links stay with the first half."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, paragraph_id=paragraph_id)
        row = tx.get(tables.Paragraph, paragraph_id)
        if not 0 <= checks.whole(tx.conn, "at_char", at_char) <= len(row["text"]):
            raise InvalidEdit(f"at_char must be from 0 to {len(row['text'])}, not {at_char}.")
        head, tail = row["text"][:at_char].rstrip(), row["text"][at_char:].lstrip()
        ids = _paragraph_order(tx, row["essay_id"])
        at = ids.index(paragraph_id) + 1
        _renumber(tx, ids[at:], start=at + 1)
        tx.update(tables.Paragraph, paragraph_id, text=head)
        return tx.insert(
            tables.Paragraph, essay_id=row["essay_id"], position=at, kind=row["kind"], text=tail
        )

    return project.run("Split paragraph", apply)


def merge_paragraphs(project: ProjectFile, first_id: int, second_id: int) -> Result:
    """Append the second paragraph to the first; its links and notes move with its text."""

    def apply(tx: Tx) -> int:
        checks.ref(tx.conn, "paragraph_id", first_id)
        checks.ref(tx.conn, "paragraph_id", second_id)
        if first_id == second_id:
            raise InvalidEdit("a paragraph cannot be merged with itself.")
        first, second = tx.get(tables.Paragraph, first_id), tx.get(tables.Paragraph, second_id)
        tx.update(tables.Paragraph, first_id, text=f"{first['text']} {second['text']}".strip())
        for table, model in (
            ("time_link", tables.TimeLink),
            ("note", tables.Note),
            ("evidence", tables.Evidence),
        ):
            found = tx.conn.execute(f"SELECT id FROM {table} WHERE paragraph_id = ?", (second_id,))
            for (row_id,) in found.fetchall():
                tx.update(model, row_id, paragraph_id=first_id)
        tx.delete(tables.Paragraph, second_id)
        _renumber(tx, _paragraph_order(tx, first["essay_id"]), start=0)
        return first_id

    return project.run("Merge paragraphs", apply)


def delete_paragraph(project: ProjectFile, paragraph_id: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, paragraph_id=paragraph_id)
        _delete_paragraph(tx, paragraph_id)
        return paragraph_id

    return project.run("Delete paragraph", apply)


def _delete_paragraph(tx: Tx, paragraph_id: int) -> None:
    tx.delete_where(tables.TimeLink, "paragraph_id = ?", paragraph_id)
    tx.delete_where(tables.Evidence, "paragraph_id = ?", paragraph_id)
    for (note_id,) in tx.conn.execute(
        "SELECT id FROM note WHERE paragraph_id = ?", (paragraph_id,)
    ).fetchall():
        tx.update(tables.Note, note_id, paragraph_id=None)
    tx.delete(tables.Paragraph, paragraph_id)


def _paragraph_order(tx: Tx, essay: int) -> list[int]:
    rows = tx.conn.execute(
        "SELECT id FROM paragraph WHERE essay_id = ? ORDER BY position, id", (essay,)
    )
    return [r[0] for r in rows.fetchall()]


def _renumber(tx: Tx, ids: Sequence[int], start: int, model: Any = None) -> None:
    """Number the rows ``ids`` (paragraphs unless ``model`` says) from ``start`` on."""
    for offset, row_id in enumerate(ids):
        tx.update(model or tables.Paragraph, row_id, position=start + offset)


# -- time links and notes ---------------------------------------------------------------------
def link(
    project: ProjectFile,
    *,
    start_ms: int,
    end_ms: int | None = None,
    paragraph_id: int | None = None,
    note_id: int | None = None,
    label: str = "",
) -> Result:
    """Pin a paragraph or a note to a moment or a range of the film."""

    def apply(tx: Tx) -> int:
        checks.exactly_one("a link", {"paragraph_id": paragraph_id, "note_id": note_id})
        owner = checks.given(tx.conn, paragraph_id=paragraph_id, note_id=note_id)
        start, end = checks.span(tx.conn, start_ms, end_ms)
        checks.named(tx.conn, label=label)
        return tx.insert(tables.TimeLink, **owner, start_ms=start, end_ms=end, label=label)

    return project.run("Link to film", apply)


def move_link(project: ProjectFile, link_id: int, start_ms: int, end_ms: int | None) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, link_id=link_id)
        start, end = checks.span(tx.conn, start_ms, end_ms)
        tx.update(tables.TimeLink, link_id, start_ms=start, end_ms=end)
        return link_id

    return project.run("Move link", apply)


def unlink(project: ProjectFile, link_id: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, link_id=link_id)
        tx.delete(tables.TimeLink, link_id)
        return link_id

    return project.run("Remove link", apply)


def add_note(
    project: ProjectFile,
    text: str,
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    kind: str = NoteKind.FREE,
    paragraph_id: int | None = None,
    character_id: int | None = None,
) -> Result:
    """A note, optionally at a moment or range of the film and attached to a paragraph."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, text=text)
        checks.one_of(NoteKind)(tx.conn, "kind", kind)
        checks.given(tx.conn, paragraph_id=paragraph_id, character_id=character_id)
        if start_ms is None and end_ms is not None:
            raise InvalidEdit("end_ms needs a start_ms.")
        at = None if start_ms is None else checks.span(tx.conn, start_ms, end_ms)
        note_id = tx.insert(
            tables.Note,
            kind=kind,
            text=text,
            paragraph_id=paragraph_id,
            character_id=character_id,
            created_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
        )
        if at is not None:
            tx.insert(tables.TimeLink, note_id=note_id, start_ms=at[0], end_ms=at[1])
        return note_id

    return project.run("Add note", apply)


def update_note(project: ProjectFile, note_id: int, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, note_id=note_id)
        values = checks.fields(
            tx.conn,
            "a note",
            fields,
            NOTE_FIELDS,
            optional=("paragraph_id", "character_id"),
            rules={"kind": checks.one_of(NoteKind)},
        )
        tx.update(tables.Note, note_id, **values)
        return note_id

    return project.run("Edit note", apply)


#: What :func:`revise_note` is given for a note whose time stays as it is.
KEEP_TIME = "keep"


def set_note_time(
    project: ProjectFile, note_id: int, start_ms: int | None, end_ms: int | None = None
) -> Result:
    """Put a note at one moment or range of the film, in place of the ones it had (``None``: at
    no moment)."""
    span = None if start_ms is None else (start_ms, end_ms)
    if start_ms is None and end_ms is not None:
        raise InvalidEdit("end_ms needs a start_ms.")
    return revise_note(project, note_id, span=span, label="Move note")


def revise_note(
    project: ProjectFile,
    note_id: int,
    *,
    span: tuple[int, int | None] | None | str = KEEP_TIME,
    label: str = "Edit note",
    **fields: Any,
) -> Result:
    """Change a note's fields (as :func:`update_note`) and its time in one step: ``span`` is the
    one range or moment it is then linked to (``(start_ms, end_ms)``; None: no moment), in place
    of the ones it had; :data:`KEEP_TIME` leaves its links alone."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, note_id=note_id)
        values = checks.fields(
            tx.conn,
            "a note",
            fields,
            NOTE_FIELDS,
            optional=("paragraph_id", "character_id"),
            rules={"kind": checks.one_of(NoteKind)},
        )
        at = None if span is None or span == KEEP_TIME else checks.span(tx.conn, *span)
        if values:
            tx.update(tables.Note, note_id, **values)
        if span != KEEP_TIME:
            tx.delete_where(tables.TimeLink, "note_id = ?", note_id)
            if at is not None:
                tx.insert(tables.TimeLink, note_id=note_id, start_ms=at[0], end_ms=at[1])
        return note_id

    return project.run(label, apply)


def delete_note(project: ProjectFile, note_id: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, note_id=note_id)
        tx.delete_where(tables.TimeLink, "note_id = ?", note_id)
        tx.delete_where(tables.Evidence, "note_id = ?", note_id)
        tx.delete(tables.Note, note_id)
        return note_id

    return project.run("Delete note", apply)


# -- characters, scenes, shots ----------------------------------------------------------------
def add_character(project: ProjectFile, name: str, color: str = "#888888") -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, name=name, color=color)
        checks.unique(tx.conn, "character", "character", name)
        return tx.insert(tables.Character, name=name, color=color)

    return project.run("Add character", apply)


def update_character(project: ProjectFile, character_id: int, **fields: Any) -> Result:
    """Rename or recolour a character (``name``, ``color``)."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, character_id=character_id)
        values = checks.fields(tx.conn, "a character", fields, CHARACTER_FIELDS)
        if values.get("name", None) not in (None, tx.get(tables.Character, character_id)["name"]):
            checks.unique(tx.conn, "character", "character", values["name"])
        tx.update(tables.Character, character_id, **values)
        return character_id

    labels = {"name": "Rename character", "color": "Recolour character"}
    label = labels[next(iter(fields))] if len(fields) == 1 and set(fields) <= set(labels) else ""
    return project.run(label or "Edit character", apply)


def delete_character(project: ProjectFile, character_id: int, *, with_uses: bool = False) -> Result:
    """Delete a character. The beats and notes that name it stay, without it; ``with_uses``
    deletes the beats that are the character's alone and the notes about it as well (a beat
    shared with others stays, without it)."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, character_id=character_id)
        if with_uses:
            for (beat_id,) in tx.conn.execute(
                "SELECT beat_id FROM beat_character GROUP BY beat_id "
                "HAVING count(*) = 1 AND max(character_id) = ?",
                (character_id,),
            ).fetchall():
                tx.delete_where(tables.BeatCharacter, "beat_id = ?", beat_id)
                tx.delete_where(tables.Evidence, "beat_id = ?", beat_id)
                tx.delete(tables.Beat, beat_id)
        for (note_id,) in tx.conn.execute(
            "SELECT id FROM note WHERE character_id = ?", (character_id,)
        ).fetchall():
            if with_uses:
                tx.delete_where(tables.TimeLink, "note_id = ?", note_id)
                tx.delete_where(tables.Evidence, "note_id = ?", note_id)
                tx.delete(tables.Note, note_id)
            else:
                tx.update(tables.Note, note_id, character_id=None)
        tx.delete_where(tables.BeatCharacter, "character_id = ?", character_id)
        tx.delete(tables.Character, character_id)
        return character_id

    return project.run("Delete character", apply)


def add_emotion(project: ProjectFile, name: str, color: str = "#888888") -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, name=name, color=color)
        checks.unique(tx.conn, "emotion", "emotion", name)
        return tx.insert(tables.Emotion, name=name, color=color)

    return project.run("Add emotion", apply)


def add_scene(project: ProjectFile, name: str, start_ms: int, end_ms: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, name=name)
        start, end = checks.span(tx.conn, start_ms, end_ms)
        ids = _scene_order(tx)
        at = sum(
            1
            for (s,) in tx.conn.execute("SELECT start_ms FROM scene ORDER BY position").fetchall()
            if s <= start
        )
        _renumber(tx, ids[at:], start=at + 1, model=tables.Scene)
        return tx.insert(tables.Scene, position=at, name=name, start_ms=start, end_ms=end)

    return project.run("Add scene", apply)


def update_scene(project: ProjectFile, scene_id: int, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, scene_id=scene_id)
        values = checks.fields(tx.conn, "a scene", fields, SCENE_FIELDS)
        _same_span(tx, tables.Scene, scene_id, values)
        tx.update(tables.Scene, scene_id, **values)
        return scene_id

    return project.run("Edit scene", apply)


def move_scene(project: ProjectFile, scene_id: int, position: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, scene_id=scene_id, position=position)
        ids = [i for i in _scene_order(tx) if i != scene_id]
        ids.insert(max(0, min(position, len(ids))), scene_id)
        _renumber(tx, ids, start=0, model=tables.Scene)
        return scene_id

    return project.run("Move scene", apply)


def delete_scene(project: ProjectFile, scene_id: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, scene_id=scene_id)
        for (reading_id,) in tx.conn.execute(
            "SELECT id FROM reading WHERE scene_id = ?", (scene_id,)
        ).fetchall():
            tx.update(tables.Reading, reading_id, scene_id=None)
        tx.delete(tables.Scene, scene_id)
        _renumber(tx, _scene_order(tx), start=0, model=tables.Scene)
        return scene_id

    return project.run("Delete scene", apply)


def _same_span(tx: Tx, model: Any, row_id: int, values: dict[str, Any]) -> None:
    """Check a range that an update changes one end of against the end it keeps."""
    if "start_ms" in values or "end_ms" in values:
        row = tx.get(model, row_id)
        merged = {"start_ms": row["start_ms"], "end_ms": row["end_ms"]} | values
        checks.span(tx.conn, merged["start_ms"], merged["end_ms"])


def _scene_order(tx: Tx) -> list[int]:
    return [r[0] for r in tx.conn.execute("SELECT id FROM scene ORDER BY position, id")]


def replace_shots(project: ProjectFile, cuts_ms: Sequence[int], duration_ms: int) -> Result:
    """Replace the detected shots with those delimited by ``cuts_ms``."""
    bounds = [0, *sorted(c for c in cuts_ms if 0 < c < duration_ms), duration_ms]

    def apply(tx: Tx) -> int:
        tx.delete_where(tables.Shot, "source = 'detected'")
        for start, end in zip(bounds, bounds[1:], strict=False):
            tx.insert(tables.Shot, start_ms=start, end_ms=end, source="detected")
        return len(bounds) - 1

    return project.run("Detect shots", apply)


# -- beats ------------------------------------------------------------------------------------
def add_beat(
    project: ProjectFile,
    *,
    start_ms: int,
    end_ms: int | None = None,
    label: str = "",
    characters: Sequence[int] = (),
    **fields: Any,
) -> Result:
    def apply(tx: Tx) -> int:
        start, end = checks.span(tx.conn, start_ms, end_ms)
        values = checks.fields(
            tx.conn, "a beat", {"label": label, **fields}, BEAT_FIELDS, optional=("emotion_id",)
        )
        who = checks.refs("character_id")(tx.conn, "characters", characters)
        beat_id = tx.insert(tables.Beat, start_ms=start, end_ms=end, **values)
        for character_id in who:
            tx.insert(tables.BeatCharacter, beat_id=beat_id, character_id=character_id)
        return beat_id

    return project.run("Add beat", apply)


def update_beat(
    project: ProjectFile, beat_id: int, *, characters: Sequence[int] | None = None, **fields: Any
) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, beat_id=beat_id)
        allowed = (*BEAT_FIELDS, "start_ms", "end_ms")
        values = checks.fields(tx.conn, "a beat", fields, allowed, optional=("emotion_id",))
        _same_span(tx, tables.Beat, beat_id, values)
        who = (
            None
            if characters is None
            else checks.refs("character_id")(tx.conn, "characters", characters)
        )
        tx.update(tables.Beat, beat_id, **values)
        if who is not None:
            tx.delete_where(tables.BeatCharacter, "beat_id = ?", beat_id)
            for character_id in who:
                tx.insert(tables.BeatCharacter, beat_id=beat_id, character_id=character_id)
        return beat_id

    return project.run("Edit beat", apply)


def delete_beat(project: ProjectFile, beat_id: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, beat_id=beat_id)
        tx.delete_where(tables.BeatCharacter, "beat_id = ?", beat_id)
        tx.delete_where(tables.Evidence, "beat_id = ?", beat_id)
        tx.delete(tables.Beat, beat_id)
        return beat_id

    return project.run("Delete beat", apply)


# -- readings ---------------------------------------------------------------------------------
def add_reading(
    project: ProjectFile, title: str, summary: str = "", scene_id: int | None = None
) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, title=title, summary=summary)
        checks.given(tx.conn, scene_id=scene_id)
        count = tx.conn.execute("SELECT count(*) FROM reading").fetchone()[0]
        return tx.insert(
            tables.Reading, title=title, summary=summary, scene_id=scene_id, position=count
        )

    return project.run("Add reading", apply)


def add_evidence(
    project: ProjectFile,
    reading_id: int,
    stance: str,
    *,
    beat_id: int | None = None,
    note_id: int | None = None,
    paragraph_id: int | None = None,
    comment: str = "",
) -> Result:
    """Mark a beat, note or paragraph as evidence for or against a reading. Marked already, it
    takes the new stance: one item is evidence once per reading, either way."""
    target = {"beat_id": beat_id, "note_id": note_id, "paragraph_id": paragraph_id}

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, reading_id=reading_id, comment=comment)
        checks.one_of(Stance)(tx.conn, "stance", stance)
        checks.exactly_one("evidence", target)
        checks.given(tx.conn, **target)
        found = tx.conn.execute(
            "SELECT id FROM evidence WHERE reading_id = ? AND beat_id IS ? AND note_id IS ?"
            " AND paragraph_id IS ?",
            (reading_id, beat_id, note_id, paragraph_id),
        ).fetchone()
        if found is None:
            return tx.insert(
                tables.Evidence, reading_id=reading_id, stance=stance, comment=comment, **target
            )
        tx.update(
            tables.Evidence, found[0], stance=stance, **({"comment": comment} if comment else {})
        )
        return int(found[0])

    return project.run(f"Mark evidence ({stance})", apply)


def remove_evidence(project: ProjectFile, evidence_id: int) -> Result:
    def apply(tx: Tx) -> int:
        checks.named(tx.conn, evidence_id=evidence_id)
        tx.delete(tables.Evidence, evidence_id)
        return evidence_id

    return project.run("Remove evidence", apply)


#: The fields of a reading that an edit may change.
READING_FIELDS = ("title", "summary", "scene_id")


def update_reading(project: ProjectFile, reading_id: int, **fields: Any) -> Result:
    """Rename a reading, describe it (its summary) or tie it to another scene."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, reading_id=reading_id)
        values = checks.fields(tx.conn, "a reading", fields, READING_FIELDS, optional=("scene_id",))
        if "title" in values:
            checks.name_text(tx.conn, "title", values["title"])
        tx.update(tables.Reading, reading_id, **values)
        return reading_id

    return project.run("Edit reading", apply)


def delete_reading(project: ProjectFile, reading_id: int) -> Result:
    """Delete a reading and the evidence marked for or against it (undo brings both back)."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, reading_id=reading_id)
        tx.delete_where(tables.Evidence, "reading_id = ?", reading_id)
        tx.delete(tables.Reading, reading_id)
        for position, (row_id,) in enumerate(
            tx.conn.execute("SELECT id FROM reading ORDER BY position, id").fetchall()
        ):
            tx.update(tables.Reading, row_id, position=position)
        return reading_id

    return project.run("Delete reading", apply)


def update_evidence(
    project: ProjectFile, evidence_id: int, *, stance: str | None = None, comment: str | None = None
) -> Result:
    """Change what a piece of evidence says of its reading: its stance, or the comment on it."""

    def apply(tx: Tx) -> int:
        checks.named(tx.conn, evidence_id=evidence_id)
        values: dict[str, Any] = {}
        if stance is not None:
            values["stance"] = checks.one_of(Stance)(tx.conn, "stance", stance)
        if comment is not None:
            values["comment"] = checks.named(tx.conn, comment=comment)["comment"]
        tx.update(tables.Evidence, evidence_id, **values)
        return evidence_id

    label = f"Mark evidence ({stance})" if stance is not None else "Edit evidence"
    return project.run(label, apply)
