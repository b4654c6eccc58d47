"""Merging a :class:`~desk.interchange.model.Snapshot` into a project.

Merging (:func:`apply_snapshot`) is one undoable command, so an import that fails anywhere changes
nothing. An annotation whose uid the project already has is a duplicate when it is the same and a
conflict when it differs; one without a uid (from a format that does not carry them) is a
duplicate when an annotation with the same content is already there. Conflicts are reported and
settled by ``on_conflict``: keep the project's version, take the incoming one, or keep both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from desk.errors import ImportFormatError
from desk.interchange.model import (
    Beat,
    Conflict,
    Kind,
    Link,
    Note,
    OnConflict,
    Paragraph,
    Reading,
    Scene,
    Snapshot,
    Summary,
    Tier,
)
from desk.interchange.snapshot_read import read_snapshot
from desk.store import lookups, models
from desk.store.commands import Tx
from desk.store.edits import ensure_essay
from desk.store.models import new_uid
from desk.store.project import Project


def _content(item: Any) -> Any:
    """An annotation without its uid (what makes two of them the same)."""
    return replace(item, uid="")


def _check_range(kind: str, start: int, end: int) -> None:
    if start < 0 or end < start:
        raise ImportFormatError(f"a {kind} has an impossible time range ({start}–{end} ms).")


class _Merge:
    """One merge of a snapshot into a project, inside the import's transaction."""

    def __init__(self, tx: Tx, existing: Snapshot, on_conflict: OnConflict, summary: Summary):
        self.tx = tx
        self.on_conflict = on_conflict
        self.summary = summary
        self.existing = existing
        self.ids: dict[tuple[str, str], int] = {}  # (table, uid) → row id, incoming uids included
        tables: tuple[Kind, ...] = ("paragraph", "note", "beat", "scene", "reading", "tier")
        for table in tables:
            for uid, row_id in lookups.ids_by_uid(tx, table).items():
                self.ids[(table, uid)] = row_id
        self.names: dict[str, dict[str, int]] = {
            "character": lookups.ids_by_name(tx, "character"),
            "emotion": lookups.ids_by_name(tx, "emotion"),
        }

    def name_id(self, table: str, name: str, colors: dict[str, str]) -> int | None:
        if not name:
            return None
        known = self.names[table]
        if name not in known:
            model = models.Character if table == "character" else models.Emotion
            known[name] = self.tx.insert(model, name=name, color=colors.get(name, "#888888"))
            self.summary.count(table)
        return known[name]

    def settle(self, kind: Kind, item: Any, ours: Any) -> tuple[str, Any]:
        """An incoming item whose uid the project has: ``("skip", None)`` when it is the same or
        the project's version is kept, ``("add", item)`` with a new uid to keep both, or
        ``("replace", row id)``."""
        if _content(ours) == _content(item):
            self.summary.duplicates += 1
            return "skip", None
        self.summary.conflicts.append(Conflict(kind, item.uid, _describe(ours), _describe(item)))
        if self.on_conflict == "ours":
            return "skip", None
        if self.on_conflict == "both":
            return "add", replace(item, uid=new_uid())
        return "replace", self.ids[(kind, item.uid)]


def _describe(item: Any) -> str:
    for attr in ("text", "label", "name", "title"):
        value = getattr(item, attr, "")
        if value:
            return str(value)[:120]
    return type(item).__name__.lower()


def _by_uid(items: Iterable[Any]) -> dict[str, Any]:
    return {i.uid: i for i in items if i.uid}


def _plan(merge: _Merge, kind: Kind, items: list[Any], ours: list[Any]) -> list[tuple[str, Any]]:
    """Decide, for each incoming item, whether to add it, skip it or replace the project's."""
    mine = _by_uid(ours)
    contents = {_content(o) for o in ours}
    plan: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        if item.uid in seen:
            raise ImportFormatError(f"{kind} {number} has the same id as an earlier one.")
        if item.uid:
            seen.add(item.uid)
        if item.uid in mine:
            action = merge.settle(kind, item, mine[item.uid])
        elif _content(item) in contents:
            merge.summary.duplicates += 1
            action = ("skip", None)
        else:
            action = ("add", item if item.uid else replace(item, uid=new_uid()))
        if action[0] != "skip":
            plan.append(action if action[0] == "add" else ("replace", (action[1], item)))
        contents.add(_content(item))
    return plan


def apply_snapshot(
    project: Project,
    snap: Snapshot,
    label: str,
    *,
    on_conflict: OnConflict = "ours",
    warnings: Iterable[str] = (),
) -> Summary:
    """Merge ``snap`` into ``project`` as one undoable command; all of it or, on error, none."""
    summary = Summary(warnings=list(warnings))

    def apply(tx: Tx) -> None:
        existing = read_snapshot(project)
        merge = _Merge(tx, existing, on_conflict, summary)
        _apply_paragraphs(merge, snap)
        _apply_scenes(merge, snap)
        _apply_beats(merge, snap)
        _apply_notes(merge, snap)
        _apply_readings(merge, snap)
        _apply_tiers(merge, snap)

    _, summary.changes = project.run(label, apply)
    return summary


def _insert_links(tx: Tx, owner: str, owner_id: int, links: Iterable[Link]) -> None:
    for link in links:
        _check_range("link", link.start_ms, link.end_ms)
        tx.insert(models.TimeLink, **{f"{owner}_id": owner_id}, start_ms=link.start_ms,
                  end_ms=link.end_ms, label=link.label)  # fmt: skip


def _replace_links(tx: Tx, owner: str, owner_id: int, links: Iterable[Link]) -> None:
    tx.delete_where(models.TimeLink, f"{owner}_id = ?", owner_id)
    _insert_links(tx, owner, owner_id, links)


def _each(
    merge: _Merge,
    kind: Kind,
    items: list[Any],
    ours: list[Any],
    add: Callable[[Any], int],
    update: Callable[[int, Any], None],
) -> None:
    for action, value in _plan(merge, kind, items, ours):
        if action == "add":
            merge.ids[(kind, value.uid)] = add(value)
            merge.summary.count(kind)
        else:
            row_id, item = value
            update(row_id, item)


def _apply_paragraphs(merge: _Merge, snap: Snapshot) -> None:
    tx = merge.tx
    if not snap.paragraphs and not snap.title:
        return
    essay = ensure_essay(tx)
    current = tx.get(models.Essay, essay)
    if not current["title"] and not current["dek"]:
        tx.update(models.Essay, essay, title=snap.title, dek=snap.dek)
    position = [lookups.paragraph_count(tx, essay)]

    def add(p: Paragraph) -> int:
        row = tx.insert(models.Paragraph, essay_id=essay, position=position[0], kind=p.kind,
                        text=p.text, uid=p.uid)  # fmt: skip
        position[0] += 1
        _insert_links(tx, "paragraph", row, p.links)
        return row

    def update(row: int, p: Paragraph) -> None:
        tx.update(models.Paragraph, row, kind=p.kind, text=p.text)
        _replace_links(tx, "paragraph", row, p.links)

    _each(merge, "paragraph", snap.paragraphs, merge.existing.paragraphs, add, update)


def _apply_scenes(merge: _Merge, snap: Snapshot) -> None:
    tx = merge.tx
    position = [lookups.row_count(tx, "scene")]

    def fields(s: Scene) -> dict[str, Any]:
        _check_range("scene", s.start_ms, s.end_ms)
        return {"name": s.name, "start_ms": s.start_ms, "end_ms": s.end_ms,
                "description": s.description}  # fmt: skip

    def add(s: Scene) -> int:
        row = tx.insert(models.Scene, position=position[0], uid=s.uid, **fields(s))
        position[0] += 1
        return row

    _each(merge, "scene", snap.scenes, merge.existing.scenes, add,
          lambda row, s: tx.update(models.Scene, row, **fields(s)))  # fmt: skip


def _apply_beats(merge: _Merge, snap: Snapshot) -> None:
    tx = merge.tx

    def fields(b: Beat) -> dict[str, Any]:
        _check_range("beat", b.start_ms, b.end_ms)
        if not (-1 <= b.valence <= 1 and 0 <= b.intensity <= 1):
            raise ImportFormatError(
                f"beat '{b.label}' has valence {b.valence} or intensity {b.intensity} out of range."
            )
        return {
            "start_ms": b.start_ms, "end_ms": b.end_ms, "label": b.label,
            "description": b.description, "valence": b.valence, "intensity": b.intensity,
            "annotator": b.annotator,
            "emotion_id": merge.name_id("emotion", b.emotion, snap.emotions),
        }  # fmt: skip

    def characters(row: int, b: Beat) -> None:
        for name in b.characters:
            cid = merge.name_id("character", name, snap.characters)
            tx.insert(models.BeatCharacter, beat_id=row, character_id=cid)

    def add(b: Beat) -> int:
        row = tx.insert(models.Beat, uid=b.uid, **fields(b))
        characters(row, b)
        return row

    def update(row: int, b: Beat) -> None:
        tx.update(models.Beat, row, **fields(b))
        for cid in lookups.characters_of_beat(tx, row):
            tx.delete_row("beat_character", {"beat_id": row, "character_id": cid})
        characters(row, b)

    _each(merge, "beat", snap.beats, merge.existing.beats, add, update)


def _apply_notes(merge: _Merge, snap: Snapshot) -> None:
    tx = merge.tx

    def fields(n: Note) -> dict[str, Any]:
        if n.kind not in {k.value for k in models.NoteKind}:
            raise ImportFormatError(f"a note has an unknown kind '{n.kind}'.")
        return {
            "kind": n.kind, "text": n.text, "created_at": n.created_at,
            "character_id": merge.name_id("character", n.character, snap.characters),
            "paragraph_id": merge.ids.get(("paragraph", n.paragraph)) if n.paragraph else None,
        }  # fmt: skip

    def add(n: Note) -> int:
        row = tx.insert(models.Note, uid=n.uid, **fields(n))
        _insert_links(tx, "note", row, n.links)
        return row

    def update(row: int, n: Note) -> None:
        tx.update(models.Note, row, **fields(n))
        _replace_links(tx, "note", row, n.links)

    _each(merge, "note", snap.notes, merge.existing.notes, add, update)


def _apply_readings(merge: _Merge, snap: Snapshot) -> None:
    tx = merge.tx
    position = [lookups.row_count(tx, "reading")]

    def evidence(row: int, r: Reading) -> None:
        for e in r.evidence:
            target = merge.ids.get((e.target_kind, e.target))
            if target is None:
                merge.summary.warnings.append(
                    f"reading '{r.title}': its evidence {e.target_kind} {e.target} is not in the "
                    "file or the project, so it was left out."
                )
                continue
            tx.insert(models.Evidence, reading_id=row, stance=e.stance, comment=e.comment,
                      **{f"{e.target_kind}_id": target})  # fmt: skip

    def fields(r: Reading) -> dict[str, Any]:
        scene = merge.ids.get(("scene", r.scene)) if r.scene else None
        return {"title": r.title, "summary": r.summary, "scene_id": scene}

    def add(r: Reading) -> int:
        row = tx.insert(models.Reading, position=position[0], uid=r.uid, **fields(r))
        position[0] += 1
        evidence(row, r)
        return row

    def update(row: int, r: Reading) -> None:
        tx.update(models.Reading, row, **fields(r))
        tx.delete_where(models.Evidence, "reading_id = ?", row)
        evidence(row, r)

    _each(merge, "reading", snap.readings, merge.existing.readings, add, update)


def _apply_tiers(merge: _Merge, snap: Snapshot) -> None:
    tx = merge.tx

    def cues(row: int, t: Tier) -> None:
        for c in t.cues:
            _check_range("cue", c.start_ms, c.end_ms)
        tx.insert_many(
            models.Cue,
            (
                {"tier_id": row, "start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text,
                 "speaker": c.speaker}
                for c in t.cues
            ),
        )  # fmt: skip

    def add(t: Tier) -> int:
        row = tx.insert(models.Tier, name=t.name, kind=t.kind, language=t.language,
                        source=t.source, uid=t.uid, elan=t.elan)  # fmt: skip
        cues(row, t)
        return row

    def update(row: int, t: Tier) -> None:
        tx.update(models.Tier, row, name=t.name, kind=t.kind, language=t.language, source=t.source,
                  elan=t.elan)  # fmt: skip
        tx.delete_where(models.Cue, "tier_id = ?", row)
        cues(row, t)

    _each(merge, "tier", snap.tiers, merge.existing.tiers, add, update)
