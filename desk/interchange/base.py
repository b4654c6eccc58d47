"""The merge base of a three-way merge: what both sides of an exchange of bundles started from.

A project remembers, per annotation, the version the other side last held (the rows of the bundle
it was made from or last merged, :mod:`desk.store.merge_rows`), and a bundle carries the base of
the project it was made from. Merging that bundle compares each annotation on both sides with
it: changed on one side only, the change is taken without asking; changed on both, it is a
conflict shown with the base. An annotation is kept in the base as canonical JSON without its uid,
so two versions are the same exactly when their texts are equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from desk.core.timecode import format_ms
from desk.errors import ImportFormatError
from desk.interchange.model import DELETED, Snapshot
from desk.store.merge_rows import BaseRow

#: The field that names an annotation, the first a kind has.
_HEADLINES = ("text", "label", "name", "title")
#: Fields a description leaves out (the one-line start and end are shown as "at …").
_UNSHOWN = ("uid", "start_ms", "end_ms", "created_at")
#: The snapshot's lists of annotations with a uid, by kind.
KINDS = ("paragraph", "note", "beat", "scene", "reading", "tier")


def content(item: Any) -> str:
    """An annotation without its uid, as canonical JSON (what ``asdict`` would give, written
    without copying: a merge compares every annotation of both sides this way)."""
    names = _field_names(type(item))
    return json.dumps({name: getattr(item, name) for name in names if name != "uid"},
                      default=_plain, sort_keys=True, ensure_ascii=False)  # fmt: skip


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def _plain(value: Any) -> Any:
    """A nested dataclass (a link, a piece of evidence, a cue) as JSON sees it."""
    return {name: getattr(value, name) for name in _field_names(type(value))}


def essay_content(title: str, dek: str) -> str:
    """The essay's title and dek, as the base keeps them."""
    return _canonical({"title": title, "dek": dek})


def items_of(snap: Snapshot, kind: str) -> list[Any]:
    items: list[Any] = getattr(snap, f"{kind}s")
    return items


def base_rows(snap: Snapshot) -> list[BaseRow]:
    """A snapshot as a merge base: every annotation with a uid, the characters by name and the
    essay's title and dek."""
    rows = [
        BaseRow(kind, item.uid, position, content(item))
        for kind in KINDS
        for position, item in enumerate(items_of(snap, kind))
        if item.uid
    ]
    rows += [BaseRow("character", name, 0, json.dumps(c)) for name, c in snap.characters.items()]
    if snap.title or snap.dek:
        rows.append(BaseRow("essay", "", 0, essay_content(snap.title, snap.dek)))
    return rows


def _is_object(text: str, kind: str) -> bool:
    """Whether a base row holds what desk writes there: an annotation as a JSON object, or a
    character's colour as a JSON string."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, str if kind == "character" else dict)


def _shown(text: str) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in text)
    return shown if len(shown) <= 40 else shown[:39] + "…"


@dataclass(frozen=True)
class Base:
    """A merge base as the merge reads it: content by (kind, uid), the characters' names."""

    contents: dict[tuple[str, str], str]
    characters: frozenset[str]
    #: The uids of the essay's paragraphs, in the base's order.
    paragraphs: tuple[str, ...] = ()

    @classmethod
    def of(cls, rows: list[BaseRow]) -> Base | None:
        """The base of ``rows``, or None when there are none (the merge is then two-way)."""
        if not rows:
            return None
        for row in rows:
            if row.kind not in (*KINDS, "character", "essay") or not _is_object(
                row.content, row.kind
            ):
                raise ImportFormatError(
                    "the file's record of what it was made from is damaged (a "
                    f"{_shown(row.kind)} {_shown(row.uid)}); nothing was merged."
                )
        return cls(
            {(r.kind, r.uid): r.content for r in rows if r.kind != "character"},
            frozenset(r.uid for r in rows if r.kind == "character"),
            tuple(r.uid for r in sorted(rows, key=lambda r: r.position) if r.kind == "paragraph"),
        )

    def get(self, kind: str, uid: str) -> str | None:
        return self.contents.get((kind, uid))


def _span(start: int, end: int) -> str:
    return format_ms(start) if end == start else f"{format_ms(start)}–{format_ms(end)}"


def _detail(key: str, value: Any) -> str:
    if key == "links":
        return "at " + ", ".join(_span(link["start_ms"], link["end_ms"]) for link in value)
    if key == "cues":
        return f"{len(value)} cue{'' if len(value) == 1 else 's'}"
    if key == "evidence":
        return f"{len(value)} piece{'' if len(value) == 1 else 's'} of evidence"
    if key in ("paragraph", "scene"):
        return f"{key} {str(value)[:8]}"
    if isinstance(value, list | tuple):
        return f"{key}: {', '.join(map(str, value))}"
    return f"{key}: {value}"


def describe(data: dict[str, Any] | None, shown: Iterable[str] | None = None) -> str:
    """An annotation (as its fields) for the user to compare: its text, label, name or title,
    then the other fields named in ``shown`` (all when None), such as its times, kind or
    character, so that two versions that differ only there do not look the same."""
    if data is None:
        return DELETED
    head = next((k for k in _HEADLINES if data.get(k)), "")
    lines = [str(data[head])] if head else []
    keys = set(data) if shown is None else set(shown)
    details = []
    if keys & {"start_ms", "end_ms"} and "start_ms" in data:
        details.append("at " + _span(int(data["start_ms"]), int(data["end_ms"])))
    for key, value in data.items():
        if key not in keys or key in (head, *_UNSHOWN) or value in ("", (), [], None):
            continue
        details.append(_detail(key, value))
    if details:
        lines.append("; ".join(details))
    return "\n".join(lines) or "(empty)"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def describe_versions(ours: Any, theirs: Any, base: str | None) -> tuple[str, str, str | None]:
    """The project's, the incoming and the base version of an annotation (either side may be
    None, deleted), each with the fields in which the versions differ."""
    versions = [None if ours is None else asdict(ours), None if theirs is None else asdict(theirs)]
    base_data = None if base is None else json.loads(base)
    present = [v for v in (*versions, base_data) if v is not None]
    keys = {k for v in present for k in v}
    differing = {k for k in keys if len({_canonical(v.get(k)) for v in present}) > 1}
    if len(present) < 2:
        differing = set()  # nothing to compare with: the text alone
    shown = [describe(v, differing) for v in (*versions, base_data)]
    return shown[0], shown[1], None if base is None else shown[2]
