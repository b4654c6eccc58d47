"""A class's tables on the server, and who may change what in them.

The tables are desk's own SQLModel tables compiled by SQLAlchemy's PostgreSQL dialect, with two
adjustments so the store's SQL runs unchanged: booleans are stored as the integers SQLite keeps,
and "exactly one of these is set" checks count their ``IS NULL`` tests as integers.

Who may change what is the server's decision, not desk's:

- the teacher's role creates the class and owns its tables: the film, essay, scenes, readings and
  everything else a student may only read;
- the tables students write (:data:`STUDENT_TABLES`: notes, beats and their casts, evidence, time
  links) carry an ``owner`` column filled with ``current_user``, and row-level security lets a
  student insert rows only as themselves and update or delete only their own (updating another's
  row fails the policy's check, deleting one is refused by a trigger, since a policy can only hide
  a row from a ``DELETE``, not refuse it); a student may name only themselves as ``owner`` of a
  row they insert (undo puts a deleted row back with its owner) and change no row's ``owner``;
- the teacher may correct or remove any student's row (the tables are the teacher's, so the
  policies do not bind them); a row the teacher corrected stays its author's;
- whether students see each other's rows is the class's setting (``desk_class.share_work``),
  read by the policies; the teacher, who owns the tables, sees everything;
- the journal (the undo history) is private to each person, so undo stays per person.

Enrolling a student grants their existing role what a student may do; a teacher needs no right to
create roles, only to create schemas in the course's database.
"""

from __future__ import annotations

import re
from typing import Any

from desk.store.server import ServerConnection, past_sql

#: Tables each student writes rows of their own into.
STUDENT_TABLES = ("beat", "beat_character", "note", "time_link", "evidence")
#: Tables with a private row per person.
PRIVATE_TABLES = ("journal",)


def table_ddl() -> list[str]:
    """CREATE statements for every table of the current schema, as PostgreSQL reads them."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable

    from desk.store import models

    dialect = postgresql.dialect()
    out = []
    for table in models.SQLModel.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        ddl = re.sub(r"\bBOOLEAN\b", "INTEGER", ddl)
        ddl = re.sub(r"\((\w+) IS NULL\)", r"(\1 IS NULL)::int", ddl)
        out.append(ddl)
        out.extend(str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes)
    return out


def create_class(conn: ServerConnection, version: int, share_work: bool) -> None:
    """Create the class's schema, tables and policies (inside the caller's transaction), run as
    the teacher's role, which then owns them."""
    name = conn.address.class_name
    conn.raw.execute(f"CREATE SCHEMA {name}")
    conn.raw.execute(f"SET LOCAL search_path TO {name}")
    for ddl in table_ddl():
        conn.raw.execute(ddl)
    conn.raw.execute(
        "CREATE TABLE desk_class (version INTEGER NOT NULL, teacher NAME NOT NULL, "
        "share_work BOOLEAN NOT NULL)"
    )
    conn.raw.execute(
        "INSERT INTO desk_class VALUES (%s, current_user, %s = 1)", (version, int(share_work))
    )
    conn.raw.execute(
        f"""CREATE FUNCTION refuse_others() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.owner <> current_user
             AND current_user <> (SELECT teacher FROM {name}.desk_class) THEN
            RAISE EXCEPTION 'this row belongs to %', OLD.owner
              USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN OLD;
        END $$"""
    )
    for table in STUDENT_TABLES:
        _own_rows(conn, table, name)
    for table in PRIVATE_TABLES:
        conn.raw.execute(f"ALTER TABLE {table} ADD COLUMN owner NAME NOT NULL DEFAULT current_user")
        # Each person's newest entries, found without reading the whole class's history.
        conn.raw.execute(f"CREATE INDEX ix_{table}_owner ON {table} (owner, id)")
        # Each edit first clears the redo of its author's undone entries: found here without
        # reading the up to thousand entries of their history, as it would be on every edit.
        conn.raw.execute(f"CREATE INDEX ix_{table}_undone ON {table} (owner, id) WHERE undone = 1")
        conn.raw.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.raw.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        conn.raw.execute(
            f"CREATE POLICY private ON {table} USING (owner = current_user) "
            "WITH CHECK (owner = current_user)"
        )


def name_annotators(conn: ServerConnection) -> None:
    """From now on, a beat nobody named an annotator for is its author's, so the timeline
    overlays the class's arcs one per person (after the shared rows are in: they keep theirs)."""
    conn.raw.execute(
        """CREATE FUNCTION beat_annotator() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.annotator = '' THEN NEW.annotator := NEW.owner; END IF;
          RETURN NEW;
        END $$"""
    )
    conn.raw.execute(
        "CREATE TRIGGER beat_annotator BEFORE INSERT ON beat "
        "FOR EACH ROW EXECUTE FUNCTION beat_annotator()"
    )


def _own_rows(conn: ServerConnection, table: str, class_name: str) -> None:
    conn.raw.execute(f"ALTER TABLE {table} ADD COLUMN owner NAME NOT NULL DEFAULT current_user")
    conn.raw.execute(f"CREATE INDEX ix_{table}_owner ON {table} (owner)")
    conn.raw.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    teacher = f"(SELECT teacher FROM {class_name}.desk_class)"
    shared = f"(SELECT share_work FROM {class_name}.desk_class)"
    conn.raw.execute(
        f"CREATE POLICY seen ON {table} FOR SELECT "
        f"USING (owner = current_user OR owner = {teacher} OR {shared})"
    )
    conn.raw.execute(f"CREATE POLICY added ON {table} FOR INSERT WITH CHECK (owner = current_user)")
    conn.raw.execute(
        f"CREATE POLICY changed ON {table} FOR UPDATE USING (true) "
        "WITH CHECK (owner = current_user)"
    )
    conn.raw.execute(f"CREATE POLICY removed ON {table} FOR DELETE USING (true)")
    conn.raw.execute(
        f"CREATE TRIGGER refuse_others BEFORE DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION refuse_others()"
    )


def _columns(conn: ServerConnection, table: str) -> list[str]:
    cur = conn.raw.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s AND column_name <> 'owner'",
        (conn.address.class_name, table),
    )
    return [str(r[0]) for r in cur.fetchall()]


def enrol(conn: ServerConnection, roles: list[str]) -> None:
    """Let each existing role in ``roles`` work in the class as a student."""
    name = conn.address.class_name
    for role in roles:
        exists = conn.raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
        if exists.fetchone() is None:
            from desk.errors import ProjectError

            raise ProjectError(
                f"the server has no role '{role}'; ask its administrator to create it first."
            )
        who = _quoted(conn, role)
        conn.raw.execute(f"GRANT USAGE ON SCHEMA {name} TO {who}")
        conn.raw.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {name} TO {who}")
        conn.raw.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {name} TO {who}")
        for table in (*STUDENT_TABLES, *PRIVATE_TABLES):
            columns = ", ".join(_columns(conn, table))
            # An insert may name its owner (undo puts back a deleted row as it was), which the
            # policies hold to the student's own name; an update may not change it at all.
            conn.raw.execute(
                f"GRANT INSERT ({columns}, owner), UPDATE ({columns}) ON {table} TO {who}"
            )
            conn.raw.execute(f"GRANT DELETE ON {table} TO {who}")


def _quoted(conn: ServerConnection, role: str) -> str:
    from psycopg import sql

    return sql.Identifier(role).as_string(conn.raw)


def copy_rows(conn: ServerConnection, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Insert a project's rows as they are (ids kept), then move each id sequence past them."""
    for table, rows in tables.items():
        if not rows:
            continue
        columns = list(rows[0])
        with conn.raw.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                [[row[c] for c in columns] for row in rows],
            )
        if "id" in columns:
            conn.raw.execute(past_sql(table))
