"""Projects and films for the GUI tests: a small generated film and the sample project."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from desk.store.project import Project
from desk.ui.main_window import MainWindow
from desk.ui.session import Session


@pytest.fixture(scope="session")
def small_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desk.media.synth import render_film

    path = tmp_path_factory.mktemp("films") / "film.mp4"
    return render_film(path, width=192, height=108, fps=Fraction(24), duration_s=8.0,
                       keyframe_interval=24)  # fmt: skip


@pytest.fixture(scope="session")
def sample_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desk.sample import write_sample

    folder = tmp_path_factory.mktemp("sample")
    write_sample(folder, scale=0.25)
    return folder


@pytest.fixture
def sample_copy(sample_folder: Path, tmp_path: Path) -> Path:
    """A private copy of the sample project (the film stays shared)."""
    target = tmp_path / "anora-ending.desk"
    with Project.open(sample_folder / "anora-ending.desk", backup=False) as project:
        project.save_copy(target)
    return target


@pytest.fixture
def session(sample_copy: Path, qtbot: object) -> Iterator[Session]:
    project = Project.open(sample_copy, backup=False)
    yield Session(project)
    project.close()


@pytest.fixture(name="sample_window")
def _sample_window(qtbot: object, sample_copy: Path) -> Iterator[MainWindow]:
    """The main window on a private copy of the sample project, as the critic opens it."""
    window = MainWindow()
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    assert window.open_project(sample_copy, trusted_media=True)
    yield window
    window.close_project()


@pytest.fixture
def no_painting_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A painting bug is logged, not raised (see ``strips.guarded``): fail the story on one."""
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()
