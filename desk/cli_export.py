"""The ``desk export`` commands (the PDF report, the emotional-arc chart, lecture clips) and
``desk clips``, which makes clip lists from the command line."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from desk import cli_interchange
from desk.cli_interchange import PROJECT_HELP
from desk.cli_usage import usage, where
from desk.core.outputs import check_folder, check_target


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def cmd_report(args: argparse.Namespace) -> int:
    check_target(Path(args.output))  # at once, before the store is even imported
    from desk.export.report import export_report
    from desk.film_tasks import settle_clock_of

    unsettled = settle_clock_of(Path(args.project))  # a project from before the one clock

    result = export_report(
        where(args.project), Path(args.output), paper=args.paper, scene=args.scene
    )
    for warning in ([unsettled] if unsettled else []) + result.warnings:
        sys.stderr.write(f"desk: warning: {warning}\n")
    _out(f"wrote {result.path}: {result.pages} pages, {result.stills} stills")
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    check_target(Path(args.output))
    from desk.export.chart_files import export_chart

    path = export_chart(where(args.project), Path(args.output), scene=args.scene)
    _out(f"wrote {path}")
    return 0


def cmd_clips(args: argparse.Namespace) -> int:
    check_folder(Path(args.out))
    from desk.export.clips import ClipOptions, export_clips
    from desk.film_tasks import settle_clock_of

    unsettled = settle_clock_of(Path(args.project))  # a project from before the one clock

    options = ClipOptions(
        captions=args.captions,
        timecode=args.timecode,
        height=args.height,
        reel=args.reel,
        playlist=args.playlist,
        playlist_over_film=args.playlist_over_film,
        handout=args.handout,
    )
    result = export_clips(where(args.project), Path(args.out), list_name=args.list, options=options)
    for warning in ([unsettled] if unsettled else []) + result.warnings:
        sys.stderr.write(f"desk: warning: {warning}\n")
    made = (result.reel, result.playlist, result.over_film, result.handout)
    extras = [p.name for p in made if p is not None]
    also = f" and {', '.join(extras)}" if extras else ""
    _out(f"wrote {_clips(len(result.clips))}{also} to {result.folder}")
    return 0


def cmd_clips_add(args: argparse.Namespace) -> int:
    from fractions import Fraction

    from desk.core.timecode import FrameRate, TimecodeError, parse_timecode
    from desk.errors import KnownError
    from desk.store import clip_lists as cl
    from desk.store import queries
    from desk.store.project import Project

    fields = {"handle_before_ms": args.handle_before, "handle_after_ms": args.handle_after}
    fields |= {k: v for k, v in (("title", args.title), ("caption", args.caption)) if v is not None}
    with Project.open(where(args.project), backup=False) as project:
        media = queries.reference_media(project)
        rate = FrameRate(Fraction(media.fps_num, media.fps_den)) if media else None
        list_id, _ = cl.ensure_clip_list(project, args.list)
        try:
            if args.scene is not None:
                clip_id, _ = cl.clip_from_scene(
                    project, list_id, cl.scene_named(project, args.scene), **fields
                )
            elif args.range is not None:
                start, end = (parse_timecode(t, rate) for t in _two(args.range, "--range"))
                clip_id, _ = cl.add_clip(project, list_id, start, end, **fields)
            elif args.beats is not None:
                first, last = (int(n) for n in _two(args.beats, "--beats", single=True))
                beats = cl.beats_numbered(project, first, last)
                clip_id, _ = cl.clip_from_beats(project, list_id, beats, **fields)
            else:
                paragraph = cl.paragraph_numbered(project, args.paragraph)
                clip_id, _ = cl.clips_from_paragraph(project, list_id, paragraph, **fields)
        except (TimecodeError, ValueError) as exc:
            raise KnownError(str(exc)) from None
        count = len(cl.clips_of(project, list_id))
    _out(f"added clip {clip_id} to '{args.list}' ({_clips(count)})")
    return 0


def _clips(count: int) -> str:
    return f"{count} clip" if count == 1 else f"{count} clips"


def _two(text: str, option: str, *, single: bool = False) -> tuple[str, str]:
    """``A-B`` (or ``A`` alone when ``single``) as two parts."""
    match = re.fullmatch(r"\s*(.+?)\s*[-–]\s*(.+?)\s*", text)
    if match is not None:
        return match[1], match[2]
    if single and text.strip():
        return text.strip(), text.strip()
    raise ValueError(f"{option} needs START-END, not '{text}'.")


def cmd_clips_list(args: argparse.Namespace) -> int:
    from desk.core.timecode import format_ms
    from desk.store import clip_lists as cl
    from desk.store.project import Project

    with Project.open(where(args.project), readonly=True) as project:
        for row in cl.clip_lists(project):
            _out(f"{row['name']}  ({_clips(row['clips'])})")
            for n, clip in enumerate(cl.clips_of(project, int(row["id"])), start=1):
                span = f"{format_ms(clip['start_ms'], 'short_ms')}–"
                span += format_ms(clip["end_ms"], "short_ms")
                _out(f"  {n:>2}. {span}  {clip['title']}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export report``, ``export chart``, ``export clips`` and ``clips`` to the CLI."""
    export = sub.add_parser(
        "export",
        help="export a report, a chart, clips or an interchange file",
        description="export a report, a chart, clips or an interchange file",
    )
    export.set_defaults(handler=usage(export))
    kinds = export.add_subparsers(dest="export_command", metavar="WHAT")

    p = kinds.add_parser(
        "report",
        help="the PDF report: essay with exact-frame stills, emotional arc, readings",
        description="Write the project's PDF report.",
    )
    p.set_defaults(handler=cmd_report)
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("-o", "--output", required=True, help="the PDF to write")
    p.add_argument(
        "--scene",
        help="limit the report to one scene, by name: only the paragraphs, links, notes, beats "
        "and evidence whose times overlap it (ranges that start before it or end after it "
        "included); default: the whole project, with the arc of the scene with most beats",
    )
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="the paper size")

    p = kinds.add_parser(
        "chart",
        help="a scene's emotional arc as SVG or PNG",
        description="Write a scene's emotional-arc chart; the file's extension picks the format.",
    )
    p.set_defaults(handler=cmd_chart)
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("-o", "--output", required=True, help="FILE.svg or FILE.png")
    p.add_argument("--scene", help="the scene to chart (default: the one with most beats)")

    p = kinds.add_parser(
        "clips",
        help="a clip list as MP4 clips (and a reel, a VLC playlist, a handout)",
        description="Write a clip list's clips, cut at the exact frames, into a folder.",
    )
    p.set_defaults(handler=cmd_clips)
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--out", required=True, help="the folder to write into (made if missing)")
    p.add_argument("--list", help="the clip list (default: the first)")
    p.add_argument("--captions", action="store_true", help="burn each clip's caption in")
    p.add_argument("--timecode", action="store_true", help="burn the film's timecode in")
    p.add_argument("--reel", action="store_true", help="also one MP4 with a title card per clip")
    p.add_argument(
        "--playlist", action="store_true", help="also an XSPF playlist that plays the clips"
    )
    p.add_argument(
        "--playlist-over-film",
        action="store_true",
        help="also an XSPF playlist that plays the same ranges from the film itself in VLC",
    )
    p.add_argument("--handout", action="store_true", help="also a PDF handout")
    p.add_argument("--height", type=int, help="scale the pictures to this height (720, 1080)")
    cli_interchange.register_export(kinds)
    cli_interchange.register_import(sub)
    _register_clips(sub)


def _register_clips(sub: argparse._SubParsersAction) -> None:
    """Add ``clips add`` and ``clips list``: clip lists for scripts."""
    clips = sub.add_parser("clips", help="work with clip lists", description="work with clip lists")
    clips.set_defaults(handler=usage(clips))
    commands = clips.add_subparsers(dest="clips_command", metavar="COMMAND")
    p = commands.add_parser(
        "add",
        help="add a clip to a list (made if missing)",
        description="Add a clip of a scene, a range, a run of beats or a paragraph's links.",
    )
    p.set_defaults(handler=cmd_clips_add)
    p.add_argument("project", help=PROJECT_HELP)
    p.add_argument("--list", required=True, help="the clip list's name")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--scene", help="a scene, by name")
    what.add_argument("--range", help="a range of film time, e.g. 1:00-1:10")
    what.add_argument("--beats", help="beats by number in film order, e.g. 3-5 or 4")
    what.add_argument("--paragraph", type=int, help="a body paragraph by number: a clip per link")
    p.add_argument("--title", help="the clip's title")
    p.add_argument("--caption", help="the clip's caption")
    p.add_argument(
        "--handle-before", type=int, default=0, metavar="MS", help="film to add before the clip"
    )
    p.add_argument(
        "--handle-after", type=int, default=0, metavar="MS", help="film to add after the clip"
    )
    p = commands.add_parser("list", help="show the clip lists", description="Show clip lists.")
    p.set_defaults(handler=cmd_clips_list)
    p.add_argument("project", help=PROJECT_HELP)
