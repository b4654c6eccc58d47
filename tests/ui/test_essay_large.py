"""A long essay shows its first paragraphs as soon as its panel is shown, not once scrolled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor

from desk.store.project import Project
from desk.ui.essay_panel import EssayPanel
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


def test_a_long_essay_is_painted_as_soon_as_it_is_shown(qtbot, tmp_path: Path) -> None:
    path = write_large_project(tmp_path / "long.desk", paragraphs=3_000, notes=10)
    project = Project.open(path, backup=False)
    panel = EssayPanel(Session(project), Transport())
    qtbot.addWidget(panel)
    panel.resize(520, 500)
    panel.show()
    qtbot.waitExposed(panel)
    # The first paragraph is where the view says it is, and its words are painted there.
    view = panel.view
    first = view.visualRect(panel.model.index(0))
    assert view.indexAt(first.center()).row() == 0
    assert inked(panel, 0) > 100
    project.close()
