"""The exact-frame server: the frame shown at a time, whatever the way there, and fast to step."""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import av
import numpy as np
import pytest

from desk.errors import FilmError
from desk.media.decoder import TRAIL
from desk.media.frames import Frame, FrameCache, FrameDecoder, FrameServer
from desk.media.stills import save_still
from desk.media.synth import read_frame_number, render_film

from .conftest import Film, VariableFilm

WAIT_S = 20


def assert_shows(frame: Frame, film: Film, copy_ms: int) -> None:
    expected = film.shown_at(copy_ms)
    assert (frame.index, read_frame_number(frame.rgb)) == (expected, expected), f"at {copy_ms} ms"
    assert frame.pts_ms == film.start_ms(expected)
    assert frame.exact


@pytest.mark.parametrize(
    "which", ["ntsc_film", "pal_film", "reordered_film", "transport_stream_film"]
)
def test_paused_seek_to_random_times_returns_the_exact_frame(
    which: str, request: pytest.FixtureRequest
) -> None:
    film: Film = request.getfixturevalue(which)
    end_ms = film.start_ms(film.frame_count)
    times = random.Random(which).sample(range(end_ms), 100)
    with FrameDecoder(film.path) as decoder:
        for copy_ms in times:
            assert_shows(decoder.frame_at(copy_ms), film, copy_ms)


def test_every_frame_of_a_transport_streams_first_keyframe_interval_is_exact(
    transport_stream_film: Film,
) -> None:
    """MPEG-TS seeks by decoding time: a seek into the first interval must not land on the
    second keyframe. Each frame is asked for from elsewhere in the film, in a shuffled order."""
    film = transport_stream_film
    frames = list(range(film.keyframe_interval))
    random.Random(14).shuffle(frames)
    with FrameDecoder(film.path) as decoder:
        for frame in frames:
            assert_shows(decoder.frame_at(film.start_ms(film.frame_count - 1)), film, 5000)
            assert_shows(decoder.frame_at(film.start_ms(frame)), film, film.start_ms(frame))
            if frame:
                before = film.start_ms(frame) - 1
                assert_shows(decoder.frame_at(before), film, before)


def test_the_server_gives_the_exact_frame_for_random_times(ntsc_film: Film) -> None:
    times = random.Random(7).sample(range(10_000), 40)
    with FrameServer(ntsc_film.path) as server:
        for copy_ms in times:
            assert_shows(server.frame_at(copy_ms, timeout=WAIT_S), ntsc_film, copy_ms)


def test_every_frame_starts_on_its_first_millisecond(ntsc_film: Film) -> None:
    with FrameDecoder(ntsc_film.path) as decoder:
        for frame in (47, 48, 49, 100, 239):
            start = ntsc_film.start_ms(frame)
            assert decoder.frame_at(start).index == frame
            assert decoder.frame_at(start - 1).index == frame - 1


def test_times_before_the_start_and_after_the_end_give_the_first_and_last_frames(
    ntsc_film: Film,
) -> None:
    with FrameDecoder(ntsc_film.path) as decoder:
        assert decoder.frame_at(-5000).index == 0
        assert decoder.frame_at(60_000).index == 239
        assert decoder.frame_at(10_009).index == 239
        assert decoder.frame_at(0).index == 0


def test_stepping_forward_and_back_moves_one_frame_at_a_time(ntsc_film: Film) -> None:
    with FrameServer(ntsc_film.path) as server:
        at = server.frame_at(4000, timeout=WAIT_S)
        for _ in range(12):
            after = server.step(at.pts_ms, +1, timeout=WAIT_S)
            assert after.index == at.index + 1 == read_frame_number(after.rgb)
            at = after
        for _ in range(30):
            before = server.step(at.pts_ms, -1, timeout=WAIT_S)
            assert before.index == at.index - 1 == read_frame_number(before.rgb)
            at = before


def test_stepping_back_across_a_keyframe_shows_the_previous_frame(ntsc_film: Film) -> None:
    with FrameServer(ntsc_film.path) as server:
        keyframe = server.frame_at(ntsc_film.start_ms(96), timeout=WAIT_S)
        before = server.step(keyframe.pts_ms, -1, timeout=WAIT_S)
        assert (before.index, read_frame_number(before.rgb)) == (95, 95)
        assert server.wait_idle(WAIT_S)
        # the whole previous keyframe interval is now at hand
        assert all(server.cache.get(i, 0) is not None for i in range(48, 96))


def test_only_the_frame_asked_for_is_converted_at_once(ntsc_film: Film) -> None:
    with FrameDecoder(ntsc_film.path) as decoder:
        decoder.frame_at(ntsc_film.start_ms(140))
        assert len(decoder.cache) == 1


def test_the_frames_behind_a_frame_are_cached_for_stepping_back(ntsc_film: Film) -> None:
    with FrameDecoder(ntsc_film.path) as decoder:
        decoder.frame_at(ntsc_film.start_ms(140))
        for _ in decoder.fill_behind(140):
            pass
        cached = [decoder.cache.get(i, 0) is not None for i in range(95, 141)]
        assert cached == [False] + [True] * 45
        assert read_frame_number(decoder.cache.get(120, 0).rgb) == 120  # type: ignore[union-attr]
        for _ in decoder.fill_behind(96):  # before a keyframe: the previous interval
            pass
        assert all(decoder.cache.get(i, 0) is not None for i in range(48, 96))


def test_frames_kept_behind_the_playhead_hold_no_threads_of_their_own(ntsc_film: Film) -> None:
    """Stepping forward keeps the frames passed, for stepping back; converting each must not
    leave it a scaler with its own threads (a process on two cores got three per frame)."""

    def threads() -> int:
        return len(os.listdir("/proc/self/task"))

    with FrameDecoder(ntsc_film.path, threads=False) as decoder:
        decoder.frame_at_index(100)
        before = threads()
        for index in range(101, 101 + TRAIL):
            frame = decoder.frame_at_index(index)
            assert frame is not None
            assert read_frame_number(frame.rgb) == index
        assert threads() == before


def test_the_first_steps_back_after_a_seek_need_no_decoding_again(ntsc_film: Film) -> None:
    with FrameDecoder(ntsc_film.path) as decoder:
        decoder.frame_at(ntsc_film.start_ms(140))  # decoded on from the keyframe at 96
        assert decoder.cache.get(139, 0) is None  # only the frame asked for is converted
        converted = sum(1 for _ in decoder.convert_trail())
        assert converted == TRAIL
        for index in range(140 - TRAIL, 140):
            frame = decoder.cache.get(index, 0)
            assert frame is not None
            assert read_frame_number(frame.rgb) == index


def test_stepping_back_readies_the_previous_interval_before_its_keyframe_is_reached(
    ntsc_film: Film,
) -> None:
    with FrameServer(ntsc_film.path) as server:
        frame = server.frame_at(ntsc_film.start_ms(96 + 30), timeout=WAIT_S)
        for _ in range(4):  # the key held back, still 26 frames after the keyframe at 96
            frame = server.step(frame.pts_ms, -1, WAIT_S)
        assert server.wait_idle(WAIT_S)
        before = server.cache.get(95, 0)
        assert before is not None
        assert read_frame_number(before.rgb) == 95


def test_the_cache_around_the_playhead_fills_when_idle(ntsc_film: Film) -> None:
    with FrameServer(ntsc_film.path) as server:
        server.frame_at(ntsc_film.start_ms(60), timeout=WAIT_S)
        assert server.wait_idle(WAIT_S)
        assert all(server.cache.get(i, 0) is not None for i in range(48, 73))
        near = server.nearest_cached(ntsc_film.start_ms(200))
        assert near is not None
        assert not near.exact
        assert near.index == 72


def test_stale_requests_are_dropped_while_scrubbing(ntsc_film: Film) -> None:
    busy, hold, last = threading.Event(), threading.Event(), threading.Event()
    delivered = []

    def first_arrived(frame: Frame) -> None:
        delivered.append(frame.index)
        busy.set()
        hold.wait(WAIT_S)  # the worker is busy while the user keeps scrubbing

    def arrived(frame: Frame) -> None:
        delivered.append(frame.index)
        if frame.index == 200:
            last.set()

    with FrameServer(ntsc_film.path) as server:
        server.request(0, first_arrived)
        assert busy.wait(WAIT_S)
        scrub = [ntsc_film.start_ms(i) for i in range(20, 201, 9)]
        for copy_ms in scrub:
            server.request(copy_ms, arrived)
        hold.set()
        assert last.wait(WAIT_S)
        assert server.wait_idle(WAIT_S)
    assert delivered == [0, 200]


def test_a_callback_gets_the_exact_frame_on_the_worker_thread(ntsc_film: Film) -> None:
    got: list[tuple[Frame, str]] = []
    done = threading.Event()

    def arrived(frame: Frame) -> None:
        got.append((frame, threading.current_thread().name))
        done.set()

    with FrameServer(ntsc_film.path) as server:
        server.request(7777, arrived)
        assert done.wait(WAIT_S)
    frame, thread = got[0]
    assert_shows(frame, ntsc_film, 7777)
    assert thread == "desk-frames"


def test_a_failing_callback_does_not_stop_the_server(ntsc_film: Film) -> None:
    def broken(frame: Frame) -> None:
        raise RuntimeError("a bug in a view")

    with FrameServer(ntsc_film.path) as server:
        server.request(1000, broken)
        assert_shows(server.frame_at(3000, timeout=WAIT_S), ntsc_film, 3000)


def test_prefetch_decodes_linked_frames_in_the_background(ntsc_film: Film) -> None:
    times = [500, 2500, 9000, 6000]
    arrived: list[int] = []
    all_there = threading.Event()

    def one(frame: Frame) -> None:
        arrived.append(frame.index)
        if len(arrived) == len(times):
            all_there.set()

    with FrameServer(ntsc_film.path) as server:
        server.prefetch(times, callback=one)
        assert all_there.wait(WAIT_S)
        assert sorted(arrived) == sorted(ntsc_film.shown_at(t) for t in times)
        assert all(server.cache.get(ntsc_film.shown_at(t), 0) is not None for t in times)


def test_the_preview_is_the_keyframe_before_the_time(ntsc_film: Film) -> None:
    with FrameServer(ntsc_film.path) as server:
        preview = server.preview_at(ntsc_film.start_ms(130))
        assert preview is not None
        assert (preview.index, read_frame_number(preview.rgb)) == (96, 96)
        assert not preview.exact
        keyframe = server.preview_at(ntsc_film.start_ms(144))
        assert keyframe is not None
        assert (keyframe.index, keyframe.exact) == (144, True)


def test_frames_are_scaled_down_to_the_widest_wanted(ntsc_film: Film) -> None:
    with FrameServer(ntsc_film.path, max_width=96) as server:
        frame = server.frame_at(5000, timeout=WAIT_S)
    assert frame.rgb.shape == (54, 96, 3)
    assert read_frame_number(frame.rgb) == ntsc_film.shown_at(5000)


def test_the_pixels_cannot_be_changed_by_a_viewer(ntsc_film: Film) -> None:
    with FrameDecoder(ntsc_film.path) as decoder:
        frame = decoder.frame_at(1234)
    with pytest.raises(ValueError, match="read-only"):
        frame.rgb[0, 0, 0] = 1


def test_padded_rows_are_not_part_of_the_picture(tmp_path: Path) -> None:
    path = render_film(tmp_path / "odd.mp4", width=202, height=114, duration_s=0.5, audio=False)
    with FrameDecoder(path) as decoder:
        frame = decoder.frame_at(250)
    assert frame.stride > 202 * 3  # the decoder pads each row of 606 bytes
    assert frame.rgb.shape == (114, 202, 3)
    assert read_frame_number(frame.rgb) == frame.index == 6
    assert frame.nbytes == frame.stride * 114


def test_a_rotated_film_is_shown_turned(tmp_path: Path) -> None:
    path = render_film(tmp_path / "phone.mp4", width=160, height=90, duration_s=0.5, rotation=90)
    with FrameDecoder(path) as decoder:
        frame = decoder.frame_at(250)
    assert frame.rgb.shape == (160, 90, 3)
    upright = np.rot90(frame.rgb, 1)  # undo the clockwise quarter turn
    assert read_frame_number(upright) == frame.index == 6


def test_a_variable_rate_film_gives_the_frame_shown_at_each_time(vfr_film: VariableFilm) -> None:
    times = random.Random(3).sample(range(-20, vfr_film.times_ms[-1] + 200), 80)
    with FrameDecoder(vfr_film.path) as decoder:
        for copy_ms in times:
            frame = decoder.frame_at(copy_ms)
            expected = vfr_film.shown_at(copy_ms)
            assert (frame.index, read_frame_number(frame.rgb)) == (expected, expected)
            assert frame.pts_ms == vfr_film.times_ms[expected]


def test_a_truncated_film_gives_exact_frames_before_the_cut(
    truncated_film: Path, ntsc_film: Film
) -> None:
    with FrameDecoder(truncated_film) as decoder:
        for copy_ms in random.Random(5).sample(range(4000), 30):
            assert_shows(decoder.frame_at(copy_ms), ntsc_film, copy_ms)
        last = decoder.frame_at(9000)
    assert read_frame_number(last.rgb) == last.index
    assert 90 < last.index < 160


def test_a_film_that_cannot_be_opened_fails_at_once(tmp_path: Path) -> None:
    fake = tmp_path / "film.mp4"
    fake.write_text("not a film")
    with pytest.raises(FilmError, match="film.mp4"):
        FrameServer(fake)


def test_closing_the_server_stops_its_thread(ntsc_film: Film) -> None:
    server = FrameServer(ntsc_film.path)
    server.frame_at(100, timeout=WAIT_S)
    server.close()
    server.close()
    assert not server._thread.is_alive()
    with pytest.raises(FilmError, match="closed"):
        server.request(0, lambda frame: None)


def test_the_cache_forgets_the_least_recently_used_frames_first() -> None:
    def frame(index: int) -> Frame:
        return Frame.from_array(index, index * 40, np.zeros((10, 10, 3), np.uint8))

    cache = FrameCache(max_bytes=3 * 300)
    for index in (1, 2, 3):
        cache.put(frame(index), 0)
    assert cache.get(1, 0) is not None  # 1 is now the most recently used
    cache.put(frame(4), 0)
    assert [cache.get(i, 0) is not None for i in (1, 2, 3, 4)] == [True, False, True, True]
    assert cache.bytes_used == 900
    nearest = cache.nearest(2, 0)
    assert nearest is not None
    assert nearest.index == 1
    assert cache.get(1, 96) is None


# -- stills ----------------------------------------------------------------------------------
def read_picture(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


def test_a_still_is_the_exact_frame_as_a_png(ntsc_film: Film, tmp_path: Path) -> None:
    out = tmp_path / "ring.png"
    frame = save_still(ntsc_film.path, 6543, out)
    assert out.read_bytes().startswith(b"\x89PNG")
    picture = read_picture(out)
    assert picture.shape == (180, 320, 3)
    assert read_frame_number(picture) == frame.index == ntsc_film.shown_at(6543)
    assert [p.name for p in tmp_path.iterdir()] == ["ring.png"]


def test_a_png_still_holds_the_frames_pixels_unchanged(ntsc_film: Film, tmp_path: Path) -> None:
    out = tmp_path / "ring.png"
    frame = save_still(ntsc_film.path, 6543, out)
    assert (read_picture(out) == frame.rgb).all()  # PNG is lossless: every byte as decoded


def test_a_still_can_be_a_jpeg_of_another_width(ntsc_film: Film, tmp_path: Path) -> None:
    out = tmp_path / "kiss.jpg"
    frame = save_still(ntsc_film.path, 8000, out, width=200)
    picture = read_picture(out)
    assert picture.shape == (112, 200, 3)
    assert read_frame_number(picture) == frame.index == ntsc_film.shown_at(8000)


def test_a_still_in_an_unknown_format_is_refused(ntsc_film: Film, tmp_path: Path) -> None:
    from desk.errors import KnownError

    with pytest.raises(KnownError, match="png or .jpg"):
        save_still(ntsc_film.path, 0, tmp_path / "still.gif")


@pytest.mark.parametrize("width", [0, 99_999])
def test_a_still_of_an_impossible_width_is_refused(
    ntsc_film: Film, tmp_path: Path, width: int
) -> None:
    from desk.errors import KnownError

    with pytest.raises(KnownError, match=f"from 2 to 7680 pixels wide, not {width}"):
        save_still(ntsc_film.path, 0, tmp_path / "still.png", width=width)
    assert list(tmp_path.iterdir()) == []


def test_a_film_gone_after_it_was_opened_still_steps_back_on_its_one_decoder(
    ntsc_film: Film, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The second decoder, for the frames behind the playhead, opens the file again: gone from
    its folder meanwhile (a drive unplugged, a file moved), it is tried once, and the decoder
    that has the film open fills behind, exact as before."""
    copy = tmp_path / ntsc_film.path.name
    copy.write_bytes(ntsc_film.path.read_bytes())
    start = ntsc_film.keyframe_interval + 10
    with FrameServer(copy) as server:
        server.timeline.wait()  # the film's frame times read
        copy.unlink()  # the server's decoder keeps the film open
        frame = server.frame_at(ntsc_film.start_ms(start), timeout=20)
        assert server.wait_idle(20)
        for index in range(start - 1, start - 8, -1):
            frame = server.step(frame.pts_ms, -1, 20)
            assert (frame.index, read_frame_number(frame.rgb)) == (index, index)
        assert server.wait_idle(20)
    warned = [r.getMessage() for r in caplog.records if r.name == "desk.media.frames"]
    assert len(warned) == 1, warned  # tried once, not at every step
    assert "stepping back decodes on the one decoder" in warned[0]
