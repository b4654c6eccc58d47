"""The sound a project plays is its own choice: on a film with a commentary, the loudness lane
and the clips use the track the project chose, not the film's first.

The film carries two English tracks, the film's sound at -27 dBFS and a commentary titled so at
-51 dBFS, so which one was used shows in the level measured."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from desk.export.clips import ClipOptions, export_clips
from desk.film_tasks import analyse_film, new_project
from desk.media.analysis import loudness_params
from desk.media.probe import AudioTrack, audio_tracks
from desk.store import analysis_cache, edits, queries
from desk.store import clip_lists as cl
from desk.store.project import Project
from tests.rips import make_two_sounds

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

COMMENTARY = 2  # the commentary's stream index


@pytest.fixture(scope="module")
def two_sounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_sounds(tmp_path_factory.mktemp("sounds"))


def project_choosing(path: Path, film: Path, track: int | None) -> Path:
    with new_project(path, film) as project:
        media = queries.reference_media(project)
        assert media is not None
        edits.update_media(project, media.id, audio_track=track)
    return path


def test_the_tracks_carry_their_language_and_title(two_sounds: Path) -> None:
    assert audio_tracks(two_sounds) == (
        AudioTrack(1, "flac", 1, 44100, "eng", None),
        AudioTrack(2, "flac", 1, 44100, "eng", "Commentary"),
    )


@pytest.mark.parametrize(("track", "lufs"), [(None, -31), (COMMENTARY, -55)])
def test_the_loudness_is_measured_on_the_track_the_project_chose(
    two_sounds: Path, tmp_path: Path, track: int | None, lufs: float
) -> None:
    with Project.open(project_choosing(tmp_path / "p.desk", two_sounds, track)) as project:
        assert analyse_film(project).loudness == "measured"
        media = queries.reference_media(project)
        assert media is not None
        kept = analysis_cache.read(
            project, media.id, analysis_cache.LOUDNESS, loudness_params(track)
        )
    assert kept is not None
    assert float(np.median(kept)) == pytest.approx(lufs, abs=1.5)


def clip_level_dbfs(clip: Path) -> float:
    """The RMS level of a clip's sound, in dBFS (its fades at both ends left out)."""
    with av.open(str(clip)) as container:
        samples = np.concatenate(
            [f.to_ndarray().reshape(-1) for f in container.decode(container.streams.audio[0])]
        )
    middle = samples[len(samples) // 4 : -len(samples) // 4]
    return float(20 * np.log10(np.sqrt(np.mean(middle.astype(np.float64) ** 2))))


def exported_clip(folder: Path, film: Path, track: int | None) -> Path:
    folder.mkdir()
    project_file = project_choosing(folder / "p.desk", film, track)
    with Project.open(project_file) as project:
        list_id, _ = cl.ensure_clip_list(project, "Lecture")
        cl.add_clip(project, list_id, 500, 2000, title="Scene")
    (clip,) = export_clips(project_file, folder / "clips", options=ClipOptions()).clips
    return clip


def test_a_clip_carries_the_track_the_project_chose(two_sounds: Path, tmp_path: Path) -> None:
    film_sound = clip_level_dbfs(exported_clip(tmp_path / "first", two_sounds, None))
    commentary = clip_level_dbfs(exported_clip(tmp_path / "chosen", two_sounds, COMMENTARY))
    assert film_sound - commentary == pytest.approx(51 - 27, abs=1.5)


def test_desk_analyse_chooses_the_track_and_refuses_one_the_film_has_not(
    two_sounds: Path, tmp_path: Path
) -> None:
    project_file = project_choosing(tmp_path / "p.desk", two_sounds, None)
    done = desk("analyse", str(project_file), "--audio-track", "2")
    assert done.returncode == 0, done.stderr
    with Project.open(project_file, readonly=True) as project:
        media = queries.reference_media(project)
        assert media is not None
        assert media.audio_track == COMMENTARY
        kept = analysis_cache.read(
            project, media.id, analysis_cache.LOUDNESS, loudness_params(COMMENTARY)
        )
    assert kept is not None
    assert float(np.median(kept)) == pytest.approx(-55, abs=1.5)
    refused = desk("analyse", str(project_file), "--audio-track", "0")  # the pictures
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith(
        "the film has no audio stream 0 (its audio streams: 1, 2)."
    )


def desk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desk", *args], capture_output=True, text=True, check=False
    )
