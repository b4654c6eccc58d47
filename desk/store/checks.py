"""The values of an edit, checked before any of it reaches SQLite.

Every command in :mod:`desk.store.edits` checks what it was given inside its transaction, before
its first write: types (a text is a string, a time a whole number of milliseconds), ranges (valence
−1…1, intensity 0…1, a range that ends after it starts and inside the film when the film's length
is known), references (the paragraph, note, character, scene, reading, beat or emotion named
exists), names that must be unique, and field names. A value that fails raises
:class:`~desk.errors.InvalidEdit` with one sentence naming the field, and the transaction is rolled
back: nothing of the edit is applied. The GUI and ``desk apply`` run the same commands, so both are
protected alike; SQLite's own constraints stay as the last guard, and one firing is a bug.
The checks return what they were given: a value that passes is stored as it is.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, cast

from desk.core.timecode import format_ms
from desk.core.timemap import TimeMap
from desk.errors import InvalidEdit

#: The longest time accepted when the film's length is unknown: longer than any film made (the
#: longest runs 857 hours), exact in a float, far inside SQLite's 64-bit integers.
MAX_MS = 10**10
#: Rows that edits refer to by id, by the name of the field: the table, and a word for the user.
REFERENCES = {
    "paragraph_id": ("paragraph", "paragraph"),
    "note_id": ("note", "note"),
    "character_id": ("character", "character"),
    "scene_id": ("scene", "scene"),
    "reading_id": ("reading", "reading"),
    "beat_id": ("beat", "beat"),
    "emotion_id": ("emotion", "emotion"),
    "link_id": ("time_link", "link"),
    "evidence_id": ("evidence", "evidence mark"),
}
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

Check = Callable[[sqlite3.Connection, str, Any], Any]


def asked(conn: sqlite3.Connection, sql: str, *args: Any) -> tuple[Any, ...] | None:
    """The first row of a check's question. A class server may answer it as it did last time,
    without waiting, and refuse the edit at its commit if that answer no longer holds (the edit
    then runs again: see :meth:`desk.store.server.ServerConnection.check`)."""
    check = getattr(conn, "check", None)
    if check is not None:
        return cast("tuple[Any, ...] | None", check(sql, args))
    return cast("tuple[Any, ...] | None", conn.execute(sql, args).fetchone())


def text(_conn: sqlite3.Connection | None, name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidEdit(f"{name} must be a string, not {_shown(value)}.")
    return value


def name_text(conn: sqlite3.Connection | None, name: str, value: Any) -> str:
    """A name: text with something in it."""
    value = text(conn, name, value)
    if not value.strip():
        raise InvalidEdit(f"{name} must not be empty.")
    return value


def whole(_conn: sqlite3.Connection | None, name: str, value: Any) -> int:
    """A whole number, written as one (not 3.0, and never a truth value)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEdit(f"{name} must be a whole number, not {_shown(value)}.")
    if abs(value) > MAX_MS:
        raise InvalidEdit(f"{name} is too large: {_shown(value)}.")
    return value


def position(conn: sqlite3.Connection | None, name: str, value: Any) -> int:
    found = whole(conn, name, value)
    if found < 0:
        raise InvalidEdit(f"{name} must be 0 or more, not {found}.")
    return found


def between(low: float, high: float) -> Check:
    """A number from ``low`` to ``high``, both included."""

    def check(_conn: sqlite3.Connection | None, name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidEdit(
                f"{name} must be a number from {low:g} to {high:g}, not {_shown(value)}."
            )
        if not (math.isfinite(value) and low <= value <= high):
            raise InvalidEdit(f"{name} must be between {low:g} and {high:g}, not {value:g}.")
        return value

    return check


def one_of(kind: type[StrEnum]) -> Check:
    def check(_conn: sqlite3.Connection | None, name: str, value: Any) -> str:
        allowed = [k.value for k in kind]
        if value not in allowed:
            raise InvalidEdit(f"{name} must be one of {', '.join(allowed)}, not {_shown(value)}.")
        return str(value)

    return check


def color(conn: sqlite3.Connection | None, name: str, value: Any) -> str:
    value = text(conn, name, value)
    if not _COLOR.fullmatch(value):
        raise InvalidEdit(f"{name} must be a colour like #d1495b, not {_shown(value)}.")
    return value


def ref(conn: sqlite3.Connection, name: str, value: Any) -> int:
    """The id of a row that exists, for a field named in :data:`REFERENCES`."""
    table, word = REFERENCES[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEdit(f"{name} must be {_a(word)} id, not {_shown(value)}.")
    if abs(value) < 2**63 and asked(conn, f"SELECT 1 FROM {table} WHERE id = ?", value):
        return value
    raise InvalidEdit(f"there is no {word} {value}.")


def refs(name: str) -> Check:
    """A list of ids of existing rows, each once (``characters``: character ids)."""

    def check(conn: sqlite3.Connection, field: str, value: Any) -> list[int]:
        if not isinstance(value, list | tuple):
            raise InvalidEdit(f"{field} must be a list of {REFERENCES[name][1]} ids.")
        found = [ref(conn, name, v) for v in value]
        if len(set(found)) != len(found):
            raise InvalidEdit(f"{field} names {_a(REFERENCES[name][1])} twice.")
        return found

    return check


def time_ms(conn: sqlite3.Connection, name: str, value: Any) -> int:
    """A time of the film: whole milliseconds, from 0 to the film's end when it is known."""
    found = whole(conn, name, value)
    if found < 0:
        raise InvalidEdit(f"{name} must be 0 or later, not {found}.")
    end = film_end_ms(conn)
    if end is not None and found > end:
        raise InvalidEdit(
            f"{name} {found} is past the end of the film at {end} ms "
            f"({format_ms(end, 'short_ms')})."
        )
    return found


def span(conn: sqlite3.Connection, start_ms: Any, end_ms: Any = None) -> tuple[int, int]:
    """A range of film time (a moment when ``end_ms`` is None)."""
    start = time_ms(conn, "start_ms", start_ms)
    end = start if end_ms is None else time_ms(conn, "end_ms", end_ms)
    if end < start:
        raise InvalidEdit(f"end_ms {end} is before start_ms {start}.")
    return start, end


def film_end_ms(conn: sqlite3.Connection) -> int | None:
    """Where the film ends in film time, when the project's film has a known length."""
    found = asked(
        conn, "SELECT duration_ms, time_map FROM media ORDER BY is_reference DESC, id LIMIT 1"
    )
    if found is None or not found[0] or found[0] <= 0:
        return None
    try:
        return TimeMap.from_json(json.loads(found[1])).to_film(int(found[0]))
    except (ValueError, TypeError, KeyError):  # a damaged map is told when the film is opened
        return int(found[0])


def fields(
    conn: sqlite3.Connection,
    what: str,
    values: Mapping[str, Any],
    allowed: Iterable[str],
    *,
    optional: Iterable[str] = (),
    rules: Mapping[str, Check] | None = None,
) -> dict[str, Any]:
    """``values`` checked field by field (by ``rules``, else :data:`BY_NAME`); a field ``what``
    has not is named, and only the ``optional`` ones may be None."""
    allowed = sorted(allowed)
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidEdit(f"{what} has no field {_listed(unknown)} (it has {_listed(allowed)}).")
    rules = {**BY_NAME, **(rules or {})}
    may_be_none = set(optional)
    return {
        name: None if value is None and name in may_be_none else rules[name](conn, name, value)
        for name, value in values.items()
    }


def named(conn: sqlite3.Connection, **values: Any) -> dict[str, Any]:
    """Each value checked by the rule for its field's name (:data:`BY_NAME`)."""
    return {name: BY_NAME[name](conn, name, value) for name, value in values.items()}


def given(conn: sqlite3.Connection, **values: Any) -> dict[str, Any]:
    """As :func:`named`, for optional fields: a None is left as it is."""
    return {k: None if v is None else BY_NAME[k](conn, k, v) for k, v in values.items()}


def unique(conn: sqlite3.Connection, table: str, word: str, name: str) -> None:
    if asked(conn, f"SELECT 1 FROM {table} WHERE name = ?", name):
        raise InvalidEdit(f"there is already a {word} named {name!r}.")


def exactly_one(what: str, named: Mapping[str, Any]) -> None:
    """Exactly one of ``named`` is set (a link's owner, evidence's target)."""
    given = [k for k, v in named.items() if v is not None]
    if len(given) != 1:
        raise InvalidEdit(
            f"{what} needs exactly one of {_listed(list(named), 'or')}"
            + (f", not {_listed(given, 'and')}." if given else ".")
        )


def _listed(names: Iterable[str], word: str = "and") -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _shown(value: Any) -> str:
    """A value as the user wrote it (JSON), cut short."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


#: How a field is checked, by its name: the same name means the same thing in every table.
BY_NAME: dict[str, Check] = {
    **dict.fromkeys(("text", "label", "title", "summary", "comment", "description"), text),
    **dict.fromkeys(("annotator", "dek"), text),
    "name": name_text,
    "color": color,
    "position": position,
    "start_ms": time_ms,
    "end_ms": time_ms,
    "valence": between(-1, 1),
    "intensity": between(0, 1),
    **dict.fromkeys(REFERENCES, ref),
}
