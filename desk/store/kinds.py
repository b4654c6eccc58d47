"""The values a project's rows take: kinds of note and essay block, a reading's stance, the
emotions a project starts with, and an annotation's identity.

They live apart from the SQLModel tables (:mod:`desk.store.models`, which re-exports them) so that
the window, the readers and the interchange formats can name them without importing SQLModel,
pydantic and SQLAlchemy: some 40 MB of a window that reads a project and plays its film.
"""

from __future__ import annotations

import uuid
from enum import StrEnum


def new_uid() -> str:
    """A fresh identity for an annotation: 32 hex digits, the same wherever the row travels."""
    return uuid.uuid4().hex


class NoteKind(StrEnum):
    INTERPRETATION = "interpretation"
    EVIDENCE = "evidence"
    QUESTION = "question"
    COUNTER_READING = "counter-reading"
    FREE = "free"


class BlockKind(StrEnum):
    BODY = "body"
    HEADING = "heading"


#: The emotions a new project starts with; the vocabulary is the project's to edit.
DEFAULT_EMOTIONS = {
    "tenderness": "#e8a0bf",
    "hope": "#f2c14e",
    "relief": "#9bd18b",
    "gratitude": "#7fc8a9",
    "desire": "#d1495b",
    "shame": "#8d6a9f",
    "anger": "#c0392b",
    "grief": "#34568b",
    "numbness": "#95a5a6",
    "fear": "#5d4e6d",
}


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
