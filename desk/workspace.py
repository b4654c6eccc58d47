"""Tasks that join the store and the media layer: a new project for a film, relinking a copy.

Both the CLI and the GUI call these, so a project made by one is the project the other opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desk.errors import ProjectError
from desk.store.project import Project


def media_fields(film: Path) -> dict[str, Any]:
    """The media-row fields describing a film file, read with PyAV."""
    from desk.media.probe import fingerprint, probe

    info = probe(film)
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


def relink(project: Project, film: Path, pairs: list[tuple[int, int]] | None = None) -> int:
    """Point the project at another copy of the film, aligned by matching moments.

    ``pairs`` are ``(film_ms, copy_ms)``: the same moment on the project's timeline and in the new
    copy. None keeps the copy's time as it is (the same cut and speed); one pair gives an offset,
    two an offset and a rate (a PAL copy), more a piecewise mapping. Every link, still and clip
    then follows the mapping. Returns the media row's id.
    """
    import json

    from desk.core.timemap import TimeMap
    from desk.store import edits, queries

    time_map = TimeMap.from_anchors(pairs or [])
    media = queries.reference_media(project)
    fields = {**media_fields(film), "time_map": json.dumps(time_map.to_json())}
    fields["path_confirmed"] = True  # the user named this file
    if media is None:
        media_id, _ = edits.add_media(project, label="reference copy", is_reference=True, **fields)
        return int(media_id)
    edits.update_media(project, int(media["id"]), **fields)
    return int(media["id"])
