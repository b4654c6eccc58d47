"""Full-text search of a class on a PostgreSQL server, with the answers FTS5 gives on a file.

A file keeps an FTS5 index that commands update (:mod:`desk.store.search`); a class searches its
tables themselves with PostgreSQL's full-text search, so no student needs to write an index row
for another's note and row-level security hides from the search what it hides from the reads.
The rules are FTS5's as desk asks it: every word typed must appear (the last as a prefix), case
is ignored, and hits come in the packed order the file uses (by id, cues, paragraphs, notes and
beats interleaved as there). One difference remains: FTS5 also ignores accents, which PostgreSQL
does only with its ``unaccent`` extension, which desk does not ask a department to install.
"""

from __future__ import annotations

import re
from typing import Any

from desk.store.search import SOURCES, Hit

#: The text each indexed table is searched by, as an SQL expression.
_TEXT = {
    "paragraph": "text",
    "note": "text",
    "beat": "label || ' ' || description",
    "cue": "CASE WHEN speaker = '' THEN text ELSE speaker || ': ' || text END",
}


def ts_query(text: str) -> str:
    """What a user typed as a ``to_tsquery`` argument: every word, the last as a prefix."""
    words = re.findall(r"\w+", text.lower(), flags=re.UNICODE)
    if not words:
        return ""
    return " & ".join(words) + ":*"


def search(conn: Any, text: str, limit: int = 200) -> list[Hit]:
    query = ts_query(text)
    if not query:
        return []
    parts = []
    for kind, (code, _) in SOURCES.items():
        expr = _TEXT[kind]
        parts.append(
            f"SELECT id * 4 + {code} AS packed, ts_headline('simple', {expr}, q, "
            "'StartSel=[, StopSel=], MaxWords=12, MinWords=4, ShortWord=0') "
            f"FROM {kind}, to_tsquery('simple', ?) AS q "
            f"WHERE to_tsvector('simple', {expr}) @@ q"
        )
    sql = " UNION ALL ".join(parts) + " ORDER BY packed LIMIT ?"
    rows = conn.execute(sql, [query] * len(parts) + [limit]).fetchall()
    kinds = {code: kind for kind, (code, _) in SOURCES.items()}
    return [Hit(kinds[int(r[0]) % 4], int(r[0]) // 4, str(r[1])) for r in rows]
