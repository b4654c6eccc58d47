"""Export a clip list from the window: the options, a folder, the work behind a progress dialog
that can cancel it, then where the files went.

The same code path as ``desk export clips`` (:func:`desk.export.clips.export_clips`), run through
:func:`desk.ui.background.run_task`; a cancelled export leaves only the clips already whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk.ui import messages
from desk.ui.background import run_task, warn_known

if TYPE_CHECKING:  # the export loads PyAV: only when the user exports
    from desk.export.clips import ClipOptions


class ClipExportOptions(QDialog):
    """What to write besides one MP4 per clip."""

    def __init__(self, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export “{list_name}”")
        self.captions = QCheckBox("Burn the captions into the picture")
        self.timecode = QCheckBox("Burn the film's timecode into the picture")
        self.playlist = QCheckBox("A playlist (XSPF) that plays the exported clips in order")
        self.playlist.setChecked(True)
        self.over_film = QCheckBox("Also a playlist that plays the ranges from the film itself")
        self.reel = QCheckBox("A reel: every clip in one file, each after a title card")
        self.handout = QCheckBox("A handout (PDF) with each clip's still, caption and notes")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose folder…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("One MP4 file per clip, cut at its exact frames (the out frame included), and:")
        )
        for box in (
            self.captions,
            self.timecode,
            self.playlist,
            self.over_film,
            self.reel,
            self.handout,
        ):
            layout.addWidget(box)
        layout.addWidget(self.buttons)

    def options(self) -> ClipOptions:
        from desk.export.clips import ClipOptions

        return ClipOptions(
            captions=self.captions.isChecked(),
            timecode=self.timecode.isChecked(),
            playlist=self.playlist.isChecked(),
            playlist_over_film=self.over_film.isChecked(),
            reel=self.reel.isChecked(),
            handout=self.handout.isChecked(),
        )


def export_clip_list(parent: QWidget, project: Path, list_name: str) -> None:
    """Ask what to write and where, then write it with progress and cancel."""
    dialog = ClipExportOptions(list_name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    folder = QFileDialog.getExistingDirectory(parent, "Export the clips into", str(project.parent))
    if not folder:
        return
    run_clip_export(parent, project, Path(folder), list_name, dialog.options())


def run_clip_export(
    parent: QWidget, project: Path, folder: Path, list_name: str, options: ClipOptions
) -> None:
    """Write the list ``list_name`` of ``project`` into ``folder`` behind a progress dialog, then
    say where the files went (or why nothing was written)."""
    from desk.export.clips import ClipExportResult, export_clips

    def done(result: ClipExportResult) -> None:
        extras = [
            p.name for p in (result.reel, result.playlist, result.over_film, result.handout) if p
        ]
        count = len(result.clips)
        text = f"Wrote {count} clip{'s' if count != 1 else ''}"
        text += f" and {', '.join(extras)}" if extras else ""
        text += f" to {result.folder}."
        if result.warnings:
            text += "\n\n" + "\n".join(result.warnings)
        messages.information(parent, "Clips exported", text)

    def cancelled() -> None:
        messages.information(
            parent,
            "Export cancelled",
            f"The export was cancelled; clips finished before it are in {folder}.",
        )

    run_task(
        parent,
        f"Exporting the clips of “{list_name}”…",
        lambda progress, cancel: export_clips(
            project, folder, list_name=list_name, options=options, progress=progress, cancel=cancel
        ),
        done,
        warn_known(parent, prefix="The clips cannot be exported: "),
        on_cancelled=cancelled,
        title="desk — export clips",
    )
