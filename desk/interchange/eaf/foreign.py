"""The tiers of an ELAN file that are not desk's own: reference tiers that keep their ELAN
structure (see :mod:`~desk.interchange.eaf.structure`), or notes when the user imports them as
notes; and the sentences that say what of the file desk left out.

An annotation without text is left out, as an empty subtitle cue is, unless an annotation of a
dependent tier refers to it (its children would lose their place without it).
"""

from __future__ import annotations

from typing import Any

from desk.interchange.eaf.document import NOT_KEPT, _Annotation, _Document, _Tier
from desk.interchange.eaf.structure import describe, kept_cues, uid_of
from desk.interchange.eaf.times import _tiers_parent_first
from desk.interchange.model import Cue, Link, Note, Tier
from desk.store.models import NoteKind


def _span(link: Link) -> tuple[int, int]:
    return link.start_ms, link.end_ms


class Foreign:
    """The tiers of one document that desk reads as reference tiers (or notes)."""

    def __init__(self, doc: _Document, used: set[str]) -> None:
        self.doc = doc
        referred = {a.parent for a in doc.annotations.values() if a.parent}
        self.cues: dict[str, list[_Annotation]] = {}
        self.empty = 0
        for tier in doc.tiers.values():
            if tier.id not in used:
                self.cues[tier.id] = kept_cues(tier, referred)
                self.empty += len(tier.annotations) - len(self.cues[tier.id])
        self.uids: dict[str, str] = {}
        self.structures: dict[str, str] = {}
        self._made: dict[str, tuple[Cue, ...]] = {}

    def structured(self, elan_tiers: dict[str, tuple[str, str]]) -> None:
        """Describe each tier parent first; ``elan_tiers`` gives the (name, uid) a tier had
        when desk wrote it (a tier desk did not write takes its ELAN id and a uid from its
        content)."""
        for tier in _tiers_parent_first(self.doc):
            if tier.id not in self.cues:
                continue
            parent = self.cues.get(tier.parent)
            order = {a.id: n for n, a in enumerate(parent)} if parent is not None else {}
            parent_uid = self.uids.get(tier.parent, "")
            elan = describe(self.doc, tier, self.cues[tier.id], parent_uid, order)
            name, uid = elan_tiers.get(tier.id, (tier.id, ""))
            self.structures[tier.id] = elan
            self.uids[tier.id] = uid or uid_of(name, elan, self.cues_of(tier))

    def cues_of(self, tier: _Tier) -> tuple[Cue, ...]:
        made = self._made.get(tier.id)
        if made is None:
            who = tier.participant
            made = tuple(Cue(a.start_ms, a.end_ms, a.value, who) for a in self.cues[tier.id])
            self._made[tier.id] = made
        return made

    def tier(self, tier: _Tier, source: str, spec: dict[str, Any] | None = None) -> Tier:
        """A reference tier with its ELAN structure (named as ``spec`` says, if desk wrote it)."""
        spec = spec or {}
        return Tier(
            spec.get("name", tier.id),
            self.cues_of(tier),
            spec.get("kind", tier.type),
            spec.get("language", tier.language),
            spec.get("source", source),
            self.uids[tier.id],
            self.structures[tier.id],
        )

    def notes(self, tier_ids: list[str]) -> list[Note]:
        """One note per distinct text and speaker, with a link to each of its annotations."""
        found: dict[tuple[str, str], list[Link]] = {}
        for tier_id in tier_ids:
            participant = self.doc.tiers[tier_id].participant
            for ann in self.cues[tier_id]:
                if ann.value.strip():
                    key = (ann.value.strip(), participant)
                    found.setdefault(key, []).append(Link(ann.start_ms, ann.end_ms))
        return [
            Note(text, NoteKind.FREE.value, tuple(sorted(set(links), key=_span)), character)
            for (text, character), links in found.items()
        ]

    def warnings(self) -> list[str]:
        """What of the file desk did not keep, with counts."""
        out = []
        if self.empty:
            out.append(
                f"{self.empty} ELAN annotation{'s' if self.empty != 1 else ''} had no text; "
                f"{'it was' if self.empty == 1 else 'they were'} left out."
            )
        lost = [f"{n} {NOT_KEPT[key][n != 1]}" for key, n in sorted(self.doc.not_kept.items())]
        if lost:
            out.append(
                f"Left out of the ELAN file, as desk has no place for them: {', '.join(lost)}."
            )
        return out
