"""Importing and exporting a project in one of the interchange formats.

Every format but the bundle is a pair of pure functions in its own module: ``read_<fmt>(data,
options, source) -> Parsed`` turns a file's bytes into a :class:`~desk.interchange.model.Snapshot`
(or raises :class:`~desk.errors.ImportFormatError` naming the line or element at fault), and
``write_<fmt>(snapshot, options) -> Written`` turns a snapshot into bytes, saying what the format
could not carry. This module reads and writes the files and touches the project, so an import is
parsed whole before one undoable command merges it (all or nothing: a CSV sheet is read while
that command runs, its plain notes inserted as they are read, and a bad row rolls it all back),
and an export is written under a temporary name and renamed. A source is recognised by its
content, not its name or bytes (:mod:`~desk.interchange.recognition`): a renamed or re-saved
copy of a tier already imported is already there.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from desk.core.files import write_atomically
from desk.core.outputs import check_target
from desk.errors import ImportFormatError
from desk.interchange.film_clock import (
    film_clock,
    notes_on_film_time,
    on_copy_clock,
    on_film_time,
)
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import Note, OnConflict, Snapshot, Summary
from desk.interchange.names import FORMATS
from desk.interchange.outside import Outside, check_inside, noting_outside
from desk.interchange.paused_gc import cycles_uncollected
from desk.interchange.recognition import without_known_tiers
from desk.interchange.snapshot_read import read_snapshot
from desk.store import queries
from desk.store.annotation_rows import film_fingerprint
from desk.store.project import Project

_MODULES = {
    "eaf": "desk.interchange.eaf",
    "vtt": "desk.interchange.subtitles",
    "srt": "desk.interchange.subtitles",
    "jsonld": "desk.interchange.jsonld",
    "csv": "desk.interchange.csvfile",
}
#: The largest file an import reads (a feature film's subtitles are ~100 KB, a dense ELAN file a
#: few MB); anything bigger is refused before it is read.
MAX_IMPORT_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Options:
    """What the user chose, for the formats that offer a choice."""

    #: Subtitle export: ``notes``, ``paragraphs`` or ``dialogue`` (the reference tier ``tier``).
    what: str = "notes"
    #: Subtitle import: ``dialogue`` (a new reference tier) or ``notes``.
    as_: str = "dialogue"
    #: The reference tier to export, or the name of the tier an import makes.
    tier: str = ""
    #: Bundle export: put the project's lecture clips (already exported) in too.
    clips: Path | None = None
    #: What a merge does with an annotation the project has in another version.
    on_conflict: OnConflict = "ours"
    #: Import: take times past the end of the project's film instead of refusing the file.
    allow_outside: bool = False
    #: Import: the film's length, where a time given without an end ends (0 when unknown); set
    #: from the project by :func:`import_file`.
    film_end_ms: int = 0


@dataclass
class Parsed:
    snapshot: Snapshot
    warnings: list[str] = field(default_factory=list)


@dataclass
class Written:
    data: bytes
    warnings: list[str] = field(default_factory=list)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format '{fmt}'; desk knows {', '.join(FORMATS)}.")
    return fmt


def read_limited(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of a file to import, with a clear refusal when it cannot be one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFormatError(f"'{path}' is a folder, not a file.")
        if size > limit:
            raise ImportFormatError(
                f"'{path.name}' is {size / 2**20:.1f} MB; desk imports files up to "
                f"{limit // 2**20} MB."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(f"'{path}' does not exist.") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read '{path}': {exc.strerror or exc}.") from None
    if not data.strip():
        raise ImportFormatError(f"'{path.name}' is empty.")
    return data


def _module(fmt: str) -> ModuleType:
    return importlib.import_module(_MODULES[check_format(fmt)])


def parse(fmt: str, data: bytes, options: Options = Options(), source: str = "") -> Parsed:
    """A file's bytes as a snapshot (nothing is written anywhere)."""
    parsed: Parsed = getattr(_module(fmt), f"read_{fmt}")(data, options, source)
    return parsed


def render(fmt: str, snapshot: Snapshot, options: Options = Options()) -> Written:
    """A snapshot as a file's bytes."""
    written: Written = getattr(_module(fmt), f"write_{fmt}")(snapshot, options)
    return written


def import_file(
    project: Project,
    fmt: str,
    path: Path,
    options: Options = Options(),
    resolutions: Mapping[str, OnConflict] | None = None,
) -> Summary:
    """Merge a file into the project as one undoable command: all of it, or nothing.
    ``resolutions`` settles conflicts one by one (by uid), the others by ``options``. A file with
    times past the end of the project's film is refused (``OutsideFilm``, listing them) unless
    ``options.allow_outside``."""
    if check_format(fmt) == "deskz":
        from desk.interchange.bundle import merge_bundle

        return merge_bundle(project, Path(path), options, resolutions=resolutions)
    reference = queries.reference_media(project)
    film_end_ms = reference.duration_ms if reference is not None else 0
    options = replace(options, film_end_ms=film_end_ms)
    name = Path(path).name
    data = read_limited(Path(path))
    clock = film_clock(project)  # the file's times are the film's container clock
    check = bool(film_end_ms and not options.allow_outside)
    outside: list[Outside] = []
    module = _module(fmt)
    streamed = getattr(module, f"stream_{fmt}", None)
    if streamed is None:
        parsed = parse(fmt, data, options, name)
        loose: Iterable[Note] = ()
        rest: Callable[[], Parsed] = lambda: parsed  # noqa: E731
    else:  # a sheet's plain notes are merged as they are read; the rest when all are
        stream = streamed(data, options, name)
        # times past the end are the file's own, as for the rest (checked before the clock)
        loose = noting_outside(stream, film_end_ms, outside) if check else stream
        loose = notes_on_film_time(loose, clock.time_map)
        rest = stream.parsed
    del data
    warnings: list[str] = []
    known = [0]

    def snapshot() -> Snapshot:
        parsed = rest()
        if check:
            check_inside(parsed.snapshot, film_end_ms, name, outside)
        warnings.extend(parsed.warnings)
        incoming = parsed.snapshot.film.fingerprint
        ours = film_fingerprint(project)
        if incoming and ours and incoming != ours:
            warnings.append(
                "the file was made on another copy of the film; its times are taken as they are."
            )
        if clock.warning:
            warnings.append(clock.warning)
        snap = on_film_time(parsed.snapshot, clock.time_map)
        if snap.tiers:  # a renamed or re-saved copy of a source is recognised by its cues
            snap, known[0] = without_known_tiers(snap, read_snapshot(project).tiers)
        return snap

    with cycles_uncollected() if streamed else contextlib.nullcontext():
        summary = apply_snapshot(
            project,
            snapshot if streamed else snapshot(),  # a file read whole is checked before merging
            f"Import {FORMATS[fmt]}",
            on_conflict=options.on_conflict,
            resolutions=resolutions,
            loose=loose,
        )
    summary.warnings[:0] = warnings
    summary.duplicates += known[0]
    return summary


def export_file(project: Project, fmt: str, output: Path, options: Options = Options()) -> Summary:
    """Write the project in a format; the summary's warnings say what the format left out."""
    check_target(Path(output))  # before the snapshot is read and rendered
    if check_format(fmt) == "deskz":
        from desk.interchange.bundle import write_bundle

        return write_bundle(project, Path(output), options)
    clock = film_clock(project)  # written on the clock other players count the film on
    written = render(fmt, on_copy_clock(read_snapshot(project), clock.time_map), options)
    write_atomically(Path(output), written.data)
    return Summary(warnings=written.warnings + ([clock.warning] if clock.warning else []))
