"""The film's dialogue as evidence: subtitles imported into the open project appear as a lane of
the timeline, read on hover, send the player to a line when clicked, and are found by search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from desk.interchange.formats import Options, import_file
from desk.interchange.model import Summary
from desk.store.changes import Changes
from desk.store.project import Project
from desk.ui.notes_panel import NotesPanel
from desk.ui.session import Session
from desk.ui.timeline import TimelineWidget
from desk.ui.timeline.plots import REFERENCE_ROW
from desk.ui.transport import Transport

pytestmark = pytest.mark.usefixtures("no_painting_errors")

DATA = Path(__file__).parent.parent / "data" / "interchange"
CAPTIONS = DATA / "subs-captions.en.vtt"
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def transport() -> Transport:
    return Transport()


@pytest.fixture
def timeline(qtbot, session: Session, transport: Transport) -> TimelineWidget:
    widget = TimelineWidget(session, transport)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def import_subtitles(session: Session, path: Path, options: Options | None = None) -> Summary:
    """Import a file as the window does: one undoable edit through the session, every view told."""

    def apply(project: Project) -> tuple[Summary, Changes]:
        summary = import_file(project, path.suffix[1:], path, options or Options())
        return summary, summary.changes

    summary: Summary = session.edit(apply)
    return summary


def at(widget: TimelineWidget, x_ms: float, y: float) -> QPoint:
    scene_point = widget.plots.lanes.getViewBox().mapViewToScene(QPointF(x_ms, y))
    return widget.view.mapFromScene(scene_point)


def lane_y(widget: TimelineWidget, lane: int) -> float:
    return widget.plots.reference_row_top(lane) + REFERENCE_ROW / 2


def show(widget: TimelineWidget, start_ms: float, end_ms: float) -> None:
    widget.plots.show_range(start_ms, end_ms)
    QApplication.processEvents()


def lane_names(widget: TimelineWidget) -> list[str]:
    ticks = widget.plots.lanes.getAxis("left")._tickLevels[0]
    return [name for _y, name in sorted(ticks)]


def test_imported_dialogue_gets_a_lane_above_the_beats_and_leaves_with_undo(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    beats_top = timeline.plots.beat_row_top(0)
    first_beat_item = timeline.beats.items[0]
    import_subtitles(session, CAPTIONS)
    (lane,) = timeline.reference.items
    assert lane.tier.name == "Anora, last scene"
    assert lane.tier.starts.tolist() == [1_000, 4_000, 7_000, 7_000, 10_000, 13_000, 20_000]
    assert lane.labels[1:4] == ["Igor: I kept it for you. / Here.", "Ani: What & why?",
                                "Igor: No reason."]  # fmt: skip
    assert timeline.plots.beat_row_top(0) == pytest.approx(beats_top + REFERENCE_ROW)
    assert first_beat_item.top == pytest.approx(beats_top + REFERENCE_ROW)
    names = lane_names(timeline)
    assert names[names.index("Loudness") + 1].startswith("Anora, last")  # elided to fit
    timeline.grab()  # paints the lane

    session.undo()
    assert timeline.reference.items == []
    assert timeline.plots.beat_row_top(0) == pytest.approx(beats_top)
    assert first_beat_item.top == pytest.approx(beats_top)
    assert not any(name.startswith("Anora") for name in lane_names(timeline))


def test_each_tier_has_its_own_lane_and_new_cues_show_at_once(
    qtbot, timeline: TimelineWidget, session: Session
) -> None:
    import_subtitles(session, CAPTIONS)
    import_subtitles(session, DATA / "subs-editor.srt", Options(tier="Editor's cut"))
    assert [item.tier.name for item in timeline.reference.items] == [
        "Anora, last scene",
        "Editor's cut",
    ]
    second = timeline.reference.items[1]
    assert second.top == pytest.approx(timeline.plots.reference_row_top(1))
    assert len(second.tier) == 9


def test_hovering_a_cue_reads_it_and_clicking_it_sends_the_player_to_its_start(
    qtbot, timeline: TimelineWidget, session: Session, transport: Transport
) -> None:
    import_subtitles(session, CAPTIONS)
    show(timeline, 0, 30_000)
    lane = timeline.reference.items[0]
    qtbot.waitUntil(timeline.view.scene()._moveEventIsAllowed, timeout=1000)
    qtbot.mouseMove(timeline.view.viewport(), pos=at(timeline, 8_000, lane_y(timeline, 0)))
    tip = lane.toolTip()
    assert "Ani: What &amp; why?" in tip
    assert "Igor: No reason." in tip
    assert "0:07.000 – 0:09.000" in tip
    with qtbot.waitSignal(transport.seek_requested) as sent:
        qtbot.mouseClick(
            timeline.view.viewport(), LEFT, pos=at(timeline, 11_500, lane_y(timeline, 0))
        )
    assert sent.args == [10_000]
    with qtbot.waitSignal(transport.seek_requested) as sent:
        qtbot.mouseClick(
            timeline.view.viewport(), LEFT, pos=at(timeline, 17_000, lane_y(timeline, 0))
        )
    assert abs(sent.args[0] - 17_000) <= 42  # between cues: the frame clicked


def test_cue_text_is_shown_in_the_lane_when_zoomed_in(
    timeline: TimelineWidget, session: Session
) -> None:
    import_subtitles(session, CAPTIONS)
    show(timeline, 3_000, 13_000)
    image = timeline.view.viewport().grab().toImage()
    lane = timeline.reference.items[0]
    middle = at(timeline, 5_000, lane_y(timeline, 0))
    inside = {image.pixelColor(middle.x() + dx, middle.y()).name() for dx in range(-40, 40)}
    assert len(inside) > 2  # the fill, and text drawn over it
    assert lane.labels[1] == "Igor: I kept it for you. / Here."


def test_searching_finds_a_line_of_dialogue_and_jumps_to_it(
    qtbot, session: Session, transport: Transport
) -> None:
    panel = NotesPanel(session, transport)
    qtbot.addWidget(panel)
    panel.search_box.setText("reason")
    panel.run_search()
    assert panel.results.count() == 1
    assert panel.results.item(0).text() == "No matches"
    import_subtitles(session, CAPTIONS)  # the open search is run again
    item = panel.results.item(0)
    assert item.text() == "0:07.000  Anora, last scene: Igor: No [reason]."
    with qtbot.waitSignal(transport.seek_requested) as sent:
        panel._jump_to_result(item)
    assert sent.args == [7_000]
