"""Deciding what a merge does with each annotation: the comparison of the project's version, the
incoming one and the base (:mod:`desk.interchange.base`) that :mod:`desk.interchange.merge` then
carries out. An annotation changed on one side only takes that side's version, one deleted on one
side and left alone on the other is removed (or stays removed), and what changed on both sides is
a conflict, recorded with the base and settled by the merge's policy or the user's choice for it.
Incoming annotations without a counterpart are added unless one with the same content is there.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from dataclasses import fields as fields_of
from typing import Any

from desk.errors import ImportFormatError
from desk.interchange.base import Base, content, describe, describe_versions
from desk.interchange.model import Conflict, Kind, Note, OnConflict, Paragraph, Snapshot, Summary
from desk.store import lookups, models
from desk.store.commands import Tx
from desk.store.merge_rows import digest_of, same_as_base
from desk.store.models import new_uid

#: What a conflict shows as the base when the file carries only its digest (its sender had
#: deleted the annotation) and the project has no record of its own.
HIDDEN_TEXT = "(not in the file: its sender deleted it)"
HIDDEN_BASE = "hidden"


def same_key(item: Any, uncarried: frozenset[str] = frozenset()) -> bytes:
    """What makes two annotations added apart the same one: all but their uid, for a note when
    it was written, and what the incoming format cannot carry. A digest of the values that count
    (the kind first), not a copy of the annotation: an import compares one per row, and keeps
    those of the rows it added (16 bytes each, where the values would hold every row's text)."""
    kind = type(item)
    if kind is Note and not uncarried:  # the plain notes of a sheet, one a row: the same key
        # the text repr gives of the list below, formatted without building the list
        links = ", ".join([f"({x.start_ms!r}, {x.end_ms!r}, {x.label!r})" for x in item.links])
        text = (
            f"['Note', {item.text!r}, {item.kind!r}, [{links}], {item.character!r}, "
            f"{item.paragraph!r}]"
        )
        return hashlib.blake2b(text.encode(), digest_size=16).digest()
    kept, labels = _kept(kind, uncarried)
    key = [kind.__name__]
    for name in kept:
        value = getattr(item, name)
        if name == "links":
            value = [(x.start_ms, x.end_ms) if labels else (x.start_ms, x.end_ms, x.label)
                     for x in value]  # fmt: skip
        elif isinstance(value, tuple) and value and not isinstance(value[0], str):
            values = _values_of(type(value[0]))  # a tier's cues, a reading's evidence
            value = [values(x) for x in value]
        key.append(value)
    # repr quotes and escapes every string, so two keys have the same text only when equal
    return hashlib.blake2b(repr(key).encode(), digest_size=16).digest()


def _values_of(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function that gives the fields of an annotation of ``kind`` (one of plain values:
    a cue, a piece of evidence) as a tuple."""
    found = _VALUES.get(kind)
    if found is None:
        found = _VALUES[kind] = operator.attrgetter(*(f.name for f in fields_of(kind)))
    return found


_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


_KEPT: dict[tuple[type, frozenset[str]], tuple[tuple[str, ...], bool]] = {}


def _kept(kind: type, uncarried: frozenset[str]) -> tuple[tuple[str, ...], bool]:
    """The fields of an annotation of ``kind`` that :func:`same_key` compares, and whether links
    count without their labels."""
    found = _KEPT.get((kind, uncarried))
    if found is None:
        name = kind.__name__.lower()
        blank = {"uid"} | {f.split(".", 1)[1] for f in uncarried if f.startswith(f"{name}.")}
        if name == "note":
            blank.add("created_at")
        kept = tuple(f.name for f in fields_of(kind) if f.name not in blank)
        found = _KEPT[(kind, uncarried)] = (kept, "link.label" in uncarried and name in _LABELLED)
    return found


_LABELLED = ("note", "paragraph")


def _filled(kind: str, item: Any, ours: Any, uncarried: frozenset[str]) -> Any:
    """The incoming ``item`` with the project's values of the fields its format cannot carry
    (a link's label where the project has a link at the same times)."""
    names = [f.split(".", 1)[1] for f in uncarried if f.startswith(f"{kind}.")]
    fields: dict[str, Any] = {name: getattr(ours, name) for name in names}
    if "link.label" in uncarried and isinstance(item, Note | Paragraph):
        labels = {(link.start_ms, link.end_ms): link.label for link in ours.links}
        fields["links"] = tuple(
            replace(link, label=labels.get((link.start_ms, link.end_ms), link.label))
            for link in item.links
        )
    return replace(item, **fields) if fields else item


def short(item: Any) -> str:
    first = describe(asdict(item), ()).split("\n", 1)[0]
    return first if len(first) <= 60 else first[:59] + "…"


@dataclass(slots=True)
class Action:
    """What the merge does with one annotation: ``add`` ``item``, ``replace`` row ``row`` by
    ``item``, or ``remove`` row ``row``; ``copy_of`` is the row a kept-both copy goes beside,
    ``index`` the item's place in the file."""

    op: str
    item: Any = None
    row: int = 0
    index: int = -1
    copy_of: int | None = None


class Merge:
    """One merge of a snapshot into a project, inside the import's transaction."""

    def __init__(
        self,
        tx: Tx,
        existing: Snapshot,
        snap: Snapshot,
        bases: list[Base],
        on_conflict: OnConflict,
        resolutions: Mapping[str, OnConflict],
        summary: Summary,
    ):
        self.tx = tx
        self.on_conflict = on_conflict
        self.resolutions = resolutions
        self.summary = summary
        self.existing = existing
        self.snap = snap
        self.bases = bases
        self.ids: dict[tuple[str, str], int] = {}  # (table, uid) → row id, incoming uids included
        #: The :func:`same_key` of annotations added before the snapshot's plan, by kind (the
        #: plain notes of a sheet, inserted as it is read).
        self.added: dict[str, set[bytes]] = {}
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
            if self.bases:
                self.summary.applied.append(f"added {table} '{name}'")
        return known[name]

    def conflict(self, kind: Kind, uid: str, ours: Any, theirs: Any, base: str | None) -> str:
        """Record a conflict; how it is settled (``ours``, ``theirs`` or ``both``)."""
        if base == HIDDEN_BASE:
            mine, others, _ = describe_versions(ours, theirs, None)
            self.summary.conflicts.append(Conflict(kind, uid, mine, others, HIDDEN_TEXT))
        else:
            self.summary.conflicts.append(
                Conflict(kind, uid, *describe_versions(ours, theirs, base))
            )
        return self.resolutions.get(uid, self.on_conflict)

    def in_base(self, kind: str, uid: str) -> bool:
        return any(base.get(kind, uid) is not None for base in self.bases)

    def judge(
        self, kind: str, uid: str, ours: str | None, theirs: str | None
    ) -> tuple[str | None, str | None]:
        """Which side changed an annotation since the base (``ours`` and ``theirs`` are its
        contents, None where deleted): ``("mine", base)``, ``("theirs", base)``, ``("both",
        base)``, or ``(None, None)`` when no base has it. The bundle's base decides; when the
        project's own record says the other side changed what the bundle's says this side did
        (or the reverse), neither is trusted and it is a conflict."""
        verdicts: list[str] = []
        shown: str | None = None
        for base in self.bases:
            then = base.get(kind, uid)
            if then is None:
                continue
            if digest_of(then) is None:
                shown = shown or then
            mine, others = not same_as_base(then, ours), not same_as_base(then, theirs)
            verdicts.append("both" if mine and others else "mine" if mine else "theirs")
        if not verdicts:
            return None, None
        shown = shown or HIDDEN_BASE
        if {"mine", "theirs"} <= set(verdicts):
            return "both", shown
        return verdicts[0], shown

    def settle(self, kind: Kind, index: int, item: Any, ours: Any) -> Action | None:
        """An incoming item whose uid the project has."""
        item = _filled(kind, item, ours, self.snap.uncarried)
        row = self.ids[(kind, item.uid)]
        if content(ours) == content(item):
            self.summary.duplicates += 1
            return None
        verdict, base = self.judge(kind, item.uid, content(ours), content(item))
        if verdict == "mine":
            return None  # changed here only: the project's version stands
        if verdict == "theirs":
            self.summary.updated[kind] = self.summary.updated.get(kind, 0) + 1
            self.summary.applied.append(f"took their edit of {kind} '{short(item)}'")
            return Action("replace", item, row, index)
        choice = self.conflict(kind, item.uid, ours, item, base)
        if choice == "ours":
            return None
        if choice == "both":
            return Action("add", replace(item, uid=new_uid()), index=index, copy_of=row)
        return Action("replace", item, row, index)

    def gone_here(self, kind: Kind, index: int, item: Any) -> Action | None:
        """An incoming item the project had and deleted (a base has it)."""
        verdict, base = self.judge(kind, item.uid, None, content(item))
        if verdict != "both":
            return None  # deleted here and left alone there: it stays deleted
        choice = self.conflict(kind, item.uid, None, item, base)
        return None if choice == "ours" else Action("add", item, index=index)

    def gone_there(self, kind: Kind, ours: Any) -> Action | None:
        """An annotation of the project that a base has and the incoming side deleted."""
        verdict, base = self.judge(kind, ours.uid, content(ours), None)
        row = self.ids[(kind, ours.uid)]
        if verdict == "theirs":
            self.summary.removed[kind] = self.summary.removed.get(kind, 0) + 1
            self.summary.applied.append(f"removed {kind} '{short(ours)}'")
            return Action("remove", ours, row)
        choice = self.conflict(kind, ours.uid, ours, None, base)
        return Action("remove", ours, row) if choice == "theirs" else None


def _by_uid(items: Iterable[Any]) -> dict[str, Any]:
    return {i.uid: i for i in items if i.uid}


def plan_kind(merge: Merge, kind: Kind, items: list[Any], ours: list[Any]) -> list[Action]:
    """Decide, for each incoming item, whether to add it, skip it or replace the project's, and,
    in a three-way merge, which of the project's the other side deleted."""
    mine = _by_uid(ours)
    uncarried = merge.snap.uncarried
    contents = {same_key(o, uncarried): o.uid for o in ours}
    for key in merge.added.get(kind, ()):
        contents.setdefault(key, "")
    plan: list[Action] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        if item.uid in seen:
            raise ImportFormatError(f"{kind} {number} has the same id as an earlier one.")
        if item.uid:
            seen.add(item.uid)
        action: Action | None
        same = same_key(item, uncarried)
        if item.uid in mine:
            action = merge.settle(kind, number - 1, item, mine[item.uid])
        elif item.uid and merge.in_base(kind, item.uid):
            action = merge.gone_here(kind, number - 1, item)
        elif same in contents:
            merge.summary.duplicates += 1
            action = None
            twin = contents[same]
            if twin and kind == "paragraph":
                plan.append(Action("same", item, merge.ids[(kind, twin)], number - 1))
        else:
            action = Action("add", item, index=number - 1)  # without a uid: given one when added
        if action is not None:
            plan.append(action)
        contents.setdefault(same, "")
    if merge.bases:
        gone = [merge.gone_there(kind, o) for uid, o in mine.items()
                if uid not in seen and merge.in_base(kind, uid)]  # fmt: skip
        plan += [action for action in gone if action is not None]
    return plan
