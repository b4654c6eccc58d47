"""The project inside a received bundle: opened through desk's own checks (an older schema is
migrated in the unpacked copy), then checked further: indexes, foreign keys, the types of its
values, and the film its manifest names."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from desk.errors import (
    ImportFormatError,
    ProjectCorrupt,
    ProjectError,
    ProjectForeign,
    ProjectTooNew,
    ProjectTooSlow,
)
from desk.interchange.bundle.archive import too_slow
from desk.interchange.bundle.manifest import Manifest, _film_of
from desk.store import schema
from desk.store.bundle_files import holds_together, table_with_foreign_values
from desk.store.project import Project
from desk.store.sqlite import APPLICATION_ID, read_header

log = logging.getLogger("desk.interchange")


#: What reading a damaged SQLite file can raise: SQLite's message about a damaged schema may
#: quote bytes that are not UTF-8, which Python then fails to decode.
_SQLITE_ERRORS = (sqlite3.Error, UnicodeDecodeError)


def _damaged(source: str) -> ProjectCorrupt:
    return ProjectCorrupt(f"the project inside '{source}' is damaged or is not a desk project.")


def _open_copy(copy: Path, source: str, deadline: float | None = None) -> Project:
    """Open the unpacked project through desk's checks (its schema is desk's own before anything
    of it runs); an older schema is migrated in the copy, all before ``deadline``."""
    header = read_header(copy)
    if header is None or header.application_id != APPLICATION_ID or header.user_version < 1:
        raise _damaged(source)
    if header.user_version > schema.LATEST:
        raise ProjectTooNew(
            f"'{source}' was made by a newer desk (schema {header.user_version}; this desk reads "
            f"up to {schema.LATEST}); update desk to open it."
        )
    try:
        return Project.open(
            copy, readonly=header.user_version == schema.LATEST, backup=False, deadline=deadline
        )
    except ProjectForeign as exc:
        raise ProjectForeign(
            f"the project inside '{source}' is not a desk project as this version writes it: "
            f"{exc.problem}; it was not opened.",
            problem=exc.problem,
        ) from None
    except ProjectTooSlow:
        raise too_slow(source) from None
    except (ProjectError, *_SQLITE_ERRORS) as exc:
        log.info("the project inside %s was refused: %s", source, exc)
        raise _damaged(source) from None


def _check_project(
    project: Project, manifest: Manifest, source: str, deadline: float | None = None
) -> None:
    """Beyond desk's checks on opening: every index agrees with its table (which
    ``quick_check`` does not look at), references hold, values have desk's types, and the film
    is the one the manifest names; all before ``deadline``."""
    try:
        if not holds_together(project, deadline=deadline):
            raise _damaged(source)
        foreign = table_with_foreign_values(project, deadline=deadline)
        if foreign is not None:
            raise ImportFormatError(
                f"the project inside '{source}' holds {foreign} rows desk did not write."
            )
        film = _film_of(project)
    except _SQLITE_ERRORS as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT":
            raise too_slow(source) from None
        raise _damaged(source) from None
    inside = film.fingerprint if film else ""
    named = manifest.film.fingerprint if manifest.film else ""
    if inside != named:
        raise ImportFormatError(
            f"the manifest of '{source}' names another film than the project inside it; the "
            "bundle was altered or damaged."
        )
