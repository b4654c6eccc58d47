"""Writing a bundle: a portable copy of the project (no paths of the sender, no undo history,
no analysis cache: :func:`desk.store.bundle_files.make_portable`), its manifest and the chosen
lecture clips, zipped under a temporary name and published in one step."""

from __future__ import annotations

import os
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
)
from desk.interchange.bundle.manifest import Manifest, _film_of
from desk.interchange.model import Summary
from desk.store.annotation_rows import project_details
from desk.store.bundle_files import make_portable
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
        make_portable(copy)  # no paths of the sender, no history, no cache
        if copy.stat().st_size > MAX_PROJECT_BYTES:
            raise ExportError(
                f"the project is larger than the {_size(MAX_PROJECT_BYTES)} a bundle carries."
            )
        with Project.open(copy, readonly=True) as shared:
            manifest = Manifest(
                title=str(project_details(shared).title),
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
