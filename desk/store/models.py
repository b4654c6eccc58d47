"""The domain model: SQLModel tables of a desk project.

All times are integer milliseconds of *film time*: the timeline of the reference copy of the film
the project was made on. A range is ``[start_ms, end_ms)``; a moment has ``end_ms == start_ms``.
Ordered things (paragraphs, scenes, readings) carry an integer ``position``.

Rows that may point at one of several owners (time links, evidence) use one nullable foreign key
per owner kind and a CHECK that exactly one is set, so SQLite enforces every reference.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# The values a row's columns take, beside the tables and free of SQLModel (see desk.store.kinds).
from desk.store.kinds import DEFAULT_EMOTIONS as DEFAULT_EMOTIONS
from desk.store.kinds import BlockKind as BlockKind
from desk.store.kinds import NoteKind as NoteKind
from desk.store.kinds import Stance as Stance
from desk.store.kinds import new_uid as new_uid


def _uid() -> Any:
    """The ``uid`` column, last in its table (where schema v4 added it to older files). Commands
    fill it in; raw bulk inserts set it afterwards with :data:`FILL_UIDS`."""
    return Field(default_factory=new_uid, index=True, sa_column_kwargs={"server_default": ""})


# Defined beside the migration that first needed it, which must run without importing this module.
from desk.store.schema import FILL_UIDS as FILL_UIDS  # noqa: E402


class Project(SQLModel, table=True):
    """The one row describing the project and the film it is about."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    author: str = ""
    film_title: str = ""
    film_year: int | None = None
    film_release: str = ""
    created_at: str = ""


class Media(SQLModel, table=True):
    """A copy of the film on disk and how film time maps onto it.

    ``time_map`` is :meth:`desk.core.timemap.TimeMap.to_json` as JSON text; the identity map for
    the reference copy. It maps onto the copy's own clock, counted from the container's start;
    ``clock_pending`` marks a copy added before desk counted so (schema 4 and older counted from
    its first picture), whose map gains the copy's video start when the film is next opened
    (:func:`desk.film_tasks.settle_clock`). ``audio_track`` is the container's stream index of
    the sound the project plays, measures and cuts clips with; None for the film's first.
    """

    id: int | None = Field(default=None, primary_key=True)
    label: str = ""
    path: str
    size_bytes: int = 0
    fingerprint: str = Field(default="", index=True)
    duration_ms: int = 0
    fps_num: int = 24
    fps_den: int = 1
    width: int = 0
    height: int = 0
    time_map: str = '{"kind": "identity"}'
    is_reference: bool = False
    path_confirmed: bool = True
    # A default in the table too, as the column added by the migration has one.
    clock_pending: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})
    audio_track: int | None = None


class Essay(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = ""
    dek: str = ""
    author: str = ""


class Paragraph(SQLModel, table=True):
    __table_args__ = (Index("ix_paragraph_essay_position", "essay_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    essay_id: int = Field(foreign_key="essay.id")
    position: int
    kind: str = BlockKind.BODY.value
    text: str = ""
    uid: str = _uid()


class Character(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    color: str = "#888888"


class Emotion(SQLModel, table=True):
    """An entry of the project's editable vocabulary of emotions."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    color: str = "#888888"


class Scene(SQLModel, table=True):
    __table_args__ = (CheckConstraint("end_ms >= start_ms", name="scene_range"),)

    id: int | None = Field(default=None, primary_key=True)
    position: int
    name: str = ""
    start_ms: int
    end_ms: int
    description: str = ""
    uid: str = _uid()


class Shot(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    start_ms: int = Field(index=True)
    end_ms: int
    source: str = "detected"


class Beat(SQLModel, table=True):
    """An emotional beat: a moment or a range, felt by one or more characters."""

    __table_args__ = (
        CheckConstraint("end_ms >= start_ms", name="beat_range"),
        CheckConstraint("valence BETWEEN -1 AND 1", name="beat_valence"),
        CheckConstraint("intensity BETWEEN 0 AND 1", name="beat_intensity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    start_ms: int = Field(index=True)
    end_ms: int
    label: str = ""
    description: str = ""
    emotion_id: int | None = Field(default=None, foreign_key="emotion.id")
    valence: float = 0.0
    intensity: float = 0.5
    annotator: str = ""
    uid: str = _uid()


class BeatCharacter(SQLModel, table=True):
    __tablename__ = "beat_character"

    beat_id: int = Field(foreign_key="beat.id", primary_key=True)
    character_id: int = Field(foreign_key="character.id", primary_key=True)


class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = NoteKind.FREE.value
    text: str = ""
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id", index=True)
    character_id: int | None = Field(default=None, foreign_key="character.id")
    created_at: str = ""
    uid: str = _uid()


class TimeLink(SQLModel, table=True):
    """A range of film time that a paragraph or a note talks about."""

    __tablename__ = "time_link"

    __table_args__ = (
        CheckConstraint("end_ms >= start_ms", name="link_range"),
        CheckConstraint(
            "(paragraph_id IS NULL) + (note_id IS NULL) = 1", name="link_has_one_owner"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id", index=True)
    note_id: int | None = Field(default=None, foreign_key="note.id", index=True)
    start_ms: int = Field(index=True)
    end_ms: int
    label: str = ""


class Reading(SQLModel, table=True):
    """One competing interpretation of a scene."""

    id: int | None = Field(default=None, primary_key=True)
    scene_id: int | None = Field(default=None, foreign_key="scene.id")
    position: int = 0
    title: str = ""
    summary: str = ""
    uid: str = _uid()


class Evidence(SQLModel, table=True):
    """A beat, note or paragraph that supports or contradicts a reading."""

    __table_args__ = (
        CheckConstraint(
            "(beat_id IS NULL) + (note_id IS NULL) + (paragraph_id IS NULL) = 2",
            name="evidence_has_one_target",
        ),
        UniqueConstraint("reading_id", "beat_id", "note_id", "paragraph_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reading_id: int = Field(foreign_key="reading.id", index=True)
    stance: str = Stance.SUPPORTS.value
    beat_id: int | None = Field(default=None, foreign_key="beat.id")
    note_id: int | None = Field(default=None, foreign_key="note.id")
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")
    comment: str = ""


class Journal(SQLModel, table=True):
    """The undo history: one row per command, with the row operations to redo and undo it."""

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    label: str
    forward: str
    backward: str
    undone: bool = False


class Analysis(SQLModel, table=True):
    """Cached results of background analysis (loudness envelope, cuts), keyed by media."""

    id: int | None = Field(default=None, primary_key=True)
    media_id: int = Field(foreign_key="media.id")
    kind: str
    params: str = ""
    data: bytes = b""


class ClipList(SQLModel, table=True):
    """A named, ordered list of clips a teacher prepares for a lecture."""

    __tablename__ = "clip_list"

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    position: int = 0


class Clip(SQLModel, table=True):
    """A range of film time to show in class, with handles around it, a title and a caption."""

    __table_args__ = (CheckConstraint("end_ms >= start_ms", name="clip_range"),)

    id: int | None = Field(default=None, primary_key=True)
    clip_list_id: int = Field(foreign_key="clip_list.id", index=True)
    position: int
    start_ms: int
    end_ms: int
    handle_before_ms: int = 0
    handle_after_ms: int = 0
    title: str = ""
    caption: str = ""


class Tier(SQLModel, table=True):
    """A reference tier: timed text from elsewhere (a film's dialogue from a subtitle file, a tier
    of an ELAN file) kept beside the analysis as evidence, searchable and shown on the timeline."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    kind: str = "dialogue"
    language: str = ""
    source: str = ""
    uid: str = _uid()
    #: The ELAN structure of a tier read from an ELAN file (JSON, written and read only by
    #: :mod:`desk.interchange.eaf`): its parent tier, linguistic type and constraint, controlled
    #: vocabulary, languages and which parent annotation each cue refers to. One text column
    #: rather than tables of their own: nothing in desk but an ELAN export reads these, always
    #: as a whole, and never one tier's without its cues.
    elan: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Cue(SQLModel, table=True):
    """One timed line of a reference tier."""

    __table_args__ = (CheckConstraint("end_ms >= start_ms", name="cue_range"),)

    id: int | None = Field(default=None, primary_key=True)
    tier_id: int = Field(foreign_key="tier.id", index=True)
    start_ms: int = Field(index=True)
    end_ms: int
    text: str = ""
    speaker: str = ""


class MergeBase(SQLModel, table=True):
    """The last version of an annotation that the other side of an exchange of bundles is known
    to hold (a row of the bundle this project was made from or last merged), so that a merge can
    tell a change made on one side from a change made on both. ``content`` is the annotation as
    canonical JSON, without its uid; ``position`` keeps the order of paragraphs."""

    __tablename__ = "merge_base"

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    uid: str
    position: int = 0
    content: str = ""


#: Tables whose rows are owned by the user and edited through commands, in dependency order.
EDITABLE = (
    Project,
    Media,
    Essay,
    Paragraph,
    Character,
    Emotion,
    Scene,
    Shot,
    Beat,
    BeatCharacter,
    Note,
    TimeLink,
    Reading,
    Evidence,
    ClipList,
    Clip,
    Tier,
    Cue,
    MergeBase,
)
