"""Lecture clips as a teacher gets them: MP4 files that start and end on the exact frames, with
sound in step, captions where asked, a reel, a playlist VLC plays, a handout, and nothing half
written when an export is cancelled or fails."""

from __future__ import annotations

import math
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from urllib.parse import quote, unquote
from xml.etree import ElementTree as ET

import av
import numpy as np
import pytest
from PIL import Image

from desk.cli import main
from desk.errors import Cancelled, FilmError
from desk.export import clips as clips_module
from desk.export.clips import ClipOptions, clip_file_name, export_clips, slug
from desk.export.errors import ExportError
from desk.export.lecture import ClipItem
from desk.film_tasks import new_project
from desk.media.synth import read_frame_number, render_film
from desk.store import clip_lists, edits
from desk.store.project import Project

FPS = Fraction(24000, 1001)
#: The stand-in film's sound is silent until this time, then a loud tone.
SOUND_ON_S = 2.0
RING = {"title": "The ring", "caption": "Igor gives back the ring.", "handle_before_ms": 250}
KISS = {"title": "Она отказывается", "caption": "She refuses the kiss.", "handle_after_ms": 120}


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """160x90 at 23.976 frames/s for 4 s, a keyframe every 24 frames, sound from 2 s on."""
    return render_film(
        tmp_path_factory.mktemp("film") / "stand-in.mp4",
        width=160,
        height=90,
        fps=FPS,
        duration_s=4.0,
        keyframe_interval=24,
        audio_curve=lambda t: 0.0 if t < SOUND_ON_S else 0.6,
    )


@pytest.fixture
def project(film: Path, tmp_path: Path) -> Path:
    """A project with one lecture: two clips that start and end between keyframes."""
    path = tmp_path / "lecture.desk"
    with new_project(path, film) as project:
        lecture, _ = clip_lists.add_clip_list(project, "Week 3: endings")
        clip_lists.add_clip(project, lecture, 1010, 2400, **RING)
        clip_lists.add_clip(project, lecture, 2600, 3500, **KISS)
        edits.add_note(project, "He hands it over without a speech.", start_ms=1500)
    return path


@pytest.fixture(scope="module")
def exported(film: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lecture exported once with every extra: captions, timecode, reel, playlist, handout."""
    folder = tmp_path_factory.mktemp("export")
    path = folder / "lecture.desk"
    with new_project(path, film) as project:
        lecture, _ = clip_lists.add_clip_list(project, "Week 3: endings")
        clip_lists.add_clip(project, lecture, 1010, 2400, **RING)
        clip_lists.add_clip(project, lecture, 2600, 3500, **KISS)
        edits.add_note(project, "He hands it over without a speech.", start_ms=1500)
    options = ClipOptions(
        captions=True, timecode=True, reel=True, playlist=True, playlist_over_film=True,
        handout=True,
    )  # fmt: skip
    export_clips(path, folder / "out", options=options)
    return folder / "out"


def shown_at(ms: int) -> int:
    return math.floor(Fraction(ms) * FPS / 1000)


def pictures(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def numbers(path: Path) -> list[int]:
    return [read_frame_number(p) for p in pictures(path)]


def sound(path: Path) -> tuple[np.ndarray, int, str]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        blocks = [f.to_ndarray() for f in container.decode(stream)]
        return np.concatenate(blocks, axis=1), stream.rate, stream.codec_context.name


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the clips ----------------------------------------------------------------------------------
def test_each_clip_starts_and_ends_on_the_exact_frames(project: Path, tmp_path: Path) -> None:
    result = export_clips(project, tmp_path / "out")
    ring, kiss = result.clips
    first, last = shown_at(1010 - 250), shown_at(2400 - 1)
    assert numbers(ring) == list(range(first, last + 1))
    first, last = shown_at(2600), shown_at(3500 + 120 - 1)
    assert numbers(kiss) == list(range(first, last + 1))
    assert video_seconds(ring) == pytest.approx((shown_at(2399) - shown_at(760) + 1) / FPS)


def test_the_sound_is_aac_and_in_step_with_the_pictures(
    film: Path, project: Path, tmp_path: Path
) -> None:
    ring = export_clips(project, tmp_path / "out").clips[0]
    samples, rate, codec = sound(ring)
    assert codec == "aac"
    assert samples.shape[1] / rate == pytest.approx(video_seconds(ring), abs=0.03)
    loud = np.flatnonzero(np.abs(samples[0]) > 0.2)
    assert loud.size > rate // 10  # not silent
    source, source_rate, _ = sound(film)
    onset_s = np.flatnonzero(np.abs(source[0]) > 0.2)[0] / source_rate
    clip_start_s = float(shown_at(760) / FPS)
    assert loud[0] / rate == pytest.approx(onset_s - clip_start_s, abs=0.005)


def test_file_names_sort_in_lecture_order(project: Path, tmp_path: Path) -> None:
    result = export_clips(project, tmp_path / "out")
    assert [p.name for p in result.clips] == ["01-the-ring.mp4", "02-она-отказывается.mp4"]
    assert files(tmp_path / "out") == ["01-the-ring.mp4", "02-она-отказывается.mp4"]
    item = ClipItem(7, "", "", 0, 1000)
    assert clip_file_name(item, 120) == "007-clip.mp4"
    assert slug("  Week 3: «endings» / part_2 ") == "week-3-endings-part-2"


def test_captions_and_timecode_are_burned_in_below_the_picture(
    project: Path, exported: Path, tmp_path: Path
) -> None:
    plain = pictures(export_clips(project, tmp_path / "plain").clips[0])[0].astype(int)
    painted = pictures(exported / "01-the-ring.mp4")[0].astype(int)
    assert read_frame_number(painted) == read_frame_number(plain)
    strip = slice(90 - 12, 90)
    assert np.abs(painted[strip] - plain[strip]).mean() > 20  # the caption band
    assert np.abs(painted[30:60] - plain[30:60]).mean() < 8  # the picture above it, untouched
    corner = painted[60:75, 100:158]  # the timecode: white on black
    assert (corner.mean(axis=2) < 40).mean() > 0.3
    assert (corner.mean(axis=2) > 200).mean() > 0.05


def test_clips_are_scaled_to_the_height_asked(project: Path, tmp_path: Path) -> None:
    options = ClipOptions(height=180)
    ring = export_clips(project, tmp_path / "out", options=options).clips[0]
    first = pictures(ring)[0]
    assert first.shape == (180, 320, 3)
    assert read_frame_number(first) == shown_at(760)
    with pytest.raises(ExportError, match="height"):
        export_clips(project, tmp_path / "bad", options=ClipOptions(height=5))


def test_the_reel_puts_a_title_card_before_each_clip(exported: Path) -> None:
    reel = exported / "00-week-3-endings-reel.mp4"
    card = round(clips_module.CARD_S * FPS)
    seen = pictures(reel)
    ring = list(range(shown_at(760), shown_at(2399) + 1))
    kiss = list(range(shown_at(2600), shown_at(3619) + 1))
    assert len(seen) == 2 * card + len(ring) + len(kiss)
    assert [read_frame_number(p) for p in seen[card : card + len(ring)]] == ring
    assert [read_frame_number(p) for p in seen[-len(kiss) :]] == kiss
    title = seen[0].astype(int)
    assert title.mean() < 40
    assert title.max() > 200
    samples, rate, _ = sound(reel)
    assert np.abs(samples[:, : card * rate // 30]).max() < 0.01  # the card is silent


# -- the playlist -------------------------------------------------------------------------------
NS = {"x": "http://xspf.org/ns/0/", "vlc": "http://www.videolan.org/vlc/playlist/ns/0/"}


def test_the_playlist_beside_the_clips_plays_the_exported_files(exported: Path) -> None:
    root = ET.parse(exported / "week-3-endings.xspf").getroot()
    assert root.find("x:title", NS).text == "Week 3: endings"
    tracks = root.findall("x:trackList/x:track", NS)
    locations = [t.find("x:location", NS).text for t in tracks]
    assert locations == ["01-the-ring.mp4", quote("02-она-отказывается.mp4")]
    assert all((exported / unquote(where)).is_file() for where in locations)
    assert [t.find("x:title", NS).text for t in tracks] == ["1. The ring", "2. Она отказывается"]


def test_the_playlist_over_the_film_names_the_film_and_each_range(
    exported: Path, film: Path
) -> None:
    root = ET.parse(exported / "week-3-endings-over-film.xspf").getroot()
    assert root.find("x:title", NS).text == "Week 3: endings"
    tracks = root.findall("x:trackList/x:track", NS)
    assert [t.find("x:location", NS).text for t in tracks] == [film.resolve().as_uri()] * 2
    assert [t.find("x:title", NS).text for t in tracks] == ["1. The ring", "2. Она отказывается"]
    options = [[o.text for o in t.iterfind("x:extension/vlc:option", NS)] for t in tracks]
    assert options == [
        ["start-time=0.760", "stop-time=2.400"],
        ["start-time=2.600", "stop-time=3.620"],
    ]


@pytest.mark.parametrize(
    ("name", "slack"),
    [("week-3-endings.xspf", 1), ("week-3-endings-over-film.xspf", 4)],
    ids=["exported files", "over the film"],
)
def test_vlc_plays_each_clip_of_the_playlists(qtbot, exported: Path, name: str, slack: int) -> None:
    """What VLC shows, read from the frame numbers burned into the pictures it draws: each track
    plays its clip, the exported file's (whose frames are checked exactly above; VLC may not draw
    the very last picture of a file) or the film's range, where VLC's seek and stop land."""
    vlc = pytest.importorskip("vlc")
    instance = vlc.Instance("--aout=dummy", "--quiet")
    playlist = instance.media_new_path(str(exported / name))
    playlist.parse_with_options(vlc.MediaParseFlag.local, 5000)
    qtbot.waitUntil(
        lambda: playlist.get_parsed_status() == vlc.MediaParsedStatus.done, timeout=5000
    )
    items = playlist.subitems()
    assert items.count() == 2
    player = instance.media_player_new()
    shown = _watch_pictures(vlc, player, width=160, height=90)
    try:
        player.set_media(items.item_at_index(1))
        player.play()
        qtbot.waitUntil(lambda: player.get_state() == vlc.State.Ended, timeout=8000)
    finally:
        player.stop()
        player.release()
        instance.release()
    assert shown, "VLC drew no picture"
    first, last = shown_at(2600), shown_at(3620 - 1)
    assert first <= shown[0] <= first + slack
    assert last - slack <= shown[-1] <= last + slack
    assert shown == sorted(shown)  # forward through the range (VLC may drop a late picture)


def _watch_pictures(vlc, player, width: int, height: int) -> list[int]:
    """Make ``player`` draw into memory and return the list it fills with the burned-in frame
    number of each picture it displays."""
    import ctypes

    buffer = (ctypes.c_ubyte * (width * height * 4))()
    shown: list[int] = []

    @vlc.CallbackDecorators.VideoLockCb
    def lock(_opaque, planes):
        planes[0] = ctypes.cast(buffer, ctypes.c_void_p)

    @vlc.CallbackDecorators.VideoUnlockCb
    def unlock(_opaque, _picture, _planes):
        pass

    @vlc.CallbackDecorators.VideoDisplayCb
    def display(_opaque, _picture):
        pixels = np.frombuffer(buffer, dtype=np.uint8).reshape(height, width, 4)
        shown.append(read_frame_number(pixels[:, :, :3]))

    player.video_set_callbacks(lock, unlock, display, None)
    player.video_set_format("RV32", width, height, width * 4)
    player._desk_callbacks = (lock, unlock, display)  # kept alive while libVLC may call them
    return shown


# -- the handout --------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_handout_lists_titles_captions_and_notes(exported: Path, tmp_path: Path) -> None:
    handout = exported / "week-3-endings-handout.pdf"
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(handout), "-"], capture_output=True, text=True
        ).stdout.split()
    )
    for expected in (
        "Week 3: endings",
        "1. The ring",
        "Igor gives back the ring.",
        "2. Она отказывается",
        "She refuses the kiss.",
        "He hands it over without a speech.",
        "0:01.010–0:02.378",  # out: the start of the last frame shown (frame 57)
    ):
        assert expected in text
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(handout), str(tmp_path / "p")],
        check=True,
    )
    with Image.open(tmp_path / "p-1.png") as page:
        assert np.asarray(page.convert("L")).std() > 10  # stills and text, not a blank page


# -- failure and cancel -------------------------------------------------------------------------
def test_a_cancelled_export_leaves_no_file(project: Path, tmp_path: Path) -> None:
    calls = iter(range(1000))
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        export_clips(project, out, cancel=lambda: next(calls) > 10)
    assert files(out) == []


def test_a_failed_export_leaves_no_partial_file(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = clips_module.FilmReader.frames

    def broken(self, first: int, last: int):
        for count, item in enumerate(real(self, first, last)):
            if count == 5 and first > 40:
                raise FilmError("The film could not be decoded.")
            yield item

    monkeypatch.setattr(clips_module.FilmReader, "frames", broken)
    progress: list[float] = []
    with pytest.raises(FilmError):
        export_clips(project, tmp_path / "out", progress=progress.append)
    assert files(tmp_path / "out") == ["01-the-ring.mp4"]  # the finished clip is whole
    assert progress
    assert all(0 <= p <= 1 for p in progress)


def test_an_export_needs_a_list_with_clips_and_the_film(
    film: Path, project: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.desk"
    new_project(bare, film).close()
    with pytest.raises(ExportError, match="no clip lists"):
        export_clips(bare, tmp_path / "out")
    with pytest.raises(ExportError, match="no clip list called 'week 9'"):
        export_clips(project, tmp_path / "out", list_name="week 9")
    with Project.open(project) as opened:
        clip_lists.add_clip_list(opened, "Empty")
        far, _ = clip_lists.add_clip_list(opened, "Far")
        media_id, length = opened.query("SELECT id, duration_ms FROM media")[0]
        # A clip made against a longer copy of the film, which was then relinked to this one.
        edits.update_media(opened, media_id, duration_ms=120_000)
        clip_lists.add_clip(opened, far, 60_000, 61_000)
        edits.update_media(opened, media_id, duration_ms=length)
    with pytest.raises(ExportError, match="has no clips"):
        export_clips(project, tmp_path / "out", list_name="empty")
    with pytest.raises(ExportError, match="outside the film copy"):
        export_clips(project, tmp_path / "out", list_name="far")
    with Project.open(project) as opened:
        edits.update_media(opened, media_id, path=str(tmp_path / "gone.mp4"))
    with pytest.raises(ExportError, match="was not found"):
        export_clips(project, tmp_path / "out")


# -- the command line ---------------------------------------------------------------------------
def test_the_command_line_makes_a_list_and_exports_it(
    film: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.desk"
    with new_project(path, film) as project:
        edits.add_scene(project, "The final scene", 500, 1500)
    assert main(["clips", "add", str(path), "--list", "Week 3", "--scene", "the final scene"]) == 0
    args = ["clips", "add", str(path), "--list", "Week 3", "--range", "0:02-0:03"]
    assert main([*args, "--title", "Bags", "--caption", "He carries them."]) == 0
    assert main(["clips", "add", str(path), "--list", "Week 3", "--range", "0:03-0:02"]) == 1
    assert main(["clips", "list", str(path)]) == 0
    out = tmp_path / "out"
    assert main(["export", "clips", str(path), "--out", str(out), "--captions", "--playlist"]) == 0
    assert files(out) == ["01-the-final-scene.mp4", "02-bags.mp4", "week-3.xspf"]
    assert numbers(out / "02-bags.mp4")[0] == shown_at(2000)
    printed = capsys.readouterr()
    assert "Week 3  (2 clips)" in printed.out
    assert "wrote 2 clips and week-3.xspf" in printed.out
    assert "not a valid clip range" in printed.err
