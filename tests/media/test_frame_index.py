"""Frame numbers from the film's own timestamps: a phone film whose rate drops halfway counts its
true frames and shows the right one at every time, a film of constant rate with B-frames is not
called variable, and the frame times are read from the film once per copy, then from the cache.

The films show their frame numbers, so each answer is checked against the picture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from desk.core.timecode import FrameRate, format_ms
from desk.media.frame_index import cached_index, frame_index
from desk.media.frames import FrameDecoder, VariableTimeline, timeline_for
from desk.media.probe import fingerprint, open_video, probe
from desk.media.synth import read_frame_number
from desk.media.timelines import IndexedTimeline
from tests.rips import make_bframe_film, make_phone_vfr

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_phone_vfr(tmp_path_factory.mktemp("phone"))


def test_a_phone_film_whose_rate_drops_halfway_counts_its_true_frames(phone: Path) -> None:
    info = probe(phone)
    assert info.variable_frame_rate
    assert info.frame_count == 600


@pytest.mark.parametrize(
    ("copy_ms", "shown"),
    [(0, 0), (9_999, 299), (10_000, 300), (15_000, 375), (29_934, 599), (29_999, 599)],
)
def test_each_time_of_a_phone_film_shows_the_frame_recorded_then(
    phone: Path, copy_ms: int, shown: int
) -> None:
    with FrameDecoder(phone) as decoder:
        frame = decoder.frame_at(copy_ms)
    assert frame.index == shown
    assert read_frame_number(frame.rgb) == shown


def test_the_600th_frame_of_a_phone_film_is_frame_599_of_desk_frame(
    phone: Path, tmp_path: Path
) -> None:
    out = tmp_path / "last.png"
    done = subprocess.run(
        [sys.executable, "-m", "desk", "frame", str(phone), "--at", "29.95s", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("frame 599 at 29934 ms")


def test_probe_json_reports_the_index_frame_count_and_variable_rate(phone: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desk", "probe", str(phone), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    assert (data["frame_count"], data["variable_frame_rate"]) == (600, True)


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_a_film_of_constant_rate_with_b_frames_is_not_called_variable(
    tmp_path: Path, suffix: str
) -> None:
    film = make_bframe_film(tmp_path, suffix)
    info = probe(film)
    assert not info.variable_frame_rate
    assert (info.fps, info.frame_count) == (Fraction(24000, 1001), 240)
    with FrameDecoder(film) as decoder:
        last = decoder.frame_at(info.duration_ms - 1)
    assert (last.index, read_frame_number(last.rgb)) == (239, 239)


def test_the_frame_times_are_read_once_per_copy_then_from_the_cache(phone: Path) -> None:
    first = frame_index(phone)
    kept = cached_index(phone)
    assert kept is not None
    stored = {file: file.stat().st_mtime_ns for file in _cache_files()}
    assert len(stored) == 1

    again = frame_index(phone)
    with FrameDecoder(phone) as decoder:  # seeking and stepping read the same kept times
        assert isinstance(decoder.timeline, VariableTimeline)
        assert decoder.frame_at(15_000).index == 375

    assert (first.from_cache, again.from_cache) == (False, True)
    assert list(again.pts) == list(first.pts)
    assert {file: file.stat().st_mtime_ns for file in _cache_files()} == stored


def test_the_first_open_reads_the_frame_times_on_a_thread_of_its_own_saying_how_far(
    phone: Path,
) -> None:
    container, video = open_video(phone)
    told: list[float] = []
    with container:
        timeline = timeline_for(phone, container, video, progress=told.append)
    assert isinstance(timeline, IndexedTimeline)  # returned before the times were read
    assert isinstance(timeline.wait(), VariableTimeline)
    assert timeline.index_at(15_000) == 375
    assert told[-1] == 1.0
    assert cached_index(phone) is not None


def test_a_damaged_cache_file_is_read_again_from_the_film(phone: Path) -> None:
    frame_index(phone)
    (kept,) = _cache_files()
    kept.write_bytes(b"not an index")
    index = frame_index(phone)
    assert (index.from_cache, index.frame_count) == (False, 600)
    assert frame_index(phone).from_cache


def test_the_smpte_timecode_of_a_variable_film_is_marked_nominal() -> None:
    constant, variable = FrameRate(Fraction(30)), FrameRate(Fraction(30), variable=True)
    assert format_ms(15_000, "smpte", constant) == "00:00:15:00"
    assert format_ms(15_000, "smpte", variable) == "~00:00:15:00"


def _cache_files() -> list[Path]:
    from desk.paths import cache_dir

    return sorted((cache_dir() / "frame-index").glob("*.idx"))


def test_a_matroska_film_shows_each_frame_from_the_millisecond_it_stores(tmp_path: Path) -> None:
    """Matroska stores times in whole milliseconds: at 24000/1001 frames/s a frame lies up to
    half a millisecond before its place on the rate's grid, and players show it from there."""
    film = make_bframe_film(tmp_path, ".mkv")
    container, video = open_video(film)
    with container:
        stored = sorted(p.pts for p in container.demux(video) if p.pts is not None)
    off_grid = [n for n, pts in enumerate(stored) if pts - stored[0] < n * Fraction(1001, 24) - 0.1]
    assert off_grid  # frames the grid would show a millisecond late
    with FrameDecoder(film) as decoder:
        for n in off_grid[:20]:
            at_ms = stored[n]  # the container's clock starts at 0 (the sound's start)
            assert read_frame_number(decoder.frame_at(at_ms).rgb) == n
            assert decoder.frame_at(at_ms).pts_ms == at_ms
            assert read_frame_number(decoder.frame_at(at_ms - 1).rgb) == n - 1


@pytest.fixture
def fingerprints(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The films whose content is fingerprinted (read and hashed) from now on."""
    import desk.media.frame_index as module

    read: list[Path] = []

    def counted(path: Path) -> str:
        read.append(Path(path))
        return fingerprint(path)

    monkeypatch.setattr(module, "fingerprint", counted)
    return read


def _notes() -> list[Path]:
    from desk.paths import cache_dir

    return sorted((cache_dir() / "frame-index").glob("*.name"))


def test_an_unchanged_film_finds_its_frame_times_without_reading_its_content(
    phone: Path, tmp_path: Path, fingerprints: list[Path]
) -> None:
    copy = tmp_path / "phone.mp4"
    shutil.copy(phone, copy)
    first = frame_index(copy)
    assert (first.from_cache, fingerprints) == (False, [copy])
    (note,) = _notes()
    assert note.read_text() == _cache_files()[0].name

    again = frame_index(copy)
    assert again.from_cache
    assert list(again.pts) == list(first.pts)
    assert cached_index(copy) is not None
    assert fingerprints == [copy]  # found from the note: the film was not read again


def test_a_film_written_again_is_known_by_its_content_not_by_its_note(
    phone: Path, tmp_path: Path, fingerprints: list[Path]
) -> None:
    """Even with its modification time set back: the change time moves with any write."""
    copy = tmp_path / "phone.mp4"
    shutil.copy(phone, copy)
    frame_index(copy)
    before = copy.stat()
    copy.write_bytes(copy.read_bytes())  # the same bytes, written again
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))

    again = frame_index(copy)
    assert again.from_cache  # the content is the same: so is its kept index
    assert fingerprints == [copy, copy]
    (note,) = _notes()  # the earlier state's note went: one note a film
    assert note.read_text() == _cache_files()[0].name
    assert len(_cache_files()) == 1

    moved = tmp_path / "moved.mp4"
    copy.rename(moved)
    assert frame_index(moved).from_cache
    assert fingerprints[-1] == moved  # a renamed film changes its change time: read once more
    assert len(_notes()) == 1


@pytest.mark.parametrize("named", ["../../../../etc/passwd", "not-an-index", ""])
def test_a_note_that_names_no_index_file_is_not_followed(
    phone: Path, tmp_path: Path, fingerprints: list[Path], named: str
) -> None:
    copy = tmp_path / "phone.mp4"
    shutil.copy(phone, copy)
    frame_index(copy)
    (note,) = _notes()
    note.write_text(named)
    index = frame_index(copy)
    assert (index.from_cache, index.frame_count) == (True, 600)
    assert fingerprints == [copy, copy]
    assert note.read_text() == _cache_files()[0].name  # made right again
