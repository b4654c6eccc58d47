"""Writing a bundle: a scrubbed copy of the project (no paths of the sender, no undo history,
no analysis cache), its manifest and the chosen lecture clips, zipped under a temporary name
and published in one step."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from desk.core.files import replacing
from desk.core.outputs import check_target
from desk.errors import ExportError
from desk.interchange.bundle.layout import (
    CLIPS,
    MANIFEST,
    MAX_CLIP_BYTES,
    MAX_PROJECT_BYTES,
    MAX_TOTAL_BYTES,
    PROJECT,
    _clip_name_ok,
    _size,
    file_name,
)
from desk.interchange.bundle.manifest import Manifest, _film_of
from desk.interchange.model import Summary
from desk.store.project import Project

if TYPE_CHECKING:
    from desk.interchange.formats import Options


def write_bundle(project: Project, output: Path, options: Options) -> Summary:
    """Write the project (and the clips of ``options.clips``) as a bundle at ``output``."""
    output = Path(output)
    if not output.parent.is_dir():
        raise ExportError(f"cannot write {output}: the folder {output.parent} does not exist.")
    check_target(output)  # the project, its companions, a read-only file: before any copying
    summary = Summary()
    clips = _clip_files(Path(options.clips), summary.warnings) if options.clips else []
    with tempfile.TemporaryDirectory(prefix="desk-bundle-", ignore_cleanup_errors=True) as tmp:
        copy = Path(tmp) / PROJECT
        project.save_copy(copy)
        _scrub(copy)
        if copy.stat().st_size > MAX_PROJECT_BYTES:
            raise ExportError(
                f"the project is larger than the {_size(MAX_PROJECT_BYTES)} a bundle carries."
            )
        with Project.open(copy, readonly=True) as shared:
            title = shared.query("SELECT title FROM project ORDER BY id LIMIT 1")
            manifest = Manifest(
                title=str(title[0][0]) if title else "",
                schema_version=shared.schema_version,
                film=_film_of(shared),
                clips=tuple(c.name for c in clips),
                created_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
            )
        _write_zip(output, manifest, copy, clips)
    return summary


def _clip_files(folder: Path, warnings: list[str]) -> list[Path]:
    """The exported clips of a folder; other files (playlists, handouts) are left out."""
    if not folder.is_dir():
        raise ExportError(f"the clips folder {folder} does not exist.")
    clips: list[Path] = []
    others = 0
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or not entry.is_file():
            continue
        if _clip_name_ok(entry.name):
            clips.append(entry)
        else:
            others += 1
    if not clips:
        raise ExportError(f"{folder} holds no exported clips (MP4 files).")
    if others:
        warnings.append(
            f"{others} other file{'s' if others > 1 else ''} in {folder.name} (playlists, "
            "handouts) left out: a bundle carries only the MP4 clips."
        )
    sizes = [c.stat().st_size for c in clips]
    if max(sizes) > MAX_CLIP_BYTES or sum(sizes) > MAX_TOTAL_BYTES - MAX_PROJECT_BYTES:
        raise ExportError(
            f"the clips are too large for a bundle (at most {_size(MAX_CLIP_BYTES)} each)."
        )
    return clips


def _scrub(copy: Path) -> None:
    """Remove from the copy what must not travel: paths of the sender, the undo history (old
    rows, old paths), the analysis cache; then rebuild the file so no freed page keeps them."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for media_id, path in conn.execute("SELECT id, path FROM media").fetchall():
            conn.execute(
                "UPDATE media SET path = ?, path_confirmed = 0 WHERE id = ?",
                (file_name(str(path)), media_id),
            )
        for tier_id, source in conn.execute("SELECT id, source FROM tier").fetchall():
            conn.execute("UPDATE tier SET source = ? WHERE id = ?", (file_name(source), tier_id))
        conn.execute("DELETE FROM journal")
        conn.execute("DELETE FROM analysis")
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


def _write_zip(output: Path, manifest: Manifest, copy: Path, clips: list[Path]) -> None:
    with replacing(output) as tmp, tmp.open("wb") as raw:
        with zipfile.ZipFile(raw, "w", strict_timestamps=False) as archive:
            info = zipfile.ZipInfo(MANIFEST, time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, manifest.to_json())
            archive.write(copy, PROJECT, compress_type=zipfile.ZIP_DEFLATED)
            for clip in clips:  # already compressed video: stored as it is
                archive.write(clip, CLIPS + clip.name, compress_type=zipfile.ZIP_STORED)
        raw.flush()
        os.fsync(raw.fileno())
