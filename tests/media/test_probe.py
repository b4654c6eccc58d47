"""Probing a film: what it holds, whether it is a film at all, and finding it again after a move."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from desk.errors import FilmError
from desk.media.probe import AudioTrack, find_film, fingerprint, probe
from desk.media.synth import render_film

from .conftest import NTSC, Film, VariableFilm


def test_probe_reports_rate_size_duration_and_audio(ntsc_film: Film) -> None:
    info = probe(ntsc_film.path)
    assert info.fps == NTSC
    assert not info.variable_frame_rate
    assert (info.width, info.height, info.rotation) == (320, 180, 0)
    assert info.duration_ms == 10_010
    assert info.frame_count == 240
    assert info.video_codec == "h264"
    assert info.container.startswith("mov,mp4")
    assert info.size_bytes == ntsc_film.path.stat().st_size
    assert info.audio_tracks == (AudioTrack(1, "aac", 1, 48_000, "und"),)
    assert not info.truncated
    assert info.warnings == ()


def test_probe_of_a_pal_film_and_a_matroska_film(pal_film: Film, reordered_film: Film) -> None:
    pal, mkv = probe(pal_film.path), probe(reordered_film.path)
    assert (pal.fps, pal.frame_count, pal.duration_ms) == (Fraction(25), 100, 4000)
    assert (mkv.fps, mkv.frame_count, mkv.width) == (NTSC, 120, 160)
    assert mkv.container.startswith("matroska")
    assert abs(mkv.duration_ms - 5005) <= 1
    assert not mkv.variable_frame_rate


def test_a_film_with_irregular_frame_times_is_variable(vfr_film: VariableFilm) -> None:
    info = probe(vfr_film.path)
    assert info.variable_frame_rate
    assert info.frame_count == len(vfr_film.times_ms)


def test_a_rotated_film_reports_its_display_rotation(tmp_path: Path) -> None:
    path = render_film(tmp_path / "phone.mp4", width=160, height=90, duration_s=0.5, rotation=90)
    info = probe(path)
    assert info.rotation == 90
    assert (info.width, info.height) == (160, 90)
    assert info.display_size == (90, 160)


def test_fingerprint_survives_a_rename(ntsc_film: Film, tmp_path: Path) -> None:
    copy = tmp_path / "renamed copy.mkv"
    shutil.copy(ntsc_film.path, copy)
    assert fingerprint(copy) == fingerprint(ntsc_film.path)
    assert fingerprint(copy).startswith("v1:")


def test_fingerprint_tells_apart_films_of_the_same_size(ntsc_film: Film, tmp_path: Path) -> None:
    data = bytearray(ntsc_film.path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed in the middle
    other = tmp_path / "other.mp4"
    other.write_bytes(bytes(data))
    assert fingerprint(other) != fingerprint(ntsc_film.path)


def test_a_moved_film_is_found_in_a_folder(ntsc_film: Film, pal_film: Film, tmp_path: Path) -> None:
    library = tmp_path / "library"
    (library / ".hidden").mkdir(parents=True)
    (library / "films" / "2024").mkdir(parents=True)
    shutil.copy(ntsc_film.path, library / ".hidden" / "anora.mp4")
    shutil.copy(pal_film.path, library / "films" / "other.mp4")
    decoy = library / "films" / "decoy.mov"
    decoy.write_bytes(b"\0" * ntsc_film.path.stat().st_size)
    moved = library / "films" / "2024" / "Anora (2024).mkv"
    shutil.copy(ntsc_film.path, moved)
    size = ntsc_film.path.stat().st_size
    assert find_film(library, fingerprint(ntsc_film.path), size) == moved
    assert find_film(library, fingerprint(ntsc_film.path)) == moved


def test_a_film_that_is_not_there_is_not_found(ntsc_film: Film, tmp_path: Path) -> None:
    assert find_film(tmp_path, fingerprint(ntsc_film.path)) is None
    assert find_film(tmp_path / "no such folder", fingerprint(ntsc_film.path)) is None


# -- files that are not films ----------------------------------------------------------------------
def make_audio_only(path: Path) -> None:
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=48_000, layout="mono")
        for i in range(10):
            frame = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = 48_000, i * 1024
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def make_png(path: Path) -> None:
    picture = av.VideoFrame.from_ndarray(np.zeros((90, 160, 3), np.uint8), format="rgb24")
    picture.save(path.with_suffix(".png"))
    path.with_suffix(".png").rename(path)


def make_unknown_codec(path: Path) -> None:
    """An AVI whose video is tagged with a codec no decoder knows."""
    avi = path.with_suffix(".avi")
    with av.open(str(avi), "w") as container:
        stream = container.add_stream("mjpeg", rate=24)
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuvj420p"
        for i in range(3):
            frame = av.VideoFrame.from_ndarray(np.zeros((90, 160, 3), np.uint8), format="rgb24")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    path.write_bytes(avi.read_bytes().replace(b"MJPG", b"QQQQ"))
    avi.unlink()


BAD_FILES = {
    "missing": (lambda p: None, "There is no film at"),
    "empty": (lambda p: p.write_bytes(b""), "is empty"),
    "a folder": (lambda p: p.mkdir(), "is a folder"),
    "text renamed .mp4": (lambda p: p.write_text("Igor hands the ring back.\n" * 40), "not a film"),
    "PNG renamed .mp4": (make_png, "still image"),
    "audio only": (make_audio_only, "has no video track"),
    "unknown codec": (make_unknown_codec, "cannot decode"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_not_a_film_is_refused_in_one_sentence(case: str, tmp_path: Path) -> None:
    make, message = BAD_FILES[case]
    path = tmp_path / "anora.mp4"
    make(path)
    with pytest.raises(FilmError, match=message) as raised:
        probe(path)
    text = str(raised.value)
    assert str(path) in text
    assert text.endswith(".")
    assert "\n" not in text


def test_a_truncated_film_is_probed_with_a_warning(truncated_film: Path) -> None:
    info = probe(truncated_film)
    assert info.truncated
    assert "cut short" in info.warnings[0]
    assert 3000 < info.duration_ms < 7000
    assert info.frame_count < 240
    assert info.fps == NTSC


def test_a_film_cut_before_its_index_is_refused(ntsc_film: Film, tmp_path: Path) -> None:
    """An MP4 whose index is written last cannot be opened once its end is lost."""
    whole = render_film(tmp_path / "whole.mkv", width=160, height=90, duration_s=1.0)
    assert not probe(whole).truncated
    path = tmp_path / "tail-lost.mp4"
    with av.open(str(ntsc_film.path)) as source, av.open(str(path), "w") as target:
        stream = target.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                target.mux(packet)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(FilmError, match="damaged, incomplete or not a video"):
        probe(path)
