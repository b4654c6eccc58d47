"""Opening a bundle as a new project: its rows copied into a fresh file of desk's own schema,
the film found beside it by fingerprint, its clip files unpacked beside the project, and the
project renamed into place only when all of that succeeded."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from desk.errors import FilmError, ImportFormatError, KnownError, ProjectError, ProjectLocked
from desk.interchange.base import base_rows
from desk.interchange.bundle.archive import _unpack
from desk.interchange.bundle.inner_project import _SQLITE_ERRORS
from desk.interchange.bundle.layout import CLIPS, MAX_CLIP_BYTES
from desk.interchange.bundle.manifest import BundleFilm, Manifest
from desk.interchange.bundle.opening import Bundle, open_bundle
from desk.interchange.snapshot_read import read_snapshot
from desk.store.bundle_files import new_project_from
from desk.store.project import lock_path

log = logging.getLogger("desk.interchange")


#: What :class:`Opened` counts, by table.
_COUNTED = ("paragraph", "note", "beat", "scene", "reading", "tier", "clip_list", "clip")


@dataclass
class Opened:
    """What :func:`open_as_project` made."""

    path: Path
    manifest: Manifest
    counts: dict[str, int] = field(default_factory=dict)
    film: Path | None = None  # a copy of the film found beside the bundle, by fingerprint
    clips: Path | None = None  # the folder the clip files were unpacked into
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [
            f"{n} {kind.replace('_', ' ')}{'' if n == 1 else 's'}"
            for kind, n in self.counts.items()
            if n
        ]
        return ", ".join(parts) or "nothing"


def open_as_project(target: Path, path: Path) -> Opened:
    """Make a new project at ``target`` holding everything of the bundle at ``path``.

    The project's film is unconfirmed and named by its file name only; when a file with the
    film's fingerprint lies beside the bundle or the new project, the project points at it (still
    unconfirmed: desk asks before playing it). Clip files go into ``<name>-clips`` beside it.
    """
    target, path = Path(target), Path(path)
    if target.suffix != ".desk":
        raise ProjectError(f"a project file must end in .desk, not '{target.name}'.")
    if target.exists():
        raise ProjectError(f"{target} already exists; choose another name.")
    if not target.parent.is_dir():
        raise ProjectError(f"cannot create {target}: the folder {target.parent} does not exist.")
    with open_bundle(path) as bundle:
        opened = Opened(target, bundle.manifest)
        opened.film = _find_film(bundle.manifest.film, [path.parent, target.parent])
        tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
        clips = target.with_name(f"{target.stem}-clips")
        unpacked = None
        try:
            opened.counts = _build(bundle, tmp, opened.film)
            if bundle.clips:
                unpacked = _unpack_clips(bundle, clips, opened.warnings)
            _publish_project(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            if unpacked is not None:
                for clip in unpacked.iterdir():
                    clip.unlink()
                unpacked.rmdir()
            raise
        opened.clips = unpacked
    return opened


def _find_film(film: BundleFilm | None, folders: list[Path]) -> Path | None:
    """A file with the film's size and fingerprint directly in one of ``folders``, or None."""
    if film is None or not film.fingerprint.startswith("v1:") or film.size_bytes <= 0:
        return None
    from desk.media.probe import VIDEO_SUFFIXES, fingerprint

    for folder in dict.fromkeys(f.resolve() for f in folders):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for candidate in entries:
            if candidate.name.startswith(".") or candidate.suffix.lower() not in VIDEO_SUFFIXES:
                continue
            try:
                if (
                    candidate.is_file()
                    and candidate.stat().st_size == film.size_bytes
                    and fingerprint(candidate) == film.fingerprint
                ):
                    return candidate
            except (OSError, FilmError):
                continue
    return None


def _build(bundle: Bundle, tmp: Path, film: Path | None) -> dict[str, int]:
    """Write the bundle's rows into a fresh file of desk's own schema (none of the sender's
    tables, triggers or history comes along); returns how many rows of each kind."""
    tmp.unlink(missing_ok=True)  # left by a desk that was killed while opening a bundle
    try:
        base = base_rows(read_snapshot(bundle.project))
        copied = new_project_from(bundle.project, tmp, film=film, base=base)
    except _SQLITE_ERRORS as exc:
        log.info("the project inside %s could not be copied: %s", bundle.source, exc)
        raise ImportFormatError(
            f"the project inside '{bundle.source}' does not hold together; it was not opened."
        ) from None
    return {table: copied.get(table, 0) for table in _COUNTED}


def _unpack_clips(bundle: Bundle, folder: Path, warnings: list[str]) -> Path | None:
    if folder.exists():
        warnings.append(f"the clip files were not unpacked: {folder} already exists.")
        return None
    try:
        folder.mkdir()
    except OSError as exc:
        raise KnownError(f"cannot make {folder}: {exc.strerror or exc}.") from None
    try:
        for info in bundle.clips:
            name = info.filename[len(CLIPS) :]
            _unpack(bundle.archive, info, folder / name, MAX_CLIP_BYTES, bundle.source)
    except BaseException:
        for clip in folder.iterdir():
            clip.unlink()
        folder.rmdir()
        raise
    return folder


def _publish_project(tmp: Path, target: Path) -> None:
    """Rename the finished project into place, unless a file appeared there meanwhile."""
    lock = FileLock(lock_path(target), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ProjectLocked(f"{target.name} is open in another desk.") from None
    try:
        if target.exists():
            raise ProjectError(f"{target} already exists; choose another name.")
        os.replace(tmp, target)
    except OSError as exc:
        raise ProjectError(f"cannot create {target}: {exc.strerror or exc}.") from exc
    finally:
        lock.release()
