"""What a three-way merge of bundles reads and writes beyond the annotations themselves: the
project's merge base (what the other side of an exchange last held, one row per annotation) and
the removal of an annotation with whatever refers to it, inside the merge's transaction."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Literal, NamedTuple

from desk.store import models
from desk.store.commands import Tx
from desk.store.project import Project

BaseKind = Literal["paragraph", "note", "beat", "scene", "reading", "tier", "character", "essay"]
#: The tables of annotations that carry a uid.
UID_KINDS = ("paragraph", "note", "beat", "scene", "reading", "tier")


class BaseRow(NamedTuple):
    """One annotation as the other side last held it: its content as canonical JSON."""

    kind: str
    uid: str
    position: int
    content: str


def hidden(content: str) -> str:
    """A base row's content reduced to its digest: enough to tell whether an annotation is as it
    was, without its words (what a bundle carries of an annotation its sender deleted)."""
    return json.dumps({"sha256": hashlib.sha256(content.encode("utf-8")).hexdigest()})


def digest_of(content: str) -> str | None:
    """The digest a :func:`hidden` content holds, or None when the content is whole."""
    if not content.startswith('{"sha256": '):
        return None
    found = json.loads(content).get("sha256")
    return found if isinstance(found, str) else None


def same_as_base(base: str, content: str | None) -> bool:
    """Whether ``content`` is what the base row holds, whole or as a digest."""
    if content is None:
        return False
    digest = digest_of(base)
    if digest is None:
        return base == content
    return hashlib.sha256(content.encode("utf-8")).hexdigest() == digest


def hide_deleted(conn: sqlite3.Connection) -> None:
    """Reduce to digests the base rows of annotations the project no longer has, and drop those
    of its characters (in a copy about to travel): the other side needs only to know whether
    theirs is as it was, not the words of what someone wrote and this project did not keep."""
    conn.execute(
        "DELETE FROM merge_base WHERE kind = 'character' "
        "AND uid NOT IN (SELECT name FROM character)"
    )
    kept = {
        (kind, str(uid))
        for kind in UID_KINDS
        for (uid,) in conn.execute(f"SELECT uid FROM {kind}").fetchall()
    }
    rows = conn.execute("SELECT id, kind, uid, content FROM merge_base").fetchall()
    for row_id, kind, uid, content in rows:
        if kind in UID_KINDS and (kind, uid) not in kept and digest_of(content) is None:
            conn.execute(
                "UPDATE merge_base SET content = ? WHERE id = ?", (hidden(content), row_id)
            )


def read_base(project: Project) -> list[BaseRow]:
    """The project's merge base, paragraphs in essay order (empty when it never took part in an
    exchange of bundles)."""
    return [
        BaseRow(*row)
        for row in project.query(
            "SELECT kind, uid, position, content FROM merge_base ORDER BY kind, position, id"
        )
    ]


def replace_base(tx: Tx, rows: Iterable[BaseRow]) -> None:
    """Make ``rows`` the project's merge base (undoable with the merge that writes it); rows
    already there stay, so merging the same bundle again changes nothing."""
    wanted = set(rows)
    current: dict[BaseRow, int] = {}
    for row_id, *values in tx.conn.execute(
        "SELECT id, kind, uid, position, content FROM merge_base"
    ).fetchall():
        current[BaseRow(*values)] = row_id
    for row, row_id in current.items():
        if row not in wanted:
            tx.delete(models.MergeBase, row_id)
    for row in sorted(wanted - set(current)):
        tx.insert_row("merge_base", row._asdict())


def remove_annotation(tx: Tx, kind: str, row_id: int) -> None:
    """Remove an annotation and what belongs to it (links, evidence, a beat's cast, a tier's
    cues); notes of a removed paragraph and readings of a removed scene stay, unattached."""
    if kind == "paragraph":
        tx.delete_where(models.TimeLink, "paragraph_id = ?", row_id)
        tx.delete_where(models.Evidence, "paragraph_id = ?", row_id)
        for (note_id,) in tx.conn.execute(
            "SELECT id FROM note WHERE paragraph_id = ?", (row_id,)
        ).fetchall():
            tx.update(models.Note, note_id, paragraph_id=None)
        tx.delete(models.Paragraph, row_id)
    elif kind == "note":
        tx.delete_where(models.TimeLink, "note_id = ?", row_id)
        tx.delete_where(models.Evidence, "note_id = ?", row_id)
        tx.delete(models.Note, row_id)
    elif kind == "beat":
        tx.delete_where(models.BeatCharacter, "beat_id = ?", row_id)
        tx.delete_where(models.Evidence, "beat_id = ?", row_id)
        tx.delete(models.Beat, row_id)
    elif kind == "scene":
        for (reading_id,) in tx.conn.execute(
            "SELECT id FROM reading WHERE scene_id = ?", (row_id,)
        ).fetchall():
            tx.update(models.Reading, reading_id, scene_id=None)
        tx.delete(models.Scene, row_id)
    elif kind == "reading":
        tx.delete_where(models.Evidence, "reading_id = ?", row_id)
        tx.delete(models.Reading, row_id)
    elif kind == "tier":
        tx.delete_where(models.Cue, "tier_id = ?", row_id)
        tx.delete(models.Tier, row_id)
    else:
        raise ValueError(f"no annotation kind {kind!r}")


def set_paragraph_order(tx: Tx, ids: Iterable[int]) -> None:
    """Number the essay's paragraphs in the order of ``ids``."""
    for position, row_id in enumerate(ids):
        tx.update(models.Paragraph, row_id, position=position)


def paragraph_ids(tx: Tx, essay_id: int) -> list[int]:
    """The essay's paragraphs in their order."""
    rows = tx.conn.execute(
        "SELECT id FROM paragraph WHERE essay_id = ? ORDER BY position, id", (essay_id,)
    )
    return [row_id for (row_id,) in rows.fetchall()]
