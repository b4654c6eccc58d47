"""Exporting the report from the window: progress, then a preview of the written PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from desk.export.report import ReportResult
from desk.ui.report_dialog import preview, run_export


def test_the_report_is_written_in_the_background_and_previewed(qtbot, sample_copy: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = sample_copy.with_suffix(".pdf")
    written: list[ReportResult] = []
    failed: list[BaseException] = []
    run_export(parent, sample_copy, target, written.append, failed.append, paper="letter")
    assert not failed
    assert written[0].pages > 5
    assert target.read_bytes().startswith(b"%PDF")
    preview(parent, target)
    dialogs = [w for w in parent.findChildren(QDialog) if w.windowTitle() == target.name]
    assert dialogs
    dialogs[0].close()
