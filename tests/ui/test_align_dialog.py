"""Aligning another copy: mark the same moments in both, see the mapping, apply it or cancel.

The copies are rendered so that every frame shows the number of the *film* frame it carries: a
PAL copy runs the film's frames at 25 a second after a leader of its own, so the burned-in numbers
say which copy frame matches which film frame.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desk.core.align_words import describe, notes
from desk.core.alignment import align
from desk.core.timemap import TimeMap
from desk.film_tasks import new_project
from desk.media.frames import FrameDecoder
from desk.media.synth import FramePainter, read_frame_number, render_film
from desk.store import edits, queries
from desk.store.changes import Changed
from desk.store.project import Project
from desk.ui import align_dialog
from desk.ui.align_dialog import AlignDialog, open_align_dialog
from desk.ui.frame_viewer import FrameViewer
from desk.ui.session import Session

NTSC = Fraction(24000, 1001)
PAL = Fraction(25)
FILM_FRAMES = 240  # 10 s at 23.976
LEADER = 12  # frames of the PAL copy's own before the film starts: 480 ms
LEADER_NUMBER = 900_000


def start_ms(frame: int, fps: Fraction) -> int:
    return math.ceil(Fraction(frame) * 1000 / fps)


def frame_at(ms: int, fps: Fraction) -> int:
    return math.floor(Fraction(ms) * fps / 1000)


def render_copy(path: Path, fps: Fraction, numbers: list[int]) -> Path:
    """A film whose frame ``j`` shows the number ``numbers[j]``, at ``fps``."""
    painter = FramePainter(160, 90, fps)
    with av.open(str(path), "w") as container:
        params = f"keyint={int(fps)}:min-keyint={int(fps)}:scenecut=0:bframes=0"
        stream = container.add_stream(
            "libx264", rate=fps, options={"preset": "ultrafast", "x264-params": params}
        )
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuv420p"
        stream.time_base = 1 / fps
        for j, number in enumerate(numbers):
            frame = painter.frame(number, float(j / fps))
            frame.pts = j
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("align")
    film = render_film(
        folder / "film.mp4", width=160, height=90, fps=NTSC, duration_s=10.0,
        keyframe_interval=24, audio=False,
    )  # fmt: skip
    leader = [LEADER_NUMBER + j for j in range(LEADER)]
    pal = render_copy(folder / "pal.mp4", PAL, leader + list(range(FILM_FRAMES)))
    notes_file = folder / "notes.txt"
    notes_file.write_text("Not a film, just words.\n")
    return {"film": film, "pal": pal, "text": notes_file}


@pytest.fixture
def project_file(tmp_path: Path, films: dict[str, Path]) -> Path:
    path = tmp_path / "ending.desk"
    with new_project(path, films["film"]) as project:
        edits.add_note(project, "He hands the ring back", start_ms=start_ms(100, NTSC))
    return path


@pytest.fixture
def session(project_file: Path) -> Iterator[Session]:
    project = Project.open(project_file, backup=False)
    yield Session(project)
    project.close()


@pytest.fixture
def dialog(qtbot, session: Session, films: dict[str, Path]) -> Iterator[AlignDialog]:
    window = AlignDialog(session)
    qtbot.addWidget(window)
    window.open_film(films["film"])
    window.show()
    yield window
    window.left.close_media()
    window.right.close_media()


def shown_number(viewer: FrameViewer) -> int:
    image = viewer.picture.shown_image()
    assert image is not None
    image = image.convertToFormat(image.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return read_frame_number(rows[:, : image.width() * 3].reshape(image.height(), -1, 3))


def settle(qtbot, viewer: FrameViewer) -> int:
    qtbot.waitUntil(lambda: viewer.shown_ms is not None, timeout=5000)
    return shown_number(viewer)


def match(qtbot, dialog: AlignDialog, film_frame: int) -> None:
    """What the user does: the film frame on the left, then steps on the right until it shows
    the same picture."""
    dialog.left.seek(start_ms(film_frame, NTSC))
    assert settle(qtbot, dialog.left) == film_frame
    dialog.right.seek_file(start_ms(film_frame, NTSC))  # a first guess: the same time
    for _ in range(60):
        shown = settle(qtbot, dialog.right)
        if shown == film_frame:
            return
        key = Qt.Key.Key_Right if shown < film_frame or shown >= LEADER_NUMBER else Qt.Key.Key_Left
        qtbot.keyClick(dialog.right, key)
    raise AssertionError(f"the copy never showed film frame {film_frame}")


def pal_pair(film_frame: int) -> tuple[int, int]:
    return start_ms(film_frame, NTSC), start_ms(film_frame + LEADER, PAL)


# -- the dialog ------------------------------------------------------------------------------------
def test_pairs_marked_on_the_frames_shown_give_the_pal_mapping(qtbot, dialog, films) -> None:
    assert dialog.load_copy(films["pal"])
    assert not dialog.apply_button.isEnabled() or dialog.pairs == []
    for frame in (24, 200):
        match(qtbot, dialog, frame)
        qtbot.waitUntil(dialog.add_button.isEnabled, timeout=5000)
        dialog.add_button.click()
    assert dialog.pairs == [pal_pair(24), pal_pair(200)]
    alignment = dialog.alignment()
    assert alignment.time_map == TimeMap.from_affine(480, Fraction(1001, 960))
    assert dialog.summary.text() == ("Mapping: offset +0.480 s and rate 25/23.976 (PAL speed-up)")
    assert [dialog.table.item(row, 3).text() for row in range(2)] == ["0", "0"]
    assert dialog.apply_button.isEnabled()


def test_apply_stores_the_map_and_a_link_then_shows_its_frame_in_the_copy(
    qtbot, dialog, session, films
) -> None:
    assert dialog.load_copy(films["pal"])
    for frame in (30, 180):
        match(qtbot, dialog, frame)
        qtbot.waitUntil(dialog.add_button.isEnabled, timeout=5000)
        dialog.add_button.click()
    with qtbot.waitSignal(session.changes_applied) as told:
        dialog.apply_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    (changes,) = told.args
    assert changes.touches(Changed.FILM)
    assert changes.made_by(dialog)
    media = queries.reference_media(session.project)
    assert media is not None
    assert Path(media.path) == films["pal"].resolve()
    assert (media.fps_num, media.fps_den) == (25, 1)
    time_map = TimeMap.from_json(json.loads(media.time_map))
    (link_ms,) = session.project.query("SELECT start_ms FROM time_link")[0]
    with FrameDecoder(films["pal"]) as copy:
        assert read_frame_number(copy.frame_at(time_map.to_copy(link_ms)).rgb) == 100
        for frame in (0, 1, 99, 101, 239):  # every film frame lands on its copy frame
            shown = copy.frame_at(time_map.to_copy(start_ms(frame, NTSC)))
            assert read_frame_number(shown.rgb) == frame
    session.undo()  # one edit, undone at once
    media = queries.reference_media(session.project)
    assert media is not None
    assert Path(media.path) == films["film"].resolve()
    assert TimeMap.from_json(json.loads(media.time_map)).is_identity


def test_cancel_leaves_the_project_byte_identical(qtbot, project_file, films) -> None:
    before = project_file.read_bytes()
    project = Project.open(project_file, backup=False)
    window = AlignDialog(Session(project))
    qtbot.addWidget(window)
    window.open_film(films["film"])
    window.show()
    assert window.load_copy(films["pal"])
    match(qtbot, window, 50)
    qtbot.waitUntil(window.add_button.isEnabled, timeout=5000)
    window.add_button.click()
    window.reject()
    assert window.result() == QDialog.DialogCode.Rejected
    assert window.left.server is None
    assert window.right.server is None
    project.close()
    assert not project_file.with_name(project_file.name + "-wal").exists()
    assert project_file.read_bytes() == before


def test_a_file_that_is_not_a_film_gets_a_message_and_changes_nothing(
    qtbot, dialog, films, monkeypatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        align_dialog.messages, "warning", lambda _parent, _title, text: said.append(text)
    )
    assert dialog.load_copy(films["pal"])
    match(qtbot, dialog, 24)
    qtbot.waitUntil(dialog.add_button.isEnabled, timeout=5000)
    dialog.add_button.click()
    assert not dialog.load_copy(films["text"])
    assert len(said) == 1
    assert "notes.txt" in said[0]
    assert dialog.copy is not None
    assert dialog.copy.path == films["pal"]
    assert dialog.pairs == [pal_pair(24)]
    assert settle(qtbot, dialog.right) == 24  # the copy is still on screen


def test_the_keyboard_marks_removes_and_never_applies_by_accident(qtbot, dialog, films) -> None:
    assert dialog.load_copy(films["pal"])
    match(qtbot, dialog, 60)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    dialog.right.setFocus()
    qtbot.waitUntil(dialog.add_button.isEnabled, timeout=5000)
    qtbot.keyClick(dialog.right, Qt.Key.Key_M)
    assert dialog.pairs == [pal_pair(60)]
    field = dialog.left.time_field
    field.setFocus()
    field.setText("0:05")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Return went to the field: the left viewer is at 5 s
    at_5s = start_ms(frame_at(5000, NTSC), NTSC)
    qtbot.waitUntil(lambda: dialog.left.shown_ms == at_5s, timeout=5000)
    qtbot.keyClick(dialog.left, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    a_second_on = start_ms(frame_at(at_5s + 1000, NTSC), NTSC)
    qtbot.waitUntil(lambda: dialog.left.shown_ms == a_second_on, timeout=5000)
    qtbot.keyClick(dialog.left, Qt.Key.Key_Left)
    one_back = frame_at(a_second_on, NTSC) - 1
    qtbot.waitUntil(lambda: dialog.left.shown_ms == start_ms(one_back, NTSC), timeout=5000)
    assert shown_number(dialog.left) == one_back
    dialog.table.setFocus()
    dialog.table.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert dialog.pairs == []


def test_choosing_another_copy_clears_the_pairs_of_the_previous_one(qtbot, dialog, films) -> None:
    assert dialog.load_copy(films["pal"])
    match(qtbot, dialog, 24)
    qtbot.waitUntil(dialog.add_button.isEnabled, timeout=5000)
    dialog.add_button.click()
    assert dialog.load_copy(films["film"])
    assert dialog.pairs == []
    assert "cleared" in dialog.notes.text()


def test_the_menu_entry_asks_for_a_copy_and_applies_it(qtbot, session, films, monkeypatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(
        align_dialog.QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(films["pal"]), "")
    )

    def apply_when_shown() -> None:
        shown = QApplication.activeModalWidget()
        if isinstance(shown, AlignDialog) and shown.apply_button.isEnabled():
            poll.stop()
            shown.apply_button.click()

    asked: list[str] = []
    monkeypatch.setattr(
        align_dialog.messages, "question", lambda _p, _t, text: asked.append(text) or True
    )
    poll = QTimer(interval=20)
    poll.timeout.connect(apply_when_shown)
    poll.start()
    media_id = open_align_dialog(parent, session, films["film"])
    media = queries.reference_media(session.project)
    assert media is not None
    assert media_id == media.id
    assert Path(media.path) == films["pal"].resolve()
    assert TimeMap.from_json(json.loads(media.time_map)).is_identity  # no pairs: as it is
    # Without pairs the PAL copy is not what the mapping expects, and the user was asked first.
    assert asked == [
        "'pal.mp4' is not like the film this project plays: it runs at 25 frames/s where "
        "23.976 is expected.\n\nUse it anyway?"
    ]


def test_a_copy_unlike_the_film_is_not_applied_when_the_user_says_no(
    dialog, session, films, monkeypatch
) -> None:
    monkeypatch.setattr(align_dialog.messages, "question", lambda *_a: False)
    history = session.project.undo_labels()
    assert dialog.load_copy(films["pal"])
    dialog.apply_button.click()  # no pairs: the PAL copy as it is, at another rate
    assert dialog.result() != QDialog.DialogCode.Accepted
    media = queries.reference_media(session.project)
    assert media is not None
    assert Path(media.path) == films["film"].resolve()
    assert session.project.undo_labels() == history  # no edit was made


def test_a_mapping_that_leaves_the_note_outside_the_copy_is_refused_naming_it(
    qtbot, dialog, session, films, monkeypatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(align_dialog.messages, "warning", lambda _p, _t, text: said.append(text))
    assert dialog.load_copy(films["film"])
    dialog.left.seek(start_ms(200, NTSC))  # the film's frame 200 called the copy's first frame
    qtbot.waitUntil(lambda: dialog.left.shown_ms is not None, timeout=5000)
    dialog.right.seek_file(0)
    qtbot.waitUntil(dialog.add_button.isEnabled, timeout=5000)
    dialog.add_button.click()
    dialog.apply_button.click()
    assert said == [
        "with this mapping, 1 moment of the project would fall outside 'film.mp4': 0:04.171 "
        "before its start (film time); match other moments or choose another copy."
    ]
    media = queries.reference_media(session.project)
    assert media is not None
    assert TimeMap.from_json(json.loads(media.time_map)).is_identity


def test_the_menu_entry_changes_nothing_without_a_film_or_a_copy(
    qtbot, session, films, monkeypatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[str] = []
    monkeypatch.setattr(
        align_dialog.messages, "information", lambda _p, _t, text: said.append(text)
    )
    monkeypatch.setattr(align_dialog.QFileDialog, "getOpenFileName", lambda *_a, **_k: ("", ""))
    before = queries.reference_media(session.project)
    assert open_align_dialog(parent, session, None) is None
    assert said
    assert said[0].startswith("Open the project's film first")
    assert open_align_dialog(parent, session, films["film"]) is None
    assert queries.reference_media(session.project) == before


# -- the mapping the pairs give, in the dialog's words ---------------------------------------------
def test_one_pair_gives_an_offset() -> None:
    alignment = align([(10_000, 12_350)], NTSC, NTSC)
    assert describe(alignment) == "offset +2.350 s"
    assert alignment.time_map == TimeMap.from_offset(2350)


def test_close_moments_do_not_make_up_a_speed_change_from_frame_rounding() -> None:
    """A 25 fps copy at the film's speed: matched frames start up to a frame apart."""
    pairs = [(start_ms(24, NTSC), 2000), (start_ms(48, NTSC), 3000)]
    assert describe(align(pairs, NTSC, PAL)).startswith("offset +0.99")


def test_another_cut_is_piecewise_and_the_pairs_past_the_added_scene_stand_out() -> None:
    fps = Fraction(24)

    def copy_frame(n: int) -> int:  # 48 frames added after film frame 120
        return n if n < 120 else n + 48

    pairs = [(start_ms(n, fps), start_ms(copy_frame(n), fps)) for n in (30, 100, 130, 200, 220)]
    alignment = align(pairs, fps, fps)
    assert describe(alignment) == "piecewise, 4 segments"
    assert alignment.outliers == {0, 1}
    assert [round(float(off) * 24 / 1000) for off in alignment.off_ms] == [48, 48, 0, 0, 0]
    said = notes(alignment, 10_000, 12_000)
    assert any("3 of 5 moments agree on offset +2.000 s" in line for line in said)


def test_a_wild_speed_is_pointed_out() -> None:
    said = notes(align([(1000, 1000), (2000, 1250)], NTSC, NTSC), 10_000, 10_000)
    assert "The copy would run at 4.00× the film's speed: check the pairs." in said


def test_pairs_that_cross_give_no_mapping() -> None:
    alignment = align([(1000, 2000), (2000, 1500)], NTSC, NTSC)
    assert alignment.time_map is None
    assert alignment.anchors is None
    assert "#1 and #2 cross" in describe(alignment)


def test_a_copy_shorter_than_the_film_says_where_links_fall_outside_it() -> None:
    fps = Fraction(24)
    said = notes(align([(0, 500)], fps, fps), 10_000, 8000)
    assert "links after 0:07.500 show its last frame" in said[-1]
    said = notes(align([(2000, 0)], fps, fps), 10_000, 8000)
    assert "links before 0:02.000 show its first frame" in said[-1]
