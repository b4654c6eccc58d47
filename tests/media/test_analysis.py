"""Film analysis: every cut a film has is found to the frame; loudness follows the sound."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from desk.errors import Cancelled, FilmError
from desk.media import analysis
from desk.media.synth import render_film

FPS = Fraction(24)
WIDTH, HEIGHT = 192, 108
DURATION_S = 30.0
QUIET, LOUD = 0.05, 0.5
RISE_AT_S = 12.0


def known_cuts(duration_s: float, seed: int = 7) -> list[float]:
    """Irregular cut times, on frame boundaries, at least 0.55 s apart.

    The synthetic bars background also jumps where its sliding pattern wraps around (every
    ``width / step`` frames), which is a real change of picture; a cut is placed there too, so
    every change of picture in the film is a known cut.
    """
    step_px = 2 * max(1, WIDTH // 320)
    wrap_frames = WIDTH // step_px
    wraps = {k * wrap_frames for k in range(1, int(duration_s * FPS) // wrap_frames + 1)}
    rng = np.random.default_rng(seed)
    frames, at = set(wraps), 0
    while True:
        at += int(rng.integers(13, 40))
        if at >= duration_s * FPS - 12:
            break
        if all(abs(at - w) >= 13 for w in wraps):
            frames.add(at)
    ordered = sorted(frames)
    kept = [f for i, f in enumerate(ordered) if i == 0 or f - ordered[i - 1] >= 13]
    return [float(f / FPS) for f in kept]


def loudness_curve(t: float) -> float:
    return QUIET if t < RISE_AT_S else LOUD


@pytest.fixture(scope="module")
def cut_film(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    cuts_s = known_cuts(DURATION_S)
    path = render_film(
        tmp_path_factory.mktemp("analysis") / "cuts.mp4",
        width=WIDTH,
        height=HEIGHT,
        fps=FPS,
        duration_s=DURATION_S,
        cuts_at_s=cuts_s,
        audio_curve=loudness_curve,
    )
    cuts_ms = [math.ceil(Fraction(round(c * FPS)) * 1000 / FPS) for c in cuts_s]
    return path, cuts_ms


def precision_recall(
    found: np.ndarray, expected: list[int], tolerance_ms: float
) -> tuple[float, float]:
    expected_arr = np.asarray(expected)
    hits = sum(1 for f in found if np.min(np.abs(expected_arr - f)) <= tolerance_ms)
    caught = sum(
        1 for e in expected_arr if len(found) and np.min(np.abs(found - e)) <= tolerance_ms
    )
    return hits / max(1, len(found)), caught / max(1, len(expected))


def test_every_cut_is_found_within_a_frame(cut_film: tuple[Path, list[int]]) -> None:
    path, expected = cut_film
    found = analysis.detect_cuts(path)
    precision, recall = precision_recall(found, expected, tolerance_ms=1000 / 24)
    assert len(expected) >= 20
    assert precision >= 0.98
    assert recall >= 0.98
    assert np.all(np.diff(found) >= 500)  # never two cuts within the minimum shot length


def test_the_loudness_envelope_rises_where_the_sound_rises(
    cut_film: tuple[Path, list[int]],
) -> None:
    envelope = analysis.loudness_envelope(cut_film[0])
    times = envelope.times_ms()
    assert len(envelope.lufs) == pytest.approx(DURATION_S * 10, abs=2)
    quiet = envelope.lufs[(times > 1_000) & (times < RISE_AT_S * 1000 - 500)]
    loud = envelope.lufs[(times > RISE_AT_S * 1000 + 500) & (times < DURATION_S * 1000 - 1_000)]
    expected_rise = 20 * math.log10(LOUD / QUIET)
    assert np.median(loud) - np.median(quiet) == pytest.approx(expected_rise, abs=1.0)
    assert np.ptp(quiet) < 1.0
    assert np.ptp(loud) < 1.0
    rise = times[np.argmax(envelope.lufs > (np.median(quiet) + np.median(loud)) / 2)]
    assert abs(rise - RISE_AT_S * 1000) <= 300
    # A sine of amplitude A reads -0.691 + 10 log10(A²/2) LUFS (K-weighting is ~0 dB at 440 Hz).
    assert np.median(loud) == pytest.approx(-0.691 + 10 * math.log10(LOUD**2 / 2), abs=0.6)


def test_k_weighting_matches_bs1770_at_its_reference_points() -> None:
    gains_db = 10 * np.log10(analysis.k_weighting_power(np.array([20.0, 1_000.0, 10_000.0])))
    assert gains_db[0] < -10  # the high-pass removes rumble
    assert gains_db[1] == pytest.approx(0.7, abs=0.1)
    assert gains_db[2] == pytest.approx(4.0, abs=0.5)  # the head's high shelf


def test_analysis_reports_progress_and_can_be_cancelled(cut_film: tuple[Path, list[int]]) -> None:
    seen: list[float] = []
    analysis.loudness_envelope(cut_film[0], progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    calls = iter(range(1_000))
    with pytest.raises(Cancelled):
        analysis.detect_cuts(cut_film[0], cancel=lambda: next(calls) >= 3)


def test_a_file_that_is_not_a_film_is_refused_in_one_sentence(tmp_path: Path) -> None:
    junk = tmp_path / "notes.mp4"
    junk.write_text("not a film")
    with pytest.raises(FilmError, match="cannot read the film notes.mp4"):
        analysis.detect_cuts(junk)


def test_hsv_matches_opencvs_scales() -> None:
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [128, 128, 128], [0, 0, 0]]], np.uint8)
    hsv = analysis.rgb_to_hsv(rgb)[0]
    assert hsv[:, 0].tolist() == [0, 60, 120, 0, 0]
    assert hsv[:, 1].tolist() == [255, 255, 255, 0, 0]
    assert hsv[:, 2].tolist() == [255, 255, 255, 128, 0]
