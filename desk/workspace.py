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
