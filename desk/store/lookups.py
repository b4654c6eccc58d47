"""What a command asks of the project while it writes: reads inside its own transaction, so they
see the rows it has just inserted (an import that adds a character, then a beat felt by it).
"""

from __future__ import annotations

from typing import Literal

from desk.store.commands import Tx

#: The annotations that carry a uid across files, bundles and merges.
UidTable = Literal["paragraph", "note", "beat", "scene", "reading", "tier"]
#: The vocabularies whose entries are known by name.
NamedTable = Literal["character", "emotion"]
#: What is kept in an order of the user's: the next one goes after the last.
OrderedTable = Literal["scene", "reading"]

_UID_TABLES: tuple[UidTable, ...] = ("paragraph", "note", "beat", "scene", "reading", "tier")
_NAMED_TABLES: tuple[NamedTable, ...] = ("character", "emotion")
_ORDERED_TABLES: tuple[OrderedTable, ...] = ("scene", "reading")


def ids_by_uid(tx: Tx, table: UidTable) -> dict[str, int]:
    """The row id of each uid of ``table``."""
    if table not in _UID_TABLES:
        raise ValueError(f"{table} rows carry no uid")
    return {str(uid): int(row) for row, uid in tx.conn.execute(f"SELECT id, uid FROM {table}")}


def ids_by_name(tx: Tx, table: NamedTable) -> dict[str, int]:
    """The row id of each character or emotion, by name."""
    if table not in _NAMED_TABLES:
        raise ValueError(f"{table} rows are not known by name")
    return {str(name): int(row) for row, name in tx.conn.execute(f"SELECT id, name FROM {table}")}


def paragraph_count(tx: Tx, essay_id: int) -> int:
    """How many paragraphs the essay has (the position of the next one)."""
    (count,) = tx.conn.execute(
        "SELECT count(*) FROM paragraph WHERE essay_id = ?", (essay_id,)
    ).fetchone()
    return int(count)


def row_count(tx: Tx, table: OrderedTable) -> int:
    """How many scenes or readings there are (the position of the next one)."""
    if table not in _ORDERED_TABLES:
        raise ValueError(f"{table} rows are not kept in an order")
    (count,) = tx.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(count)


def characters_of_beat(tx: Tx, beat_id: int) -> list[int]:
    """The ids of the characters who feel a beat."""
    found = tx.conn.execute(
        "SELECT character_id FROM beat_character WHERE beat_id = ? ORDER BY character_id",
        (beat_id,),
    )
    return [int(cid) for (cid,) in found]
