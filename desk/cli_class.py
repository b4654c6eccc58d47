"""``desk share``, ``desk class enrol`` and ``desk pull``: a project shared with a class on a
PostgreSQL server, and back to a file (see :mod:`desk.store.class_project`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk.cli_usage import usage

ADDRESS_HELP = "the database: postgresql://[HOST]/DB (your role and password as libpq finds them)"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _roles(text: str) -> list[str]:
    return [r.strip() for r in text.split(",") if r.strip()]


def cmd_share(args: argparse.Namespace) -> int:
    from desk.store.class_project import share

    address = share(
        Path(args.project),
        args.server,
        args.class_name,
        _roles(args.students or ""),
        share_work=args.share_work,
    )
    _out(f"shared {args.project} as the class {address.class_name}: open {address.shown}")
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    from desk.store.class_project import enrol

    enrol(args.project, _roles(",".join(args.roles)))
    _out(f"enrolled {', '.join(args.roles)}")
    return 0


def cmd_share_work(args: argparse.Namespace) -> int:
    from desk.store.class_project import set_share_work

    set_share_work(args.project, args.setting == "on")
    seen = "each other's work" if args.setting == "on" else "only their own work"
    _out(f"students of the class now see {seen}")
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from desk.store.class_project import pull
    from desk.store.project import Project

    with Project.open(args.project, readonly=True) as project:
        pull(project, Path(args.target))
    _out(f"wrote {args.target}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("share", help="share a project with a class on a PostgreSQL server")
    p.set_defaults(handler=cmd_share)
    p.add_argument("project", help="the project file to share (NAME.desk)")
    p.add_argument("server", help=ADDRESS_HELP)
    p.add_argument("--class", dest="class_name", required=True, help="the class's name")
    p.add_argument("--students", help="the students' server roles, comma-separated")
    p.add_argument(
        "--share-work",
        action="store_true",
        help="let students see each other's notes and beats (otherwise only their own)",
    )

    p = sub.add_parser("class", help="manage a class on a server")
    p.set_defaults(handler=usage(p))
    group = p.add_subparsers(dest="class_command", metavar="COMMAND")
    p = group.add_parser("enrol", help="enrol existing server roles as students")
    p.set_defaults(handler=cmd_enrol)
    p.add_argument("project", help="the class: postgresql://…/DB?class=NAME")
    p.add_argument("roles", nargs="+", help="the students' server roles")

    p = group.add_parser("share-work", help="let students see each other's work, or not")
    p.set_defaults(handler=cmd_share_work)
    p.add_argument("project", help="the class: postgresql://…/DB?class=NAME")
    p.add_argument("setting", choices=("on", "off"), help="on: all see all; off: their own only")

    p = sub.add_parser("pull", help="copy a class from its server into a project file")
    p.set_defaults(handler=cmd_pull)
    p.add_argument("project", help="the class: postgresql://…/DB?class=NAME")
    p.add_argument("target", help="the project file to write (NAME.desk)")
