"""Tasks that join the store and the media layer: a new project for a film, relinking a copy,
analysing the film.

Both the CLI and the GUI call these, so a project made by one is the project the other opens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.core.timemap import TimeMap
from desk.errors import ProjectError
from desk.store.project import Project

if TYPE_CHECKING:
    from desk.media.probe import FilmInfo


def media_fields(film: Path, info: FilmInfo | None = None) -> dict[str, Any]:
    """The media-row fields describing a film file, read with PyAV (unless ``info`` is given)."""
    from desk.media.probe import fingerprint, probe

    info = info or probe(film)
    return {
        "path": str(film.resolve()),
        "size_bytes": info.size_bytes,
        "fingerprint": fingerprint(film),
        "duration_ms": info.duration_ms,
        "fps_num": info.fps.numerator,
        "fps_den": info.fps.denominator,
        "width": info.width,
        "height": info.height,
    }


def settle_clock(project: Project, film: Path | None = None) -> bool:
    """Count the project's film copy on its container's clock, if it was counted from its first
    picture (a project made before schema 5) and its film can be read: its time map gains the
    copy's video start, so every link stays on the frame it pointed at. ``film`` is the file to
    read (by default the one the project names). Returns whether the map changed.

    The start is rounded up to the next millisecond: a link at a frame's first millisecond (as
    desk marks them) then lands within that frame's first two milliseconds, never before it.
    """
    import json
    import math

    from desk.media.probe import video_lead_ms
    from desk.store import edits, queries

    media = queries.reference_media(project)
    if media is None or not media.clock_pending:
        return False
    if film is None and not media.path_confirmed:
        return False  # a path the project names is read only once the user has confirmed it
    path = film or Path(media.path)
    if not path.is_file():
        return False  # settled when the film is found
    lead = math.ceil(video_lead_ms(path))
    moved = TimeMap(tuple((f, c + lead) for f, c in media.film_map.points))
    edits.settle_media_clock(project, media.id, json.dumps(moved.to_json()))
    return True


def settle_clock_of(project_path: Path) -> str | None:
    """:func:`settle_clock` for a project about to be exported from (which opens it read-only).
    A project whose copy stays counted from its first picture (its film missing or not
    confirmed, or the file cannot be written) is left as it is: the warning returned says so."""
    from desk.errors import KnownError
    from desk.media.probe import UNSETTLED_CLOCK
    from desk.store import queries

    try:
        with Project.open(project_path) as project:  # an older file is upgraded, backed up
            settle_clock(project)
            media = queries.reference_media(project)
            return UNSETTLED_CLOCK if media is not None and media.clock_pending else None
    except KnownError:
        pass  # the export itself says what is wrong with the project, if anything
    try:
        with Project.open(project_path, readonly=True) as project:
            media = queries.reference_media(project)
    except KnownError:
        return None
    return UNSETTLED_CLOCK if media is not None and media.clock_pending else None


def new_project(path: Path, film: Path, *, title: str | None = None) -> Project:
    """Create a project about ``film`` (probed first, so a bad film creates nothing)."""
    from desk.store import edits

    if path.suffix != ".desk":
        raise ProjectError(f"a project file must end in .desk, not '{path.name}'.")
    fields = media_fields(film)
    project = Project.create(path, title=title or film.stem, film_title=title or film.stem)
    try:
        edits.add_media(project, label="reference copy", is_reference=True, **fields)
    except BaseException:
        project.close()
        raise
    return project


def relink(
    project: Project,
    film: Path,
    pairs: list[tuple[int, int]] | None = None,
    *,
    force: bool = False,
) -> int:
    """Point the project at another copy of the film, aligned by matching moments.

    ``pairs`` are ``(film_ms, copy_ms)``: the same moment on the project's timeline and in the new
    copy. None keeps the copy's time as it is (the same cut and speed); one pair gives an offset,
    two an offset and a rate (a PAL copy), more a piecewise mapping. Every link, still and clip
    then follows the mapping. Returns the media row's id.

    Nothing is written when the mapping would put a link, beat or clip outside the copy
    (:class:`~desk.relink_check.LinksOutside`), nor, unless ``force``, when the copy's length,
    rate or picture is not what the mapping leads one to expect
    (:class:`~desk.relink_check.CopyDiffers`).
    """
    import json
    import math

    from desk.media.probe import probe, video_lead_ms
    from desk.relink_check import (
        CopyDiffers,
        FilmShape,
        check_links,
        differences,
        shape_of_media,
    )
    from desk.store import analysis_cache, edits, queries

    time_map = TimeMap.from_anchors(pairs or [])
    media = queries.reference_media(project)
    if media is not None and media.clock_pending and not pairs:
        # The same cut, counted from its first picture until now: onto its container's clock.
        lead = math.ceil(video_lead_ms(film))
        time_map = TimeMap(tuple((f, c + lead) for f, c in media.film_map.points))
    info = probe(film)
    shape = FilmShape(info.duration_ms, info.fps, info.width, info.height)
    check_links(film.name, queries.pinned_ranges(project), time_map, shape)
    if media is not None and not force:
        old_map = media.film_map
        found = differences(shape_of_media(media), old_map, shape, time_map)
        if found:
            raise CopyDiffers(film.name, found)
    fields = {**media_fields(film, info), "time_map": json.dumps(time_map.to_json())}
    fields["path_confirmed"] = True  # the user named this file
    fields["clock_pending"] = False  # matched on the copy's own clock from here on
    if media is None:
        media_id, _ = edits.add_media(project, label="reference copy", is_reference=True, **fields)
        return int(media_id)
    edits.update_media(project, media.id, **fields)
    if media.fingerprint != fields["fingerprint"]:  # another file: its analysis is not this one
        analysis_cache.forget(project, media.id)
    return media.id


def choose_audio_track(project: Project, stream: int) -> None:
    """Play, measure and cut clips with the film's audio stream ``stream`` from now on; a
    stream the film does not have as sound is refused, naming those it has."""
    from desk.media.probe import audio_tracks
    from desk.store import edits, queries

    media = queries.reference_media(project)
    if media is None:
        raise ProjectError("this project has no film to choose a sound of.")
    tracks = audio_tracks(Path(media.path))
    if stream not in {t.index for t in tracks}:
        have = ", ".join(str(t.index) for t in tracks) or "none"
        raise ProjectError(f"the film has no audio stream {stream} (its audio streams: {have}).")
    if media.audio_track != stream:
        edits.update_media(project, media.id, audio_track=stream)


@dataclass(frozen=True)
class Analysed:
    """What :func:`analyse_film` did: the loudness ``"measured"``, ``"cached"`` or ``"silent"``
    (the film has no sound); how many cuts the film has, and whether they were cached."""

    loudness: str
    cuts: int
    cuts_cached: bool


def film_cuts(time_map: TimeMap, cuts_ms: Iterable[int]) -> list[int]:
    """Cuts found in a copy (its own time) on the project's film timeline."""
    return [time_map.to_film(int(c)) for c in cuts_ms]


def analyse_film(
    project: Project,
    *,
    again: bool = False,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Analysed:
    """Measure the loudness and find the shot cuts of the project's film copy, unless the project
    holds them already for this copy and these settings (or ``again``). Results go into the
    project's analysis cache; the project's detected shots follow the cuts, as one undoable edit
    when they change. The film's path must have been confirmed in desk (the project file names
    it); a film without sound has its cuts found all the same.
    """

    from desk.media import analysis
    from desk.store import analysis_cache, edits, queries

    media = queries.reference_media(project)
    if media is None:
        raise ProjectError("this project has no film to analyse.")
    path, media_id = Path(media.path), media.id
    if not media.path_confirmed:
        raise ProjectError(
            f"the film path {path} has not been confirmed in desk yet; open the project and "
            "confirm the film first."
        )
    if settle_clock(project, path):
        media = queries.reference_media(project) or media

    def part(number: int) -> Callable[[float], None] | None:
        return None if progress is None else (lambda f: progress((number + f) / 2))

    loudness = "cached"
    track = media.audio_track
    kind, params = analysis_cache.LOUDNESS, analysis.loudness_params(track)
    if again or analysis_cache.read(project, media_id, kind, params) is None:
        try:
            envelope = analysis.loudness_envelope(
                path, track=track, progress=part(0), cancel=cancel
            )
        except analysis.NoSound:
            loudness = "silent"
        else:
            analysis_cache.write(project, media_id, kind, params, envelope.lufs)
            loudness = "measured"
    kind, params = analysis_cache.CUTS, analysis.CUT_PARAMS
    cuts = None if again else analysis_cache.read(project, media_id, kind, params)
    cached = cuts is not None
    if cuts is None:
        cuts = analysis.detect_cuts(path, progress=part(1), cancel=cancel)
        analysis_cache.write(project, media_id, kind, params, cuts)
    time_map = media.film_map
    bounds = film_cuts(time_map, cuts)
    duration_ms = media.duration_ms
    if queries.detected_cuts(project) != sorted(b for b in bounds if 0 < b < duration_ms):
        edits.replace_shots(project, bounds, duration_ms)
    return Analysed(loudness=loudness, cuts=len(cuts), cuts_cached=cached)
