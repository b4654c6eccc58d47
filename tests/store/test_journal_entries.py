"""An import's undo entry: its rows named by range until it is undone, read in then for a redo;
older entries, with the rows inline, still undone and redone; a doctored range refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.errors import ProjectCorrupt
from desk.interchange.formats import import_file
from desk.store import queries
from desk.store.project import Project


def everything(project: Project) -> dict[str, Any]:
    """The project as ``desk dump`` prints it, and its search index."""
    return {
        **queries.dump(project),
        "search": project.query("SELECT rowid, body FROM search ORDER BY rowid"),
    }


def sheet_of(tmp_path: Path, rows: int) -> Path:
    sheet = tmp_path / "frames.csv"
    lines = (
        f"note,{k * 40 / 1000:.3f},{(k * 40 + 1500) / 1000:.3f},Frame {k} snow,"
        f"{'Ani' if k % 3 else ''}\r\n"
        for k in range(rows)
    )
    sheet.write_text("type,start,end,text,characters\r\n" + "".join(lines), "utf-8")
    return sheet


def forward(project: Project) -> list[Any]:
    (text,) = project.query("SELECT forward FROM journal ORDER BY id DESC LIMIT 1")[0]
    return list(json.loads(text))


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[tuple[Project, dict[str, Any], dict[str, Any]]]:
    """A project with a note of its own and then 2,000 notes imported: the project, what it held
    before the import, and after."""
    project = Project.create(tmp_path / "film.desk")
    import_file(project, "csv", sheet_of(tmp_path, 1))
    before = everything(project)
    import_file(project, "csv", sheet_of(tmp_path, 2_001))
    after = everything(project)
    assert len(after["note"]) == 2_001
    yield project, before, after
    project.close()


def test_an_imports_rows_are_named_by_range_then_undone_and_redone_exactly(
    imported: tuple[Project, dict[str, Any], dict[str, Any]],
) -> None:
    project, before, after = imported
    named = [(op, table, row.get("ids")) for op, table, row, _ in forward(project)]
    assert ("insert_range", "note", [2, 2_001]) in named
    assert ("insert_range", "time_link", [2, 2_001]) in named
    assert all(op != "insert_many" for op, _, _ in named)
    project.undo()
    assert everything(project) == before
    rows = {table: row for op, table, row, _ in forward(project) if op == "insert_many"}
    assert len(rows["note"]["rows"]) == len(rows["time_link"]["rows"]) == 2_000
    project.redo()
    assert everything(project) == after
    project.undo()  # its rows now inline: undone again as an older entry is
    assert everything(project) == before
    project.redo()
    assert everything(project) == after


def test_an_entry_from_before_ranges_with_its_rows_inline_still_undoes_and_redoes(
    imported: tuple[Project, dict[str, Any], dict[str, Any]],
) -> None:
    project, before, after = imported
    # the forward text as desk wrote it until now: each bulk insert's rows read back inline
    older = []
    for op, table, row, previous in forward(project):
        if op == "insert_range":
            columns = row["columns"]
            found = project.query(
                f"SELECT {', '.join(columns)} FROM {table} WHERE id BETWEEN ? AND ? ORDER BY id",
                *row["ids"],
            )
            op, row = "insert_many", {"columns": columns, "rows": [list(r) for r in found]}
        older.append([op, table, row, previous])
    project.conn.execute(
        "UPDATE journal SET forward = ? WHERE id = (SELECT max(id) FROM journal)",
        (json.dumps(older).encode(),),
    )
    project.undo()
    assert everything(project) == before
    project.redo()
    assert everything(project) == after


def _doctored(ops: list[Any], table: str, change: Any) -> list[Any]:
    return [[op, t, change(row) if t == table else row, b] for op, t, row, b in ops]


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("note", lambda row: {**row, "ids": [1, row["ids"][1]]}, "does not remove"),
        ("time_link", lambda row: {**row, "ids": [row["ids"][1], 2]}, "damaged range"),
        ("note", lambda row: {**row, "ids": ["2", 2_001]}, "damaged range"),
        ("note", lambda row: {**row, "columns": ["id", "text) FROM x; --"]}, "impossible column"),
        ("note", lambda row: {**row, "columns": ["id", "secret"]}, "impossible column"),
    ],
    ids=["wider than its undo", "backwards", "not a number", "not a name", "unknown column"],
)
def test_undo_refuses_a_doctored_range_and_changes_nothing(
    imported: tuple[Project, dict[str, Any], dict[str, Any]],
    table: str,
    change: Any,
    message: str,
) -> None:
    project, _, after = imported
    project.conn.execute(
        "UPDATE journal SET forward = ? WHERE id = (SELECT max(id) FROM journal)",
        (json.dumps(_doctored(forward(project), table, change)),),
    )
    with pytest.raises(ProjectCorrupt, match=message):
        project.undo()
    assert everything(project) == after
    assert project.undo_labels()[0] is not None


def test_redo_refuses_rows_named_by_range_that_were_never_read_in(
    imported: tuple[Project, dict[str, Any], dict[str, Any]],
) -> None:
    project, _, after = imported
    ranged = forward(project)
    project.undo()
    project.conn.execute(
        "UPDATE journal SET forward = ? WHERE id = (SELECT max(id) FROM journal)",
        (json.dumps(ranged),),
    )
    with pytest.raises(ProjectCorrupt, match="does not hold"):
        project.redo()
    assert len(everything(project)["note"]) == 1
    assert after["note"][0] == everything(project)["note"][0]
