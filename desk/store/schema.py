"""Schema versions and migrations of the project file.

The version lives in ``PRAGMA user_version``. A new file gets the current schema straight from the
SQLModel tables; an older file is carried forward by ordered steps, all inside one transaction, so a
failed migration leaves the file as it was. Each released schema is frozen as SQL text in
``desk/store/schemas/`` so tests can build a file of that version and upgrade it.

Opening a current file needs only :data:`LATEST`: SQLAlchemy and the models are imported here when
a file is created or migrated, never just to read one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib import resources

from desk.store.sqlite import APPLICATION_ID

#: The schema this desk writes.
LATEST = 7

SEARCH_DDL = (
    "CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table of the current schema in an empty database (inside the caller's txn)."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from desk.store import models

    dialect = sqlite_dialect.dialect()
    for table in models.SQLModel.metadata.sorted_tables:
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
    conn.execute(SEARCH_DDL)
    stamp(conn, LATEST)


def stamp(conn: sqlite3.Connection, version: int) -> None:
    conn.execute(f"PRAGMA user_version = {int(version)}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def frozen_schema(version: int) -> str:
    """The SQL that created a file of a released schema version."""
    return resources.files("desk.store.schemas").joinpath(f"v{version}.sql").read_text("utf-8")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """v2: beats record their annotator, analysis results are cached, text is searchable."""
    conn.execute("ALTER TABLE beat ADD COLUMN annotator VARCHAR NOT NULL DEFAULT ''")
    conn.execute(
        "CREATE TABLE analysis (id INTEGER NOT NULL, media_id INTEGER NOT NULL, "
        "kind VARCHAR NOT NULL, params VARCHAR NOT NULL, data BLOB NOT NULL, "
        "PRIMARY KEY (id), FOREIGN KEY(media_id) REFERENCES media (id))"
    )
    conn.execute(SEARCH_DDL)
    # Imported lazily: the search module imports this one for LATEST.
    from desk.store.search import reindex_all

    reindex_all(conn, ("paragraph", "note", "beat"))


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """v3: clip lists for lectures (ordered clips with handles, a title and a caption)."""
    conn.execute(
        "CREATE TABLE clip_list (id INTEGER NOT NULL, name VARCHAR NOT NULL, "
        "position INTEGER NOT NULL, PRIMARY KEY (id))"
    )
    conn.execute(
        "CREATE TABLE clip (id INTEGER NOT NULL, clip_list_id INTEGER NOT NULL, "
        "position INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, "
        "handle_before_ms INTEGER NOT NULL, handle_after_ms INTEGER NOT NULL, "
        "title VARCHAR NOT NULL, caption VARCHAR NOT NULL, PRIMARY KEY (id), "
        "CONSTRAINT clip_range CHECK (end_ms >= start_ms), "
        "FOREIGN KEY(clip_list_id) REFERENCES clip_list (id))"
    )
    conn.execute("CREATE INDEX ix_clip_clip_list_id ON clip (clip_list_id)")


#: SQL that gives a fresh uid to the rows of a table that have none (``{table}`` to format).
FILL_UIDS = "UPDATE {table} SET uid = lower(hex(randomblob(16))) WHERE uid = ''"

#: Tables whose rows carry a ``uid`` from schema v4 on.
UID_TABLES = ("paragraph", "scene", "beat", "note", "reading")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """v4: annotations carry a uid that survives export, sharing and merging; reference tiers
    hold timed text from subtitle and ELAN files."""
    for table in UID_TABLES:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN uid VARCHAR DEFAULT '' NOT NULL")
        conn.execute(FILL_UIDS.format(table=table))
        conn.execute(f"CREATE INDEX ix_{table}_uid ON {table} (uid)")
    conn.execute(
        "CREATE TABLE tier (id INTEGER NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, "
        "language VARCHAR NOT NULL, source VARCHAR NOT NULL, uid VARCHAR DEFAULT '' NOT NULL, "
        "PRIMARY KEY (id))"
    )
    conn.execute("CREATE INDEX ix_tier_uid ON tier (uid)")
    conn.execute(
        "CREATE TABLE cue (id INTEGER NOT NULL, tier_id INTEGER NOT NULL, "
        "start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, text VARCHAR NOT NULL, "
        "speaker VARCHAR NOT NULL, PRIMARY KEY (id), "
        "CONSTRAINT cue_range CHECK (end_ms >= start_ms), "
        "FOREIGN KEY(tier_id) REFERENCES tier (id))"
    )
    conn.execute("CREATE INDEX ix_cue_start_ms ON cue (start_ms)")
    conn.execute("CREATE INDEX ix_cue_tier_id ON cue (tier_id)")


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """v5: a reference tier read from an ELAN file keeps its ELAN structure (parent tier,
    linguistic type, constraint, vocabulary, languages, references between annotations)."""
    conn.execute("ALTER TABLE tier ADD COLUMN elan VARCHAR DEFAULT '' NOT NULL")


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    """v6: a project remembers what the other side of an exchange of bundles last held, so a
    merge compares both sides with it (three-way)."""
    conn.execute(
        "CREATE TABLE merge_base (id INTEGER NOT NULL, kind VARCHAR NOT NULL, "
        "uid VARCHAR NOT NULL, position INTEGER NOT NULL, content VARCHAR NOT NULL, "
        "PRIMARY KEY (id))"
    )


def _v6_to_v7(conn: sqlite3.Connection) -> None:
    """v7: a copy's time is its container's clock, and a project chooses the sound it plays.

    Up to v6 a copy's time was counted from its first picture; from v7 on from the container's
    start, as VLC, mpv, ffmpeg and ELAN count it (a video 23 ms behind the sound in an MKV, an
    MPEG program stream's first picture a few ms after its clock starts). The project's own
    times (links, beats, scenes, cues, clips, and the images in the undo journal) are kept as
    they are: rewriting them would change moments that bundles and merged copies of the same
    project share, and the journal's history. Instead each existing copy is marked
    ``clock_pending``: its time map is followed by the copy's video start (a per-copy offset)
    the next time its film is found and opened, when the offset can be read from the film. A
    migration cannot read it now: the film may be missing, or named by a project from elsewhere
    that the user has not yet allowed desk to open.
    """
    conn.execute("ALTER TABLE media ADD COLUMN clock_pending BOOLEAN DEFAULT 0 NOT NULL")
    conn.execute("ALTER TABLE media ADD COLUMN audio_track INTEGER")
    conn.execute("UPDATE media SET clock_pending = 1")


#: ``STEPS[n]`` carries a file from version ``n`` to ``n + 1``.
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
}


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Carry a file forward to :data:`LATEST` in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(from_version, LATEST):
            STEPS[version](conn)
        stamp(conn, LATEST)
        conn.execute("COMMIT")
    except BaseException:
        # SQLite rolls back by itself when the disk is full or failing; rolling back again
        # would raise "no transaction is active" and hide why the edit failed.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
