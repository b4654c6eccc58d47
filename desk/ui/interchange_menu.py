"""File → Import and File → Export as: the interchange formats from the window (and, under
Import, the essay and what the film carries: :mod:`desk.ui.film_tracks_dialog`).

An import is one undoable edit that goes through the session, so every panel (the timeline's
dialogue lanes included) refreshes. A file with times past the end of the film lists them
and asks before it is imported. When the file holds annotations the project has in another
version, the import first keeps the project's and then shows the conflicts side by side
(:mod:`desk.ui.merge_dialog`); choosing the file's version or both for any of them undoes the
import and runs it again with those choices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QWidget,
)

from desk.errors import KnownError
from desk.ui import film_tracks_dialog, messages
from desk.ui.merge_dialog import ConflictDialog

if TYPE_CHECKING:  # the formats load SQLModel: only when the user imports or exports
    from desk.interchange.formats import Options
    from desk.interchange.model import OnConflict, Summary
    from desk.store.changes import Changes
    from desk.store.project import Project
    from desk.ui.session import Session

#: (format, menu text, file-dialog filter)
FORMATS = (
    ("eaf", "ELAN file…", "ELAN (*.eaf)"),
    ("vtt", "WebVTT subtitles…", "WebVTT (*.vtt)"),
    ("srt", "SubRip subtitles…", "SubRip (*.srt)"),
    ("jsonld", "Web annotations (JSON-LD)…", "Web Annotation (*.jsonld *.json)"),
    ("csv", "Spreadsheet (CSV)…", "CSV (*.csv)"),
    ("deskz", "desk bundle…", "desk bundle (*.deskz)"),
)
_SUFFIX = {"eaf": ".eaf", "vtt": ".vtt", "srt": ".srt", "jsonld": ".jsonld", "csv": ".csv",
           "deskz": ".deskz"}  # fmt: skip
#: File → Import's item for the essay, and the files it reads (as ``desk essay import`` does).
ESSAY_ACTION = "Essay (text, Markdown, HTML, Word)…"
ESSAY_FILES = "Essays (*.txt *.md *.markdown *.html *.htm *.docx);;All files (*)"
#: How many of the things a merge applied the report after it lists.
_APPLIED_SHOWN = 12
_CUES = {
    "Notes": "notes",
    "The essay's paragraphs": "paragraphs",
    "A reference tier (dialogue)": "dialogue",
}


def add_menus(file_menu: QMenu, window: QWidget, session: Callable[[], Session | None]) -> None:
    """Add the Import and Export-as submenus to ``file_menu``; ``session()`` is the open one."""
    imports = file_menu.addMenu("Import")
    exports = file_menu.addMenu("Export as")
    imports.addAction(ESSAY_ACTION).triggered.connect(
        lambda _=False: _import_essay_dialog(window, session())
    )
    imports.addSeparator()  # the essay above, annotation files below
    for fmt, text, pattern in FORMATS:
        label = "Merge a desk bundle…" if fmt == "deskz" else text
        imports.addAction(label).triggered.connect(
            lambda _=False, f=fmt, p=pattern: _import_dialog(window, session(), f, p)
        )
        exports.addAction(text).triggered.connect(
            lambda _=False, f=fmt, p=pattern: _export_dialog(window, session(), f, p)
        )
    imports.addSeparator()  # what the film itself carries
    imports.addAction(film_tracks_dialog.TRACK_ACTION).triggered.connect(
        lambda _=False: film_tracks_dialog.import_track_dialog(window, session())
    )
    imports.addAction(film_tracks_dialog.CHAPTERS_ACTION).triggered.connect(
        lambda _=False: film_tracks_dialog.import_chapters_action(window, session())
    )


def run_import(
    session: Session,
    fmt: str,
    path: Path,
    options: Options | None = None,
    resolutions: Mapping[str, OnConflict] | None = None,
) -> Summary:
    """Import a file through the session (one undoable edit, every view told)."""
    from desk.interchange.formats import Options, import_file

    def apply(project: Project) -> tuple[Summary, Changes]:
        summary = import_file(project, fmt, path, options or Options(), resolutions)
        return summary, summary.changes

    summary: Summary = session.edit(apply)
    return summary


def run_import_asking(
    window: QWidget, session: Session, fmt: str, path: Path, options: Options
) -> tuple[Summary, Options] | None:
    """Import a file; when it names times past the end of the film, list them and ask whether
    to take them anyway. The summary and the options it ran with, or None when the user
    declined."""
    from dataclasses import replace

    from desk.interchange.outside import OutsideFilm

    try:
        return run_import(session, fmt, path, options), options
    except OutsideFilm as exc:
        if not messages.question(window, "desk", f"{exc}\n\nImport them anyway?"):
            return None
    options = replace(options, allow_outside=True)
    return run_import(session, fmt, path, options), options


def settle_conflicts(
    session: Session,
    fmt: str,
    path: Path,
    options: Options,
    policy: OnConflict = "ours",
    resolutions: Mapping[str, OnConflict] | None = None,
) -> Summary:
    """Undo an import that kept the project's versions and run it again with ``policy``, or
    with a choice per conflict (``resolutions``, by uid)."""
    from dataclasses import replace

    session.undo()
    return run_import(session, fmt, path, replace(options, on_conflict=policy), resolutions)


def _import_options(window: QWidget, fmt: str) -> Options | None:
    from desk.interchange.formats import Options

    if fmt not in ("vtt", "srt", "eaf"):
        return Options()
    items = ["Dialogue (a reference tier)", "Notes"]
    title, label = ("Import subtitles", "Add the cues as")
    if fmt == "eaf":  # desk's own tiers come back as they were either way
        items[0] = "Reference tiers, as ELAN has them"
        title, label = ("Import ELAN", "Add the tiers that are not desk's as")
    chosen, ok = QInputDialog.getItem(window, title, label, items, 0, False)
    if not ok:
        return None
    return Options(as_="notes" if chosen == "Notes" else "dialogue")


def _import_dialog(window: QWidget, session: Session | None, fmt: str, pattern: str) -> None:
    if session is None:
        return
    name, _ = QFileDialog.getOpenFileName(window, "Import", "", pattern)
    if not name:
        return
    options = _import_options(window, fmt)
    if options is None:
        return
    try:
        ran = run_import_asking(window, session, fmt, Path(name), options)
        if ran is None:
            return
        summary, options = ran
        if summary.conflicts:
            dialog = ConflictDialog(summary.conflicts, window)
            dialog.exec()
            choices = dialog.choices()
            if any(choice != "ours" for choice in choices.values()):
                summary = settle_conflicts(session, fmt, Path(name), options, resolutions=choices)
    except KnownError as exc:
        messages.warning(window, "desk", f"Nothing was imported: {exc}")
        return
    applied = summary.applied[:_APPLIED_SHOWN]
    if len(summary.applied) > _APPLIED_SHOWN:
        applied.append(f"and {len(summary.applied) - _APPLIED_SHOWN} more")
    _report(
        window,
        f"Imported {Path(name).name}: {summary.describe()}.",
        [*applied, *summary.warnings],
    )


def _import_essay_dialog(window: QWidget, session: Session | None) -> None:
    """Read an essay file into the project's essay: one undoable edit. An essay that already has
    paragraphs is replaced only when the user says so."""
    from desk.core.essay import read_essay
    from desk.store import edits, queries

    if session is None:
        return
    name, _ = QFileDialog.getOpenFileName(window, "Import an essay", "", ESSAY_FILES)
    if not name:
        return
    path = Path(name)
    try:
        parsed = read_essay(path)
    except KnownError as exc:
        messages.warning(window, "desk", f"Nothing was imported: {exc}")
        return
    heading = queries.essay_heading(session.project)
    replace = heading is not None and bool(queries.paragraphs(session.project, heading.id))
    if replace and not messages.question(
        window,
        "desk",
        f"The project already has an essay, “{heading.title if heading else ''}”. Replace it "
        f"with {path.name}? (Undo brings it back.)",
    ):
        return
    blocks = [(block.kind, block.text) for block in parsed.blocks]
    try:
        session.edit(edits.import_essay, parsed.title, parsed.dek, blocks, replace=replace)
    except KnownError as exc:
        messages.warning(window, "desk", f"Nothing was imported: {exc}")
        return
    body = len(parsed.body_paragraphs)
    _report(window, f"Imported {path.name}: {body} paragraph{'' if body == 1 else 's'}.", [])


def _export_dialog(window: QWidget, session: Session | None, fmt: str, pattern: str) -> None:
    from desk.interchange.formats import Options, export_file

    if session is None:
        return
    options = Options()
    if fmt in ("vtt", "srt"):
        chosen, ok = QInputDialog.getItem(window, "Export subtitles", "Cues", list(_CUES), 0, False)
        if not ok:
            return
        options = Options(what=_CUES[chosen])
    suggested = session.project.path.with_suffix(_SUFFIX[fmt])
    name, _ = QFileDialog.getSaveFileName(window, "Export as", str(suggested), pattern)
    if not name:
        return
    try:
        summary = export_file(session.project, fmt, Path(name), options)
    except KnownError as exc:
        messages.warning(window, "desk", str(exc))
        return
    _report(window, f"Wrote {Path(name).name}.", summary.warnings)


def _report(window: QWidget, headline: str, warnings: list[str]) -> None:
    messages.information(window, "desk", "\n\n".join([headline, *(f"• {w}" for w in warnings)]))
