"""File → Import → "Subtitle track of the film…" and "Chapters as scenes": what the project's
film carries, imported from the window through the session (one undoable edit each).

The dialog lists the film's subtitle tracks by title and language; tracks of pictures (PGS,
VobSub) are listed but cannot be chosen, marked as not readable. The chosen track is read in a
worker thread with progress and cancel (its packets are spread through the whole file), then
merged on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.errors import KnownError
from desk.ui import messages

if TYPE_CHECKING:
    from desk.interchange.formats import Parsed
    from desk.interchange.model import Summary
    from desk.media.probe import SubtitleTrack
    from desk.store.changes import Changes
    from desk.store.project import Project
    from desk.ui.session import Session

TRACK_ACTION = "Subtitle track of the film…"
CHAPTERS_ACTION = "Chapters as scenes"


def track_label(track: SubtitleTrack) -> str:
    """``English (eng): SubRip, track 2``; a picture track adds that it is not readable."""
    from desk.interchange.film_tracks import tier_name
    from desk.media.subtitle_tracks import codec_name

    label = f"{tier_name(track)}: {codec_name(track)}, track {track.index}"
    return label if track.text else f"{label} (pictures of text, not readable)"


class TrackDialog(QDialog):
    """The film's subtitle tracks, to choose the one to import as dialogue."""

    def __init__(self, tracks: tuple[SubtitleTrack, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a subtitle track")
        layout = QVBoxLayout(self)
        intro = QLabel("Add a subtitle track of the film as a tier of dialogue:")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.tracks = QListWidget()
        for track in tracks:
            item = QListWidgetItem(track_label(track))
            item.setData(Qt.ItemDataRole.UserRole, track.index)
            if not track.text:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.tracks.addItem(item)
        layout.addWidget(self.tracks)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.tracks.itemDoubleClicked.connect(lambda _item: self.accept())
        self.tracks.currentItemChanged.connect(lambda *_: self._enable())
        readable = [k for k, t in enumerate(tracks) if t.text]
        if readable:
            self.tracks.setCurrentRow(readable[0])
        self._enable()

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None)

    def chosen(self) -> int | None:
        """The stream index of the chosen track, None when no readable one is chosen."""
        item = self.tracks.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))


def import_track_dialog(window: QWidget, session: Session | None) -> None:
    """Ask which track, read it with progress, and merge it as one undoable edit."""
    from desk.interchange.film_tracks import film_info, project_film, track_snapshot
    from desk.ui.background import run_task, warn_known

    if session is None:
        return
    try:
        film = project_film(session.project)
        tracks = film_info(session.project).subtitle_tracks
    except KnownError as exc:
        messages.warning(window, "desk", f"Nothing was imported: {exc}")
        return
    if not tracks:
        messages.information(window, "desk", f"'{film.path.name}' has no subtitle tracks.")
        return
    dialog = TrackDialog(tracks, window)
    stream = dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    if stream is None:
        return
    run_task(
        window,
        f"Reading subtitle track {stream} of {film.path.name}…",
        lambda progress, cancel: track_snapshot(film, stream, progress=progress, cancel=cancel),
        lambda parsed: _merge(window, session, parsed),
        warn_known(window, prefix="Nothing was imported: "),
    )


def _merge(window: QWidget, session: Session, parsed: Parsed) -> None:
    from desk.interchange.film_tracks import apply_track

    def apply(project: Project) -> tuple[Summary, Changes]:
        summary = apply_track(project, parsed)
        return summary, summary.changes

    summary: Summary = session.edit(apply)
    (tier,) = parsed.snapshot.tiers
    _report(window, f"Imported the subtitle track '{tier.name}': {summary.describe()}.", summary)


def offer_what_the_film_carries(window: QWidget, session: Session | None) -> None:
    """For a project just made from a film: offer its text subtitle tracks as dialogue and its
    chapters as scenes, each with a question (nothing is imported unasked)."""
    from desk.interchange.film_tracks import film_info, tier_name

    if session is None:
        return
    try:
        info = film_info(session.project)
    except KnownError:  # the film was just probed; if it cannot be now, there is nothing to offer
        return
    readable = [tier_name(t) for t in info.subtitle_tracks if t.text]
    if readable and messages.question(
        window,
        "desk — subtitle tracks",
        f"The film carries {_count(len(readable), 'text subtitle track')} "
        f"({', '.join(readable)}). Add one as a dialogue lane?",
    ):
        import_track_dialog(window, session)
    if info.chapters and messages.question(
        window,
        "desk — chapters",
        f"The film has {_count(len(info.chapters), 'chapter')}. Add them as scenes?",
    ):
        import_chapters_action(window, session)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def import_chapters_action(window: QWidget, session: Session | None) -> None:
    """One scene per chapter of the film, as one undoable edit."""
    from desk.interchange.film_tracks import import_chapters

    if session is None:
        return

    def apply(project: Project) -> tuple[Summary, Changes]:
        summary = import_chapters(project)
        return summary, summary.changes

    try:
        summary: Summary = session.edit(apply)
    except KnownError as exc:
        messages.warning(window, "desk", f"Nothing was imported: {exc}")
        return
    _report(window, f"Imported the film's chapters: {summary.describe()}.", summary)


def _report(window: QWidget, headline: str, summary: Summary) -> None:
    warnings = [f"• {w}" for w in summary.warnings]
    messages.information(window, "desk", "\n\n".join([headline, *warnings]))
