"""Class projects for the tests: the sample's analysis shared on the test server."""

from __future__ import annotations

import itertools
from pathlib import Path

from desk import sample
from desk.store.class_project import share
from desk.store.project import Project
from tests.pg.server import STUDENTS, Server

_names = itertools.count(1)


def sample_project(path: Path) -> Path:
    """The sample's essay, scenes, beats, notes and readings, without its film."""
    with Project.create(path, title="Anora") as project:
        sample.fill(project)
    return path


def new_class(server: Server, folder: Path, *, share_work: bool = False) -> str:
    """Share the sample as a fresh class (a name of its own per test); its teacher's address."""
    name = f"film_{next(_names)}"
    local = sample_project(folder / "anora.desk")
    share(local, server.url("ms_lee"), name, list(STUDENTS), share_work=share_work)
    return server.url("ms_lee", name)
