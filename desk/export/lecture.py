"""A clip list as the lecture exports and the presentation see it: clips in film time, with the
film copy to cut them from and the project's notes that fall inside each.

:func:`load_lecture` reads it from an open project (once, into plain values); :func:`checked_film`
says in one sentence why clips cannot be cut when the film is missing or unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desk.core.timecode import FrameRate, format_ms
from desk.core.timemap import TimeMap
from desk.export.errors import ExportError
from desk.export.report.data import FilmCopy
from desk.export.stills import copy_time_map
from desk.store.project import Project


@dataclass(frozen=True)
class ClipItem:
    """One clip of a lecture, in film time; ``number`` counts from 1 in lecture order."""

    number: int
    title: str
    caption: str
    start_ms: int
    end_ms: int
    handle_before_ms: int = 0
    handle_after_ms: int = 0
    notes: tuple[str, ...] = ()

    @property
    def from_ms(self) -> int:
        """Where the clip starts, its handle included."""
        return max(0, self.start_ms - self.handle_before_ms)

    @property
    def to_ms(self) -> int:
        """Where the clip ends (exclusive), its handle included."""
        return self.end_ms + self.handle_after_ms


@dataclass(frozen=True)
class Lecture:
    """A clip list as the exports and the presentation see it."""

    name: str
    project_title: str
    film: FilmCopy | None
    clips: tuple[ClipItem, ...]

    def time_map(self) -> TimeMap:
        return copy_time_map(self.film.time_map) if self.film is not None else TimeMap()

    def span_of(self, clip: ClipItem) -> str:
        """A clip's in and out points as the lists show them: the out point is the start of the
        last frame the clip shows (an out point is inclusive)."""
        from desk.store.clip_lists import last_frame_ms

        rate = FrameRate(self.film.fps) if self.film is not None and self.film.fps else None
        return span_text(clip.start_ms, last_frame_ms(clip.end_ms, rate))


# -- reading the list ---------------------------------------------------------------------------
def load_lecture(project: Project, list_name: str | None = None) -> Lecture:
    """The clip list called ``list_name`` (by default the first) with its film and notes."""
    from desk.export.report import data as report_data
    from desk.store import clip_lists

    lists = clip_lists.clip_lists(project)
    if not lists:
        raise ExportError("the project has no clip lists; add clips first (desk clips add).")
    chosen = lists[0]
    if list_name is not None:
        list_id = clip_lists.find_clip_list(project, list_name)
        if list_id is None:
            known = ", ".join(f"'{r['name']}'" for r in lists)
            raise ExportError(f"the project has no clip list called '{list_name}' ({known}).")
        chosen = next(r for r in lists if r["id"] == list_id)
    data = report_data.load(project)
    notes = [*data.loose_notes, *(n for p in data.paragraphs for n in p.notes)]
    clips = []
    for number, row in enumerate(clip_lists.clips_of(project, int(chosen["id"])), start=1):
        item = ClipItem(
            number,
            str(row["title"]),
            str(row["caption"]),
            int(row["start_ms"]),
            int(row["end_ms"]),
            int(row["handle_before_ms"]),
            int(row["handle_after_ms"]),
        )
        clips.append(replace(item, notes=_notes_in(item, notes)))
    return Lecture(str(chosen["name"]), data.title, data.film, tuple(clips))


def _notes_in(clip: ClipItem, notes: list[Any]) -> tuple[str, ...]:
    """Texts of the notes linked to a time within the clip (handles included), in film order."""
    cited = sorted(
        (span.start_ms, note.number, note.text)
        for note in notes
        for span in note.spans
        if clip.from_ms <= span.start_ms < clip.to_ms or span.start_ms == clip.from_ms
    )
    return tuple(dict.fromkeys(text for _, _, text in cited))


def checked_film(lecture: Lecture) -> Path:
    """The film copy's path, or an :class:`ExportError` that says why clips cannot be cut."""
    film = lecture.film
    if film is None or film.path is None:
        raise ExportError("the project records no film, so there is nothing to cut clips from.")
    if not film.confirmed:
        raise ExportError(
            f"the film path {film.path} has not been confirmed in desk yet; open the project "
            "and confirm the film first."
        )
    if not film.path.is_file():
        raise ExportError(
            f"the film file {film.path} was not found; relink the project to a copy of the film."
        )
    return film.path


def span_text(start_ms: int, end_ms: int) -> str:
    """A range of film time as the handout and title cards print it."""
    return f"{format_ms(start_ms, 'short_ms')}–{format_ms(end_ms, 'short_ms')}"
