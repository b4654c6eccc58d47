"""What a command group (``desk essay``, ``desk export``, ``desk clips``) does when given without
its subcommand: it prints its help on stderr and exits 2, as argparse does for any usage error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The handler of ``parser``'s command when no subcommand follows it."""

    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler
