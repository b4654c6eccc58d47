"""Merging a bundle into a project: its annotations, matched by uid and compared with the base
the bundle records (three-way, :mod:`desk.interchange.base`), as one undoable command that also
makes the bundle's rows the project's new base; with warnings for what a merge leaves out (clip
lists, clip files), for a bundle made on another copy of the film and for one without a base."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from desk.interchange.base import base_rows
from desk.interchange.bundle.inner_project import _SQLITE_ERRORS, _damaged
from desk.interchange.bundle.opening import Bundle, open_bundle
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import OnConflict, Summary
from desk.interchange.snapshot_read import read_snapshot
from desk.store.annotation_rows import ClipRow, clip_lists_by_name, film_fingerprint
from desk.store.merge_rows import read_base
from desk.store.project import Project

if TYPE_CHECKING:
    from desk.interchange.formats import Options


def merge_bundle(
    project: Project,
    path: Path,
    options: Options,
    *,
    resolutions: Mapping[str, OnConflict] | None = None,
) -> Summary:
    """Merge a bundle's annotations into ``project`` as one undoable command (all or nothing);
    ``resolutions`` settles conflicts by uid, the others by ``options.on_conflict``."""
    path = Path(path)
    with open_bundle(path) as bundle:
        try:
            snapshot = read_snapshot(bundle.project)
            theirs = clip_lists_by_name(bundle.project)
            base = read_base(bundle.project)
        except _SQLITE_ERRORS:
            raise _damaged(bundle.source) from None
        warnings = _merge_warnings(project, bundle, theirs)
    own = read_base(project)
    summary = apply_snapshot(
        project,
        snapshot,
        f"Merge {path.name}",
        on_conflict=options.on_conflict,
        warnings=warnings,
        base=base,
        own_base=own,
        new_base=base_rows(snapshot),
        resolutions=resolutions,
    )
    if not base and not own and (summary.duplicates or summary.conflicts):
        summary.warnings.append(
            "the bundle does not record what it was made from (an older desk made it, or a "
            "project never made from or merged with a bundle), so the merge was two-way: every "
            "difference is a conflict and nothing was removed."
        )
    return summary


def _merge_warnings(
    project: Project, bundle: Bundle, theirs: dict[str, tuple[ClipRow, ...]]
) -> list[str]:
    warnings = []
    ours = film_fingerprint(project)
    film = bundle.manifest.film
    if film and film.fingerprint and ours and ours != film.fingerprint:
        warnings.append(
            "the bundle was made on another copy of the film; its times are taken as they are."
        )
    mine = clip_lists_by_name(project)
    unmerged = [name for name, clips in theirs.items() if mine.get(name) != clips]
    if unmerged:
        warnings.append(
            f"the bundle's clip lists {', '.join(repr(n) for n in unmerged)} are not merged (a "
            "merge takes the annotations); open the bundle as a new project to use them."
        )
    if bundle.clips:
        warnings.append(
            f"the bundle's {len(bundle.clips)} clip files are not unpacked by a merge; open the "
            "bundle as a new project to get them."
        )
    return warnings
