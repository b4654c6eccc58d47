"""Where desk keeps its own files: the user's data folder (stand-in films, crash logs).

``DESK_DATA_DIR`` overrides the platform's default, which tests use to stay out of the user's
folders.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

#: File name (without suffix) of the sample project and its stand-in film.
SAMPLE_NAME = "anora-ending"


def data_dir() -> Path:
    """The data folder, made if missing; one that cannot be made is a :class:`KnownError`."""
    from desk.errors import KnownError

    override = os.environ.get("DESK_DATA_DIR")
    folder = Path(override) if override else user_data_path("desk", appauthor=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(
            f"desk cannot make its data folder {folder} ({exc.strerror or exc}); "
            "set DESK_DATA_DIR to a folder you can write."
        ) from exc
    return folder
