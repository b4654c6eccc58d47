"""Analysing a film cut short (a broken download, a copy stopped half-way): what can be read is
measured and kept, with a warning; a file that is no film at all is refused in one sentence."""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from desk.errors import FilmError
from desk.media import analysis
from desk.media.probe import probe
from desk.media.synth import render_film

CUTS_AT_S = (2.0, 8.0)  # one before the break, one after it
DURATION_S = 10.0


def cut_inside_a_sound_packet(film: Path, target: Path) -> Path:
    """The film's bytes cut about half-way, in the middle of a sound packet, as a download that
    stopped there leaves it (the decoder then meets a broken last packet)."""
    data = film.read_bytes()
    with av.open(str(film)) as container:
        packets = [(p.pos, p.size) for p in container.demux(container.streams.audio[0]) if p.size]
    pos, size = next((pos, size) for pos, size in packets if pos + size > len(data) // 2)
    target.write_bytes(data[: pos + size // 2])
    return target


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the whole film, the same film cut short), 320x180, 10 s, with sound and two known cuts."""
    folder = tmp_path_factory.mktemp("truncated")
    whole = render_film(
        folder / "whole.mp4", width=320, height=180, fps=Fraction(24),
        duration_s=DURATION_S, cuts_at_s=CUTS_AT_S,
    )  # fmt: skip
    return whole, cut_inside_a_sound_packet(whole, folder / "cut.mp4")


def test_a_truncated_film_keeps_the_loudness_it_can_read(
    films: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    whole, cut = films
    readable_ms = probe(cut).duration_ms
    assert 3_000 < readable_ms < 7_000
    with caplog.at_level(logging.WARNING, logger="desk.media.analysis"):
        envelope = analysis.loudness_envelope(cut)
    assert len(envelope.lufs) == pytest.approx(readable_ms / analysis.STEP_MS, abs=5)
    assert np.all(envelope.lufs > analysis.FLOOR_LUFS)  # the sound that was read, measured
    assert not envelope.complete
    assert any("cut short" in r.getMessage() for r in caplog.records)
    assert analysis.loudness_envelope(whole).complete


def test_a_truncated_film_keeps_the_cuts_before_the_break(
    films: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    whole, cut = films
    assert analysis.detect_cuts(whole).tolist() == [2_000, 8_000]
    assert not any(r.levelno >= logging.WARNING for r in caplog.records)
    with caplog.at_level(logging.WARNING, logger="desk.media.analysis"):
        found = analysis.detect_cuts(cut)
    assert found.tolist() == [2_000]  # the cut at 8 s lies past the readable end
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("cut.mp4" in w and "cut short" in w for w in warnings)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"my lecture notes, not a film\n" * 20, "not a film"), (b"", "empty")],
    ids=["text", "empty"],
)
def test_a_file_named_mp4_that_holds_no_film_is_refused_plainly(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    junk = tmp_path / "notes.mp4"
    junk.write_bytes(content)
    for measure in (analysis.loudness_envelope, analysis.detect_cuts):
        with pytest.raises(FilmError) as caught:
            measure(junk)
        message = str(caught.value)
        assert "notes.mp4" in message
        assert reason in message
        assert "Errno" not in message
        assert "avformat" not in message
