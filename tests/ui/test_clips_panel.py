"""The teacher builds a lecture in the window: a clip list from a scene, a run of beats and the
marks, retitled, captioned, reordered and trimmed, then exported with progress, and every clip
holds what was asked: a clip of beats 5–6 ends on beat 6's last frame, read from the picture."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QProgressDialog, QPushButton, QWidget

from desk.core.timecode import FrameRate
from desk.core.timefmt import fmt_ms
from desk.film_tasks import new_project
from desk.media.synth import read_frame_number
from desk.store import edits
from desk.ui.clips_panel import ClipsPanel
from desk.ui.main_window import MainWindow
from tests.store.files import in_file
from tests.ui.answers import OK, accepted, answer, number, picked, typed


def clips_of(window: MainWindow) -> ClipsPanel:
    assert window.workspace is not None
    panel = window.workspace.panels.get("clips")
    assert isinstance(panel, ClipsPanel)
    return panel


def shown(panel: ClipsPanel, column: int) -> list[str]:
    model = panel.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def clips_in_file(path: Path) -> list[tuple]:
    return in_file(
        path, "SELECT title, start_ms, end_ms, handle_before_ms, handle_after_ms, caption "
        "FROM clip ORDER BY position"
    )  # fmt: skip


def test_a_lecture_is_built_from_a_scene_a_run_of_beats_and_the_marks(
    sample_window: MainWindow, sample_copy: Path, qtbot
) -> None:
    window, path = sample_window, sample_copy
    panel = clips_of(window)
    actions = window.window_actions
    answer(typed("Week 3: endings"))
    actions["clips.new_list"].trigger()  # Clips → New clip list…
    assert panel.list_choice.currentText() == "Week 3: endings"
    assert in_file(path, "SELECT name FROM clip_list") == [("Week 3: endings",)]

    scenes = in_file(path, "SELECT name, start_ms, end_ms FROM scene ORDER BY position")
    answer(picked(len(scenes) - 1))
    actions["clips.add_scene"].trigger()
    beats = in_file(path, "SELECT label, start_ms, end_ms FROM beat ORDER BY start_ms, end_ms, id")
    answer(picked(4), picked(1))  # from beat 5, to the second from there: beat 6
    actions["clips.add_beats"].trigger()
    name, start, end = scenes[-1]
    assert clips_in_file(path) == [
        (name, start, end, 0, 0, ""),
        (f"{beats[4][0]} … {beats[5][0]}", beats[4][1], beats[5][2], 0, 0, ""),
    ]
    rate = FrameRate(Fraction(*in_file(path, "SELECT fps_num, fps_den FROM media")[0]))
    last_of_beat_6 = rate.start_ms(rate.frame_at(beats[5][2] - 1))
    assert shown(panel, 3)[1] == fmt_ms(last_of_beat_6)  # Out: the last frame, included

    # Half a second between the marks: too short to show, and nothing is added.
    window.workspace.transport.set_marks(10_000, 10_500)
    said: list[str] = []
    answer(OK, said=said)
    actions["clips.add_marks"].trigger()
    assert "less than a second: give it handles" in said[0]
    assert len(clips_in_file(path)) == 2
    answer(number(500), number(750))
    actions["clips.handles"].trigger()  # default handles for new clips
    actions["clips.add_marks"].trigger()
    out_end = rate.start_ms(rate.frame_at(10_500) + 1)  # the O mark's frame is in the clip
    assert clips_in_file(path)[2] == ("", 10_000, out_end, 500, 750, "")
    assert shown(panel, 5)[2] == "−0.5 s / +0.75 s"

    # Retitle from the context menu, caption in place in the table.
    panel.choose_row(2)
    answer(typed("Sobbing"))
    (retitle,) = [a for a in panel.clip_menu().actions() if a.text() == "Retitle…"]
    retitle.trigger()
    panel.table.edit(panel.model.index(2, 6))
    editor = panel.table.viewport().findChild(QLineEdit)
    QTest.keyClicks(editor, "She breaks down on his chest.")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # committed once the key has been handled
    qtbot.waitUntil(lambda: shown(panel, 6)[2] == "She breaks down on his chest.")
    assert clips_in_file(path)[2][0] == "Sobbing"
    assert clips_in_file(path)[2][5] == "She breaks down on his chest."

    # Ctrl+Up moves the chosen clip; Delete deletes it; undo brings each back in one step.
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [c[0] for c in clips_in_file(path)][1] == "Sobbing"
    assert shown(panel, 1)[1] == "Sobbing"
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert "Sobbing" not in [c[0] for c in clips_in_file(path)]
    window.undo_action.trigger()
    assert [c[0] for c in clips_in_file(path)][1] == "Sobbing"
    window.undo_action.trigger()
    assert [c[0] for c in clips_in_file(path)][2] == "Sobbing"


@pytest.fixture
def lecture_project(small_film: Path, tmp_path: Path) -> Path:
    """A project on the small test film (24 frames/s, each frame's number burned in) with six
    beats marked on frame boundaries, one second each."""
    path = tmp_path / "lecture.desk"
    with new_project(path, small_film) as project:
        for n in range(6):
            edits.add_beat(project, start_ms=1000 * n, end_ms=1000 * (n + 1), label=f"Beat {n + 1}")
    return path


def test_an_exported_clip_of_beats_5_to_6_ends_on_the_last_frame_of_beat_6(
    qtbot, lecture_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(lecture_project, trusted_media=True)
    try:
        answer(typed("Week 3"))
        window.window_actions["clips.new_list"].trigger()
        answer(picked(4), picked(1))
        window.window_actions["clips.add_beats"].trigger()
        folder = tmp_path / "class"
        monkeypatch.setattr(
            "PySide6.QtWidgets.QFileDialog.getExistingDirectory", lambda *a, **k: str(folder)
        )
        said: list[str] = []
        answer(accepted, OK, said=said)  # the options as they are; then where the files went
        window.window_actions["clips.export"].trigger()
    finally:
        window.close_project()
    assert said[1] == f"Wrote 1 clip and week-3.xspf to {folder}."
    with av.open(str(folder / "01-beat-5-beat-6.mp4")) as clip:
        numbers = [read_frame_number(f.to_ndarray(format="rgb24")) for f in clip.decode(video=0)]
    assert numbers[0] == 96  # beat 5's first frame: 4 s at 24 frames/s
    assert numbers[-1] == 143  # beat 6's last frame, the one on screen just before 6 s
    assert numbers == list(range(96, 144))


def test_a_cancelled_export_leaves_no_half_written_clip(
    qtbot, lecture_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(lecture_project, trusted_media=True)
    folder = tmp_path / "class"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getExistingDirectory", lambda *a, **k: str(folder)
    )

    def cancel_at_once() -> None:
        (progress,) = window.findChildren(QProgressDialog)
        progress.findChild(QPushButton).click()  # its Cancel button, shown or not yet

    def accept_then_cancel(dialog: QWidget) -> None:
        QTimer.singleShot(0, cancel_at_once)  # once the export is under way
        accepted(dialog)

    try:
        answer(typed("Week 3"))
        window.window_actions["clips.new_list"].trigger()
        answer(picked(0), picked(5))  # beats 1 to 6: the whole film
        window.window_actions["clips.add_beats"].trigger()
        said: list[str] = []
        answer(accept_then_cancel, OK, said=said)
        window.window_actions["clips.export"].trigger()
    finally:
        window.close_project()
    assert said[1] == f"The export was cancelled; clips finished before it are in {folder}."
    assert not folder.exists() or list(folder.iterdir()) == []
