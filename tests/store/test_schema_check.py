"""A project file runs no code of its own: anything in its schema that desk did not make refuses
it, before a trigger could fire or a view be read, and the file is left as it was."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk.errors import ProjectForeign
from desk.store import schema
from desk.store.project import Project, backup_dir
from desk.store.schema_check import expected_schema, read_schema
from tests.store.files import digest, make

AUDIT_TRIGGER = (
    "CREATE TRIGGER t_note_audit AFTER INSERT ON note BEGIN "
    "UPDATE project SET title = 'Owned'; DELETE FROM evidence; END"
)


def doctor(path: Path, *statements: str) -> str:
    """Change the file's schema behind desk's back, as a crafted file would; return its digest."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # everything in the file itself
    conn.close()
    return digest(path)


def title(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT title FROM project").fetchone()[0])
    finally:
        conn.close()


def test_a_project_with_a_trigger_of_its_own_is_refused_and_the_trigger_never_runs(
    project_path: Path,
) -> None:
    make(project_path)
    before = doctor(project_path, AUDIT_TRIGGER)
    with pytest.raises(ProjectForeign) as refused:
        Project.open(project_path)
    assert str(refused.value) == (
        '"anora.desk" is not a desk project as this version writes it: it has an extra trigger '
        '"t_note_audit".'
    )
    assert digest(project_path) == before
    assert title(project_path) == "Anora"


def test_desk_apply_refuses_a_project_with_a_trigger_and_applies_nothing(
    project_path: Path,
) -> None:
    make(project_path)
    before = doctor(project_path, AUDIT_TRIGGER)
    edit = json.dumps({"op": "add_note", "text": "She resists the kiss.", "start_ms": 1000})
    done = subprocess.run(
        [sys.executable, "-m", "desk", "apply", str(project_path)],
        input=edit + "\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        'desk: "anora.desk" is not a desk project as this version writes it: it has an extra '
        'trigger "t_note_audit".'
    ]
    assert digest(project_path) == before
    assert title(project_path) == "Anora"


#: Schema changes a crafted file could carry, and the object desk names when refusing it.
DOCTORED = {
    "a view named like a table": (
        (
            "ALTER TABLE project RENAME TO project_data",
            "CREATE VIEW project AS SELECT id, 'Forged' AS title, author, film_title, film_year, "
            "film_release, created_at FROM project_data",
        ),
        'it has an extra view "project"',
    ),
    "a view beside the tables": (
        ("CREATE VIEW everything AS SELECT * FROM note",),
        'it has an extra view "everything"',
    ),
    "an extra table": (("CREATE TABLE secrets (x)",), 'it has an extra table "secrets"'),
    "an extra index": (
        ("CREATE INDEX ix_note_text ON note (lower(text))",),
        'it has an extra index "ix_note_text"',
    ),
    "an extra column": (
        ("ALTER TABLE note ADD COLUMN spare VARCHAR",),
        'its table "note" differs from desk\'s',
    ),
    "a missing index": (("DROP INDEX ix_note_uid",), 'it lacks the index "ix_note_uid"'),
    "a hostile name": (
        ('CREATE TRIGGER "t\nx" AFTER DELETE ON note BEGIN SELECT 1; END',),
        'it has an extra trigger "t?x"',
    ),
}


@pytest.mark.parametrize(("statements", "named"), DOCTORED.values(), ids=list(DOCTORED))
def test_a_schema_desk_did_not_make_is_refused_naming_the_object(
    project_path: Path, statements: tuple[str, ...], named: str
) -> None:
    make(project_path)
    before = doctor(project_path, *statements)
    with pytest.raises(ProjectForeign, match="not a desk project as this version writes it") as e:
        Project.open(project_path, readonly=True)
    assert e.value.problem == named
    assert digest(project_path) == before


def test_an_older_project_with_a_trigger_is_refused_before_it_is_upgraded(tmp_path: Path) -> None:
    old = tmp_path / "v3.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(3))
    conn.execute(
        "CREATE TRIGGER t_uid AFTER UPDATE ON note BEGIN UPDATE project SET title = 'Owned'; END"
    )
    conn.commit()
    conn.close()
    before = digest(old)
    with pytest.raises(ProjectForeign, match='extra trigger "t_uid"'):
        Project.open(old)
    assert digest(old) == before
    assert not backup_dir(old).exists()  # refused before the backup an upgrade makes first


@pytest.mark.parametrize("version", range(1, schema.LATEST + 1))
def test_a_project_desk_made_at_any_version_opens(tmp_path: Path, version: int) -> None:
    old = tmp_path / f"v{version}.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(version))
    conn.close()
    with Project.open(old, backup=False) as project:
        assert project.schema_version == schema.LATEST
    with Project.open(old, backup=False) as project:  # and, upgraded, it opens again
        assert project.schema_version == schema.LATEST


def test_the_frozen_current_schema_is_the_one_desk_creates() -> None:
    """New files come from the SQLModel tables, the check from ``schemas/v{LATEST}.sql``: a
    change to the tables without a new schema version would refuse every new project."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("BEGIN")
    schema.create_schema(conn)
    conn.execute("COMMIT")
    assert read_schema(conn) == expected_schema(schema.LATEST, schema.LATEST)
    conn.close()


def test_statistics_from_sqlites_analyze_are_not_refused(project_path: Path) -> None:
    make(project_path)
    doctor(project_path, "ANALYZE")
    with Project.open(project_path, readonly=True) as project:
        assert project.query("SELECT text FROM paragraph") == [("Igor hands the ring back.",)]
