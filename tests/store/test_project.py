"""The project file: created, reopened, refused when it must be, and never rewritten in place."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk.errors import ProjectCorrupt, ProjectError, ProjectLocked, ProjectTooNew
from desk.store import edits, models, schema
from desk.store.project import BACKUPS_KEPT, Project, backup_dir
from desk.store.search import search
from tests.store.files import digest, make
from tests.store.layouts import layout


def scribble(path: Path) -> None:
    """Damage every page of a project but the header's."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data), 7):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


def test_a_new_project_reopens_with_its_edits(project_path: Path) -> None:
    make(project_path)
    with Project.open(project_path) as project:
        assert project.query("SELECT text FROM paragraph") == [("Igor hands the ring back.",)]
        assert project.schema_version == schema.LATEST
        assert project.query("PRAGMA journal_mode")[0][0] == "wal"
        assert project.query("PRAGMA synchronous")[0][0] == 2  # FULL
        assert project.query("PRAGMA trusted_schema")[0][0] == 0


def test_creating_over_an_existing_file_is_refused(project_path: Path) -> None:
    project_path.write_text("my notes")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project_path)
    assert project_path.read_text() == "my notes"


def test_a_second_desk_cannot_open_an_open_project(project_path: Path) -> None:
    make(project_path)
    with Project.open(project_path):
        before = digest(project_path)
        code = (
            "import sys; from desk.store.project import Project\n"
            "try:\n    Project.open(sys.argv[1])\n"
            "except Exception as e:\n    print(type(e).__name__, e); sys.exit(3)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(project_path)], capture_output=True, text=True
        )
        assert done.returncode == 3
        assert done.stdout.startswith("ProjectLocked anora.desk is open in another desk")
        with pytest.raises(ProjectLocked):
            Project.open(project_path)
        assert digest(project_path) == before
    Project.open(project_path).close()  # released on close


def test_a_file_from_a_newer_desk_is_refused_and_left_untouched(project_path: Path) -> None:
    make(project_path)
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = digest(project_path)
    with pytest.raises(ProjectTooNew, match="newer desk"):
        Project.open(project_path)
    assert digest(project_path) == before
    assert not backup_dir(project_path).exists()


def test_a_truncated_file_is_refused_and_left_untouched(project_path: Path) -> None:
    make(project_path)
    data = project_path.read_bytes()
    project_path.write_bytes(data[: len(data) // 2])
    before = digest(project_path)
    with pytest.raises(ProjectCorrupt, match="truncated"):
        Project.open(project_path)
    assert digest(project_path) == before


def test_a_damaged_file_is_refused_and_left_untouched(project_path: Path) -> None:
    make(project_path)
    scribble(project_path)
    before = digest(project_path)
    with pytest.raises(ProjectCorrupt):
        Project.open(project_path)
    assert digest(project_path) == before


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"\x89PNG\r\n\x1a\n" * 20])
def test_a_file_that_is_not_a_project_is_refused(project_path: Path, content: bytes) -> None:
    project_path.write_bytes(content)
    with pytest.raises(ProjectCorrupt, match="not a desk project"):
        Project.open(project_path)
    assert project_path.read_bytes() == content


def test_another_sqlite_database_is_not_mistaken_for_a_project(project_path: Path) -> None:
    conn = sqlite3.connect(project_path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ProjectCorrupt, match="SQLite database but not a desk project"):
        Project.open(project_path)


def test_a_first_schema_file_is_upgraded_with_its_data_and_a_backup(project_path: Path) -> None:
    conn = sqlite3.connect(project_path)
    conn.executescript(schema.frozen_schema(1))
    conn.execute(
        "INSERT INTO project (id, title, author, film_title, film_release, created_at)"
        " VALUES (1, 'Old', '', 'Anora', '', '')"
    )
    conn.execute("INSERT INTO essay (id, title, dek, author) VALUES (1, 'E', '', '')")
    conn.execute(
        "INSERT INTO paragraph (id, essay_id, position, kind, text)"
        " VALUES (1, 1, 0, 'body', 'Snow keeps falling on the windshield.')"
    )
    conn.execute(
        "INSERT INTO beat (id, start_ms, end_ms, label, description, valence, intensity)"
        " VALUES (1, 1000, 2000, 'ring', 'Igor returns the ring', 0.2, 0.4)"
    )
    conn.commit()
    conn.close()
    with Project.open(project_path) as project:
        assert project.schema_version == schema.LATEST
        assert project.query("SELECT annotator FROM beat") == [("",)]
        assert [h.ref_id for h in search(project.conn, "windshield")] == [1]
        assert [h.kind for h in search(project.conn, "ring")] == ["beat"]
    backups = list(backup_dir(project_path).glob("*before-v*.desk"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()


def test_an_upgraded_file_has_the_same_tables_as_a_new_one(tmp_path: Path) -> None:
    old = tmp_path / "old.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(1))
    conn.close()
    Project.open(old).close()
    make(tmp_path / "new.desk")

    def columns(path: Path) -> dict[str, set[str]]:
        c = sqlite3.connect(path)
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = {t: {r[1] for r in c.execute(f"PRAGMA table_info('{t}')")} for t in tables}
        c.close()
        return {t: cols for t, cols in out.items() if not t.startswith("search_")}

    assert columns(old) == columns(tmp_path / "new.desk")


def test_undo_and_redo_survive_closing_the_project(project_path: Path) -> None:
    make(project_path)
    with Project.open(project_path) as project:
        pid = project.query("SELECT id FROM paragraph")[0][0]
        edits.edit_paragraph(project, pid, "She refuses the kiss.")
    with Project.open(project_path) as project:
        assert project.undo_labels() == ("Edit paragraph", None)
        project.undo()
        assert project.query("SELECT text FROM paragraph") == [("Igor hands the ring back.",)]
        assert search(project.conn, "kiss") == []
    with Project.open(project_path) as project:
        project.redo()
        assert project.query("SELECT text FROM paragraph") == [("She refuses the kiss.",)]
        assert [h.kind for h in search(project.conn, "kiss")] == ["paragraph"]


def test_save_a_copy_writes_a_complete_project_elsewhere(
    project_path: Path, tmp_path: Path
) -> None:
    make(project_path)
    copy = tmp_path / "copy.desk"
    with Project.open(project_path) as project:
        edits.add_paragraph(project, "Snow keeps falling.")
        project.save_copy(copy)
        with pytest.raises(ProjectError):
            project.save_copy(project_path)
    with Project.open(copy) as other:
        assert len(other.query("SELECT * FROM paragraph")) == 2


def test_backups_rotate(project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(project_path)
    stamps = iter(f"2026010{i}-000000" for i in range(1, 10))
    monkeypatch.setattr("desk.store.project.time.strftime", lambda *_: next(stamps))
    for _ in range(BACKUPS_KEPT + 2):
        Project.open(project_path).close()
    kept = sorted(p.name for p in backup_dir(project_path).glob("*.desk"))
    assert len(kept) == BACKUPS_KEPT
    assert kept[-1] == "anora-20260107-000000.desk"


def test_a_third_schema_file_gains_annotation_uids_and_reference_tiers(tmp_path: Path) -> None:
    old = tmp_path / "v3.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(3))
    conn.execute(
        "INSERT INTO project (id, title, author, film_title, film_release, created_at)"
        " VALUES (1, 'Old', '', 'Anora', '', '')"
    )
    conn.executemany(
        "INSERT INTO note (kind, text, created_at) VALUES ('free', ?, '')",
        [("The wipers keep going.",), ("She laughs, then does not.",)],
    )
    conn.commit()
    conn.close()
    with Project.open(old, backup=False) as project:
        assert project.schema_version == schema.LATEST
        uids = [u for (u,) in project.query("SELECT uid FROM note")]
        assert len(set(uids)) == 2
        assert all(re.fullmatch(r"[0-9a-f]{32}", u) for u in uids)
        tier, _ = project.run("Add tier", lambda tx: tx.insert(models.Tier, name="Dialogue"))
        project.run(
            "Add cue",
            lambda tx: tx.insert(
                models.Cue, tier_id=tier, start_ms=1000, end_ms=2000, text="Ne nado", speaker="Igor"
            ),
        )
        assert [h.kind for h in search(project.conn, "nado")] == ["cue"]
    make(tmp_path / "new.desk")
    assert layout(old) == layout(tmp_path / "new.desk")


def test_commands_know_the_primary_key_of_every_editable_table() -> None:
    from desk.store.commands import KEYS

    declared = {
        m.__tablename__: tuple(c.name for c in m.__table__.primary_key.columns)
        for m in models.EDITABLE
    }
    assert list(KEYS.items()) == list(declared.items())


def test_opening_reading_and_undoing_need_neither_sqlmodel_nor_sqlalchemy(
    project_path: Path,
) -> None:
    make(project_path)
    with Project.open(project_path) as project:
        pid = project.query("SELECT id FROM paragraph")[0][0]
        edits.edit_paragraph(project, pid, "She refuses the kiss.")
    code = (
        "import sys\n"
        "from desk.store import queries\n"
        "from desk.store.project import Project\n"
        "from desk.store.search import search\n"
        "with Project.open(sys.argv[1]) as project:\n"
        "    assert queries.info(project)['counts']['paragraph'] == 1\n"
        "    assert queries.dump(project)['paragraph'][0]['text'] == 'She refuses the kiss.'\n"
        "    assert [h.kind for h in search(project.conn, 'kiss')] == ['paragraph']\n"
        "    assert project.undo_labels() == ('Edit paragraph', None)\n"
        "    project.undo()\n"
        "    project.redo()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(project_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_desk_file_without_a_schema_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "blank.desk"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1684370283")  # desk's, but no tables and no version
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectCorrupt, match="no schema version"):
        Project.open(path)
    assert path.read_bytes() == before


def test_an_older_file_with_a_table_in_the_way_of_the_upgrade_is_refused_as_it_was(
    tmp_path: Path,
) -> None:
    old = tmp_path / "v3.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(3))
    conn.execute("CREATE TABLE tier (x)")  # in the way of the upgrade
    conn.commit()
    conn.close()
    with pytest.raises(ProjectCorrupt, match='has an extra table "tier"'):
        Project.open(old, backup=False)
    assert not backup_dir(old).exists()
    check = sqlite3.connect(old)
    assert check.execute("PRAGMA user_version").fetchone() == (3,)
    assert check.execute("PRAGMA table_info(note)").fetchall()[-1][1] == "created_at"
    check.close()


def test_undo_refuses_a_doctored_history_instead_of_running_it(project_path: Path) -> None:
    make(project_path)
    with Project.open(project_path) as project:
        pid = project.query("SELECT id FROM paragraph")[0][0]
        edits.edit_paragraph(project, pid, "She refuses the kiss.")
        evil = json.dumps(
            [["insert", "paragraph", {"id": 99, "text) VALUES (1); DROP TABLE note; --": 1}, None]]
        )
        project.conn.execute("UPDATE journal SET backward = ? WHERE undone = 0", (evil,))
        with pytest.raises(ProjectCorrupt, match="impossible column"):
            project.undo()
        assert project.query("SELECT count(*) FROM sqlite_master WHERE name = 'note'") == [(1,)]
        assert project.query("SELECT text FROM paragraph WHERE id = ?", pid) == [
            ("She refuses the kiss.",)
        ]


def test_a_damaged_file_in_rollback_journal_mode_is_refused_untouched(project_path: Path) -> None:
    """Files from other SQLite tools, and desk's own backups, use a rollback journal; checking
    them must not switch them to WAL mode first."""
    make(project_path)
    conn = sqlite3.connect(project_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    scribble(project_path)
    before = digest(project_path)
    with pytest.raises(ProjectCorrupt):
        Project.open(project_path)
    assert digest(project_path) == before
    assert not list(project_path.parent.glob("*-wal")) + list(project_path.parent.glob("*-shm"))


def test_a_refused_file_gets_no_lock_file_beside_it(project_path: Path) -> None:
    project_path.write_bytes(b"not a database at all")
    with pytest.raises(ProjectCorrupt):
        Project.open(project_path)
    assert [p.name for p in project_path.parent.iterdir()] == [project_path.name]


OPEN_READ_ONLY = """
import sys
from pathlib import Path
from desk.errors import ProjectError
from desk.store.project import Project
try:
    Project.open(Path(sys.argv[1]))
except ProjectError as exc:
    print(exc)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="file permissions as on Linux")
def test_a_read_only_project_is_refused_with_a_reason(project_path: Path) -> None:
    import os
    import shutil

    make(project_path)
    project_path.chmod(0o444)
    # As root, drop the power to override permissions, as an ordinary user has none.
    prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"] if os.geteuid() == 0 else []
    if prefix and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to run without root's permissions")
    before = digest(project_path)
    said = subprocess.run(
        [*prefix, sys.executable, "-c", OPEN_READ_ONLY, str(project_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "is read-only" in said
    assert digest(project_path) == before


def test_a_copy_into_a_missing_folder_is_refused_with_a_reason(
    project_path: Path, tmp_path: Path
) -> None:
    make(project_path)
    with Project.open(project_path) as project, pytest.raises(ProjectError, match="cannot write"):
        project.save_copy(tmp_path / "gone" / "copy.desk")


def test_an_upgrade_past_its_time_limit_is_refused_and_the_file_left_as_it_was(
    tmp_path: Path,
) -> None:
    import time

    from desk.errors import ProjectTooSlow

    old = tmp_path / "v3.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(3))
    conn.executemany(
        "INSERT INTO note (kind, text, created_at) VALUES ('free', ?, '')",
        [(f"note {n}",) for n in range(20_000)],
    )
    conn.commit()
    conn.close()
    before = digest(old)
    with pytest.raises(ProjectTooSlow, match="took too long"):
        Project.open(old, backup=False, deadline=time.monotonic())
    assert digest(old) == before


@pytest.mark.parametrize(
    ("forward", "message"),
    [
        (
            ["insert_many", "note", {"columns": ["id", "text) VALUES (1); --"], "rows": [[9, 1]]}],
            "impossible column",
        ),
        (["insert_many", "note", {"columns": ["id", "text"], "rows": 5}], "damaged change"),
        (["delete_many", "sqlite_master", {"ids": [1]}], "unknown change"),
    ],
    ids=["bad column", "no rows", "unknown table"],
)
def test_redo_refuses_a_doctored_bulk_insert_instead_of_running_it(
    project_path: Path, forward: list[object], message: str
) -> None:
    make(project_path)
    with Project.open(project_path) as project:
        notes = project.query("SELECT count(*) FROM note")
        edits.edit_paragraph(project, project.query("SELECT id FROM paragraph")[0][0], "Snow.")
        project.undo()
        project.conn.execute("UPDATE journal SET forward = ?", (json.dumps([[*forward, None]]),))
        with pytest.raises(ProjectCorrupt, match=message):
            project.redo()
        assert project.query("SELECT count(*) FROM note") == notes
