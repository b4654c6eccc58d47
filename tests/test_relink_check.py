"""Relinking checks the new file first: another length, rate or picture needs --force (the
window asks), and a mapping that would leave the project's moments outside the copy is refused."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from desk.cli import main
from desk.core.timemap import TimeMap
from desk.film_tasks import new_project
from desk.media.synth import render_film
from desk.relink_check import FilmShape, differences
from desk.store import edits, queries
from desk.store.project import Project


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The film (3 s at 24 fps, 160×90) and copies that are not it."""
    folder = tmp_path_factory.mktemp("films")

    def film(name: str, **kw: object) -> Path:
        options: dict[str, object] = {"width": 160, "height": 90, "fps": Fraction(24),
                                      "duration_s": 3.0, "audio": False, **kw}  # fmt: skip
        return render_film(folder / name, **options)  # type: ignore[arg-type]

    return {
        "film": film("film.mp4"),
        "longer-pal": film("longer-pal.mp4", fps=Fraction(25), duration_s=5.0),
        "bigger": film("bigger.mp4", width=192, height=108),
    }


@pytest.fixture
def project(films: dict[str, Path], tmp_path: Path) -> Path:
    """A project on the film, with a note at 0:00.500 and a beat from 2:000 to 2:900."""
    path = tmp_path / "p.desk"
    with new_project(path, films["film"]) as made:
        edits.add_note(made, "She looks at the ring.", start_ms=500)
        edits.add_beat(made, start_ms=2000, end_ms=2900, label="The door")
    return path


def _film_of(project: Path) -> str:
    with Project.open(project, readonly=True) as opened:
        media = queries.reference_media(opened)
    assert media is not None
    return Path(str(media.path)).name


def test_relinking_to_a_film_of_another_length_and_rate_needs_force(
    project: Path, films: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["relink", str(project), str(films["longer-pal"])]) == 1
    err = capsys.readouterr().err
    assert err == (
        "desk: 'longer-pal.mp4' is not like the film this project plays: it lasts 0:05.000 where "
        "0:03.000 is expected; it runs at 25 frames/s where 24 is expected. If it is the film you "
        "mean, relink with --force.\n"
    )
    assert _film_of(project) == "film.mp4"  # nothing changed
    assert main(["relink", str(project), str(films["longer-pal"]), "--force"]) == 0
    assert _film_of(project) == "longer-pal.mp4"


def test_another_picture_size_is_named(
    project: Path, films: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["relink", str(project), str(films["bigger"])]) == 1
    assert "its picture is 192×108, not 160×90" in capsys.readouterr().err
    assert _film_of(project) == "film.mp4"


def test_a_copy_of_the_same_film_relinks_without_force(
    project: Path, films: dict[str, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "moved" / "film.mp4"
    copy.parent.mkdir()
    copy.write_bytes(films["film"].read_bytes())
    assert main(["relink", str(project), str(copy)]) == 0
    with Project.open(project, readonly=True) as opened:
        media = queries.reference_media(opened)
    assert media is not None
    assert media.path == str(copy.resolve())


def test_a_pal_copy_with_its_speed_change_is_what_the_mapping_expects() -> None:
    film = FilmShape(duration_ms=6_000_000, fps=Fraction(24000, 1001), width=720, height=576)
    pal = FilmShape(duration_ms=5_754_240, fps=Fraction(25), width=720, height=576)
    speed = TimeMap.from_affine(0, Fraction(25) / Fraction(24000, 1001))
    assert differences(film, TimeMap(), pal, speed) == []
    assert differences(film, TimeMap(), pal, TimeMap()) == [
        "it lasts 1:35:54.240 where 1:40:00.000 is expected",
        "it runs at 25 frames/s where 23.976 is expected",
    ]


def test_a_mapping_that_puts_moments_before_the_copys_start_is_refused_even_forced(
    project: Path, films: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    copy = films["film"]
    # The film's 0:01 said to be the copy's 0:00: the note at 0:00.500 would come before it.
    assert main(["relink", str(project), str(copy), "--pair", "0:01=0:00", "--force"]) == 1
    err = capsys.readouterr().err.splitlines()[-1]  # after the notes on the mapping
    assert err == (
        "desk: with this mapping, 1 moment of the project would fall outside 'film.mp4': "
        "0:00.500 before its start (film time); match other moments or choose another copy."
    )
    with Project.open(project, readonly=True) as opened:
        media = queries.reference_media(opened)
    assert media is not None
    assert json.loads(str(media.time_map))["kind"] == "identity"


def test_a_mapping_that_puts_moments_past_the_copys_end_is_refused(
    project: Path, films: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # The film's 0:00 is the copy's 0:01: the beat ending at 0:02.900 would end at 0:03.900.
    assert main(["relink", str(project), str(films["film"]), "--pair", "0:00=0:01"]) == 1
    err = capsys.readouterr().err.splitlines()[-1]  # after the notes on the mapping
    assert err == (
        "desk: with this mapping, 1 moment of the project would fall outside 'film.mp4': "
        "0:02.000–0:02.900 past its end at 0:02.000 (film time); match other moments or choose "
        "another copy."
    )
