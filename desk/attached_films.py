"""Films this user attached to a project on this machine with the command line: the window plays
them without asking.

``desk new``, ``desk sample`` and ``desk relink`` name a film the user chose here, so the window
need not ask whether to play it (the window's own New, Relink and Align remember theirs in its
settings: :mod:`desk.ui.film_trust`). A path named only by a project file (made on another
machine, or received in a bundle) is in neither list and is asked about first. The project file
cannot vouch for itself: it may come from anyone, so the list lives in this user's data folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from desk.core.files import write_atomically
from desk.paths import data_dir

FILE_NAME = "attached-films.json"
#: The newest paths kept (a few hundred films is a lifetime of projects).
KEEP = 1000


def _read(path: Path) -> list[str]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: nothing is trusted from it
        return []
    return [str(p) for p in found] if isinstance(found, list) else []


def remember(film: Path) -> None:
    """``film`` (as its real path) was attached by this user on this machine."""
    path = data_dir() / FILE_NAME
    name = str(film.resolve())
    films = [p for p in _read(path) if p != name] + [name]
    write_atomically(path, json.dumps(films[-KEEP:], ensure_ascii=False).encode("utf-8"))


def attached(film: Path) -> bool:
    """Whether this user attached ``film`` (the path a project names) on this machine."""
    return str(film) in _read(data_dir() / FILE_NAME)
