from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk import sample
from desk.store import models
from desk.store.project import Project

DIALOGUE = [
    (1_000, 2_400, "Igor", "Ty v poryadke?"),
    (3_000, 4_100, "Ani", "Don't."),
    (5_500, 7_250, "", "[wipers]"),
]


def fill_reference(project: Project) -> None:
    """The sample's annotations, a fingerprinted film and a tier of dialogue."""

    def apply(tx: object) -> None:
        from desk.store.commands import Tx

        assert isinstance(tx, Tx)
        film = {"path": "/films/anora.mkv", "fingerprint": "v1:0123abcd", "fps_num": 24000}
        tx.insert(models.Media, **film, duration_ms=8_340_000, fps_den=1001, is_reference=True)
        tier = tx.insert(models.Tier, name="Dialogue (en)", language="en", source="anora.en.srt")
        for start, end, speaker, text in DIALOGUE:
            tx.insert(models.Cue, tier_id=tier, start_ms=start, end_ms=end, text=text,
                      speaker=speaker)  # fmt: skip

    sample.fill(project)
    project.run("Add the film and dialogue", apply)


@pytest.fixture
def reference(tmp_path: Path) -> Iterator[Project]:
    """A project holding everything desk annotates: the sample project plus dialogue."""
    with Project.create(tmp_path / "reference.desk") as project:
        fill_reference(project)
        yield project


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Project]:
    with Project.create(tmp_path / "empty.desk") as project:
        yield project
