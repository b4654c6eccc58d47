"""The desk bundle (``.deskz``): a project to share, with its lecture clips if wanted.

A bundle is a zip file holding

- ``manifest.json`` (first): the format's name, the bundle version, the project's schema version
  and title, and the film the times refer to, by fingerprint, title, duration, rate and size;
- ``project.desk``: a consistent copy of the project, with its film paths cut to the file name and
  unconfirmed, without the undo history (it holds deleted text and old paths) or the analysis cache;
- ``clips/NAME.mp4``: lecture clips exported from the project, when asked for.

No path of the sender travels: the receiver relinks their own copy of the film, found by its
fingerprint. A bundle is merged into a project (:func:`merge_bundle`: the annotations,
deduplicated by uid, conflicts reported) or becomes a new project (:func:`open_as_project`:
everything, clip lists and clip files included).

A received bundle is untrusted input. :func:`open_bundle` accepts only the expected member names,
refuses encrypted members, members larger than their limit and members compressed suspiciously
well (zip bombs), unpacks the project into a private temporary folder, puts it through desk's own
checks (header, ``quick_check``, migration of an older schema in that copy), checks that its
foreign keys hold and its values have the types desk writes, and that it is about the film the
manifest names. Whatever fails is one sentence: :class:`~desk.errors.ImportFormatError`, or a
:class:`~desk.errors.ProjectError` when the project inside is the cause. Nothing is written to the
user's project before all of this has passed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import struct
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from desk import __version__
from desk.core.files import publish
from desk.errors import (
    ExportError,
    FilmError,
    ImportFormatError,
    KnownError,
    ProjectCorrupt,
    ProjectError,
    ProjectLocked,
    ProjectTooNew,
)
from desk.interchange.model import Summary, apply_snapshot, read_snapshot
from desk.store import models, queries, schema, search
from desk.store.commands import table_of
from desk.store.project import Project, lock_path
from desk.store.sqlite import APPLICATION_ID, connect, read_header

if TYPE_CHECKING:
    from desk.interchange.formats import Options

log = logging.getLogger("desk.interchange")

FORMAT = "desk-bundle"
#: The bundle layout this desk writes, and the newest it reads.
BUNDLE_VERSION = 1
MANIFEST = "manifest.json"
PROJECT = "project.desk"
CLIPS = "clips/"
CLIP_SUFFIX = ".mp4"

MAX_MANIFEST_BYTES = 64 * 1024
MAX_PROJECT_BYTES = 1024 * 2**20
MAX_CLIP_BYTES = 4 * 2**30
MAX_TOTAL_BYTES = 16 * 2**30
MAX_MEMBERS = 1000
#: A member larger than :data:`RATIO_FLOOR` may unpack to at most this many times its packed size
#: (a project file packs about 12:1; a zip bomb over 1000:1).
MAX_RATIO = 250
RATIO_FLOOR = 2**20
_CHUNK = 2**20

#: What can go wrong while zipfile reads a damaged or crafted archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    OverflowError,
)
#: What reading a damaged SQLite file can raise: SQLite's message about a damaged schema may
#: quote bytes that are not UTF-8, which Python then fails to decode.
_SQLITE_ERRORS = (sqlite3.Error, UnicodeDecodeError)
_SAFE_CLIP_NAME = re.compile(r"[^/\\:\x00-\x1f\x7f]{1,200}")


# -- the manifest -----------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleFilm:
    """The film a bundle's times refer to; the receiver finds their copy by its fingerprint."""

    fingerprint: str = ""
    title: str = ""
    year: int | None = None
    duration_ms: int = 0
    fps_num: int = 24
    fps_den: int = 1
    size_bytes: int = 0


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: what a bundle holds, readable without unpacking the project."""

    title: str
    schema_version: int
    film: BundleFilm | None = None
    clips: tuple[str, ...] = ()
    bundle_version: int = BUNDLE_VERSION
    created_at: str = ""
    desk_version: str = __version__

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "bundle_version": self.bundle_version, **asdict(self)}
        data["clips"] = list(self.clips)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, source: str) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            raise ImportFormatError(f"the manifest of '{source}' is not valid JSON.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ImportFormatError(f"'{source}' is not a desk bundle (its manifest is foreign).")
        read = _Fields(data, source)
        version = read.integer("bundle_version", minimum=1)
        if version > BUNDLE_VERSION:
            raise ImportFormatError(
                f"'{source}' was made by a newer desk (bundle version {version}; this desk reads "
                f"up to {BUNDLE_VERSION}); update desk to open it."
            )
        schema_version = read.integer("schema_version", minimum=1)
        if schema_version > schema.LATEST:
            raise ProjectTooNew(
                f"'{source}' was made by a newer desk (schema {schema_version}; this desk reads "
                f"up to {schema.LATEST}); update desk to open it."
            )
        film = data.get("film")
        if film is not None and not isinstance(film, dict):
            raise ImportFormatError(f"the manifest of '{source}' has a bad 'film'.")
        clips = data.get("clips", [])
        if not isinstance(clips, list) or not all(isinstance(c, str) for c in clips):
            raise ImportFormatError(f"the manifest of '{source}' has a bad 'clips'.")
        return cls(
            title=read.text("title"),
            schema_version=schema_version,
            film=None if film is None else _film(_Fields(film, source)),
            clips=tuple(clips),
            bundle_version=version,
            created_at=read.text("created_at"),
            desk_version=read.text("desk_version"),
        )


class _Fields:
    """Typed reads of a manifest's JSON object, each refusing a wrong type with a sentence."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def _bad(self, key: str) -> ImportFormatError:
        return ImportFormatError(f"the manifest of '{self.source}' has a bad '{key}'.")

    def text(self, key: str) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            raise self._bad(key)
        return value

    def integer(self, key: str, *, minimum: int = 0, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value < 2**63:
            raise self._bad(key)
        return value

    def optional_integer(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.integer(key)


def _film(read: _Fields) -> BundleFilm:
    return BundleFilm(
        fingerprint=read.text("fingerprint"),
        title=read.text("title"),
        year=read.optional_integer("year"),
        duration_ms=read.integer("duration_ms", default=0),
        fps_num=read.integer("fps_num", minimum=1, default=24),
        fps_den=read.integer("fps_den", minimum=1, default=1),
        size_bytes=read.integer("size_bytes", default=0),
    )


def _film_of(project: Project) -> BundleFilm | None:
    media = queries.reference_media(project)
    if media is None:
        return None
    meta = project.rows("SELECT film_title, film_year FROM project ORDER BY id LIMIT 1")
    return BundleFilm(
        fingerprint=str(media["fingerprint"]),
        title=str(meta[0]["film_title"]) if meta else "",
        year=meta[0]["film_year"] if meta else None,
        duration_ms=int(media["duration_ms"]),
        fps_num=int(media["fps_num"]),
        fps_den=int(media["fps_den"]),
        size_bytes=int(media["size_bytes"]),
    )


def _size(n: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def file_name(path: str) -> str:
    """The last part of a path written on any system (``C:\\films\\a.mkv`` → ``a.mkv``)."""
    return re.split(r"[\\/]", path)[-1]


# -- writing ----------------------------------------------------------------------------------
def write_bundle(project: Project, output: Path, options: Options) -> Summary:
    """Write the project (and the clips of ``options.clips``) as a bundle at ``output``."""
    output = Path(output)
    if output.resolve() == project.path.resolve():
        raise ExportError("a bundle cannot replace the project itself; choose another file.")
    if not output.parent.is_dir():
        raise ExportError(f"cannot write {output}: the folder {output.parent} does not exist.")
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
    try:
        fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    except OSError as exc:
        raise ExportError(f"cannot write into {output.parent}: {exc.strerror or exc}.") from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", strict_timestamps=False) as archive:
                info = zipfile.ZipInfo(MANIFEST, time.localtime()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, manifest.to_json())
                archive.write(copy, PROJECT, compress_type=zipfile.ZIP_DEFLATED)
                for clip in clips:  # already compressed video: stored as it is
                    archive.write(clip, CLIPS + clip.name, compress_type=zipfile.ZIP_STORED)
            raw.flush()
            os.fsync(raw.fileno())
        publish(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {output}: {exc.strerror or exc}.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- reading ----------------------------------------------------------------------------------
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
    """Check a bundle and unpack its project into a temporary folder for the time of the block."""
    path = Path(path)
    source = path.name
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
        _unpack(archive, project_info, copy, MAX_PROJECT_BYTES, source)
        project = _open_copy(copy, source)
        try:
            _check_project(project, manifest, source)
            yield Bundle(source, manifest, project, archive, clips)
        finally:
            project.close()


def _check_file(path: Path) -> None:
    try:
        if path.is_dir():
            raise ImportFormatError(f"'{path}' is a folder, not a desk bundle.")
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFormatError(f"'{path}' does not exist.") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read '{path}': {exc.strerror or exc}.") from None
    if size > MAX_TOTAL_BYTES:
        raise ImportFormatError(
            f"'{path.name}' is {_size(size)}; desk opens bundles up to {_size(MAX_TOTAL_BYTES)}."
        )


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or re.match(r"[A-Za-z]:", name) is not None
        or any(p in ("..", ".") for p in parts)
        or re.search(r"[\x00-\x1f\x7f]", name) is not None
    )


def _shown(name: str) -> str:
    """A member's name fit for a message: printable, and not too long."""
    shown = "".join(c if c.isprintable() else "?" for c in name)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _clip_name_ok(name: str) -> bool:
    return (
        _SAFE_CLIP_NAME.fullmatch(name) is not None
        and name.isprintable()
        and not name.startswith(".")
        and name.lower().endswith(CLIP_SUFFIX)
    )


def _members(
    archive: zipfile.ZipFile, source: str
) -> tuple[zipfile.ZipInfo, zipfile.ZipInfo, list[zipfile.ZipInfo]]:
    """The manifest, the project and the clips of a bundle, each checked before it is read."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFormatError(f"'{source}' holds {len(infos)} files; a bundle holds at most "
                                f"{MAX_MEMBERS}.")  # fmt: skip
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise ImportFormatError(f"'{source}' holds two files of the same name.")
    found: dict[str, zipfile.ZipInfo] = {}
    clips: list[zipfile.ZipInfo] = []
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe(name):
            raise ImportFormatError(f"'{source}' holds a file of unsafe name '{_shown(name)}'.")
        if name == CLIPS:
            continue
        if name in (MANIFEST, PROJECT):
            found[name] = info
            limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_PROJECT_BYTES
        elif name.startswith(CLIPS) and _clip_name_ok(name[len(CLIPS) :]):
            clips.append(info)
            limit = MAX_CLIP_BYTES
        else:
            raise ImportFormatError(f"'{source}' holds a file of unknown name '{_shown(name)}'.")
        _check_member(info, limit, source)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ImportFormatError(f"'{source}' unpacks to more than {_size(MAX_TOTAL_BYTES)}.")
    if MANIFEST not in found:
        raise ImportFormatError(f"'{source}' is not a desk bundle (it has no {MANIFEST}).")
    if PROJECT not in found:
        raise ImportFormatError(f"'{source}' holds no project.")
    return found[MANIFEST], found[PROJECT], clips


def _check_member(info: zipfile.ZipInfo, limit: int, source: str) -> None:
    name = info.filename
    if info.flag_bits & 0x1:
        raise ImportFormatError(f"'{source}' is encrypted ({name}); desk bundles never are.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ImportFormatError(f"'{source}' packs {name} in a way desk does not read.")
    if info.file_size > limit:
        raise ImportFormatError(
            f"'{source}' holds a {name} of {_size(info.file_size)}; desk reads up to "
            f"{_size(limit)}."
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
        raise ImportFormatError(
            f"'{source}' packs {name} {info.file_size // max(1, info.compress_size)} times "
            "smaller than it unpacks, as a zip bomb does; it was not opened."
        )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str
            ) -> Iterator[bytes]:  # fmt: skip
    """The bytes of a member, never more than ``limit`` whatever its header says."""
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                read += len(chunk)
                if read > limit:
                    raise ImportFormatError(f"'{source}' holds a {info.filename} that is too big.")
                yield chunk
    except _ZIP_ERRORS:
        raise ImportFormatError(
            f"'{source}' is damaged ({info.filename} cannot be read)."
        ) from None


def _unpack(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int, source: str
) -> None:
    try:
        with target.open("xb") as out:
            for chunk in _chunks(archive, info, limit, source):
                out.write(chunk)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise KnownError(f"cannot unpack '{source}': {exc.strerror or exc}.") from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _damaged(source: str) -> ProjectCorrupt:
    return ProjectCorrupt(f"the project inside '{source}' is damaged or is not a desk project.")


def _open_copy(copy: Path, source: str) -> Project:
    """Open the unpacked project through desk's checks; an older schema is migrated in the copy."""
    header = read_header(copy)
    if header is None or header.application_id != APPLICATION_ID or header.user_version < 1:
        raise _damaged(source)
    if header.user_version > schema.LATEST:
        raise ProjectTooNew(
            f"'{source}' was made by a newer desk (schema {header.user_version}; this desk reads "
            f"up to {schema.LATEST}); update desk to open it."
        )
    try:
        return Project.open(copy, readonly=header.user_version == schema.LATEST, backup=False)
    except (ProjectError, *_SQLITE_ERRORS) as exc:
        log.info("the project inside %s was refused: %s", source, exc)
        raise _damaged(source) from None


def _tables() -> list[Any]:
    """desk's own tables (SQLAlchemy ``Table`` objects), in dependency order."""
    return [models.SQLModel.metadata.tables[table_of(m)] for m in models.EDITABLE]


#: ``typeof()`` values each declared column type accepts.
_TYPES = {"INTEGER": "'integer'", "BOOLEAN": "'integer'", "FLOAT": "'real', 'integer'",
          "VARCHAR": "'text'"}  # fmt: skip


def _type_checks() -> dict[str, str]:
    """Per table, SQL counting the rows whose values are not of the types desk writes."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    dialect = sqlite_dialect.dialect()
    checks = {}
    for table in _tables():
        terms = []
        for column in table.columns:
            allowed = _TYPES[str(column.type.compile(dialect=dialect))]
            if column.nullable:
                allowed += ", 'null'"
            terms.append(f"typeof({column.name}) NOT IN ({allowed})")
        checks[table.name] = f"SELECT count(*) FROM {table.name} WHERE {' OR '.join(terms)}"
    return checks


def _check_project(project: Project, manifest: Manifest, source: str) -> None:
    """Beyond desk's checks on opening: every index agrees with its table (which
    ``quick_check`` does not look at), references hold, values have desk's types, and the film
    is the one the manifest names."""
    try:
        if project.query("PRAGMA integrity_check(1)") != [("ok",)]:
            raise _damaged(source)
        if project.query("PRAGMA foreign_key_check"):
            raise _damaged(source)
        for table, sql in _type_checks().items():
            if project.query(sql)[0][0]:
                raise ImportFormatError(
                    f"the project inside '{source}' holds {table} rows desk did not write."
                )
        film = _film_of(project)
    except _SQLITE_ERRORS:
        raise _damaged(source) from None
    inside = film.fingerprint if film else ""
    named = manifest.film.fingerprint if manifest.film else ""
    if inside != named:
        raise ImportFormatError(
            f"the manifest of '{source}' names another film than the project inside it; the "
            "bundle was altered or damaged."
        )


# -- merging into a project -------------------------------------------------------------------
def merge_bundle(project: Project, path: Path, options: Options) -> Summary:
    """Merge a bundle's annotations into ``project`` as one undoable command (all or nothing)."""
    path = Path(path)
    with open_bundle(path) as bundle:
        try:
            snapshot = read_snapshot(bundle.project)
            theirs = _clip_lists(bundle.project)
        except _SQLITE_ERRORS:
            raise _damaged(bundle.source) from None
        warnings = _merge_warnings(project, bundle, theirs)
    return apply_snapshot(
        project,
        snapshot,
        f"Merge {path.name}",
        on_conflict=options.on_conflict,
        warnings=warnings,
    )


def _clip_lists(project: Project) -> dict[str, tuple[Any, ...]]:
    """Clip lists by name, each with its clips in order (what makes two lists the same)."""
    out: dict[str, tuple[Any, ...]] = {}
    for list_id, name in project.query("SELECT id, name FROM clip_list ORDER BY position, id"):
        out[str(name)] = tuple(
            project.query(
                "SELECT start_ms, end_ms, handle_before_ms, handle_after_ms, title, caption "
                "FROM clip WHERE clip_list_id = ? ORDER BY position, id",
                list_id,
            )
        )
    return out


def _merge_warnings(
    project: Project, bundle: Bundle, theirs: dict[str, tuple[Any, ...]]
) -> list[str]:
    warnings = []
    ours = project.query(
        "SELECT fingerprint FROM media WHERE fingerprint != '' ORDER BY is_reference DESC, id"
    )
    film = bundle.manifest.film
    if film and film.fingerprint and ours and ours[0][0] != film.fingerprint:
        warnings.append(
            "the bundle was made on another copy of the film; its times are taken as they are."
        )
    mine = _clip_lists(project)
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


# -- opening as a new project -----------------------------------------------------------------
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
            rows = bundle.project.conn.execute(f"SELECT {columns} FROM {table.name}")
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
