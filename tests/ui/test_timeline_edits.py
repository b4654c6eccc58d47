"""Editing beats on the sample project: a dragged beat stays inside the film, and the beat editor
only writes what the critic changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from desk.store import edits
from desk.ui.session import Session
from desk.ui.timeline import TimelineWidget
from desk.ui.timeline.model import load_film
from desk.ui.transport import Transport

pytestmark = pytest.mark.usefixtures("no_painting_errors")

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def timeline(qtbot, session: Session) -> TimelineWidget:
    widget = TimelineWidget(session, Transport())
    qtbot.addWidget(widget)
    widget.resize(1200, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def at(widget: TimelineWidget, x_ms: float, y: float) -> QPoint:
    """The viewport pixel showing film time ``x_ms`` at height ``y`` of the lanes."""
    scene_point = widget.plots.lanes.getViewBox().mapViewToScene(QPointF(x_ms, y))
    return widget.view.mapFromScene(scene_point)


def drag(qtbot, widget: TimelineWidget, start: QPoint, end: QPoint) -> None:
    """Press, move (once pyqtgraph's rate limit lets a move through) and release."""
    viewport = widget.view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start)
    qtbot.waitUntil(widget.view.scene()._moveEventIsAllowed, timeout=1000)
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, LEFT, pos=end)


def last_beat(session: Session) -> tuple[int, int, int]:
    """(id, start_ms, end_ms) of the sample's latest-ending beat, which Ani feels (lane 0)."""
    found = session.project.query(
        "SELECT b.id, b.start_ms, b.end_ms FROM beat b JOIN beat_character bc ON bc.beat_id = b.id"
        " JOIN character c ON c.id = bc.character_id WHERE c.name = 'Ani'"
        " ORDER BY b.end_ms DESC LIMIT 1"
    )
    return found[0]


def beat_times(session: Session, beat_id: int) -> tuple[int, int]:
    row = session.project.query("SELECT start_ms, end_ms FROM beat WHERE id = ?", beat_id)
    return row[0][0], row[0][1]


def test_dragging_a_late_beat_past_the_end_stops_it_at_the_films_end(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    film = load_film(session.project)
    film_end = film.snap_ms(film.duration_ms)
    beat_id, start, end = last_beat(session)
    assert end + 5_000 < film_end  # the story needs a beat that ends a little before the film
    timeline.plots.show_range(start - 5_000, film.duration_ms * 1.02)
    QApplication.processEvents()
    y = timeline.plots.beat_row_top(0) + 0.5
    grab = (start + end) / 2
    drag(qtbot, timeline, at(timeline, grab, y), at(timeline, grab + film_end - start, y))
    assert beat_times(session, beat_id) == (film_end - (end - start), film_end)


def test_dragging_a_beats_end_past_the_films_end_stops_there(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    film = load_film(session.project)
    film_end = film.snap_ms(film.duration_ms)
    beat_id, start, end = last_beat(session)
    timeline.plots.show_range(start - 5_000, film.duration_ms * 1.02)
    QApplication.processEvents()
    y = timeline.plots.beat_row_top(0) + 0.5
    drag(qtbot, timeline, at(timeline, end, y), at(timeline, film.duration_ms * 1.015, y))
    assert beat_times(session, beat_id) == (start, film_end)


def test_changing_only_the_label_leaves_a_finer_valence_and_intensity_alone(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    beat_id, _, _ = last_beat(session)
    session.edit(edits.update_beat, beat_id, valence=0.333, intensity=0.667)
    editor = timeline.beats.edit(timeline.beats.data.row_of(beat_id))
    assert editor.changes() == {}
    editor.label.setText("Snow, and nothing else")
    assert editor.changes() == {"label": "Snow, and nothing else"}
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert session.project.query(
        "SELECT label, valence, intensity FROM beat WHERE id = ?", beat_id
    ) == [("Snow, and nothing else", 0.333, 0.667)]


def test_the_beat_character_chosen_in_the_toolbar_gets_the_next_beat(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    chooser = timeline.toolbar.character
    chooser.setCurrentIndex(chooser.findText("Igor"))
    chooser.activated.emit(chooser.currentIndex())
    timeline.transport.report_position(5_000)
    beat_id = timeline.create_beat()
    igor = session.project.query("SELECT id FROM character WHERE name = 'Igor'")[0][0]
    assert session.project.query(
        "SELECT character_id FROM beat_character WHERE beat_id = ?", beat_id
    ) == [(igor,)]


def test_a_beat_added_at_the_films_end_still_has_a_length(
    timeline: TimelineWidget, session: Session
) -> None:
    film = load_film(session.project)
    timeline.transport.report_position(film.duration_ms)
    start, end = beat_times(session, timeline.create_beat())
    assert end > start
    assert end <= film.duration_ms


def test_a_beats_menu_edits_and_deletes_it(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    beat_id, start, end = last_beat(session)
    timeline.plots.show_range(start - 2_000, end + 2_000)
    QApplication.processEvents()
    y = timeline.plots.beat_row_top(0) + 0.5
    qtbot.mouseClick(
        timeline.view.viewport(), Qt.MouseButton.RightButton, pos=at(timeline, (start + end) / 2, y)
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=2000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions()] == ["Edit beat…", "Delete beat"]
    menu.actions()[0].trigger()
    menu.close()
    editor = timeline.beats.editor
    assert editor is not None
    assert editor.isVisible()
    editor.reject()
    timeline.beats.beat_menu(timeline.beats.data.row_of(beat_id)).actions()[1].trigger()
    assert session.project.query("SELECT count(*) FROM beat WHERE id = ?", beat_id) == [(0,)]
    session.undo()
    assert session.project.query("SELECT count(*) FROM beat WHERE id = ?", beat_id) == [(1,)]


def test_a_beats_range_is_typed_in_its_editor(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    beat_id, _, _ = last_beat(session)
    editor = timeline.beats.edit(timeline.beats.data.row_of(beat_id))
    editor.time.setText("0:50 - 0:52.5")
    assert editor.changes() == {"start_ms": 50_000, "end_ms": 52_500}
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert beat_times(session, beat_id) == (50_000, 52_500)
    assert session.project.undo_labels()[0] == "Edit beat"


def test_a_beat_time_that_is_not_one_keeps_the_editor_open_with_a_sentence(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    beat_id, start, end = last_beat(session)
    editor = timeline.beats.edit(timeline.beats.data.row_of(beat_id))
    editor.time.setText("when she cries")
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert editor.isVisible()
    assert "not a timecode: 'when she cries'" in editor.problem.text()
    assert beat_times(session, beat_id) == (start, end)
    editor.reject()


def test_a_notes_mark_on_the_timeline_opens_the_notes_menu(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    from desk.ui.note_editor import NoteEditor
    from desk.ui.timeline.plots import CONTEXT_ROWS

    note_id, start = session.project.query(
        "SELECT note_id, start_ms FROM time_link WHERE note_id IS NOT NULL "
        "ORDER BY start_ms LIMIT 1"
    )[0]
    timeline.plots.show_range(start - 3_000, start + 3_000)
    QApplication.processEvents()
    y = timeline.plots.context_tops()[2] + CONTEXT_ROWS[2][1] / 2
    qtbot.mouseClick(
        timeline.view.viewport(), Qt.MouseButton.RightButton, pos=at(timeline, start + 20, y)
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=2000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Edit note…",
        "Link to paragraph…",
        "Delete note",
    ]
    menu.actions()[0].trigger()
    menu.close()
    editor = timeline.findChild(NoteEditor)
    assert editor is not None
    assert editor.original.id == note_id
    editor.reject()
    timeline.link_menu(start).actions()[-1].trigger()  # type: ignore[union-attr]
    assert session.project.query("SELECT count(*) FROM note WHERE id = ?", note_id) == [(0,)]
    session.undo()
    assert session.project.query("SELECT count(*) FROM note WHERE id = ?", note_id) == [(1,)]
