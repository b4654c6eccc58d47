"""The command line: headless commands over the same code the GUI uses.

Exit status 0 on success, 2 on a usage error, 1 on any other error with one line on stderr. A
user's mistake (a missing file, a project from a newer desk) is a :class:`~desk.errors.KnownError`
and never prints a traceback; anything else is a bug, logged with its traceback to the crash log.

Building the parser imports no more than ``argparse`` does, so that ``desk --version``, ``--help``
and a command's usage errors answer at once: each module a command needs (and those of the
commands ``check`` and ``install-desktop``, whose own modules import ``dataclasses``, hence
``inspect``) is imported when that command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from desk.cli_help import HelpFormatter
from desk.cli_interchange import PROJECT_HELP
from desk.cli_usage import usage, where
from desk.errors import FilmError, KnownError

Handler = Callable[[argparse.Namespace], int]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _json(data: object) -> None:
    import json

    _out(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# -- commands ---------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    from desk.attached_films import remember
    from desk.film_tasks import new_project

    project = new_project(Path(args.project), Path(args.film), title=args.title)
    project.close()
    remember(Path(args.film))  # chosen here: the window plays it without asking
    _out(f"created {args.project}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from desk.store import queries
    from desk.store.project import Project

    with Project.open(where(args.project), readonly=True) as project:
        data = queries.info(project)
    if args.json:
        _json(data)
        return 0
    film = data["film"]
    _out(f"project   {data['project'].get('title', '')}  (schema {data['schema_version']})")
    if film:
        _out(
            f"film      {film['path']}  {film['width']}x{film['height']}  {film['duration_ms']} ms"
        )
    if data["essay"]:
        _out(f"essay     {data['essay']['title']}")
    _out("counts    " + ", ".join(f"{k} {v}" for k, v in data["counts"].items()))
    return 0


def cmd_essay_import(args: argparse.Namespace) -> int:
    from desk.core.essay import read_essay
    from desk.store import edits
    from desk.store.project import Project

    parsed = read_essay(Path(args.essay))
    with Project.open(where(args.project)) as project:
        edits.import_essay(
            project,
            parsed.title,
            parsed.dek,
            [(b.kind, b.text) for b in parsed.blocks],
            replace=args.replace,
        )
    body = len(parsed.body_paragraphs)
    _out(f"imported '{parsed.title}': {body} paragraphs, {len(parsed.blocks) - body} headings")
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from desk.store import queries
    from desk.store.project import Project

    with Project.open(where(args.project), readonly=True) as project:
        _json(queries.dump(project))
    return 0


def cmd_probe(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from desk.media.probe import fingerprint, probe

    info = probe(Path(args.film))
    data = {**asdict(info), "fingerprint": fingerprint(Path(args.film))}
    if args.json:
        _json(data)
    else:
        for key, value in data.items():
            _out(f"{key:<20} {value}")
    return 0


def cmd_frame(args: argparse.Namespace) -> int:
    from desk.core.timecode import FrameRate, TimecodeError, format_ms, parse_timecode
    from desk.media.decoder import FrameDecoder
    from desk.media.frame_index import frame_index
    from desk.media.stills import check_still, write_still

    out = Path(args.output)
    check_still(out, args.width)  # before the film is read
    film = Path(args.film)
    index = frame_index(film)  # kept in the cache: read from the film the first time only
    # One opening of the film gives its rate and length, then the frame. A still never steps
    # back: no frames kept behind it, none decoded that it does not need (skip_passed), and frame
    # threads only where the run from the keyframe is long enough to repay them (threads=None).
    with FrameDecoder(
        film, max_width=args.width, index=index, trail=False, threads=None, skip_passed=True
    ) as decoder:
        clock = decoder.film_clock(index)
        try:
            at_ms = parse_timecode(args.at, FrameRate(clock.fps, clock.variable_frame_rate))
        except TimecodeError as exc:  # the user's typing, told as a usage error
            sys.stderr.write(f"desk frame: --at: {exc}\n")
            return 2
        if at_ms < 0:
            sys.stderr.write(f"desk frame: --at: {args.at!r} is before the film starts\n")
            return 2
        if at_ms >= clock.duration_ms:
            if not args.clamp:
                raise FilmError(
                    f"{args.at} is past the end of {film.name}, which is "
                    f"{format_ms(clock.duration_ms, 'short_ms')} long (--clamp takes the last "
                    "frame)."
                )
            at_ms = max(0, clock.duration_ms - 1)
        frame = write_still(decoder, at_ms, out, width=args.width)
    _out(f"frame {frame.index} at {frame.pts_ms} ms -> {args.output}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from desk.store.project import Project

    with Project.open(where(args.project), backup=False) as project:
        changes = project.redo() if args.redo else project.undo()
    verb = "redid" if args.redo else "undid"
    _out(f"{verb} {changes.label}" if changes else f"nothing to {'redo' if args.redo else 'undo'}")
    return 0


def cmd_relink(args: argparse.Namespace) -> int:
    from fractions import Fraction

    from desk.core.align_words import describe, notes
    from desk.core.alignment import align
    from desk.core.timecode import parse_timecode
    from desk.core.timefmt import fmt_ms
    from desk.film_tasks import relink
    from desk.media.probe import probe
    from desk.relink_check import CopyDiffers
    from desk.store import queries
    from desk.store.project import Project

    pairs = []
    try:
        for pair in args.pair or []:
            film_text, sep, copy_text = pair.partition("=")
            if not sep:
                raise KnownError(f"--pair needs FILM_TIME=COPY_TIME, not '{pair}'.")
            pairs.append((parse_timecode(film_text), parse_timecode(copy_text)))
        with Project.open(where(args.project)) as project:
            anchors = pairs
            if pairs:  # the same fit as the alignment dialog: the simplest mapping that agrees
                copy = probe(Path(args.film))
                copy_fps, copy_end = copy.fps, copy.duration_ms
                media = queries.reference_media(project)
                film_fps = Fraction(media.fps_num, media.fps_den) if media else copy_fps
                fitted = align(pairs, film_fps, copy_fps)
                if fitted.crossing is not None:
                    first, second = (
                        "=".join(map(fmt_ms, fitted.pairs[k])) for k in fitted.crossing
                    )
                    raise KnownError(
                        "matched moments must move forward in both the film and the copy: "
                        f"{first} and {second} do not."
                    )
                anchors = list(fitted.anchors or ())
                for note in notes(fitted, media.duration_ms if media else 0, copy_end):
                    sys.stderr.write(f"desk: note: {note}\n")
            relink(project, Path(args.film), anchors, force=args.force)
    except CopyDiffers as exc:
        raise KnownError(f"{exc} If it is the film you mean, relink with --force.") from None
    except ValueError as exc:  # a malformed time
        raise KnownError(str(exc)) from None
    from desk.attached_films import remember

    remember(Path(args.film))  # chosen here: the window plays it without asking
    mapping = f" ({len(pairs)} matching moments: {describe(fitted)})" if pairs else ""
    _out(f"{args.project} now plays {args.film}{mapping}")
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    from desk.film_tasks import analyse_film, choose_audio_track
    from desk.store.project import Project

    with Project.open(where(args.project)) as project:
        if args.audio_track is not None:
            choose_audio_track(project, args.audio_track)
        done = analyse_film(project, again=args.again)
    loudness = {
        "measured": "loudness measured",
        "cached": "loudness already measured",
        "silent": "no sound to measure",
    }[done.loudness]
    cuts = f"{done.cuts} cut{'' if done.cuts == 1 else 's'}"
    _out(f"{args.project}: {loudness}, {cuts} {'already found' if done.cuts_cached else 'found'}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from desk.attached_films import remember
    from desk.sample import write_sample
    from desk.store import queries
    from desk.store.project import Project

    path = write_sample(Path(args.folder), scale=args.scale)
    with Project.open(path, readonly=True) as project:
        media = queries.reference_media(project)
    if media is not None:
        remember(Path(media.path))  # the stand-in film desk just rendered
    _out(f"wrote {path}")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from desk import actions

    if args.json:
        _json(actions.as_json())
    else:
        sys.stdout.write(actions.as_text())
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from desk.app import run_gui

    return run_gui(where(args.project) if args.project else None)


# -- parser -----------------------------------------------------------------------------------
def version() -> str:
    """desk's version: the package's own, which is also what its metadata says (pyproject.toml
    reads it from there), read without importing ``importlib.metadata`` and the email parser."""
    from desk import __version__

    return __version__


def _lazy(module: str, name: str) -> Handler:
    """The handler ``module.name``, imported only when its command runs."""

    def handler(args: argparse.Namespace) -> int:
        run: Handler = getattr(import_module(module), name)
        return run(args)

    return handler


class _Version(argparse.Action):
    """``--version``: desk's version on a line of its own. argparse's own version action wraps
    the line as help text, which imports ``textwrap`` and compiles its patterns: a fifth of
    desk's start-up, for one short line."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, **kwargs)  # type: ignore[arg-type]

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        _out(f"desk {version()}")
        parser.exit()


class _Unbuilt:
    """Stands for the parser of a command this run does not parse: what its builder adds to it
    (arguments, defaults, groups, subcommands) goes nowhere."""

    def __getattr__(self, _name: str) -> Callable[..., _Unbuilt]:
        return self._nothing

    def _nothing(self, *_args: object, **_kwargs: object) -> _Unbuilt:
        return self


class _Parser(argparse.ArgumentParser):
    """A parser that knows the words after its command's name on the command line (None: build
    everything), so that its own commands build only the one those words name."""

    words: list[str] | None = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def add_subparsers(self, **kwargs: object) -> argparse._SubParsersAction:
        kwargs.setdefault("action", _Commands)
        sub = super().add_subparsers(**kwargs)  # type: ignore[call-overload]
        if isinstance(sub, _Commands) and self.words is not None:
            sub.only, sub.rest = (self.words[0], self.words[1:]) if self.words else ("", [])
        return sub


class _Commands(argparse._SubParsersAction):
    """desk's commands, each listed with its help, but with a parser built only for ``only``
    when one is named (and, in it, only for the command named next): each parser costs a few
    milliseconds (argparse looks up translations as it builds one), and a run parses one."""

    only: str | None = None
    rest: list[str]

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        if self.only is None or name == self.only:
            parser = super().add_parser(name, **kwargs)  # type: ignore[arg-type]
            if self.only is not None and isinstance(parser, _Parser):
                parser.words = self.rest
            return parser
        if "help" in kwargs:  # listed in ``desk --help`` all the same
            self._choices_actions.append(self._ChoicesPseudoAction(name, (), str(kwargs["help"])))
        self._name_parser_map[name] = _Unbuilt()
        return _Unbuilt()  # type: ignore[return-value]


def _commands_in(argv: Sequence[str]) -> list[str]:
    """The words of ``argv`` that are not options: the command, then its command, and so on."""
    return [word for word in argv if not word.startswith("-")]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """desk's parser; given the arguments it will parse, only the parser of the command they name
    is built (the others are listed by name and help)."""
    parser = _Parser(prog="desk", description="Scene-by-scene film analysis.")
    parser.add_argument("--version", action=_Version, help="print desk's version")
    if argv is not None:
        parser.words = _commands_in(argv)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    assert isinstance(sub, _Commands)

    def command(name: str, handler: Handler | None, help_text: str) -> argparse.ArgumentParser:
        """A command; one without a handler is a group whose subcommands have one."""
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler or usage(p))
        return p

    p = command("new", cmd_new, "create a project for a film")
    p.add_argument("project", help="the project file to create (NAME.desk)")
    p.add_argument("--film", required=True, help="the film the project is about")
    p.add_argument("--title", help="the project's title (default: the film's file name)")

    p = command("info", cmd_info, "summarise a project")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--json", action="store_true", help="print it as JSON")

    p = command("essay", None, "work with the essay")
    essay = p.add_subparsers(dest="essay_command", metavar="COMMAND")
    p = essay.add_parser("import", help="import an essay (text, Markdown, HTML, .docx)")
    p.set_defaults(handler=cmd_essay_import)
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("essay", help="the essay file (.txt, .md, .html or .docx)")
    p.add_argument("--replace", action="store_true", help="replace an existing essay")

    p = command("dump", cmd_dump, "print the whole project as JSON")
    p.add_argument("project", help=PROJECT_HELP)

    p = command("probe", cmd_probe, "describe a film file")
    p.add_argument("film", help="the film file")
    p.add_argument("--json", action="store_true", help="print it as JSON")

    p = command("frame", cmd_frame, "write the exact frame at a time as an image")
    p.add_argument("film", help="the film file")
    p.add_argument(
        "--at",
        required=True,
        help="a time, e.g. 1:23.500, 83.5s or SMPTE 00:01:23:12 at the film's rate",
    )
    p.add_argument("-o", "--output", required=True, help="the picture to write (.png or .jpg)")
    p.add_argument("--width", type=int, help="its width in pixels (default: the frame's own)")
    p.add_argument(
        "--clamp", action="store_true", help="a time past the end takes the film's last frame"
    )

    from desk import cli_apply, cli_export

    cli_apply.register(sub)

    p = command("undo", cmd_undo, "undo the last edit of a project")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--redo", action="store_true", help="redo instead")

    p = command("relink", cmd_relink, "point a project at another copy of its film")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("film", help="the copy of the film to play from now on")
    p.add_argument(
        "--pair",
        action="append",
        metavar="FILM=COPY",
        help="the same moment in the project's film and in this copy, e.g. 1:00=1:04.2 (repeat); "
        "the simplest mapping that puts every pair within a frame is kept: an offset, a known "
        "PAL/NTSC speed change, the measured speed, or piecewise (another cut)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="relink even when the copy's length, frame rate or picture size is not what the "
        "mapping expects (desk says what differs and refuses without it)",
    )

    p = command("analyse", cmd_analyse, "measure the film's loudness and find its shot cuts")
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--again", action="store_true", help="measure again, even if measured before")
    p.add_argument(
        "--audio-track",
        type=int,
        metavar="N",
        help="the audio stream the project plays, measures and cuts clips with from now on, by "
        "its index in desk probe FILM (a commentary, a dub)",
    )

    p = command("sample", cmd_sample, "write the sample project and its stand-in film")
    p.add_argument("folder", help="the folder to write them into (made if missing)")
    p.add_argument("--scale", type=float, default=1.0, help="picture size factor (e.g. 0.5)")

    p = command("keys", cmd_keys, "list the window's actions: menu, key, where it works")
    p.add_argument("--json", action="store_true", help="print them as JSON")

    p = command("open", cmd_gui, "open a project in the desk window")
    p.add_argument("project", nargs="?", help="the project to open (default: none)")

    cli_export.register(sub)

    from desk import cli_class

    cli_class.register(sub)

    p = sub.add_parser(
        "install-desktop",
        help="register desk with the Linux desktop: menu entry, icon, .desk and .deskz files",
        description="Install desk's desktop entry, icon and MIME types so that the desktop lists "
        "desk and opens .desk and .deskz files with it (into /usr/local/share, or your own data "
        "folder with --user).",
    )
    p.set_defaults(handler=_lazy("desk.desktop", "cmd_install_desktop"))
    p.add_argument(
        "--user",
        action="store_true",
        help="install for yourself only ($XDG_DATA_HOME, ~/.local/share), no root needed",
    )
    p.add_argument("--uninstall", action="store_true", help="remove what install-desktop installed")

    p = sub.add_parser(
        "check",
        help="check this installation: libVLC, PyAV, fonts, data folder (include it in reports)",
        description="Check each part desk needs and print one line per part; exit status 1 if "
        "one does not work.",
    )
    p.set_defaults(handler=_lazy("desk.diagnose", "cmd_check"))
    p.add_argument(
        "--play",
        action="store_true",
        help="also open the window on the sample project and play it (needs a screen)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    import logging  # once the command is known: --version and --help need none of it

    logging.basicConfig(level=logging.WARNING, format="desk: %(message)s")
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return cmd_gui(argparse.Namespace(project=None))
    try:
        return handler(args)
    except KnownError as exc:
        sys.stderr.write(f"desk: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("desk: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader stopped reading (desk info P | head -1): nothing is wrong with desk. As
        # Python's documentation advises, point standard output at devnull so that the flush at
        # exit does not fail once more, and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: keep the traceback, show one line
        from desk.crash import record_crash

        where = record_crash(exc)
        sys.stderr.write(
            f"desk: internal error ({type(exc).__name__}: {exc}); details in {where}\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
