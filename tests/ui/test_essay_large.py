"""A long essay shows its first paragraphs as soon as its panel is shown, not once scrolled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView

from desk.store import edits
from desk.store.project import Project
from desk.ui.essay_panel import CHIP_H, PAD, EssayPanel
from desk.ui.session import Session
from desk.ui.transport import Transport
from tests.bulk import write_large_project


def inked(panel: EssayPanel, row: int) -> int:
    """How many pixels of the row's place in the essay are drawn in the text's colour."""
    view = panel.view
    place = view.visualRect(panel.model.index(row))
    picture = view.viewport().grab().toImage()
    text = QColor(view.palette().text().color()).rgb()
    return sum(
        picture.pixel(x, y) == text
        for x in range(max(0, place.left()), min(place.right(), picture.width()))
        for y in range(max(0, place.top()), min(place.bottom(), picture.height()))
    )


def shown(qtbot, project: Project) -> EssayPanel:
    """The project's essay panel, shown at a sidebar's size."""
    panel = EssayPanel(Session(project), Transport())
    qtbot.addWidget(panel)
    panel.resize(520, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def long_essay(tmp_path: Path) -> Project:
    return Project.open(
        write_large_project(tmp_path / "long.desk", paragraphs=3_000, notes=10), backup=False
    )


def test_a_long_essay_is_painted_as_soon_as_it_is_shown(qtbot, tmp_path: Path) -> None:
    project = long_essay(tmp_path)
    panel = shown(qtbot, project)
    # The first paragraph is where the view says it is, and its words are painted there.
    view = panel.view
    first = view.visualRect(panel.model.index(0))
    assert view.indexAt(first.center()).row() == 0
    assert inked(panel, 0) > 100
    project.close()


def test_a_paragraph_far_down_takes_its_own_height_once_shown(qtbot, tmp_path: Path) -> None:
    project = long_essay(tmp_path)
    # Far past the paragraphs measured up front, one long paragraph and one of a few words.
    long_id, short_id = (row[0] for row in project.query(
        "SELECT id FROM paragraph WHERE position IN (2000, 2001) ORDER BY position"))  # fmt: skip
    edits.edit_paragraph(project, long_id, "The ring goes back. " * 60)
    edits.edit_paragraph(project, short_id, "Snow.")
    panel = shown(qtbot, project)
    view = panel.view
    long_row, short_row = panel.model.row_of(long_id), panel.model.row_of(short_id)
    assert long_row is not None
    assert short_row is not None
    view.scrollTo(panel.model.index(long_row), QAbstractItemView.ScrollHint.PositionAtTop)

    def fits(row: int) -> bool:
        place = view.visualRect(panel.model.index(row))
        text = panel.model.index(row).data()
        needed = view.fontMetrics().boundingRect(
            QRect(0, 0, place.width() - 2 * PAD, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return place.height() == needed.height() + 2 * PAD + CHIP_H + 4

    qtbot.waitUntil(lambda: fits(long_row) and fits(short_row), timeout=5_000)
    assert inked(panel, long_row) > 300
    project.close()
