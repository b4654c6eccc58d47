"""Merging a :class:`~desk.interchange.model.Snapshot` into a project.

Merging (:func:`apply_snapshot`) is one undoable command, so an import that fails anywhere changes
nothing. Annotations are matched by uid. When the file records the base both sides started from
(a bundle does, :mod:`desk.interchange.base`), the merge is three-way: an annotation changed on
one side only takes that side's version without asking, one deleted on the other side and left
alone here is removed, one deleted here and left alone there stays deleted, and only what changed
on both sides (or changed on one and was deleted on the other) is a conflict, shown with the base.
Without a base the merge is two-way: an annotation whose uid the project has is a duplicate when
it is the same and a conflict when it differs. Either way an annotation the project lacks is added
unless one with the same content is there already (two notes written apart with the same text and
times are one), and a new paragraph lands after the paragraph it follows in the file. Conflicts
are settled by ``on_conflict`` (keep the project's version, take the incoming one, or keep both),
item by item when ``resolutions`` names them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from desk.errors import ImportFormatError, ProjectError
from desk.interchange.base import Base, essay_content
from desk.interchange.merge_plan import Action, Merge, plan_kind, same_key, short
from desk.interchange.model import (
    Beat,
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
from desk.store import lookups, merge_rows, models
from desk.store.commands import Tx
from desk.store.edits import ensure_essay
from desk.store.merge_rows import BaseRow
from desk.store.models import new_uid
from desk.store.project import Project

_NOTE_KINDS = frozenset(k.value for k in models.NoteKind)


def _check_range(kind: str, start: int, end: int) -> None:
    if start < 0 or end < start:
        raise ImportFormatError(f"a {kind} has an impossible time range ({start}–{end} ms).")


def apply_snapshot(
    project: Project,
    snap: Snapshot | Callable[[], Snapshot],
    label: str,
    *,
    on_conflict: OnConflict = "ours",
    warnings: Iterable[str] = (),
    base: list[BaseRow] | None = None,
    own_base: list[BaseRow] | None = None,
    new_base: list[BaseRow] | None = None,
    resolutions: Mapping[str, OnConflict] | None = None,
    loose: Iterable[Note] = (),
) -> Summary:
    """Merge ``snap`` into ``project`` as one undoable command; all of it or, on error, none.

    ``base`` is what the file says both sides started from and ``own_base`` what the project
    last received from the other side (three-way when either holds rows); ``new_base``, when
    given, becomes the project's merge base in the same command; ``resolutions`` settles
    conflicts by uid, the others by ``on_conflict``. ``loose`` are notes without a uid or a
    paragraph, merged first as they come (see :func:`_apply_loose_notes`); ``snap`` may then
    be a function that gives the snapshot once they have all come.

    On a class server the command may be run twice (see :func:`desk.store.commands.run`): the
    second run counts afresh, and an import whose ``loose`` notes were read as they came, and
    are gone, is refused rather than kept without them."""
    given = list(warnings)
    summary = Summary(warnings=list(given))
    streamed = iter(loose) is loose
    runs = 0

    def apply(tx: Tx) -> None:
        nonlocal summary, runs
        runs += 1
        if runs > 1 and streamed:
            raise ProjectError(
                "the class server asked for the import to be saved again, and its file was "
                "read as it came; nothing was imported: import it again."
            )
        summary = Summary(warnings=list(given))
        existing = read_snapshot(project)
        bases = [b for b in (Base.of(base or []), Base.of(own_base or [])) if b is not None]
        merge = Merge(tx, existing, Snapshot(), bases, on_conflict, resolutions or {}, summary)
        _apply_loose_notes(merge, loose)
        whole = merge.snap = snap if isinstance(snap, Snapshot) else snap()
        _apply_paragraphs(merge, whole)
        _apply_scenes(merge, whole)
        _apply_beats(merge, whole)
        _apply_notes(merge, whole)
        _apply_readings(merge, whole)
        _apply_tiers(merge, whole)
        _apply_characters(merge, whole)
        if new_base is not None:
            merge_rows.replace_base(tx, new_base)

    _, summary.changes = project.run(label, apply)
    return summary


def _apply_characters(merge: Merge, snap: Snapshot) -> None:
    """The incoming side's characters that no annotation names: added, unless the project had
    them in the base and deleted them since."""
    deleted_here = {name for base in merge.bases for name in base.characters}
    for name in snap.characters:
        if name not in merge.names["character"] and name not in deleted_here:
            merge.name_id("character", name, snap.characters)


def _insert_links(tx: Tx, owner: str, owner_id: int, links: Iterable[Link]) -> None:
    _insert_links_of(tx, owner, [(owner_id, links)])


def _insert_links_of(tx: Tx, owner: str, owned: Iterable[tuple[int, Iterable[Link]]]) -> None:
    """The links of many rows of ``owner``, inserted in one statement, column by column."""
    owners: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    labels: list[str] = []
    for owner_id, links in owned:
        for link in links:
            _check_range("link", link.start_ms, link.end_ms)
            owners.append(owner_id)
            starts.append(link.start_ms)
            ends.append(link.end_ms)
            labels.append(link.label)
    tx.insert_columns(
        models.TimeLink,
        {f"{owner}_id": owners, "start_ms": starts, "end_ms": ends, "label": labels},
    )


def _replace_links(tx: Tx, owner: str, owner_id: int, links: Iterable[Link]) -> None:
    tx.delete_where(models.TimeLink, f"{owner}_id = ?", owner_id)
    _insert_links(tx, owner, owner_id, links)


def _each(
    merge: Merge,
    kind: Kind,
    items: list[Any],
    ours: list[Any],
    add: Callable[[Any], int],
    update: Callable[[int, Any], None],
) -> list[Action]:
    """Carry out the plan for one kind; returns it, with each added item's new row."""
    plan = plan_kind(merge, kind, items, ours)
    for action in plan:
        if action.op == "add":
            if not action.item.uid:
                action.item = replace(action.item, uid=new_uid())
            action.row = add(action.item)
            merge.ids[(kind, action.item.uid)] = action.row
            merge.summary.count(kind)
            if merge.bases and kind in ("scene", "reading"):
                merge.summary.applied.append(f"added {kind} '{short(action.item)}'")
    _replace_and_remove(merge, kind, plan, update)
    return plan


def _replace_and_remove(
    merge: Merge, kind: Kind, plan: list[Action], update: Callable[[int, Any], None]
) -> None:
    """Carry out the plan's replacements and removals (its additions are done by the caller)."""
    for action in plan:
        if action.op == "replace":
            update(action.row, action.item)
        elif action.op == "remove":
            merge_rows.remove_annotation(merge.tx, kind, action.row)
            del merge.ids[(kind, action.item.uid)]


def _each_bulk(
    merge: Merge,
    kind: Kind,
    items: list[Any],
    ours: list[Any],
    add_all: Callable[[list[Any]], Sequence[int]],
    update: Callable[[int, Any], None],
) -> list[Action]:
    """As :func:`_each`, with the new items added all at once (an import of many rows). An item
    without a uid is given one as it is added (``add_all`` does it) and is not kept in
    ``merge.ids``: nothing in the file can refer to it."""
    plan = plan_kind(merge, kind, items, ours)
    new = [action for action in plan if action.op == "add"]
    for action, row_id in zip(new, add_all([a.item for a in new]), strict=True):
        action.row = row_id
        if action.item.uid:
            merge.ids[(kind, action.item.uid)] = row_id
    if new:
        merge.summary.count(kind, len(new))
    _replace_and_remove(merge, kind, plan, update)
    return plan


def _apply_paragraphs(merge: Merge, snap: Snapshot) -> None:
    tx = merge.tx
    if not snap.paragraphs and not snap.title and not merge.existing.paragraphs:
        return
    essay = ensure_essay(tx)
    _merge_heading(merge, essay, snap)
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

    plan = _each(merge, "paragraph", snap.paragraphs, merge.existing.paragraphs, add, update)
    if merge.bases:
        _follow_moves(merge, essay, snap)
    if any(a.op == "add" for a in plan):
        _order_paragraphs(merge, essay, snap, plan)


def _merge_heading(merge: Merge, essay: int, snap: Snapshot) -> None:
    """The essay's title and dek: the file's when the project has none, or when only the file's
    side changed them since the base; when both did, the project's stand and the summary says so."""
    current = merge.tx.get(models.Essay, essay)
    mine, theirs = (current["title"], current["dek"]), (snap.title, snap.dek)
    if mine == theirs or not any(theirs):
        return
    if not any(mine):
        merge.tx.update(models.Essay, essay, title=snap.title, dek=snap.dek)
        return
    verdict, _ = merge.judge("essay", "", essay_content(*mine), essay_content(*theirs))
    if verdict == "theirs":
        merge.tx.update(models.Essay, essay, title=snap.title, dek=snap.dek)
        merge.summary.applied.append(f"took their title of the essay, '{snap.title}'")
    elif verdict == "both":
        merge.summary.warnings.append(
            "both sides changed the essay's title or dek; the project's were kept."
        )


def _follow_moves(merge: Merge, essay: int, snap: Snapshot) -> None:
    """Take the other side's order of the paragraphs both sides have when only that side
    reordered them since the base; when both did, differently, the project's order stands and
    the summary says so. Paragraphs only one side has keep their places."""
    base = next((b.paragraphs for b in merge.bases if b.paragraphs), ())
    row_of = {uid: row for (kind, uid), row in merge.ids.items() if kind == "paragraph"}
    theirs = [p.uid for p in snap.paragraphs if p.uid]
    order = merge_rows.paragraph_ids(merge.tx, essay)
    uid_of = {row: uid for uid, row in row_of.items()}
    shared = set(theirs) & set(base) & {uid_of.get(row) for row in order}
    in_base = [uid for uid in base if uid in shared]
    in_theirs = [uid for uid in theirs if uid in shared]
    in_mine = [uid_of[row] for row in order if uid_of.get(row) in shared]
    if in_theirs == in_base or in_mine == in_theirs:
        return
    if in_mine != in_base:
        merge.summary.warnings.append(
            "both sides reordered the essay's paragraphs; the project's order was kept."
        )
        return
    moved = iter(row_of[uid] for uid in in_theirs)
    result = [next(moved) if uid_of.get(row) in shared else row for row in order]
    merge_rows.set_paragraph_order(merge.tx, result)
    merge.summary.applied.append("took their order of the essay's paragraphs")


def _order_paragraphs(merge: Merge, essay: int, snap: Snapshot, plan: list[Action]) -> None:
    """Put each added paragraph after the paragraph it follows in the file (a kept-both copy
    right after the project's version); when the file shares no paragraph with the project, its
    new ones go after the project's."""
    order = merge_rows.paragraph_ids(merge.tx, essay)
    added = {a.row for a in plan if a.op == "add"}
    result = [row for row in order if row not in added]
    present = set(order)
    row_of = {uid: row for (kind, uid), row in merge.ids.items() if kind == "paragraph"}
    at_index = {a.index: a.row for a in plan if a.op in ("add", "same") and a.copy_of is None}
    for index, p in enumerate(snap.paragraphs):
        if index not in at_index and p.uid in row_of:
            at_index[index] = row_of[p.uid]
    shared = any(row in present and row not in added for row in at_index.values())
    last: int | None = None
    for index in range(len(snap.paragraphs)):
        row = at_index.get(index)
        if row is None or row not in present:
            continue
        if row in added:
            start = 0 if shared else len(result)
            result.insert(start if last is None else result.index(last) + 1, row)
        last = row
    for action in plan:
        if action.op == "add" and action.copy_of is not None and action.copy_of in result:
            result.insert(result.index(action.copy_of) + 1, action.row)
    for row in added:
        if row not in result:
            result.append(row)
    if result != order:
        merge_rows.set_paragraph_order(merge.tx, result)


def _apply_scenes(merge: Merge, snap: Snapshot) -> None:
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


def _apply_beats(merge: Merge, snap: Snapshot) -> None:
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


def _note_fields(merge: Merge, n: Note, colors: dict[str, str]) -> dict[str, Any]:
    """A note's columns but its uid."""
    if n.kind not in _NOTE_KINDS:
        raise ImportFormatError(f"a note has an unknown kind '{n.kind}'.")
    return {
        "kind": n.kind, "text": n.text, "created_at": n.created_at,
        "character_id": merge.name_id("character", n.character, colors),
        "paragraph_id": merge.ids.get(("paragraph", n.paragraph)) if n.paragraph else None,
    }  # fmt: skip


def _new_uids(count: int) -> list[str]:
    """``count`` fresh uids made together: 32 hex digits as :func:`~desk.store.models.new_uid`
    makes them, here a UUID of version 8 (RFC 9562's own layout): 60 random bits shared by the
    batch, then a count from a random start. Two batches would have to draw the same random
    bits and overlapping counts to meet, so they are as unique in practice as random UUIDs; and
    they ascend, so the index of uids takes a batch at one place. Random uids, each at its own
    place in that index, cost an import of 300,000 notes about two seconds more."""
    head = int.from_bytes(os.urandom(8)) & ~(0xF << 12) | 0x8 << 12  # version 8
    start = int.from_bytes(os.urandom(8)) >> 3  # room to count without reaching the variant
    variant = 0b10 << 62  # RFC 4122's, as every UUID desk makes
    return [f"{head:016x}{variant | start + k:016x}" for k in range(count)]


def _add_notes(merge: Merge, notes: list[Note], colors: dict[str, str]) -> Sequence[int]:
    """Insert new notes and their links in two statements, column by column; a note without a
    uid is given one."""
    kinds = [n.kind for n in notes]
    if not _NOTE_KINDS.issuperset(kinds):
        unknown = next(kind for kind in kinds if kind not in _NOTE_KINDS)
        raise ImportFormatError(f"a note has an unknown kind '{unknown}'.")
    names = [n.character for n in notes]
    character = {name: merge.name_id("character", name, colors) for name in dict.fromkeys(names)}
    paragraph = merge.ids.get
    uids = iter(_new_uids(sum(1 for n in notes if not n.uid)))
    rows = merge.tx.insert_columns(
        models.Note,
        {
            "kind": kinds,
            "text": [n.text for n in notes],
            "created_at": [n.created_at for n in notes],
            "character_id": [character[name] for name in names],
            "paragraph_id": [paragraph(("paragraph", n.paragraph)) if n.paragraph else None
                             for n in notes],
            "uid": [n.uid or next(uids) for n in notes],
        },
    )  # fmt: skip
    _insert_links_of(merge.tx, "note", zip(rows, (n.links for n in notes), strict=True))
    return rows


#: How many plain notes are inserted at a time: few enough to hold, many enough that each
#: insert's fixed cost does not count.
_LOOSE_BATCH = 10_000


def _apply_loose_notes(merge: Merge, notes: Iterable[Note]) -> None:
    """Add notes that have no uid and no paragraph (a sheet's rows, by the hundred thousand)
    as they come, a batch at a time, without a plan: nothing can refer to them and nothing in
    the project can be another version of them, so each is added unless a note with the same
    content is there already (in the project, or earlier in the file). What is kept of them is
    their :func:`same_key`, for the rest of the file to be compared with. Their characters have
    no colour of their own: a format that has plain notes carries none."""
    keys = merge.added.setdefault("note", set())
    keys.update(same_key(o) for o in merge.existing.notes)
    batch: list[Note] = []
    for note in notes:
        key = same_key(note)
        if key in keys:
            merge.summary.duplicates += 1
            continue
        keys.add(key)
        batch.append(note)
        if len(batch) == _LOOSE_BATCH:
            merge.summary.count("note", len(_add_notes(merge, batch, {})))
            batch = []
    if batch:
        merge.summary.count("note", len(_add_notes(merge, batch, {})))


def _apply_notes(merge: Merge, snap: Snapshot) -> None:
    def update(row: int, n: Note) -> None:
        merge.tx.update(models.Note, row, **_note_fields(merge, n, snap.characters))
        _replace_links(merge.tx, "note", row, n.links)

    def add_all(notes: list[Note]) -> Sequence[int]:
        return _add_notes(merge, notes, snap.characters)

    _each_bulk(merge, "note", snap.notes, merge.existing.notes, add_all, update)


def _apply_readings(merge: Merge, snap: Snapshot) -> None:
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


def _apply_tiers(merge: Merge, snap: Snapshot) -> None:
    tx = merge.tx

    def cues(row: int, t: Tier) -> None:
        for c in t.cues:
            _check_range("cue", c.start_ms, c.end_ms)
        rows = ({"tier_id": row, "start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text,
                 "speaker": c.speaker} for c in t.cues)  # fmt: skip
        tx.insert_many(models.Cue, rows)

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
