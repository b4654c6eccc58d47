"""What the project's film file carries, imported into the project: a text subtitle track as a
reference tier of dialogue, the chapters as scenes.

Both read the film the project names (its path confirmed in desk, as every use of a media path
is), take its times from the container's clock to film time through the copy's time map, and
merge as one undoable edit, all or nothing, like an import of a file. A subtitle track goes
through the same reading as a subtitle file (speakers' turns, limits, clean text); the tier is
named by the track's title and language. Chapters already present as scenes with the same range
are not added again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desk.core.timemap import TimeMap
from desk.errors import ImportFormatError, ProjectError
from desk.interchange.formats import Options, Parsed
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import Scene, Snapshot, Summary
from desk.interchange.snapshot_read import read_snapshot
from desk.interchange.subtitles.cues import _Header, _Read
from desk.interchange.subtitles.reading import _check_size
from desk.interchange.subtitles.snapshot import _parsed
from desk.media.probe import FilmInfo, SubtitleTrack, probe
from desk.media.subtitle_tracks import TrackCue, describe_track, language, read_text_track
from desk.store import queries
from desk.store.project import Project


@dataclass(frozen=True)
class ProjectFilm:
    """The film file a project plays, and how its clock maps to the project's film time."""

    path: Path
    time_map: TimeMap


def project_film(project: Project) -> ProjectFilm:
    """The project's film, refused unless it is there and its path was confirmed in desk."""
    media = queries.reference_media(project)
    if media is None:
        raise ProjectError("this project has no film.")
    path = Path(media.path)
    if not media.path_confirmed:
        raise ProjectError(
            f"the film path {path} has not been confirmed in desk yet; open the project and "
            "confirm the film first."
        )
    if not path.exists():
        raise ProjectError(f"the project's film {path} is not there; relink it first.")
    return ProjectFilm(path, media.film_map)


def film_info(project: Project) -> FilmInfo:
    """The project's film as :func:`~desk.media.probe.probe` describes it."""
    return probe(project_film(project).path)


def tier_name(track: SubtitleTrack) -> str:
    """A track's title and language (``English (eng)``), or its number when it names neither."""
    code = language(track)
    if track.title and code:
        return f"{track.title} ({code})"
    return track.title or code or f"Subtitles, track {track.index}"


def track_snapshot(
    film: ProjectFilm,
    stream_index: int,
    *,
    tier: str = "",
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Parsed:
    """The film's text subtitle track ``stream_index`` as a snapshot holding one reference tier
    of dialogue, named ``tier`` or after the track. Touches no project, so it may run in a
    worker thread while the film is read."""
    track, cues = read_text_track(film.path, stream_index, progress=progress, cancel=cancel)
    source = f"{film.path.name}, {describe_track(track)}"
    warnings: list[str] = []
    read = _on_film_time(cues, film.time_map, warnings)
    if not read:
        raise ImportFormatError(f"the {describe_track(track)} of '{film.path.name}' holds no cues.")
    _check_size(source, read)
    options = Options(as_="dialogue", tier=tier or tier_name(track))
    return _parsed(read, options, source, _Header(language=language(track)), str, warnings)


def apply_track(project: Project, parsed: Parsed) -> Summary:
    """Merge what :func:`track_snapshot` read as one undoable edit."""
    (tier,) = parsed.snapshot.tiers
    return apply_snapshot(
        project, parsed.snapshot, f"Import subtitles: {tier.name}", warnings=parsed.warnings
    )


def import_track(project: Project, stream_index: int, *, tier: str = "") -> Summary:
    """The film's text subtitle track ``stream_index`` as a new reference tier of dialogue."""
    return apply_track(project, track_snapshot(project_film(project), stream_index, tier=tier))


def _on_film_time(cues: list[TrackCue], time_map: TimeMap, warnings: list[str]) -> list[_Read]:
    """The cues as subtitle-file cues in film time; those wholly before the film's start are
    left out (another copy's leader), one that straddles it starts at 0."""
    read = []
    before = 0
    for number, cue in enumerate(cues, 1):
        start, end = time_map.to_film(cue.start_ms), time_map.to_film(cue.end_ms)
        if end <= 0:
            before += 1
            continue
        lines = tuple((cue.speaker or None, line) for line in cue.text.split("\n"))
        read.append(_Read(f"subtitle {number}", max(0, start), max(0, end), lines))
    if before:
        warnings.append(
            f"{before} subtitle{'s' if before != 1 else ''} before the film's start "
            f"{'were' if before != 1 else 'was'} left out."
        )
    return read


def import_chapters(project: Project) -> Summary:
    """One scene per chapter of the film, named by its title; chapters already there as scenes
    with the same range are skipped."""
    film = project_film(project)
    info = probe(film.path)
    if not info.chapters:
        raise ImportFormatError(f"'{film.path.name}' has no chapters.")
    have = {(s.start_ms, s.end_ms) for s in _scenes(project)}
    scenes, before = [], 0
    for chapter in info.chapters:
        start = max(0, film.time_map.to_film(chapter.start_ms))
        end = film.time_map.to_film(chapter.end_ms)
        if end <= 0 < chapter.end_ms - chapter.start_ms:  # all of it in another copy's leader
            before += 1
        elif (start, max(start, end)) not in have:
            scenes.append(Scene(chapter.title, start, max(start, end)))
    warnings = [f"{before} chapter{'s' if before != 1 else ''} before the film's start "
                f"{'were' if before != 1 else 'was'} left out."] if before else []  # fmt: skip
    summary = Summary(warnings=warnings)
    if scenes:
        summary = apply_snapshot(
            project, Snapshot(scenes=scenes), "Import chapters as scenes", warnings=warnings
        )
    summary.duplicates += len(info.chapters) - len(scenes) - before
    return summary


def _scenes(project: Project) -> list[Scene]:
    return read_snapshot(project).scenes
