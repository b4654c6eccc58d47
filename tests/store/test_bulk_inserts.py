"""Rows inserted column by column: the same rows, defaults, cleaning and undo as one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.store import models
from desk.store.commands import Tx
from desk.store.project import Project


def test_rows_given_column_by_column_are_the_rows_given_one_by_one(tmp_path: Path) -> None:
    with Project.create(tmp_path / "film.desk") as project:
        texts = ["Snow", "She \u202erefuses\u202c the kiss", "Ring\x07"]

        def by_columns(tx: Tx) -> range:
            return tx.insert_columns(
                models.Note, {"text": texts, "kind": ["free", "question", "free"]}
            )

        def one_by_one(tx: Tx) -> list[int]:
            return [
                tx.insert(models.Note, text=text, kind=kind)
                for text, kind in zip(texts, ["free", "question", "free"], strict=True)
            ]

        ids, _ = project.run("Columns", by_columns)
        assert list(ids) == [1, 2, 3]
        singles, _ = project.run("Rows", one_by_one)
        columns = "kind, text, character_id, paragraph_id, created_at"
        rows = project.query(f"SELECT {columns} FROM note ORDER BY id")
        assert rows[:3] == rows[3:]
        assert rows[1][1] == "She refuses the kiss"
        assert len({uid for (uid,) in project.query("SELECT uid FROM note")}) == 6
        project.undo()
        project.undo()
        assert project.query("SELECT count(*) FROM note") == [(0,)]
        project.redo()
        assert project.query(f"SELECT {columns} FROM note ORDER BY id") == rows[:3]


def test_columns_of_different_lengths_are_refused(tmp_path: Path) -> None:
    with Project.create(tmp_path / "film.desk") as project:
        with pytest.raises(TypeError, match="not of one length"):
            project.run(
                "Columns",
                lambda tx: tx.insert_columns(models.Note, {"text": ["a", "b"], "kind": ["free"]}),
            )
        assert project.query("SELECT count(*) FROM note") == [(0,)]
