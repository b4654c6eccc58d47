"""Opening a bundle as a new project: its rows copied into a fresh file of desk's own schema,
the film found beside it by fingerprint, its clip files unpacked beside the project, and the
project renamed into place only when all of that succeeded."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from desk.core.text import clean_text
from desk.errors import FilmError, ImportFormatError, KnownError, ProjectError, ProjectLocked
from desk.interchange.bundle.archive import _unpack
from desk.interchange.bundle.inner_project import _SQLITE_ERRORS, _tables
from desk.interchange.bundle.layout import CLIPS, MAX_CLIP_BYTES, file_name
from desk.interchange.bundle.manifest import BundleFilm, Manifest
from desk.interchange.bundle.opening import Bundle, open_bundle
from desk.store import models, schema, search
from desk.store.commands import PROSE_COLUMNS
from desk.store.project import lock_path
from desk.store.sqlite import connect

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
    counts = dict.fromkeys(_COUNTED, 0)
    tmp.unlink(missing_ok=True)  # left by a desk that was killed while opening a bundle
    conn = connect(tmp)
    try:
        conn.execute("BEGIN IMMEDIATE")
        schema.create_schema(conn)
        for table in _tables():
            columns = ", ".join(c.name for c in table.columns)
            marks = ", ".join("?" * len(table.columns))
            rows = _cleaned(
                bundle.project.conn.execute(f"SELECT {columns} FROM {table.name}"),
                [i for i, c in enumerate(table.columns) if c.name in PROSE_COLUMNS],
            )
            inserted = conn.executemany(
                f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", rows
            ).rowcount
            if table.name in counts:
                counts[table.name] = inserted
        for media_id, old in conn.execute("SELECT id, path FROM media").fetchall():
            conn.execute(
                "UPDATE media SET path = ?, path_confirmed = 0 WHERE id = ?",
                (file_name(str(old)), media_id),
            )
        reference = conn.execute(
            "SELECT id FROM media ORDER BY is_reference DESC, id LIMIT 1"
        ).fetchone()
        if film is not None and reference is not None:
            conn.execute("UPDATE media SET path = ? WHERE id = ?", (str(film), reference[0]))
        for table_name in (*schema.UID_TABLES, "tier"):
            conn.execute(models.FILL_UIDS.format(table=table_name))
        search.reindex_all(conn)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = DELETE")
    except _SQLITE_ERRORS as exc:
        log.info("the project inside %s could not be copied: %s", bundle.source, exc)
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise ImportFormatError(
            f"the project inside '{bundle.source}' does not hold together; it was not opened."
        ) from None
    finally:
        conn.close()
    with tmp.open("rb+") as f:
        os.fsync(f.fileno())
    return counts


def _cleaned(rows: Iterable[tuple[Any, ...]], prose: list[int]) -> Iterable[tuple[Any, ...]]:
    """``rows`` with the text of their ``prose`` columns cleaned as every edit's is: a sender's
    bidi override must not reverse text in the receiver's window."""
    if not prose:
        return rows
    return (
        tuple(clean_text(v) if i in prose and isinstance(v, str) else v for i, v in enumerate(row))
        for row in rows
    )


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
