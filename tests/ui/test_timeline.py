"""The critic's timeline: mark beats, drag them into place, read the arc, follow the film."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPicture, QWheelEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desk.core.timecode import FrameRate
from desk.store import edits
from desk.store.project import Project
from desk.ui import messages
from desk.ui.actions import Actions
from desk.ui.panels import PANELS
from desk.ui.session import Session
from desk.ui.timeline import TimelineWidget
from desk.ui.timeline.arc_items import column_means
from desk.ui.timeline.axis import LABEL_GAP_PX, SECOND_STEPS_MS, plan_ticks
from desk.ui.timeline.curves import smooth_curve, step_curve
from desk.ui.timeline.marks import NOTE_KIND_COLORS
from desk.ui.timeline.model import NoteMarks
from desk.ui.timeline.plots import CONTEXT_ROWS, TimelinePlots
from desk.ui.timeline.strips import first_after, first_from
from desk.ui.transport import Transport

pytestmark = pytest.mark.usefixtures("no_painting_errors")

RATE = FrameRate(Fraction(24))
LEFT = Qt.MouseButton.LeftButton


class Beats:
    """Ids of the beats every story starts from."""

    ring = 0  # Ani, 10 s to 14 s, a range
    door = 0  # Igor, a moment at 20 s


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    project = Project.create(tmp_path / "x.desk")
    edits.add_media(
        project,
        path="/films/anora.mp4",
        fps_num=24,
        fps_den=1,
        duration_ms=120_000,
        width=320,
        height=180,
        is_reference=True,
    )
    ani = edits.add_character(project, "Ani", "#d1495b")[0]
    igor = edits.add_character(project, "Igor", "#3d7ea6")[0]
    emotions = dict(project.query("SELECT name, id FROM emotion"))
    edits.add_scene(project, "Drive", 0, 5_000)
    edits.add_scene(project, "The final scene", 5_000, 60_000)
    Beats.ring = edits.add_beat(
        project,
        start_ms=10_000,
        end_ms=14_000,
        label="She takes the ring",
        characters=[ani],
        emotion_id=emotions["tenderness"],
        valence=0.4,
        intensity=0.3,
    )[0]
    Beats.door = edits.add_beat(
        project,
        start_ms=20_000,
        label="He opens the door",
        characters=[igor],
        emotion_id=emotions["hope"],
        valence=0.6,
        intensity=0.5,
    )[0]
    yield project
    project.close()


@pytest.fixture
def transport() -> Transport:
    return Transport()


@pytest.fixture
def timeline(qtbot, project: Project, transport: Transport) -> TimelineWidget:
    widget = TimelineWidget(Session(project), transport)
    qtbot.addWidget(widget)
    bind_actions(widget)
    widget.resize(1200, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def bind_actions(widget: TimelineWidget) -> None:
    """The timeline's keys as the window binds them (a lone timeline is its own window)."""
    spec = next(spec for spec in PANELS if spec.name == "timeline")
    actions = Actions(widget)
    assert spec.context is not None
    actions.attach(spec.context, widget)
    actions.handle(widget, {action_id: partial(act, widget) for action_id, act in spec.actions})


# -- helpers: where things are on screen ----------------------------------------------------------
def at(widget: TimelineWidget, x_ms: float, y: float, *, arc: bool = False) -> QPoint:
    """The viewport pixel showing film time ``x_ms`` at height ``y`` of the lanes (or the arc)."""
    plot = widget.plots.arc if arc else widget.plots.lanes
    scene_point = plot.getViewBox().mapViewToScene(QPointF(x_ms, y))
    return widget.view.mapFromScene(scene_point)


def lane_y(widget: TimelineWidget, lane: int) -> float:
    return widget.plots.beat_row_top(lane) + 0.5


def show(widget: TimelineWidget, start_ms: float, end_ms: float) -> None:
    widget.plots.show_range(start_ms, end_ms)
    QApplication.processEvents()


def move(qtbot, widget: TimelineWidget, pos: QPoint) -> None:
    """Move the pointer; pyqtgraph drops moves that come faster than its rate limit."""
    qtbot.waitUntil(widget.view.scene()._moveEventIsAllowed, timeout=1000)
    qtbot.mouseMove(widget.view.viewport(), pos=pos)


def drag(qtbot, widget: TimelineWidget, start: QPoint, end: QPoint) -> None:
    viewport = widget.view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start)
    move(qtbot, widget, end)
    qtbot.mouseRelease(viewport, LEFT, pos=end)


def double_click(qtbot, widget: TimelineWidget, pos: QPoint) -> None:
    """What a mouse sends for a double-click: press, release, double-click, release."""
    viewport = widget.view.viewport()
    qtbot.mouseClick(viewport, LEFT, pos=pos)
    qtbot.mouseDClick(viewport, LEFT, pos=pos)
    qtbot.mouseRelease(viewport, LEFT, pos=pos)


def beat_times(project: Project, beat_id: int) -> tuple[int, int]:
    row = project.query("SELECT start_ms, end_ms FROM beat WHERE id = ?", beat_id)
    return row[0][0], row[0][1]


def is_frame_start(ms: int) -> bool:
    return RATE.start_ms(RATE.frame_at(ms)) == ms


# -- beats ---------------------------------------------------------------------------------------
def test_dragging_a_beat_retimes_it_snapped_to_frames_and_it_is_in_the_file(
    qtbot, timeline: TimelineWidget, project: Project
) -> None:
    show(timeline, 8_000, 18_000)
    grab, drop = (
        at(timeline, 12_000, lane_y(timeline, 0)),
        at(timeline, 13_500, lane_y(timeline, 0)),
    )
    drag(qtbot, timeline, grab, drop)
    with Project.open(project.path, readonly=True) as reopened:
        start, end = beat_times(reopened, Beats.ring)
    assert abs(start - 11_500) <= 42
    assert is_frame_start(start)
    assert abs((end - start) - 4_000) <= 1
    assert is_frame_start(end)
    assert timeline.beats.data.starts[timeline.beats.data.row_of(Beats.ring)] == start


def test_dragging_a_beat_edge_resizes_it(qtbot, timeline: TimelineWidget, project: Project) -> None:
    show(timeline, 8_000, 18_000)
    y = lane_y(timeline, 0)
    drag(qtbot, timeline, at(timeline, 14_000, y), at(timeline, 15_200, y))
    start, end = beat_times(project, Beats.ring)
    assert start == 10_000
    assert abs(end - 15_200) <= 42
    assert is_frame_start(end)
    drag(qtbot, timeline, at(timeline, 10_000, y), at(timeline, 9_000, y))
    start, _ = beat_times(project, Beats.ring)
    assert abs(start - 9_000) <= 42
    assert is_frame_start(start)


def test_pressing_b_creates_a_beat_from_the_playhead_or_over_the_marks(
    qtbot, timeline: TimelineWidget, project: Project, transport: Transport
) -> None:
    transport.report_position(33_333)
    timeline.view.setFocus()
    assert timeline.toolbar.character.currentText() == "Ani"  # whose beat B adds, in sight
    qtbot.keyClick(timeline.view, Qt.Key.Key_B)
    new = project.rows("SELECT * FROM beat ORDER BY id DESC LIMIT 1")[0]
    assert new["start_ms"] == RATE.start_ms(800)  # the frame nearest 33.333 s
    assert new["end_ms"] == RATE.start_ms(848)  # no cut known: two seconds on
    ani = project.query("SELECT id FROM character WHERE name = 'Ani'")[0][0]
    assert project.query(
        "SELECT character_id FROM beat_character WHERE beat_id = ?", new["id"]
    ) == [(ani,)]
    assert timeline.beats.selected_id == new["id"]

    show(timeline, 30_000, 50_000)
    qtbot.mouseClick(timeline.view.viewport(), LEFT, pos=at(timeline, 45_000, lane_y(timeline, 1)))
    assert timeline.toolbar.character.currentText() == "Igor"  # a click in a lane chose him
    transport.set_marks(40_010, 42_000)
    qtbot.keyClick(timeline.view, Qt.Key.Key_B)
    ranged = project.rows("SELECT * FROM beat ORDER BY id DESC LIMIT 1")[0]
    assert (ranged["start_ms"], ranged["end_ms"]) == (RATE.start_ms(960), 42_000)
    igor = project.query("SELECT id FROM character WHERE name = 'Igor'")[0][0]
    assert project.query(
        "SELECT character_id FROM beat_character WHERE beat_id = ?", ranged["id"]
    ) == [(igor,)]


def test_editing_a_beat_in_place_changes_its_emotion_and_valence(
    qtbot, timeline: TimelineWidget, project: Project
) -> None:
    show(timeline, 8_000, 18_000)
    double_click(qtbot, timeline, at(timeline, 12_000, lane_y(timeline, 0)))
    editor = timeline.beats.editor
    assert editor is not None
    assert editor.isVisible()
    assert editor.label.text() == "She takes the ring"
    editor.emotion.setCurrentIndex(editor.emotion.findText("grief"))
    editor.valence.setValue(-0.8)
    editor.label.setText("She holds the ring like a receipt")
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    row = project.rows("SELECT * FROM beat WHERE id = ?", Beats.ring)[0]
    grief = project.query("SELECT id FROM emotion WHERE name = 'grief'")[0][0]
    assert (row["emotion_id"], row["valence"], row["intensity"]) == (grief, -0.8, 0.3)
    assert row["label"] == "She holds the ring like a receipt"
    assert project.undo_labels()[0] == "Edit beat"


def test_deleting_a_beat_is_undoable(qtbot, timeline: TimelineWidget, project: Project) -> None:
    show(timeline, 15_000, 25_000)
    qtbot.mouseClick(timeline.view.viewport(), LEFT, pos=at(timeline, 20_000, lane_y(timeline, 1)))
    assert timeline.beats.selected_id == Beats.door
    qtbot.keyClick(timeline.view, Qt.Key.Key_Delete)
    assert project.query("SELECT count(*) FROM beat WHERE id = ?", Beats.door) == [(0,)]
    assert timeline.beats.data.row_of(Beats.door) is None
    timeline.session.undo()
    assert project.query("SELECT count(*) FROM beat_character WHERE beat_id = ?", Beats.door) == [
        (1,)
    ]
    assert timeline.beats.data.row_of(Beats.door) is not None
    assert timeline.beats.lanes[1].rows.tolist() == [timeline.beats.data.row_of(Beats.door)]


# -- the arc and the playhead ---------------------------------------------------------------------
def test_clicking_the_arc_sends_the_player_there(
    qtbot, timeline: TimelineWidget, transport: Transport
) -> None:
    scene = timeline.scenes.ids[timeline.scenes.labels.index("The final scene")]
    timeline.focus_scene(int(scene))
    QApplication.processEvents()
    assert timeline.plots.x_range()[0] < 5_000 < 60_000 < timeline.plots.x_range()[1] + 1
    with qtbot.waitSignal(transport.seek_requested) as sent:
        qtbot.mouseClick(timeline.view.viewport(), LEFT, pos=at(timeline, 10_000, 0.4, arc=True))
    assert sent.args == [10_000]
    assert timeline.beats.selected_id == Beats.ring


def test_hovering_the_arc_reads_the_beat(qtbot, timeline: TimelineWidget) -> None:
    show(timeline, 5_000, 30_000)
    move(qtbot, timeline, at(timeline, 20_000, 0.6, arc=True))
    tip = timeline.arc.points.toolTip()
    assert "He opens the door" in tip
    assert "hope" in tip
    assert "Igor" in tip


def test_the_playhead_follows_the_transport(
    qtbot, timeline: TimelineWidget, transport: Transport
) -> None:
    transport.report_position(45_000)
    assert all(head.value() == 45_000 for head in timeline.overlays.heads)
    show(timeline, 40_000, 50_000)
    y = lane_y(timeline, 0)
    with qtbot.waitSignal(transport.seek_requested) as sent:
        drag(qtbot, timeline, at(timeline, 45_000, y), at(timeline, 47_000, y))
    assert abs(sent.args[0] - 47_000) <= 20
    transport.report_playing(True)
    transport.report_position(80_000)
    low, high = timeline.plots.x_range()
    assert low <= 80_000 <= high
    transport.report_playing(False)
    transport.report_position(20_000)  # a jump while paused (a chip, a search result) is shown
    low, high = timeline.plots.x_range()
    assert low < 20_000 < high
    assert abs((low + high) / 2 - 20_000) < 0.05 * (high - low)


def test_io_marks_and_links_show_on_the_timeline(
    timeline: TimelineWidget, project: Project, transport: Transport
) -> None:
    transport.set_marks(2_000, 4_000)
    mark_in, mark_out, region = timeline.overlays.marks[0]
    assert mark_in.isVisible()
    assert mark_out.isVisible()
    assert region.isVisible()
    assert region.getRegion() == (2_000, 4_000)
    timeline.session.edit(edits.add_note, "the wipers", start_ms=50_000)
    assert timeline.plots.context.links.times.tolist() == [50_000]


# -- zoom -----------------------------------------------------------------------------------------
def wheel(widget: TimelineWidget, pos: QPoint, clicks: int) -> None:
    viewport = widget.view.viewport()
    for _ in range(clicks):
        event = QWheelEvent(
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewport, event)


def test_zooming_to_frames_shows_frame_ticks(timeline: TimelineWidget) -> None:
    wheel(timeline, at(timeline, 30_000, lane_y(timeline, 0)), clicks=60)
    timeline.grab()
    low, high = timeline.plots.x_range()
    assert high - low < 1_000  # a few frames across the whole view
    axis = timeline.plots.axis
    assert axis.plan.frame_ticks
    levels = axis.tickValues(low, high, axis.geometry().width())
    ticks = sorted(v for _spacing, values in levels for v in values)
    frames = [
        RATE.start_ms(n) for n in range(RATE.frame_at(int(low)) + 1, RATE.frame_at(int(high)))
    ]
    assert all(any(abs(t - f) < 1 for t in ticks) for f in frames)
    labels = axis.tickStrings(levels[0][1], 1, levels[0][0])
    assert labels
    assert all(label.count(":") == 3 for label in labels)
    px_per_ms = axis.geometry().width() / (high - low)
    assert levels[0][0] * px_per_ms >= axis._label_px(True) + LABEL_GAP_PX


def test_the_time_axis_writes_every_labelled_tick_once_without_overlap(
    timeline: TimelineWidget,
) -> None:
    timeline.plots.show_range(12_000, 47_000)
    timeline.grab()
    axis = timeline.plots.axis
    picture = QPicture()
    painter = QPainter(picture)
    try:
        _line, ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    low, high = timeline.plots.x_range()
    majors = axis.tickValues(low, high, axis.geometry().width())[0][1]
    written = [text for _rect, _flags, text in texts]
    labels = [axis.tick_label(v) for v in majors]
    first = labels.index(written[0])
    assert written == labels[first : first + len(written)]
    assert len(written) >= len(labels) - 2  # only labels cut by an edge are left out
    assert sum(len(xs) for _pen, xs, _band in ticks) > len(majors)  # and unlabelled minor ticks
    rects = [rect for rect, _flags, _text in texts]
    assert all(a.right() < b.left() for a, b in zip(rects, rects[1:], strict=False))
    inside = axis.boundingRect()
    assert all(inside.contains(rect) for rect in rects)


@given(
    span_ms=st.floats(min_value=100, max_value=10_000_000),
    width_px=st.floats(min_value=200, max_value=4_000),
)
def test_tick_labels_never_overlap_at_any_zoom(span_ms: float, width_px: float) -> None:
    def label_px(frames: bool) -> float:
        return 70.0 if frames else 48.0

    plan = plan_ticks(span_ms, width_px, Fraction(24000, 1001), label_px)
    room = plan.major_ms * width_px / span_ms
    assert room >= label_px(plan.frame_labels) + LABEL_GAP_PX or plan.major_ms == max(
        SECOND_STEPS_MS
    )


# -- analysis, focus, export -----------------------------------------------------------------------
def analysed(qtbot, project: Project, film: Path, duration_ms: int) -> TimelineWidget:
    """A timeline on ``film`` (the project's film now) once its analysis has finished."""
    edits.update_media(project, 1, path=str(film), duration_ms=duration_ms)
    widget = TimelineWidget(Session(project), Transport())
    qtbot.addWidget(widget)
    widget.set_film(film)
    finished = qtbot.waitSignal(
        widget.runner.busy_changed, timeout=30_000, check_params_cb=lambda busy: not busy
    )
    with finished:
        assert widget.analyse_film()
    return widget


def test_analysing_the_film_draws_loudness_and_stores_the_cuts_as_shots(
    qtbot, tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.media.synth import render_film

    film = render_film(
        tmp_path / "film.mp4",
        width=192,
        height=108,
        duration_s=6.0,
        cuts_at_s=[2.0, 4.0],
        audio_curve=lambda t: 0.05 if t < 3 else 0.5,
    )
    widget = analysed(qtbot, project, film, 6_000)
    shots = [(0,), (2_000,), (4_000,)]
    assert project.query("SELECT start_ms FROM shot ORDER BY start_ms") == shots
    loudness = widget.plots.context.loudness.lufs
    assert len(loudness) >= 55
    assert loudness[50] - loudness[10] > 15
    kinds = project.query("SELECT kind FROM analysis ORDER BY kind")
    assert kinds == [("cuts",), ("loudness",)]
    assert not widget.analyse_film()  # cached: nothing to do again
    said: list[str] = []
    monkeypatch.setattr(messages, "information", lambda parent, title, text: said.append(text))
    widget.toolbar.analyse_clicked.emit()
    assert said == ["This film is analysed already: its loudness and cuts are shown."]
    widget.session.undo()
    assert project.query("SELECT count(*) FROM shot") == [(0,)]
    assert not widget.analyse_film()  # still nothing to measure, but the shots come back
    assert project.query("SELECT start_ms FROM shot ORDER BY start_ms") == shots


def test_a_silent_film_still_gets_its_shots(qtbot, tmp_path: Path, project: Project) -> None:
    from desk.media.synth import render_film

    film = render_film(
        tmp_path / "silent.mp4", width=192, height=108, duration_s=4.0, cuts_at_s=[3.0], audio=False
    )
    analysed(qtbot, project, film, 4_000)
    assert project.query("SELECT start_ms FROM shot ORDER BY start_ms") == [(0,), (3_000,)]
    assert project.query("SELECT kind FROM analysis") == [("cuts",)]


def test_focus_mode_spans_the_final_scene_of_the_sample(qtbot, session: Session) -> None:
    widget = TimelineWidget(session, Transport())
    qtbot.addWidget(widget)
    scene = session.project.query(
        "SELECT id, start_ms, end_ms FROM scene WHERE name = ?", "The final scene"
    )[0]
    widget.focus_scene(scene[0])
    low, high = widget.plots.x_range()
    assert low <= scene[1] < scene[2] <= high < scene[2] + 0.1 * (scene[2] - scene[1])
    assert widget.toolbar.focus.currentText() == "The final scene"
    assert {lane.name for lane in widget.beats.lanes} == {"Ani", "Igor"}
    assert len(widget.arc.curves) == 2
    widget.toolbar.measure.setCurrentIndex(2)
    widget.toolbar.measure.activated.emit(2)
    assert len(widget.arc.curves) == 4


def test_exporting_the_view_as_png_and_svg(timeline: TimelineWidget, tmp_path: Path) -> None:
    png = timeline.export_image(tmp_path / "timeline.png")
    svg = timeline.export_image(tmp_path / "timeline.svg")
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in svg.read_bytes()[:2000]
    assert sorted(p.name for p in tmp_path.iterdir() if "timeline" in p.name) == [
        "timeline.png",
        "timeline.svg",
    ]


# -- the shapes of the arc -----------------------------------------------------------------------
def test_steps_hold_each_value_until_the_next_beat() -> None:
    xs, ys = step_curve(np.array([0, 10, 30]), np.array([5, 20, 40]), np.array([0.1, -0.5, 0.9]))
    assert xs.tolist() == [0, 10, 10, 30, 30, 40]
    assert ys.tolist() == [0.1, 0.1, -0.5, -0.5, 0.9, 0.9]


@given(st.lists(st.floats(min_value=-1, max_value=1), min_size=2, max_size=30))
def test_the_smooth_arc_never_overshoots(values: list[float]) -> None:
    xs = np.arange(len(values)) * 1000.0
    _, ys = smooth_curve(xs, np.array(values))
    assert ys.min() >= min(values) - 1e-9
    assert ys.max() <= max(values) + 1e-9


def test_the_loudness_lane_spans_the_films_own_range() -> None:
    from desk.ui.timeline.context import EnvelopeItem

    lane = EnvelopeItem(0, 1, 60_000, "#6fa8dc")
    dynamic = np.concatenate([np.full(300, -26.0), np.full(300, -7.0)]).astype(np.float32)
    lane.set_envelope(0, 100, dynamic)
    assert lane.level(np.array([-26.0, -7.0])).tolist() == [0.0, 1.0]
    steady = np.array([-23.5, -23.0, -22.5] * 200, dtype=np.float32)
    lane.set_envelope(0, 100, steady)  # half a LU of wobble stays a small wobble
    quiet, loud = lane.level(np.array([-23.5, -22.5])).tolist()
    assert loud == 1.0
    assert loud - quiet < 0.1


def test_many_reference_tiers_never_push_the_arc_off_screen(
    timeline: TimelineWidget, qtbot
) -> None:
    timeline.resize(1200, 340)
    timeline.plots.set_reference_names([f"Tier {n}" for n in range(12)])
    timeline.plots.set_lane_names([f"Character {n}" for n in range(6)])
    qtbot.wait(50)  # the layout settles
    arc = timeline.plots.arc.mapRectToScene(timeline.plots.arc.boundingRect())
    assert arc.height() >= 60
    assert arc.bottom() <= timeline.view.height()


# -- reading at a glance ------------------------------------------------------------------
def pixel(widget: TimelineWidget, x_ms: float, y: float) -> QColor:
    """The colour the viewport shows at film time ``x_ms``, height ``y`` of the lanes."""
    QApplication.processEvents()
    image = widget.view.viewport().grab().toImage()
    return image.pixelColor(at(widget, x_ms, y))


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def row_of(name: str) -> tuple[float, float]:
    """The top and height (lane units) of a context lane."""
    names = [row_name for row_name, _height in CONTEXT_ROWS]
    k = names.index(name)
    return TimelinePlots.context_tops()[k], CONTEXT_ROWS[k][1]


def test_a_range_link_is_drawn_over_its_whole_extent(timeline: TimelineWidget) -> None:
    timeline.session.edit(edits.add_note, "the long take", start_ms=30_000, end_ms=40_000)
    show(timeline, 0, 60_000)
    top, height = row_of("Links")
    foot = top + 0.85 * height  # the bar runs along the foot of the lane
    link = QColor(timeline.plots.context.links.color)
    assert distance(pixel(timeline, 31_000, foot), link) < 90
    assert distance(pixel(timeline, 39_000, foot), link) < 90
    assert distance(pixel(timeline, 45_000, foot), link) > 200  # it ends where the link ends
    assert distance(pixel(timeline, 35_000, top + 0.3 * height), link) > 200  # one tick: the start


def test_the_notes_lane_shows_each_note_in_its_kinds_colour_with_its_text_on_hover(
    qtbot, timeline: TimelineWidget
) -> None:
    session = timeline.session
    session.edit(edits.add_note, "Is the ring a payment?", start_ms=50_000, kind="question")
    session.edit(
        edits.add_note, "She keeps her coat on", start_ms=30_000, end_ms=40_000, kind="evidence"
    )
    session.edit(edits.add_note, "A note on no moment", kind="interpretation")
    notes = timeline.plots.context.notes
    assert list(notes.labels) == ["She keeps her coat on", "Is the ring a payment?"]
    show(timeline, 0, 60_000)
    top, height = row_of("Notes")
    middle = top + height / 2
    evidence = QColor(NOTE_KIND_COLORS["evidence"])
    assert distance(pixel(timeline, 39_700, middle), evidence) < 60  # past its label
    assert distance(pixel(timeline, 50_000, middle), QColor(NOTE_KIND_COLORS["question"])) < 60
    assert distance(pixel(timeline, 45_000, middle), evidence) > 200
    move(qtbot, timeline, at(timeline, 35_000, middle))
    assert "She keeps her coat on" in notes.toolTip()
    assert "evidence" in notes.toolTip()
    move(qtbot, timeline, at(timeline, 50_000, middle))
    assert "Is the ring a payment?" in notes.toolTip()


def test_a_crowded_notes_lane_reads_only_the_texts_it_has_room_to_write(
    timeline: TimelineWidget,
) -> None:
    # 5,000 notes that all run to the film's end: each has room for its text on its own, but
    # the texts written first take the room; the others are never read from the project.
    count = 5_000
    starts = np.arange(count, dtype=np.int64) * 20
    ends = np.full(count, 119_000, dtype=np.int64)
    notes = timeline.plots.context.notes
    notes.set_marks(NoteMarks.of_kind(np.arange(1, count + 1), starts, ends, "question"))
    read: list[int] = []

    def texts(ids: list[int]) -> dict[int, str]:
        read.extend(ids)
        return {i: f"note {i}" for i in ids}

    notes.labels.read = texts
    show(timeline, 0, 120_000)
    timeline.view.viewport().grab()
    assert 0 < len(read) < 200


def test_the_arcs_key_says_what_the_y_axis_means_and_whose_colour_is_whose(
    timeline: TimelineWidget,
) -> None:
    legend = timeline.arc.legend
    assert legend.texts == ["valence: −1 unpleasant … +1 pleasant", "Ani", "Igor"]
    assert legend.item.isVisible()
    bar = timeline.toolbar
    bar.measure.setCurrentIndex(bar.measure.findData("intensity"))
    bar.measure.activated.emit(bar.measure.currentIndex())
    assert legend.texts[0] == "intensity: 0 calm … 1 overwhelming"
    assert timeline.plots.arc.getAxis("left").labelText == "intensity"
    bar.measure.setCurrentIndex(bar.measure.findData("both"))
    bar.measure.activated.emit(bar.measure.currentIndex())
    assert legend.texts[:2] == [
        "valence: −1 unpleasant … +1 pleasant",
        "intensity: 0 calm … 1 overwhelming",
    ]


def test_the_keys_names_are_plain_text(timeline: TimelineWidget) -> None:
    vanya = timeline.session.edit(edits.add_character, "<b>Vanya</b>", "#aa8800")
    timeline.session.edit(edits.add_beat, start_ms=1_000, end_ms=2_000, characters=[vanya])
    legend = timeline.arc.legend
    assert "<b>Vanya</b>" in legend.texts
    assert "&lt;b&gt;Vanya&lt;/b&gt;" in legend.html
    assert "<b>" not in legend.html


def test_two_beats_a_second_apart_at_a_two_minute_zoom_do_not_write_over_each_other(
    qtbot, timeline: TimelineWidget
) -> None:
    ani = timeline.beats.lanes[0]
    timeline.session.edit(
        edits.add_beat,
        start_ms=11_000,
        end_ms=15_000,
        label="She looks at it for a long time",
        characters=[ani.character_id],
    )
    show(timeline, 0, 120_000)
    lane = timeline.beats.items[0]
    qtbot.waitUntil(lambda: len(lane.label_rects) >= 1)
    timeline.grab()
    rects = [rect for _row, rect in lane.label_rects]
    assert rects  # the first beat's label is written
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)


def test_the_playheads_time_never_covers_a_scenes_name(
    qtbot, timeline: TimelineWidget, transport: Transport
) -> None:
    timeline.resize(1600, 322)  # compact lanes: the dock's height in a 1600×1000 window
    show(timeline, 0, 60_000)
    transport.report_position(6_000)  # just inside "The final scene", where its name is written
    timeline.grab()
    label = timeline.overlays.heads[0].label
    tag = label.mapRectToScene(label.boundingRect())
    top, height = row_of("Scenes")
    names = QRectF(QPointF(at(timeline, 5_000, top)), QPointF(at(timeline, 60_000, top + height)))
    assert tag.width() > 0
    assert not tag.intersects(names)


def test_the_arc_has_a_usable_height_by_default(timeline: TimelineWidget) -> None:
    timeline.resize(1600, 322)  # the dock's height in a 1600×1000 window
    QApplication.processEvents()
    arc = timeline.plots.arc.mapRectToScene(timeline.plots.arc.boundingRect())
    assert arc.height() >= 0.35 * timeline.height()


def test_a_focused_scene_stays_framed_while_the_playhead_moves_inside_it(
    timeline: TimelineWidget, transport: Transport
) -> None:
    scene = int(timeline.scenes.ids[timeline.scenes.labels.index("The final scene")])
    timeline.focus_scene(scene)
    framed = timeline.plots.x_range()
    transport.report_playing(True)
    for film_ms in (5_000, 20_000, 41_000, 59_900):
        transport.report_position(film_ms)
        assert timeline.plots.x_range() == framed
    transport.report_playing(False)
    show(timeline, 20_000, 25_000)  # zoomed in on a moment of the scene
    transport.report_position(50_000)  # a jump inside it frames the scene again
    assert timeline.plots.x_range() == framed
    transport.report_position(90_000)  # leaving the scene, the view follows the playhead
    low, high = timeline.plots.x_range()
    assert low < 90_000 < high


def test_a_crowded_lane_still_names_the_beats_that_have_room(
    qtbot, timeline: TimelineWidget, project: Project
) -> None:
    ani = timeline.beats.lanes[0].character_id
    for k in range(150):  # a beat every 400 ms from a minute on: a few pixels each at 2 minutes
        start = 60_000 + k * 400
        edits.add_beat(project, start_ms=start, end_ms=start + 200, label=f"glance {k}",
                       characters=[ani])  # fmt: skip
    edits.add_beat(
        project, start_ms=20_000, end_ms=40_000, label="A long embrace", characters=[ani]
    )
    timeline.reload()
    show(timeline, 0, 120_000)
    lane = timeline.beats.items[0]
    timeline.grab()
    named = [lane.labels[k] for k, _rect in lane.label_rects]
    assert "A long embrace" in named
    assert not [name for name in named if name.startswith("glance")]  # no room: not written


def test_a_busy_films_arc_is_drawn_through_each_pixel_columns_mean() -> None:
    # valence flipping between -1 and +1 ten times a pixel reads as its mean, not a solid block
    xs = np.repeat(np.arange(0, 100, 0.1), 2)[1:]
    ys = np.repeat(np.tile([-1.0, 1.0], 500), 2)[:-1]
    centres, means = column_means(xs, ys, 0.0, 120)
    assert len(centres) == 99  # the columns the curve spans, one point each
    assert np.allclose(means, 0.0, atol=0.02)
    flat_x, flat_y = column_means(np.array([0.0, 50.0]), np.array([0.5, 0.5]), 10.0, 20)
    assert np.allclose(flat_y, 0.5)
    assert flat_x.tolist() == [10.5 + k for k in range(20)]


@given(
    times=st.lists(st.integers(min_value=-5_000, max_value=7_200_000), min_size=1, max_size=60),
    at=st.integers(min_value=0, max_value=59),
    off_ms=st.sampled_from([-1.0, -0.5, -1e-9, 0.0, 1e-9, 0.25, 0.5, 1.0]),
    far_ms=st.one_of(st.just(0.0), st.floats(min_value=-1e300, max_value=1e300)),
)
def test_finding_spans_by_time_finds_what_a_search_over_floats_finds(
    times: list[int], at: int, off_ms: float, far_ms: float
) -> None:
    starts = np.sort(np.array(times, dtype=np.int64))
    ms = float(starts[at % len(starts)]) + off_ms + far_ms  # at a time, just off it, or far
    assert first_from(starts, ms) == np.searchsorted(starts.astype(np.float64), ms, "left")
    assert first_after(starts, ms) == np.searchsorted(starts.astype(np.float64), ms, "right")
