"""What a command group (``desk essay``, ``desk export``, ``desk clips``) does when given without
its subcommand: it prints its help on stderr and exits 2, as argparse does for any usage error;
and how a command reads the project it is given."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The handler of ``parser``'s command when no subcommand follows it."""

    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler


def where(project: str) -> Path | str:
    """A project argument: a file's path, or a class's address on a server
    (``postgresql://…/DB?class=NAME``), which a path would mangle."""
    from desk.store.server import is_server_address

    return project if is_server_address(project) else Path(project)
