"""Which film paths play without asking: a project file may come from someone else.

A film path named by a project is played only once the user has said yes to it. Paths the user
chose in this session (a new project's film, the sample's stand-in film, a relinked or aligned
copy) are trusted; a path confirmed once is remembered for this user in QSettings and not asked
about again, and so is one the user attached with ``desk new``, ``desk sample`` or ``desk relink``
(:mod:`desk.attached_films`); any other path, such as one a received bundle names, is asked about
first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desk.attached_films import attached
from desk.ui import messages
from desk.ui.settings_list import read_strings, write_strings

CONFIRMED_KEY = "confirmed_media"


class FilmTrust:
    """The trust policy of one open project."""

    def __init__(self, trusted: Iterable[str] = ()) -> None:
        #: Film paths that play without asking in this session: the user chose them here.
        self.trusted: set[str] = set(trusted)

    def trust(self, film: Path) -> None:
        """Play ``film`` without asking: the user chose it (a relink, another copy aligned)."""
        self.trusted.add(str(film))

    def known(self, film: Path) -> bool:
        """Whether ``film`` plays without asking: trusted, confirmed by this user before, or
        attached by this user with the command line."""
        return (
            str(film) in self.trusted
            or str(film) in read_strings(QSettings(), CONFIRMED_KEY)
            or attached(film)
        )

    def confirmed(self, film: Path, ask: Callable[[Path], bool]) -> bool:
        """Whether ``film`` may play, calling ``ask(film)`` if it is not known; a film that may
        play is remembered as confirmed by this user."""
        settings = QSettings()
        known = read_strings(settings, CONFIRMED_KEY)
        chosen = str(film) in self.trusted or str(film) in known or attached(film)
        if not (chosen or ask(film)):
            return False
        if str(film) not in known:
            write_strings(settings, CONFIRMED_KEY, [*known, str(film)])
        return True


def ask_to_play(parent: QWidget, film: Path) -> bool:
    """Ask the user whether to play ``film``, a path the project names."""
    return messages.question(
        parent, "desk — play this film?", f"This project plays the film at\n{film}\nOpen it?"
    )
