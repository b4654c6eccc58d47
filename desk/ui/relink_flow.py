"""Finding a project's film again: it is missing, moved, or not the file the project took.

The film is looked for in a folder the user picks, by its contents (fingerprint and size), and
the new path is an undoable edit of the project.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desk.store import queries
from desk.ui import messages
from desk.ui.session import Session


def changed_since_added(media: queries.Media, path: Path) -> str:
    """A warning when the film file is not the size it was when the project took it (a download
    cut short, a re-encode under the same name); '' otherwise."""
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    if size == media.size_bytes:
        return ""
    return (
        f"{path.name} is not the size it was when the project took it ({size:,} bytes, was "
        f"{media.size_bytes:,}): some links may not show the frames they name."
    )


def wants_relink(parent: QWidget, media: queries.Media) -> bool:
    """Ask whether to look for a missing film now."""
    return messages.question(
        parent,
        "desk — film missing",
        f"The film of this project is missing:\n{media.path}\n\n"
        "The essay, notes and beats are all here. Locate the film now?",
    )


def relink(
    parent: QWidget, session: Session, media: queries.Media, *, initiator: object
) -> Path | None:
    """Find the film in a folder the user picks and point the project at it; the film found, or
    None if the user chose no folder or the film is not in it (which the user is told)."""
    from desk.media.probe import find_film
    from desk.store import edits

    folder = QFileDialog.getExistingDirectory(parent, "Folder that holds the film")
    if not folder:
        return None
    found = find_film(Path(folder), media.fingerprint, media.size_bytes)
    if found is None:
        messages.information(parent, "desk", f"The film is not in {folder}.")
        return None
    media_id = media.id
    session.edit(
        edits.update_media, media_id, path=str(found), path_confirmed=True, initiator=initiator
    )
    return found
