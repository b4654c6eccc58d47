"""What every interchange format carries, as plain data: a :class:`Snapshot` of a project's
annotations.

Each format converts between its files and a snapshot; only
:mod:`~desk.interchange.snapshot_read` (:func:`~desk.interchange.snapshot_read.read_snapshot`)
and :mod:`~desk.interchange.merge` (:func:`~desk.interchange.merge.apply_snapshot`) touch the
project. References between annotations travel by ``uid`` (a note's paragraph, a reading's scene, a
piece of evidence's target); characters and emotions by name. Times are integer milliseconds of
film time. The annotations an import holds by the hundred thousand (links, notes, cues, ...)
have slots, which take a third of the memory of a ``__dict__``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from desk.store import models
from desk.store.changes import Changes

OnConflict = Literal["ours", "theirs", "both"]
Kind = Literal["paragraph", "note", "beat", "scene", "reading", "tier"]


#: Times beyond this (1,000 hours) are refused by every format: no film is that long.
MAX_FILM_MS = 1000 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class Link:
    start_ms: int
    end_ms: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: str = models.BlockKind.BODY.value
    links: tuple[Link, ...] = ()
    uid: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    kind: str = models.NoteKind.FREE.value
    links: tuple[Link, ...] = ()
    character: str = ""
    paragraph: str = ""  # the uid of the paragraph it belongs to
    created_at: str = ""
    uid: str = ""


@dataclass(frozen=True, slots=True)
class Beat:
    start_ms: int
    end_ms: int
    label: str = ""
    description: str = ""
    emotion: str = ""
    valence: float = 0.0
    intensity: float = 0.5
    annotator: str = ""
    characters: tuple[str, ...] = ()
    uid: str = ""


@dataclass(frozen=True, slots=True)
class Scene:
    name: str
    start_ms: int
    end_ms: int
    description: str = ""
    uid: str = ""


@dataclass(frozen=True)
class Evidence:
    target_kind: Literal["beat", "note", "paragraph"]
    target: str  # the uid of the beat, note or paragraph
    stance: str = models.Stance.SUPPORTS.value
    comment: str = ""


@dataclass(frozen=True)
class Reading:
    title: str
    summary: str = ""
    scene: str = ""  # the uid of its scene
    evidence: tuple[Evidence, ...] = ()
    uid: str = ""


@dataclass(frozen=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class Tier:
    """Timed text from elsewhere (dialogue, an ELAN tier), kept as reference."""

    name: str
    cues: tuple[Cue, ...] = ()
    kind: str = "dialogue"
    language: str = ""
    source: str = ""
    uid: str = ""
    #: What an ELAN file said of the tier's structure (see :mod:`desk.interchange.eaf.structure`),
    #: for an ELAN export to write it back; "" for a tier from anywhere else.
    elan: str = ""


@dataclass(frozen=True)
class Film:
    """The film the times refer to (a format may carry only the fingerprint)."""

    fingerprint: str = ""
    title: str = ""
    year: int | None = None
    duration_ms: int = 0
    fps_num: int = 24
    fps_den: int = 1


@dataclass
class Snapshot:
    title: str = ""  # the essay's
    dek: str = ""
    film: Film = field(default_factory=Film)
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    beats: list[Beat] = field(default_factory=list)
    scenes: list[Scene] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    tiers: list[Tier] = field(default_factory=list)
    characters: dict[str, str] = field(default_factory=dict)  # name → colour
    emotions: dict[str, str] = field(default_factory=dict)
    #: Fields of annotations the file's format cannot carry, as ``kind.field`` (a subtitle's
    #: note has no paragraph): a merge keeps the project's value of these instead of emptying it.
    uncarried: frozenset[str] = frozenset()

    def items(self) -> int:
        return sum(
            len(x)
            for x in (
                self.paragraphs,
                self.notes,
                self.beats,
                self.scenes,
                self.readings,
                self.tiers,
            )
        )


#: How a conflict shows an annotation that one side deleted.
DELETED = "(deleted)"


@dataclass(frozen=True)
class Conflict:
    """An annotation changed on both sides (or changed on one and deleted on the other): the
    project's version, the incoming one, and, when the file records it, the version both started
    from (None when the merge is two-way)."""

    kind: Kind
    uid: str
    ours: str
    theirs: str
    base: str | None = None


@dataclass
class Summary:
    """What an import did (or, for an export, wrote), for the user to read."""

    added: dict[str, int] = field(default_factory=dict)
    #: Annotations changed only on the file's side, taken without asking.
    updated: dict[str, int] = field(default_factory=dict)
    #: Annotations the file's side deleted and the project had left as they were.
    removed: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: What a merge applied, one line each ("removed note 'The wipers…'").
    applied: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    def count(self, kind: str, n: int = 1) -> None:
        self.added[kind] = self.added.get(kind, 0) + n

    def describe(self) -> str:
        parts = [f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in self.added.items() if n]
        text = ", ".join(parts) or "nothing new"
        for verb, counts in (("updated", self.updated), ("removed", self.removed)):
            if sum(counts.values()):
                text += f"; {sum(counts.values())} {verb}"
        if self.duplicates:
            text += f"; {self.duplicates} already there"
        if self.conflicts:
            text += f"; {len(self.conflicts)} in conflict"
        return text
