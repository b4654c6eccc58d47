"""The ``desk export`` commands: the PDF report and the emotional-arc chart of a project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def cmd_report(args: argparse.Namespace) -> int:
    from desk.export.report import export_report

    result = export_report(
        Path(args.project), Path(args.output), paper=args.paper, scene=args.scene
    )
    for warning in result.warnings:
        sys.stderr.write(f"desk: warning: {warning}\n")
    _out(f"wrote {result.path}: {result.pages} pages, {result.stills} stills")
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    from desk.export.chart_files import export_chart

    path = export_chart(Path(args.project), Path(args.output), scene=args.scene)
    _out(f"wrote {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export report`` and ``export chart`` to the ``desk`` command line."""
    export = sub.add_parser(
        "export", help="export a report or a chart", description="export a report or a chart"
    )
    export.set_defaults(handler=lambda args: _usage(export))
    kinds = export.add_subparsers(dest="export_command", metavar="WHAT")

    p = kinds.add_parser(
        "report",
        help="the PDF report: essay with exact-frame stills, emotional arc, readings",
        description="Write the project's PDF report.",
    )
    p.set_defaults(handler=cmd_report)
    p.add_argument("project")
    p.add_argument("-o", "--output", required=True, help="the PDF to write")
    p.add_argument("--scene", help="the scene whose emotional arc to chart (default: most beats)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")

    p = kinds.add_parser(
        "chart",
        help="a scene's emotional arc as SVG or PNG",
        description="Write a scene's emotional-arc chart; the file's extension picks the format.",
    )
    p.set_defaults(handler=cmd_chart)
    p.add_argument("project")
    p.add_argument("-o", "--output", required=True, help="FILE.svg or FILE.png")
    p.add_argument("--scene", help="the scene to chart (default: the one with most beats)")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
