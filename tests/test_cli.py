"""The desk command: the foundation's story from a terminal, with clear errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from tests.running import desk

ESSAY = Path(__file__).parent / "data" / "essays" / "anora-ending-one-per-line.txt"


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desk.media.synth import render_film

    path = tmp_path_factory.mktemp("film") / "anora.mp4"
    return render_film(path, width=160, height=90, fps=Fraction(24), duration_s=3.0)


def test_new_import_and_dump_show_the_essay_in_order(film: Path, tmp_path: Path) -> None:
    project = tmp_path / "anora.desk"
    assert desk("new", str(project), "--film", str(film), "--title", "Anora").returncode == 0
    imported = desk("essay", "import", str(project), str(ESSAY))
    assert imported.returncode == 0, imported.stderr
    dumped = desk("dump", str(project))
    assert dumped.returncode == 0
    essay = json.loads(dumped.stdout)["essay_text"]
    assert essay["title"] == "The Last Scene of Anora: A Ring, a Car, and the Snow"
    assert essay["dek"].startswith("A reading of the final two minutes")
    body = [b["text"] for b in essay["blocks"] if b["kind"] == "body"]
    assert len(body) == 11
    assert body[0].startswith("Sean Baker’s Anora spends most of its running time")
    assert body[-1].startswith("Whichever reading one prefers")
    info = json.loads(desk("info", str(project), "--json").stdout)
    assert info["counts"]["paragraph"] == 11
    assert info["film"]["fps_num"] == 24
    assert info["schema_version"] >= 2


def test_probe_and_frame_describe_and_extract_a_film(film: Path, tmp_path: Path) -> None:
    probed = json.loads(desk("probe", str(film), "--json").stdout)
    assert (probed["width"], probed["height"]) == (160, 90)
    assert probed["fingerprint"].startswith("v1:")
    still = tmp_path / "still.png"
    done = desk("frame", str(film), "--at", "00:00:01:12", "-o", str(still))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("frame 36 ")
    assert still.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("at", "status", "said"),
    [
        ("soon", 2, "desk frame: --at: not a timecode: 'soon'"),
        (
            "00:00:01:30",
            2,
            "desk frame: --at: not a timecode: '00:00:01:30' (frames must be below 24)",
        ),
        ("-0.5s", 2, "desk frame: --at: '-0.5s' is before the film starts"),
        ("1:00", 1, "desk: 1:00 is past the end of anora.mp4, which is 0:03.000 long"),
        ("3s", 1, "desk: 3s is past the end of anora.mp4"),
    ],
)
def test_a_time_the_film_cannot_have_is_one_line_and_writes_nothing(
    film: Path, tmp_path: Path, at: str, status: int, said: str
) -> None:
    still = tmp_path / "still.png"
    done = desk("frame", str(film), f"--at={at}", "-o", str(still))
    assert done.returncode == status
    assert done.stderr.startswith(said)
    assert len(done.stderr.splitlines()) == 1
    assert not still.exists()


def test_clamp_takes_the_last_frame_for_a_time_past_the_end(film: Path, tmp_path: Path) -> None:
    done = desk("frame", str(film), "--at", "1:00", "--clamp", "-o", str(tmp_path / "end.png"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("frame 71 ")  # 3 s at 24 frames/s: frames 0 to 71


def test_a_usage_error_exits_2() -> None:
    done = desk("new", "only-a-project.desk")
    assert done.returncode == 2
    assert "--film" in done.stderr


@pytest.mark.parametrize(("group", "subcommand"), [("essay", "import"), ("export", "report")])
def test_a_command_group_without_its_subcommand_shows_its_usage_and_exits_2(
    group: str, subcommand: str
) -> None:
    done = desk(group)
    assert done.returncode == 2
    assert done.stderr.startswith(f"usage: desk {group}")
    assert subcommand in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("info", "missing.desk"), "there is no project at"),
        (("probe", "missing.mp4"), "missing.mp4"),
        (("frame", "missing.mp4", "--at", "1:00", "-o", "x.png"), "missing.mp4"),
    ],
)
def test_a_users_mistake_is_one_line_on_stderr(
    args: tuple[str, ...], message: str, tmp_path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desk", *args], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 1
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_film_that_is_not_a_video_creates_no_project(tmp_path: Path) -> None:
    fake = tmp_path / "film.mp4"
    fake.write_text("not a film")
    done = desk("new", str(tmp_path / "x.desk"), "--film", str(fake))
    assert done.returncode == 1
    assert not (tmp_path / "x.desk").exists()


def test_edits_stream_in_and_undo_from_the_command_line(film: Path, tmp_path: Path) -> None:
    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(film))
    lines = "\n".join(
        json.dumps(e)
        for e in (
            {"op": "add_paragraph", "text": "Snow keeps falling."},
            {"op": "add_note", "text": "wipers", "start_ms": 1200, "kind": "evidence"},
        )
    )
    done = desk("apply", str(project), stdin=lines)
    assert done.stdout.splitlines() == ["ok 1 1", "ok 2 1"]
    assert desk("undo", str(project)).stdout.strip() == "undid Add note"
    dump = json.loads(desk("dump", str(project)).stdout)
    assert dump["note"] == []
    assert desk("undo", str(project), "--redo").stdout.strip() == "redid Add note"
    bad = desk("apply", str(project), stdin='{"op": "drop_table"}\n')
    assert bad.returncode == 1
    assert "line 1" in bad.stderr


def test_another_copy_is_aligned_by_matching_moments(film: Path, tmp_path: Path) -> None:
    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(film))
    moved = tmp_path / "elsewhere" / "streaming-copy.mp4"
    moved.parent.mkdir()
    moved.write_bytes(film.read_bytes())
    # The stand-in copy is the film itself, a second shorter than an offset of +1 s expects.
    force = "--force"
    done = desk(
        "relink", str(project), str(moved), "--pair", "0:01=0:02", "--pair", "0:02=0:03", force
    )
    assert done.returncode == 0, done.stderr
    assert "2 matching moments: offset +1.000 s" in done.stdout
    media = json.loads(desk("dump", str(project)).stdout)["media"][0]
    assert media["path"] == str(moved.resolve())
    assert json.loads(media["time_map"])["kind"] == "affine"
    assert json.loads(media["time_map"])["offset_ms"] == 1000
    bad = desk("relink", str(project), str(moved), "--pair", "0:02=0:03", "--pair", "0:03=0:01")
    assert bad.returncode == 1
    assert "move forward" in bad.stderr
    assert "0:02.000=0:03.000 and 0:03.000=0:01.000" in bad.stderr
    pairs = ("--pair", "0:00=0:01", "--pair", "0:01=0:02", "--pair", "0:02=0:02.5")
    odd = desk("relink", str(project), str(moved), "--pair", "0:03=0:04", *pairs, force)
    assert odd.returncode == 0, odd.stderr
    assert "3 of 4 moments agree on offset +1.000 s" in odd.stderr  # the user hears of the odd one
    nonsense = desk("relink", str(project), str(moved), "--pair", "nonsense")
    assert nonsense.returncode == 1
    assert "internal error" not in nonsense.stderr


def test_pairs_a_frame_apart_from_a_known_speed_change_take_that_speed(
    film: Path, tmp_path: Path
) -> None:
    """As in the alignment dialog: rounding to the frame must not become a speed of its own."""
    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(film))
    pal = tmp_path / "pal-dvd.mp4"
    pal.write_bytes(film.read_bytes())
    pairs = ("--pair", "0:00=0:00", "--pair", "0:02.4=0:02.305")
    done = desk("relink", str(project), str(pal), *pairs, "--force")  # a stand-in at 24 fps
    assert done.returncode == 0, done.stderr
    time_map = json.loads(json.loads(desk("dump", str(project)).stdout)["media"][0]["time_map"])
    assert time_map["kind"] == "affine"
    assert time_map["rate"] in ("25/24", "1001/960")  # PAL, not the measured 480/461


def test_analyse_measures_once_and_gives_the_film_its_shots(tmp_path: Path) -> None:
    from desk.media.synth import render_film

    film = render_film(tmp_path / "cuts.mp4", width=160, height=90, duration_s=4.0, cuts_at_s=[2.0])
    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(film))
    done = desk("analyse", str(project))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{project}: loudness measured, 1 cut found"
    shots = json.loads(desk("dump", str(project)).stdout)["shot"]
    assert [(s["start_ms"], s["end_ms"]) for s in shots] == [(0, 2000), (2000, 4000)]
    again = desk("analyse", str(project))
    assert again.stdout.strip() == f"{project}: loudness already measured, 1 cut already found"
    assert desk("undo", str(project)).stdout.strip() == "undid Detect shots"
    assert json.loads(desk("dump", str(project)).stdout)["shot"] == []
    restored = desk("analyse", str(project))  # the cached cuts give the shots back, unmeasured
    assert restored.stdout.strip() == f"{project}: loudness already measured, 1 cut already found"
    shots = json.loads(desk("dump", str(project)).stdout)["shot"]
    assert [(s["start_ms"], s["end_ms"]) for s in shots] == [(0, 2000), (2000, 4000)]
    measured = desk("analyse", str(project), "--again")
    assert measured.stdout.strip() == f"{project}: loudness measured, 1 cut found"


def test_a_silent_film_has_its_cuts_found(tmp_path: Path) -> None:
    from desk.media.synth import render_film

    film = render_film(
        tmp_path / "silent.mp4", width=160, height=90, duration_s=4.0, cuts_at_s=[1.0], audio=False
    )
    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(film))
    done = desk("analyse", str(project))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{project}: no sound to measure, 1 cut found"
    shots = json.loads(desk("dump", str(project)).stdout)["shot"]
    assert [s["start_ms"] for s in shots] == [0, 1000]


def test_analyse_reads_only_a_film_the_user_confirmed(film: Path, tmp_path: Path) -> None:
    """A project from elsewhere names a path; desk reads it only once the user has said yes."""
    import sqlite3

    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(film))
    with sqlite3.connect(project) as conn:
        conn.execute("UPDATE media SET path_confirmed = 0")
    conn.close()
    refused = desk("analyse", str(project))
    assert refused.returncode == 1
    assert "not been confirmed" in refused.stderr
    assert json.loads(desk("dump", str(project)).stdout)["shot"] == []


def test_relinking_to_another_file_forgets_the_old_files_analysis(tmp_path: Path) -> None:
    from desk.media.synth import render_film

    one = render_film(tmp_path / "one.mp4", width=160, height=90, duration_s=4.0, cuts_at_s=[2.0])
    other = render_film(tmp_path / "two.mp4", width=160, height=90, duration_s=4.0, cuts_at_s=[1.0])
    project = tmp_path / "p.desk"
    desk("new", str(project), "--film", str(one))
    desk("analyse", str(project))
    assert desk("relink", str(project), str(other)).returncode == 0
    done = desk("analyse", str(project))
    assert done.stdout.strip() == f"{project}: loudness measured, 1 cut found"
    shots = json.loads(desk("dump", str(project)).stdout)["shot"]
    assert [s["start_ms"] for s in shots] == [0, 1000]


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_a_still_is_the_very_frame_the_player_shows_at_that_time(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """desk frame reads the film's rate, length and frame through one opening of the file; the
    picture it writes is still the player's exact frame, pixel for pixel, at the frame's size."""
    import numpy as np
    from PIL import Image

    from desk.cli import main
    from desk.media.frames import FrameDecoder
    from desk.media.synth import read_frame_number
    from tests.rips import make_bframe_film

    film = make_bframe_film(tmp_path, suffix)  # 23.976 frames/s, B-frames, a key every 48
    for at, number in (("0:00.000", 0), ("0:02.100", 50), ("0:07.508", 180), ("0:09.990", 239)):
        still = tmp_path / f"at-{number}.png"
        assert main(["frame", str(film), "--at", at, "-o", str(still)]) == 0
        assert capsys.readouterr().out.startswith(f"frame {number} ")
        written = np.asarray(Image.open(still).convert("RGB"))
        with FrameDecoder(film) as player:  # as the paused player decodes it
            shown = player.frame_at(int(at[2:4]) * 1000 + int(at[5:]))
        assert written.shape == (90, 160, 3)
        assert read_frame_number(written) == number
        assert np.array_equal(written, shown.rgb)


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_a_still_is_the_same_file_as_one_from_a_decoder_that_decodes_every_picture(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """desk frame passes over the pictures no other picture refers to, and decodes a frame near
    its keyframe without frame threads: the PNG is still, byte for byte, the one a decoder that
    decodes every picture on frame threads writes."""
    from desk.cli import main
    from desk.media.decoder import FRAME_THREADS_PAST, FrameDecoder
    from desk.media.stills import write_still
    from tests.rips import make_bframe_film

    film = make_bframe_film(tmp_path, suffix)  # 23.976 frames/s, B-frames, a key every 48
    for number in (20, 47, 50, 90, 239):  # 20 and 50 near their keyframe, the others far
        at_ms = number * 1001 // 24 + 20
        still, before = tmp_path / f"{number}.png", tmp_path / f"{number}-every-picture.png"
        assert main(["frame", str(film), "--at", f"{at_ms}ms", "-o", str(still)]) == 0
        assert capsys.readouterr().out.startswith(f"frame {number} ")
        with FrameDecoder(film, trail=False, threads=True) as every:
            write_still(every, at_ms, before)
            decoded_all = every.pictures_decoded
        with FrameDecoder(film, trail=False, threads=None, skip_passed=True) as skipping:
            assert skipping.frame_at(at_ms).index == number
            assert skipping.frame_threads == (number % 48 > FRAME_THREADS_PAST)
            assert skipping.pictures_decoded < decoded_all
        assert still.read_bytes() == before.read_bytes()


def test_a_still_of_a_film_read_before_imports_no_tempfile_platformdirs_or_hashlib(
    film: Path, tmp_path: Path
) -> None:
    """The cache folder, the frame times' cache file and the still's temporary name are found
    without them: a tenth of desk frame's time on a 1080p film."""
    still = tmp_path / "still.png"
    assert desk("frame", str(film), "--at", "1.5", "-o", str(still)).returncode == 0
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desk", "frame", str(film), "--at", "2.5"]
        + ["-o", str(still)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("frame 60 ")
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    assert "desk.media.frame_index" in imported  # the measurement saw the frame path
    assert not {"tempfile", "platformdirs", "hashlib", "random", "shutil"} & imported
