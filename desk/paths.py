"""Where desk keeps its own files: the user's data folder (stand-in films, crash logs), and the
folders it ships with (``resources/``: icons, desktop entry, MIME types; ``projects/``: the sample).

``DESK_DATA_DIR`` overrides the platform's default, which tests use to stay out of the user's
folders. What desk can read again from the films (their frame times) goes in the cache folder:
``DESK_CACHE_DIR``, else ``cache`` inside an overridden data folder, else the platform's. On Linux
that is found here, by the XDG rule platformdirs follows (a test holds the two to the same answer):
``desk frame`` needs the cache folder and nothing else of platformdirs, whose import costs it more
than the rule.

The shipped folders live at the top of a checkout. A wheel carries them inside the package
(``desk/resources``, ``desk/projects``: ``setup.py`` maps them there), and a PyInstaller build puts
them at the top of its folder (``sys._MEIPASS``). :func:`shipped` finds them in all three.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desk.errors import KnownError

#: File name (without suffix) of the sample project and its stand-in film.
SAMPLE_NAME = "anora-ending"


def data_dir() -> Path:
    """The data folder, made if missing; one that cannot be made is a :class:`KnownError`."""
    override = os.environ.get("DESK_DATA_DIR")
    if override:
        folder = Path(override)
    else:
        from platformdirs import user_data_path

        folder = user_data_path("desk", appauthor=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(
            f"desk cannot make its data folder {folder} ({exc.strerror or exc}); "
            "set DESK_DATA_DIR to a folder you can write."
        ) from exc
    return folder


def cache_dir() -> Path:
    """The cache folder, made if missing; one that cannot be made is a :class:`KnownError`."""
    override = os.environ.get("DESK_CACHE_DIR")
    data = os.environ.get("DESK_DATA_DIR")
    if override:
        folder = Path(override)
    elif data:
        folder = Path(data) / "cache"
    else:
        folder = _platform_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(
            f"desk cannot make its cache folder {folder} ({exc.strerror or exc}); "
            "set DESK_CACHE_DIR to a folder you can write."
        ) from exc
    return folder


def _platform_cache_dir() -> Path:
    """The platform's cache folder for desk: on Linux ``$XDG_CACHE_HOME/desk`` when that is an
    absolute path, else ``~/.cache/desk`` (under an absolute ``HOME``); elsewhere platformdirs'."""
    home = os.environ.get("HOME", "")
    if sys.platform.startswith("linux") and os.path.isabs(home):
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        return Path(xdg if os.path.isabs(xdg) else os.path.join(home, ".cache"), "desk")
    from platformdirs import user_cache_path

    return user_cache_path("desk", appauthor=False)


def shipped(name: str) -> Path:
    """The shipped folder ``name`` ("resources" or "projects") of this copy of desk."""
    package = Path(__file__).resolve().parent
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [
        *([Path(frozen) / name] if frozen else []),
        package / name,  # an installed wheel
        package.parent / name,  # a checkout (also an editable install)
    ]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise KnownError(
        f"desk's {name} folder is missing from this installation (looked in "
        f"{', '.join(str(c) for c in candidates)}); reinstall desk."
    )


def resource(filename: str) -> Path:
    """A file from ``resources/`` (the icon, the desktop entry, the MIME types)."""
    return shipped("resources") / filename
