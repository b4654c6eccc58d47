"""What a subtitle file holds, as read or about to be written: its cues' lines and times, and
the title and language of its header."""

from __future__ import annotations

from dataclasses import dataclass

#: A line of cue text: the voice span it opens with (WebVTT) and its text without tags.
_Line = tuple[str | None, str]


@dataclass(frozen=True)
class _Read:
    """One cue as a file holds it, before it becomes dialogue or a note."""

    where: int | str  # the line of its timing (or which cue it is), for messages
    start_ms: int
    end_ms: int
    lines: tuple[_Line, ...]
    identifier: str = ""


@dataclass(frozen=True)
class _Header:
    title: str = ""
    language: str = ""
