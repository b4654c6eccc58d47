"""The edits a critic makes, as commands over the store (used alike by the GUI and the CLI).

Each public function takes an open :class:`~desk.store.project.Project`, applies one undoable,
durable command and returns ``(result, changes)``. Times are integer milliseconds of film time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from desk.errors import ProjectError
from desk.store.commands import Changes, Tx
from desk.store.models import (
    Beat,
    BeatCharacter,
    BlockKind,
    Character,
    Emotion,
    Essay,
    Evidence,
    Media,
    Note,
    NoteKind,
    Paragraph,
    Project,
    Reading,
    Scene,
    Shot,
    Stance,
    TimeLink,
)
from desk.store.project import Project as ProjectFile

Result = tuple[int, Changes]


def _range(start_ms: int, end_ms: int | None) -> tuple[int, int]:
    end = start_ms if end_ms is None else end_ms
    if start_ms < 0 or end < start_ms:
        raise ProjectError(f"not a valid range: {start_ms}–{end} ms.")
    return int(start_ms), int(end)


# -- project and film -------------------------------------------------------------------------
def update_project(project: ProjectFile, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(Project, 1, **fields)
        return 1

    return project.run("Edit project details", apply)


def add_media(project: ProjectFile, **fields: Any) -> Result:
    return project.run("Add film copy", lambda tx: tx.insert(Media, **fields))


def update_media(project: ProjectFile, media_id: int, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(Media, media_id, **fields)
        return media_id

    return project.run("Edit film copy", apply)


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
        new_id = tx.insert(Essay, title=title, dek=dek)
        for position, (kind, text) in enumerate(blocks):
            tx.insert(Paragraph, essay_id=new_id, position=position, kind=kind, text=text)
        return new_id

    return project.run("Import essay", apply)


def _delete_essay(tx: Tx, essay: int) -> None:
    for (pid,) in tx.conn.execute("SELECT id FROM paragraph WHERE essay_id = ?", (essay,)):
        _delete_paragraph(tx, pid)
    tx.delete(Essay, essay)


def ensure_essay(tx: Tx) -> int:
    found = tx.conn.execute("SELECT id FROM essay ORDER BY id LIMIT 1").fetchone()
    return int(found[0]) if found else tx.insert(Essay)


def add_paragraph(
    project: ProjectFile, text: str, *, position: int | None = None, kind: str = BlockKind.BODY
) -> Result:
    """Insert a paragraph at ``position`` (default: at the end)."""

    def apply(tx: Tx) -> int:
        essay = ensure_essay(tx)
        ids = _paragraph_order(tx, essay)
        at = len(ids) if position is None else max(0, min(position, len(ids)))
        _renumber(tx, ids[at:], start=at + 1)
        return tx.insert(Paragraph, essay_id=essay, position=at, kind=str(kind), text=text)

    return project.run("Add paragraph", apply)


def edit_paragraph(project: ProjectFile, paragraph_id: int, text: str) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(Paragraph, paragraph_id, text=text)
        return paragraph_id

    return project.run("Edit paragraph", apply)


def move_paragraph(project: ProjectFile, paragraph_id: int, position: int) -> Result:
    def apply(tx: Tx) -> int:
        essay = tx.get(Paragraph, paragraph_id)["essay_id"]
        ids = [i for i in _paragraph_order(tx, essay) if i != paragraph_id]
        ids.insert(max(0, min(position, len(ids))), paragraph_id)
        _renumber(tx, ids, start=0)
        return paragraph_id

    return project.run("Move paragraph", apply)


def split_paragraph(project: ProjectFile, paragraph_id: int, at_char: int) -> Result:
    """Split a paragraph at a character offset; its links stay with the first half."""

    def apply(tx: Tx) -> int:
        row = tx.get(Paragraph, paragraph_id)
        head, tail = row["text"][:at_char].rstrip(), row["text"][at_char:].lstrip()
        ids = _paragraph_order(tx, row["essay_id"])
        at = ids.index(paragraph_id) + 1
        _renumber(tx, ids[at:], start=at + 1)
        tx.update(Paragraph, paragraph_id, text=head)
        return tx.insert(
            Paragraph, essay_id=row["essay_id"], position=at, kind=row["kind"], text=tail
        )

    return project.run("Split paragraph", apply)


def merge_paragraphs(project: ProjectFile, first_id: int, second_id: int) -> Result:
    """Append the second paragraph to the first; its links and notes move with its text."""

    def apply(tx: Tx) -> int:
        first, second = tx.get(Paragraph, first_id), tx.get(Paragraph, second_id)
        tx.update(Paragraph, first_id, text=f"{first['text']} {second['text']}".strip())
        for table, model in (("time_link", TimeLink), ("note", Note), ("evidence", Evidence)):
            found = tx.conn.execute(f"SELECT id FROM {table} WHERE paragraph_id = ?", (second_id,))
            for (row_id,) in found.fetchall():
                tx.update(model, row_id, paragraph_id=first_id)
        tx.delete(Paragraph, second_id)
        _renumber(tx, _paragraph_order(tx, first["essay_id"]), start=0)
        return first_id

    return project.run("Merge paragraphs", apply)


def delete_paragraph(project: ProjectFile, paragraph_id: int) -> Result:
    def apply(tx: Tx) -> int:
        _delete_paragraph(tx, paragraph_id)
        return paragraph_id

    return project.run("Delete paragraph", apply)


def _delete_paragraph(tx: Tx, paragraph_id: int) -> None:
    tx.delete_where(TimeLink, "paragraph_id = ?", paragraph_id)
    tx.delete_where(Evidence, "paragraph_id = ?", paragraph_id)
    for (note_id,) in tx.conn.execute(
        "SELECT id FROM note WHERE paragraph_id = ?", (paragraph_id,)
    ).fetchall():
        tx.update(Note, note_id, paragraph_id=None)
    tx.delete(Paragraph, paragraph_id)


def _paragraph_order(tx: Tx, essay: int) -> list[int]:
    rows = tx.conn.execute(
        "SELECT id FROM paragraph WHERE essay_id = ? ORDER BY position, id", (essay,)
    )
    return [r[0] for r in rows.fetchall()]


def _renumber(tx: Tx, ids: Sequence[int], start: int, model: Any = Paragraph) -> None:
    for offset, row_id in enumerate(ids):
        tx.update(model, row_id, position=start + offset)


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
    start, end = _range(start_ms, end_ms)
    return project.run(
        "Link to film",
        lambda tx: tx.insert(
            TimeLink,
            paragraph_id=paragraph_id,
            note_id=note_id,
            start_ms=start,
            end_ms=end,
            label=label,
        ),
    )


def move_link(project: ProjectFile, link_id: int, start_ms: int, end_ms: int | None) -> Result:
    start, end = _range(start_ms, end_ms)

    def apply(tx: Tx) -> int:
        tx.update(TimeLink, link_id, start_ms=start, end_ms=end)
        return link_id

    return project.run("Move link", apply)


def unlink(project: ProjectFile, link_id: int) -> Result:
    def apply(tx: Tx) -> int:
        tx.delete(TimeLink, link_id)
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
    kind = NoteKind(kind).value

    def apply(tx: Tx) -> int:
        note_id = tx.insert(
            Note,
            kind=kind,
            text=text,
            paragraph_id=paragraph_id,
            character_id=character_id,
            created_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
        )
        if start_ms is not None:
            start, end = _range(start_ms, end_ms)
            tx.insert(TimeLink, note_id=note_id, start_ms=start, end_ms=end)
        return note_id

    return project.run("Add note", apply)


def update_note(project: ProjectFile, note_id: int, **fields: Any) -> Result:
    if "kind" in fields:
        fields["kind"] = NoteKind(fields["kind"]).value

    def apply(tx: Tx) -> int:
        tx.update(Note, note_id, **fields)
        return note_id

    return project.run("Edit note", apply)


def delete_note(project: ProjectFile, note_id: int) -> Result:
    def apply(tx: Tx) -> int:
        tx.delete_where(TimeLink, "note_id = ?", note_id)
        tx.delete_where(Evidence, "note_id = ?", note_id)
        tx.delete(Note, note_id)
        return note_id

    return project.run("Delete note", apply)


# -- characters, scenes, shots ----------------------------------------------------------------
def add_character(project: ProjectFile, name: str, color: str = "#888888") -> Result:
    return project.run("Add character", lambda tx: tx.insert(Character, name=name, color=color))


def add_emotion(project: ProjectFile, name: str, color: str = "#888888") -> Result:
    return project.run("Add emotion", lambda tx: tx.insert(Emotion, name=name, color=color))


def add_scene(project: ProjectFile, name: str, start_ms: int, end_ms: int) -> Result:
    start, end = _range(start_ms, end_ms)

    def apply(tx: Tx) -> int:
        ids = _scene_order(tx)
        at = sum(
            1
            for (s,) in tx.conn.execute("SELECT start_ms FROM scene ORDER BY position").fetchall()
            if s <= start
        )
        _renumber(tx, ids[at:], start=at + 1, model=Scene)
        return tx.insert(Scene, position=at, name=name, start_ms=start, end_ms=end)

    return project.run("Add scene", apply)


def update_scene(project: ProjectFile, scene_id: int, **fields: Any) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(Scene, scene_id, **fields)
        return scene_id

    return project.run("Edit scene", apply)


def move_scene(project: ProjectFile, scene_id: int, position: int) -> Result:
    def apply(tx: Tx) -> int:
        ids = [i for i in _scene_order(tx) if i != scene_id]
        ids.insert(max(0, min(position, len(ids))), scene_id)
        _renumber(tx, ids, start=0, model=Scene)
        return scene_id

    return project.run("Move scene", apply)


def delete_scene(project: ProjectFile, scene_id: int) -> Result:
    def apply(tx: Tx) -> int:
        for (reading_id,) in tx.conn.execute(
            "SELECT id FROM reading WHERE scene_id = ?", (scene_id,)
        ).fetchall():
            tx.update(Reading, reading_id, scene_id=None)
        tx.delete(Scene, scene_id)
        _renumber(tx, _scene_order(tx), start=0, model=Scene)
        return scene_id

    return project.run("Delete scene", apply)


def _scene_order(tx: Tx) -> list[int]:
    return [r[0] for r in tx.conn.execute("SELECT id FROM scene ORDER BY position, id")]


def replace_shots(project: ProjectFile, cuts_ms: Sequence[int], duration_ms: int) -> Result:
    """Replace the detected shots with those delimited by ``cuts_ms``."""
    bounds = [0, *sorted(c for c in cuts_ms if 0 < c < duration_ms), duration_ms]

    def apply(tx: Tx) -> int:
        tx.delete_where(Shot, "source = 'detected'")
        for start, end in zip(bounds, bounds[1:], strict=False):
            tx.insert(Shot, start_ms=start, end_ms=end, source="detected")
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
    start, end = _range(start_ms, end_ms)

    def apply(tx: Tx) -> int:
        beat_id = tx.insert(Beat, start_ms=start, end_ms=end, label=label, **fields)
        for character_id in characters:
            tx.insert(BeatCharacter, beat_id=beat_id, character_id=character_id)
        return beat_id

    return project.run("Add beat", apply)


def update_beat(
    project: ProjectFile, beat_id: int, *, characters: Sequence[int] | None = None, **fields: Any
) -> Result:
    if "start_ms" in fields or "end_ms" in fields:
        _range(fields.get("start_ms", 0), fields.get("end_ms", fields.get("start_ms", 0)))

    def apply(tx: Tx) -> int:
        tx.update(Beat, beat_id, **fields)
        if characters is not None:
            tx.delete_where(BeatCharacter, "beat_id = ?", beat_id)
            for character_id in characters:
                tx.insert(BeatCharacter, beat_id=beat_id, character_id=character_id)
        return beat_id

    return project.run("Edit beat", apply)


def delete_beat(project: ProjectFile, beat_id: int) -> Result:
    def apply(tx: Tx) -> int:
        tx.delete_where(BeatCharacter, "beat_id = ?", beat_id)
        tx.delete_where(Evidence, "beat_id = ?", beat_id)
        tx.delete(Beat, beat_id)
        return beat_id

    return project.run("Delete beat", apply)


# -- readings ---------------------------------------------------------------------------------
def add_reading(
    project: ProjectFile, title: str, summary: str = "", scene_id: int | None = None
) -> Result:
    def apply(tx: Tx) -> int:
        count = tx.conn.execute("SELECT count(*) FROM reading").fetchone()[0]
        return tx.insert(Reading, title=title, summary=summary, scene_id=scene_id, position=count)

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
    stance = Stance(stance).value
    target = {"beat_id": beat_id, "note_id": note_id, "paragraph_id": paragraph_id}

    def apply(tx: Tx) -> int:
        found = tx.conn.execute(
            "SELECT id FROM evidence WHERE reading_id = ? AND beat_id IS ? AND note_id IS ?"
            " AND paragraph_id IS ?",
            (reading_id, beat_id, note_id, paragraph_id),
        ).fetchone()
        if found is None:
            return tx.insert(
                Evidence, reading_id=reading_id, stance=stance, comment=comment, **target
            )
        tx.update(Evidence, found[0], stance=stance, **({"comment": comment} if comment else {}))
        return int(found[0])

    return project.run(f"Mark evidence ({stance})", apply)


def remove_evidence(project: ProjectFile, evidence_id: int) -> Result:
    def apply(tx: Tx) -> int:
        tx.delete(Evidence, evidence_id)
        return evidence_id

    return project.run("Remove evidence", apply)
