"""Every annotation of an ELAN document given its span in milliseconds: an aligned one from
its time slots (a slot without a time spaced evenly along its tier), a reference one from
its parent's span.
"""

from __future__ import annotations

from desk.interchange.eaf.document import _Annotation, _Document, _fail, _Tier


def _tiers_parent_first(doc: _Document) -> list[_Tier]:
    depth: dict[str, int] = {}
    for tier in doc.tiers.values():
        chain, seen = [tier], {tier.id}
        while chain[-1].parent and chain[-1].parent not in depth:
            parent = doc.tiers[chain[-1].parent]
            if parent.id in seen:
                raise _fail(
                    tier.line,
                    f"tier '{tier.id}' is its own ancestor: its parent tiers form a cycle.",
                )
            chain.append(parent)
            seen.add(parent.id)
        base = depth[chain[-1].parent] + 1 if chain[-1].parent else 0
        for n, member in enumerate(reversed(chain)):
            depth[member.id] = base + n
    return sorted(doc.tiers.values(), key=lambda t: depth[t.id])


def _resolve_times(doc: _Document) -> None:
    """Give every annotation its span in milliseconds, or refuse the file."""
    known = {slot: value for slot, value in doc.slots.items() if value is not None}
    for tier in _tiers_parent_first(doc):
        aligned = [a for a in tier.annotations if a.slots]
        _interpolate(tier, aligned, known)
        for ann in aligned:
            assert ann.slots is not None
            ann.start_ms, ann.end_ms = known[ann.slots[0]], known[ann.slots[1]]
            if ann.end_ms < ann.start_ms:
                raise _fail(
                    ann.line,
                    f"annotation {ann.id} ends ({ann.end_ms} ms) before it "
                    f"starts ({ann.start_ms} ms).",
                )
        children: dict[str, list[_Annotation]] = {}
        for ann in tier.annotations:
            if not ann.slots:
                children.setdefault(ann.parent, []).append(ann)
        divide = doc.types[tier.type] == "Symbolic_Subdivision"
        for parent, group in children.items():
            start, end = doc.annotations[parent].start_ms, doc.annotations[parent].end_ms
            parts = _in_order(group) if divide else [[ann] for ann in group]
            for i, part in enumerate(parts):
                for ann in part:
                    ann.start_ms = start + (end - start) * i // len(parts) if divide else start
                    ann.end_ms = start + (end - start) * (i + 1) // len(parts) if divide else end


def _interpolate(tier: _Tier, aligned: list[_Annotation], known: dict[str, int]) -> None:
    """Times for the slots without one: evenly spaced along the chain of annotations (each
    starting where the one before ends) between the nearest slots that have a time."""
    following: dict[str, str] = {}
    for ann in aligned:
        assert ann.slots is not None
        following.setdefault(ann.slots[0], ann.slots[1])
    for ann in aligned:
        assert ann.slots is not None
        if ann.slots[0] not in known:
            continue
        run: list[str] = []
        seen: set[str] = set()
        slot = ann.slots[1]
        while slot not in known:
            if slot in seen or slot not in following:
                problem = "form a cycle" if slot in seen else "never reach a slot with a time"
                raise _fail(
                    ann.line,
                    f"the time slots after annotation {ann.id} on tier "
                    f"'{tier.id}' have no time and {problem}.",
                )
            run.append(slot)
            seen.add(slot)
            slot = following[slot]
        first, last = known[ann.slots[0]], known[slot]
        for i, between in enumerate(run, 1):
            known[between] = first + (last - first) * i // (len(run) + 1)
    for ann in aligned:
        assert ann.slots is not None
        if ann.slots[0] not in known:
            raise _fail(
                ann.line,
                f"annotation {ann.id} has no time: time slot {ann.slots[0]} "
                "has none and no annotation with a time leads to it.",
            )


def _in_order(group: list[_Annotation]) -> list[list[_Annotation]]:
    """Annotations that subdivide one parent, one to a part, in their PREVIOUS_ANNOTATION
    order (or the file's, when they have none)."""
    if not any(a.previous for a in group):
        return [[ann] for ann in group]
    after = {a.previous: a for a in group}
    ordered: list[_Annotation] = []
    current = after.get("")
    while current is not None and len(ordered) < len(group):
        ordered.append(current)
        current = after.get(current.id)
    if len(ordered) != len(group) or len(after) != len(group):
        raise _fail(
            group[0].line,
            f"the annotations that subdivide annotation "
            f"{group[0].parent} do not form one chain of "
            "PREVIOUS_ANNOTATION references.",
        )
    return [[ann] for ann in ordered]
