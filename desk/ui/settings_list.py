"""A list of strings kept in QSettings (recent projects, films the user confirmed).

QSettings gives back what its file format makes of a list: a list, a lone string for a list of
one, or nothing; :func:`read_strings` always gives a list of non-empty strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings


def read_strings(settings: QSettings, key: str) -> list[str]:
    """The strings stored under ``key``, in order; [] if none."""
    value = settings.value(key, [])
    return [str(v) for v in (value if isinstance(value, list) else [value]) if v]


def write_strings(settings: QSettings, key: str, values: Iterable[str]) -> None:
    """Store ``values`` under ``key``, in order, without repeats."""
    settings.setValue(key, list(dict.fromkeys(values)))
