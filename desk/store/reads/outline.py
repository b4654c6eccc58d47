"""The project's outline as lists and filters show it: scenes in the essay's order, characters by
name, and where the essay's links fall in the film."""

from __future__ import annotations

from dataclasses import dataclass

from desk.store.project import Project


@dataclass(frozen=True, slots=True)
class Scene:
    """A scene: its name and the range of film time it covers (film ms)."""

    id: int
    name: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class CharacterName:
    id: int
    name: str


def scenes(project: Project) -> list[Scene]:
    """Every scene in the order the user arranged them (oldest first among equals)."""
    return [
        Scene(int(i), str(name), int(start), int(end))
        for i, name, start, end in project.query(
            "SELECT id, name, start_ms, end_ms FROM scene ORDER BY position, id"
        )
    ]


def characters_by_name(project: Project) -> list[CharacterName]:
    """Every character, in alphabetical order of name."""
    return [
        CharacterName(int(i), str(name))
        for name, i in project.query("SELECT name, id FROM character ORDER BY name")
    ]


def paragraph_link_starts(project: Project, limit: int) -> list[int]:
    """Where up to ``limit`` of the essay's links start (film ms), in no particular order: the
    moments worth preparing stills for first."""
    return [
        int(r[0])
        for r in project.query(
            "SELECT start_ms FROM time_link WHERE paragraph_id IS NOT NULL LIMIT ?", limit
        )
    ]
