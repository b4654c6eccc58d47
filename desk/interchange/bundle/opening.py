"""Opening a received bundle: the archive, its manifest and the project inside pass every
check, in order, before anything of it is read; the project is unpacked into a private
temporary folder for the time of a ``with`` block."""

from __future__ import annotations

import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desk.errors import ImportFormatError
from desk.interchange.bundle import layout
from desk.interchange.bundle.archive import _ZIP_ERRORS, _check_file, _chunks, _members, _unpack
from desk.interchange.bundle.inner_project import _check_project, _open_copy
from desk.interchange.bundle.layout import CLIPS, MAX_MANIFEST_BYTES, MAX_PROJECT_BYTES, PROJECT
from desk.interchange.bundle.manifest import Manifest
from desk.store.project import Project


@dataclass
class Bundle:
    """A received bundle that passed every check, with its project unpacked privately."""

    source: str  # the bundle's file name, for messages
    manifest: Manifest
    project: Project  # a checked copy, to read
    archive: zipfile.ZipFile
    clips: list[zipfile.ZipInfo]


@contextmanager
def open_bundle(path: Path) -> Iterator[Bundle]:
    """Check a bundle and unpack its project into a temporary folder for the time of the block.

    Unpacking, checking and upgrading the project must end within
    :data:`~desk.interchange.bundle.layout.MAX_OPEN_SECONDS`; on every way out, refused or not,
    the temporary folder goes."""
    path = Path(path)
    source = path.name
    deadline = time.monotonic() + layout.MAX_OPEN_SECONDS
    _check_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise ImportFormatError(
            f"'{source}' is not a desk bundle (it is not a zip file)."
        ) from None
    with (
        archive,
        tempfile.TemporaryDirectory(prefix="desk-bundle-", ignore_cleanup_errors=True) as tmp,
    ):
        manifest_info, project_info, clips = _members(archive, source)
        manifest = Manifest.from_json(
            b"".join(_chunks(archive, manifest_info, MAX_MANIFEST_BYTES, source)), source
        )
        if sorted(manifest.clips) != sorted(i.filename[len(CLIPS) :] for i in clips):
            raise ImportFormatError(f"the clips in '{source}' are not the ones its manifest lists.")
        copy = Path(tmp) / PROJECT
        _unpack(archive, project_info, copy, MAX_PROJECT_BYTES, source, deadline)
        project = _open_copy(copy, source, deadline)
        try:
            _check_project(project, manifest, source, deadline)
            yield Bundle(source, manifest, project, archive, clips)
        finally:
            project.close()
