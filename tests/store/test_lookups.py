"""What a command asks of the project while it writes sees its own rows, and only real tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.store import edits, lookups, models
from desk.store.commands import Tx
from desk.store.project import Project


@pytest.fixture
def project(project_path: Path):
    with Project.create(project_path, title="Anora") as p:
        yield p


def test_a_command_finds_the_character_it_has_just_added_by_name(project: Project) -> None:
    edits.add_character(project, "Ani")

    def add(tx: Tx) -> dict[str, int]:
        igor = tx.insert(models.Character, name="Igor")
        found = lookups.ids_by_name(tx, "character")
        assert found["Igor"] == igor
        return found

    found, _ = project.run("Add Igor", add)

    assert sorted(found) == ["Ani", "Igor"]


def test_an_import_finds_rows_by_uid_and_counts_what_is_there(project: Project) -> None:
    essay, _ = edits.import_essay(project, "Ending", "", [("body", "Snow."), ("body", "Ring.")])
    edits.add_scene(project, "The final scene", 18_000, 120_000)

    def look(tx: Tx) -> tuple[dict[str, int], int, int, int]:
        return (
            lookups.ids_by_uid(tx, "paragraph"),
            lookups.paragraph_count(tx, essay),
            lookups.row_count(tx, "scene"),
            lookups.row_count(tx, "reading"),
        )

    (uids, paragraphs, scenes, readings), _ = project.run("Look", look)

    assert len(uids) == 2
    assert all(uid for uid in uids)
    assert (paragraphs, scenes, readings) == (2, 1, 0)


def test_a_beat_knows_who_feels_it(project: Project) -> None:
    ani, _ = edits.add_character(project, "Ani")
    igor, _ = edits.add_character(project, "Igor")
    beat, _ = edits.add_beat(project, start_ms=0, end_ms=1_000, characters=[igor, ani])
    alone, _ = edits.add_beat(project, start_ms=2_000)

    found, _ = project.run(
        "Look",
        lambda tx: (lookups.characters_of_beat(tx, beat), lookups.characters_of_beat(tx, alone)),
    )

    assert found == ([ani, igor], [])


@pytest.mark.parametrize(
    ("lookup", "table"),
    [
        (lookups.ids_by_uid, "journal"),
        (lookups.ids_by_name, "note; DROP TABLE note"),
        (lookups.row_count, "paragraph"),
    ],
)
def test_a_table_a_lookup_does_not_know_is_refused(project: Project, lookup, table) -> None:
    with pytest.raises(ValueError, match="rows"):
        project.run("Look", lambda tx: lookup(tx, table))
