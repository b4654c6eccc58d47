"""The SQLModel tables, loaded when a command first writes a row, not when a project is read.

Commands name their tables as ``tables.Beat``, ``tables.Note``: this module stands for
:mod:`desk.store.models` and imports it, with SQLModel, pydantic and SQLAlchemy, at the first such
use (a module ``__getattr__``, so the import lock makes it safe from any thread). A window that
only reads a project and plays its film holds none of them: some 40 MB, and a tenth of a second
of its start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk.store.models import (
        Analysis,
        Beat,
        BeatCharacter,
        Character,
        Clip,
        ClipList,
        Cue,
        Emotion,
        Essay,
        Evidence,
        Journal,
        Media,
        MergeBase,
        Note,
        Paragraph,
        Project,
        Reading,
        Scene,
        Shot,
        Tier,
        TimeLink,
    )

    __all__ = [
        "Analysis", "Beat", "BeatCharacter", "Character", "Clip", "ClipList", "Cue", "Emotion",
        "Essay", "Evidence", "Journal", "Media", "MergeBase", "Note", "Paragraph", "Project",
        "Reading", "Scene", "Shot", "Tier", "TimeLink",
    ]  # fmt: skip
else:

    def __getattr__(name: str) -> Any:
        from desk.store import models

        table = getattr(models, name)
        globals()[name] = table  # found directly from now on: bulk inserts name it per row
        return table
