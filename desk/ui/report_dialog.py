"""Export the PDF report from the window: options, progress and cancel, then a preview.

The work runs in a thread over the same code as ``desk export report``; the preview shows the
written PDF with Qt PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from desk.store.reads import outline
from desk.ui import messages
from desk.ui.background import run_task, warn_known

if TYPE_CHECKING:
    from desk.export.report import ReportResult
    from desk.store.project import Project


class ReportOptions(QDialog):
    def __init__(self, scenes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.scene = QComboBox()
        self.scene.addItem("The whole project (arc of the scene with most beats)", None)
        for name in scenes:
            self.scene.addItem(f"Only the scene {name}", name)
        self.scene.setToolTip(
            "A report of one scene shows only the paragraphs, links, notes, beats and evidence "
            "whose times overlap the scene, including ranges that start before it or end after it."
        )
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        form = QFormLayout()
        form.addRow("Report on", self.scene)
        form.addRow("Paper", self.paper)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


def run_export(
    parent: QWidget,
    project: Path,
    output: Path,
    on_done: Callable[[ReportResult], None],
    on_failed: Callable[[BaseException], None],
    **options: Any,
) -> None:
    """Run the export in a thread with a progress dialog, then ``on_done`` or ``on_failed``."""
    from desk.export.report import export_report as write_report

    run_task(
        parent,
        "Writing the report…",
        lambda progress, cancel: write_report(
            project, output, progress=progress, cancel=cancel, **options
        ),
        on_done,
        on_failed,
    )


def export_report(parent: QWidget, project: Path, scenes: list[str] | None = None) -> None:
    options = ReportOptions(scenes or [], parent)
    if options.exec() != QDialog.DialogCode.Accepted:
        return
    target, _ = QFileDialog.getSaveFileName(
        parent, "Save the report as", str(project.with_suffix(".pdf")), "PDF (*.pdf)"
    )
    if not target:
        return

    def written(report: ReportResult) -> None:
        if report.warnings:
            messages.information(parent, "desk", "\n".join(report.warnings))
        preview(parent, Path(target))

    run_export(
        parent, project, Path(target), written, warn_known(parent),
        paper=options.paper.currentData(), scene=options.scene.currentData(),
    )  # fmt: skip


def export_project_report(parent: QWidget, project: Project) -> None:
    """Ask for the options and the file, write the report of ``project``, show it."""
    scenes = [scene.name for scene in outline.scenes(project)]
    export_report(parent, project.path, scenes)


def preview(parent: QWidget, pdf: Path) -> None:
    """Show the written report in a window (Qt PDF)."""
    try:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView
    except ImportError:
        messages.information(parent, "desk", f"The report is written to {pdf}.")
        return
    window = QDialog(parent)
    window.setWindowTitle(pdf.name)
    window.resize(820, 1000)
    document = QPdfDocument(window)
    document.load(str(pdf))
    view = QPdfView(window)
    view.setDocument(document)
    view.setPageMode(QPdfView.PageMode.MultiPage)
    layout = QVBoxLayout(window)
    layout.addWidget(view)
    window.show()
