"""What the fuzz tests of the interchange formats share: their Hypothesis settings, the valid file
each one mutates (made from the reference project) with the project mutants are merged into, and
reading where a refusal is an answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings

from desk.errors import ImportFormatError
from desk.interchange.formats import parse
from desk.interchange.model import Snapshot
from desk.store.project import Project
from tests.interchange.conftest import fill_reference

Made = TypeVar("Made")


def fuzz(max_examples: int) -> settings:
    """Settings for a fuzz test: no deadline (a merge commits to SQLite, whose time varies), and
    module-scoped fixtures allowed, since each example leaves the target as a refusal would."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@contextmanager
def valid_and_target(
    folder: Path, make: Callable[[Project], Made]
) -> Iterator[tuple[Made, Project]]:
    """What ``make`` makes of the reference project, and an empty project to merge mutants into."""
    with Project.create(folder / "teacher.desk") as teacher:
        fill_reference(teacher)
        valid = make(teacher)
    with Project.create(folder / "target.desk") as target:
        yield valid, target


def parse_or_refuse(fmt: str, data: bytes) -> Snapshot | None:
    """The snapshot read from ``data``, or None when desk refuses it with a clear message."""
    try:
        return parse(fmt, data).snapshot
    except ImportFormatError:
        return None
