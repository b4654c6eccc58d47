"""``desk import FORMAT PROJECT FILE`` and ``desk export FORMAT PROJECT -o FILE`` for the
interchange formats (ELAN, WebVTT, SRT, W3C Web Annotation, CSV and the desk bundle), and what the
film itself carries: ``desk import track PROJECT --stream N`` (a subtitle track as dialogue) and
``desk import chapters PROJECT`` (its chapters as scenes)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk.cli_usage import where
from desk.core.outputs import check_target

TYPE_CHECKING = False  # typing's, without importing typing at start-up: mypy takes it as True

if TYPE_CHECKING:  # the model loads SQLModel: only when a command needs it
    from desk.interchange.model import Conflict

INTERCHANGE = ("eaf", "vtt", "srt", "jsonld", "csv", "deskz")
#: What ``desk import`` reads from the project's own film rather than from a file.
FROM_FILM = ("track", "chapters")
#: The help of every command's PROJECT argument.
PROJECT_HELP = "the project file (NAME.desk), or a class: postgresql://…/DB?class=NAME"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _warn(text: str) -> None:
    sys.stderr.write(f"desk: warning: {text}\n")


def _options(args: argparse.Namespace) -> object:
    from desk.interchange.formats import Options

    return Options(
        what=getattr(args, "what", "notes"),
        as_=getattr(args, "as_", "dialogue"),
        tier=getattr(args, "tier", None) or "",
        clips=Path(args.clips) if getattr(args, "clips", None) else None,
        on_conflict=getattr(args, "on_conflict", "ours"),
        allow_outside=getattr(args, "allow_outside", False),
    )


def cmd_import(args: argparse.Namespace) -> int:
    from desk.errors import KnownError
    from desk.film_tasks import settle_clock
    from desk.interchange.formats import Options, import_file
    from desk.interchange.outside import OutsideFilm
    from desk.store.project import Project

    parser: argparse.ArgumentParser = args.parser
    if args.format in FROM_FILM:
        if args.file is not None:
            parser.error(f"import {args.format} reads the project's film, not '{args.file}'")
        if args.format == "track" and args.stream is None:
            parser.error("import track needs --stream N (desk probe FILM lists the tracks)")
        return _import_from_film(args)
    if args.file is None:
        parser.error(f"import {args.format} needs the FILE to import")
    if args.stream is not None:
        parser.error("--stream is for import track")
    options = _options(args)
    assert isinstance(options, Options)
    if args.format == "deskz" and not Path(args.project).exists():
        return _open_bundle(Path(args.project), Path(args.file))
    with Project.open(where(args.project), backup=False) as project:
        settle_clock(project)  # the file's times are the film's container clock
        try:
            summary = import_file(project, args.format, Path(args.file), options)
        except OutsideFilm as exc:
            raise KnownError(f"{exc} Nothing was imported; --allow-outside takes them.") from None
    for warning in summary.warnings:
        _warn(warning)
    _out(f"imported {Path(args.file).name}: {summary.describe()}")
    for line in summary.applied:
        _out(f"  {line}")
    for conflict in summary.conflicts:
        _out(_conflict_lines(conflict, options.on_conflict))
    return 0


def _conflict_lines(conflict: Conflict, policy: str) -> str:
    """A conflict as the CLI lists it: the versions one under the other, the base first."""
    kept = {"ours": "kept the project's", "theirs": "took the file's", "both": "kept both"}
    versions = [("project", conflict.ours), ("file", conflict.theirs)]
    if conflict.base is not None:
        versions.insert(0, ("base", conflict.base))
    lines = [f"  conflict, {conflict.kind} {conflict.uid[:8]} ({kept[policy]}):"]
    for name, text in versions:
        lines.append(f"    {name + ':':<9}{text.replace(chr(10), ' — ')}")
    return "\n".join(lines)


def _import_from_film(args: argparse.Namespace) -> int:
    """``desk import track|chapters PROJECT``: what the project's film carries."""
    from desk.interchange.film_tracks import import_chapters, import_track
    from desk.store.project import Project

    with Project.open(where(args.project), backup=False) as project:
        if args.format == "track":
            summary = import_track(project, args.stream, tier=args.tier or "")
            what = f"subtitle track {args.stream}"
        else:
            summary = import_chapters(project)
            what = "chapters"
    for warning in summary.warnings:
        _warn(warning)
    _out(f"imported the film's {what}: {summary.describe()}")
    return 0


def _open_bundle(target: Path, bundle: Path) -> int:
    """``desk import deskz NEW.desk FILE``: a new project made from a received bundle."""
    from desk.interchange.bundle import open_as_project

    opened = open_as_project(target, bundle)
    for warning in opened.warnings:
        _warn(warning)
    _out(f"created {target} from {bundle.name}: {opened.describe()}")
    film = opened.manifest.film
    if film is None:
        _out("film: the bundle names no film")
    elif opened.film is not None:
        _out(f"film: found {opened.film} (the same fingerprint); desk asks before playing it")
    else:
        title = f"'{film.title}' " if film.title else ""
        _out(f"film: {title}not linked; relink your own copy with: desk relink {target} FILM")
    if opened.clips is not None:
        _out(f"clips: {len(list(opened.clips.iterdir()))} clip files in {opened.clips}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    check_target(Path(args.output))  # at once, before the store is even imported
    from desk.film_tasks import settle_clock_of
    from desk.interchange.formats import Options, export_file
    from desk.store.project import Project

    options = _options(args)
    assert isinstance(options, Options)
    if args.export_command != "deskz":  # a bundle carries film time and the copy's map as they are
        settle_clock_of(Path(args.project))  # a project from before the one clock
    with Project.open(where(args.project), readonly=True) as project:
        summary = export_file(project, args.export_command, Path(args.output), options)
    for warning in summary.warnings:
        _warn(warning)
    _out(f"wrote {args.output}")
    return 0


def register_import(sub: argparse._SubParsersAction) -> None:
    """Add ``desk import FORMAT PROJECT FILE``."""
    p = sub.add_parser(
        "import",
        help="merge an ELAN, subtitle, web-annotation, CSV file or a desk bundle into a project, "
        "or a subtitle track or the chapters of its film",
        description=(
            "Merge a file into a project as one undoable edit: all of it or, if anything in it "
            "is wrong, nothing. Annotations already in the project are not added twice. "
            "'track' takes a text subtitle track of the project's film (--stream N, as desk probe "
            "lists it) as a tier of dialogue; 'chapters' takes the film's chapters as scenes."
        ),
    )
    p.set_defaults(handler=cmd_import, parser=p)
    p.add_argument(
        "format",
        choices=INTERCHANGE + FROM_FILM,
        metavar="FORMAT",
        help=", ".join(INTERCHANGE + FROM_FILM),
    )
    p.add_argument(
        "project",
        help="the project to merge into; a desk bundle imported into a project that does not "
        "exist yet becomes that new project",
    )
    p.add_argument("file", nargs="?", help="the file to import (none for track and chapters)")
    p.add_argument(
        "--stream",
        type=int,
        metavar="N",
        help="track: the film's subtitle stream to import, by its index in desk probe",
    )
    p.add_argument(
        "--as",
        dest="as_",
        choices=("dialogue", "notes"),
        default="dialogue",
        help="subtitles and ELAN: reference tiers of dialogue (default) or notes",
    )
    p.add_argument("--tier", help="subtitles, track: the name of the new reference tier")
    p.add_argument(
        "--on-conflict",
        choices=("ours", "theirs", "both"),
        default="ours",
        help="an annotation changed on both sides (or changed on one and deleted on the other; a "
        "bundle says what both started from, so a change on one side only is taken without "
        "asking): keep the project's (default), take the file's, or keep both",
    )
    p.add_argument(
        "--allow-outside",
        action="store_true",
        help="take times past the end of the project's film (refused by default, and listed)",
    )


def register_export(kinds: argparse._SubParsersAction) -> None:
    """Add ``desk export eaf|vtt|srt|jsonld|csv|deskz PROJECT -o FILE``."""
    from desk.interchange.names import FORMATS

    for fmt in INTERCHANGE:
        p = kinds.add_parser(
            fmt, help=FORMATS[fmt], description=f"Write the project as {FORMATS[fmt]}."
        )
        p.set_defaults(handler=cmd_export)
        p.add_argument("project", help=PROJECT_HELP)
        p.add_argument("-o", "--output", required=True, help="the file to write")
        if fmt in ("vtt", "srt"):
            p.add_argument(
                "--what",
                choices=("notes", "paragraphs", "dialogue"),
                default="notes",
                help="the cues: notes (default), the essay's paragraphs, or a reference tier",
            )
            p.add_argument("--tier", help="with --what dialogue: the tier (default: the first)")
        if fmt == "deskz":
            p.add_argument("--clips", help="a folder of exported lecture clips to put in too")
