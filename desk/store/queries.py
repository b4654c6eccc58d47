"""Reads over a project in plain SQL: summaries, the full dump, and bulk rows for the views.

Bulk reads go through SQL rather than the ORM: loading 100,000 notes as model objects takes over a
second, as tuples a small fraction of that.
"""

from __future__ import annotations

from typing import Any

from desk.store.commands import KEYS
from desk.store.project import Project

#: Tables in the order the dump lists them, each ordered by a stable key.
DUMP_ORDER: dict[str, str] = {
    "project": "id",
    "media": "id",
    "essay": "id",
    "paragraph": "essay_id, position, id",
    "character": "id",
    "emotion": "id",
    "scene": "position, id",
    "shot": "start_ms, id",
    "beat": "start_ms, id",
    "beat_character": "beat_id, character_id",
    "note": "id",
    "time_link": "start_ms, id",
    "reading": "position, id",
    "evidence": "reading_id, id",
    "clip_list": "position, id",
    "clip": "clip_list_id, position, id",
    "tier": "id",
    "cue": "tier_id, start_ms, id",
}
assert set(DUMP_ORDER) == set(KEYS)

COUNTED = ("paragraph", "note", "time_link", "beat", "scene", "shot", "character", "reading")


def counts(project: Project) -> dict[str, int]:
    return {t: int(project.query(f"SELECT count(*) FROM {t}")[0][0]) for t in COUNTED}


def reference_media(project: Project) -> dict[str, Any] | None:
    rows = project.rows("SELECT * FROM media ORDER BY is_reference DESC, id LIMIT 1")
    return rows[0] if rows else None


def detected_cuts(project: Project) -> list[int]:
    """Where the detected shots begin, past the film's start, in order (film ms)."""
    rows = project.query(
        "SELECT start_ms FROM shot WHERE source = 'detected' AND start_ms > 0 ORDER BY start_ms"
    )
    return [int(r[0]) for r in rows]


def pinned_ranges(project: Project) -> list[tuple[int, int]]:
    """Every range of film time the project's own work points at: the links of paragraphs and
    notes, the beats and the lecture clips (film ms, ``(start, end)``)."""
    rows = project.query(
        "SELECT start_ms, end_ms FROM time_link UNION SELECT start_ms, end_ms FROM beat "
        "UNION SELECT start_ms, end_ms FROM clip"
    )
    return [(int(start), int(end)) for start, end in rows]


def info(project: Project) -> dict[str, Any]:
    meta = project.rows("SELECT * FROM project ORDER BY id LIMIT 1")
    essay = project.rows("SELECT title, dek FROM essay ORDER BY id LIMIT 1")
    return {
        "path": str(project.path),
        "schema_version": project.schema_version,
        "project": meta[0] if meta else {},
        "film": reference_media(project),
        "essay": essay[0] if essay else None,
        "counts": counts(project),
    }


def dump(project: Project) -> dict[str, Any]:
    """The whole project as plain data in a stable order (for diffing and scripting)."""
    out: dict[str, Any] = {"schema_version": project.schema_version}
    for table, order in DUMP_ORDER.items():
        out[table] = project.rows(f"SELECT * FROM {table} ORDER BY {order}")
    essay = project.rows("SELECT id, title, dek FROM essay ORDER BY id LIMIT 1")
    if essay:
        paragraphs = project.rows(
            "SELECT kind, text FROM paragraph WHERE essay_id = ? ORDER BY position, id",
            essay[0]["id"],
        )
        out["essay_text"] = {
            "title": essay[0]["title"],
            "dek": essay[0]["dek"],
            "blocks": paragraphs,
        }
    return out


def paragraphs(project: Project, essay_id: int) -> list[tuple[int, int, str, str]]:
    """(id, position, kind, text) of an essay's paragraphs, in order."""
    return [
        (int(r[0]), int(r[1]), str(r[2]), str(r[3]))
        for r in project.query(
            "SELECT id, position, kind, text FROM paragraph WHERE essay_id = ? "
            "ORDER BY position, id",
            essay_id,
        )
    ]


def links_by_paragraph(project: Project) -> dict[int, list[tuple[int, int, int]]]:
    """Paragraph id → [(link id, start_ms, end_ms)] in film order."""
    out: dict[int, list[tuple[int, int, int]]] = {}
    # ``+start_ms`` keeps SQLite from walking every link in film order through the start_ms
    # index: it finds the paragraphs' few links by paragraph_id and sorts those (5,000 of
    # 105,000 links in 10 ms rather than 200).
    for link_id, pid, start, end in project.query(
        "SELECT id, paragraph_id, start_ms, end_ms FROM time_link "
        "WHERE paragraph_id IS NOT NULL ORDER BY +start_ms, id"
    ):
        out.setdefault(pid, []).append((link_id, start, end))
    return out
