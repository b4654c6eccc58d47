"""Film analysis for the timeline's context lanes: the loudness envelope and the shot cuts.

Both are plain functions over a film file (PyAV decoding, vectorised numpy), meant to run off the
GUI thread: they report ``progress(fraction)`` and stop when ``cancel()`` returns true (raising
:class:`~desk.errors.Cancelled`). Times are milliseconds of the file's own timeline.

Loudness is EBU R128 *momentary* loudness (ITU-R BS.1770: K-weighted, 400 ms windows) every
100 ms, in LUFS, measured on a mono downmix resampled to :data:`LOUDNESS_RATE`. The K-weighting is
applied in the frequency domain: each 100 ms block's power spectrum is weighted by the magnitude
response of the two BS.1770 filters, so the mean square of the weighted block follows from
Parseval's theorem without running an IIR filter sample by sample.

Cuts are found like PySceneDetect's ``ContentDetector``: every frame is decoded at a low resolution
(the scaler's area filter from the decoder's output, the deblocking filter skipped), converted to
HSV, and a cut is placed where the mean absolute difference of hue, saturation and value from the
previous frame reaches the threshold (27 on a 0-255 scale), at least a minimum shot length after
the previous cut. The cut time is the start of the first frame of the new shot.

A film cut short (a broken download) is measured as far as it can be read: decoding that breaks
off after some sound or pictures were read stops there, and a warning is logged when the result
ends well before the film's declared end (:attr:`Envelope.complete` is then false). A file that
cannot be read at all raises :class:`~desk.errors.FilmError` with one plain sentence.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from av.stream import Discard
from av.video.reformatter import VideoReformatter

from desk.core.timecode import format_ms
from desk.errors import Cancelled, FilmError
from desk.media.probe import TRUNCATION_SLACK_S

log = logging.getLogger("desk.media.analysis")

Progress = Callable[[float], None]
Cancel = Callable[[], bool]


class NoSound(FilmError):
    """The film has no audio stream, so there is no loudness to measure (its cuts still count)."""


#: Sample rate the audio is resampled to before measuring (Hz).
LOUDNESS_RATE = 16_000
#: One loudness value per step; each value covers a window of WINDOW_BLOCKS steps centred on it.
STEP_MS = 100
WINDOW_BLOCKS = 4
#: Quieter than this reads as this (the BS.1770 absolute gate).
FLOOR_LUFS = -70.0

#: ContentDetector's defaults: a threshold on a 0-255 scale and a minimum shot length.
CUT_THRESHOLD = 27.0
MIN_SHOT_MS = 500
ANALYSIS_SIZE = (64, 36)
_BATCH = 128

#: The settings each result was measured with, as the project's analysis cache keys it: a result
#: measured otherwise is measured again.
LOUDNESS_PARAMS: dict[str, Any] = {
    "measure": "bs1770-momentary",
    "rate": LOUDNESS_RATE,
    "step_ms": STEP_MS,
    "window_blocks": WINDOW_BLOCKS,
    "clock": "container",  # times counted from the container's start, as players count them
}
CUT_PARAMS: dict[str, Any] = {
    "method": "hsv-content",
    "threshold": CUT_THRESHOLD,
    "min_shot_ms": MIN_SHOT_MS,
    "size": list(ANALYSIS_SIZE),
    "clock": "container",
}


def loudness_params(track: int | None) -> dict[str, Any]:
    """The settings of a loudness measured on the audio stream ``track`` (None: the first)."""
    return LOUDNESS_PARAMS if track is None else {**LOUDNESS_PARAMS, "track": track}


# ITU-R BS.1770 K-weighting, as biquads at 48 kHz: the head's high shelf, then the RLB high-pass.
_SHELF = (
    (1.53512485958697, -2.69169618940638, 1.19839281085285),
    (1.0, -1.69065929318241, 0.73248077421585),
)
_HIGHPASS = ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621))
_K_RATE = 48_000


@dataclass(frozen=True)
class Envelope:
    """Momentary loudness in LUFS: ``lufs[i]`` is the window centred at ``i * step_ms``.

    ``complete`` is false when the sound ends well before the film says it does (a file cut
    short): the envelope then covers only the sound that could be read.
    """

    lufs: np.ndarray
    step_ms: int = STEP_MS
    complete: bool = True

    def times_ms(self) -> np.ndarray:
        return np.arange(len(self.lufs), dtype=np.int64) * self.step_ms


def _check(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _open(path: Path | str) -> Any:
    """The film opened with PyAV, or a :class:`FilmError` that says in words why it is not one."""
    name = Path(path).name
    try:
        size = Path(path).stat().st_size
    except FileNotFoundError:
        raise FilmError(f"desk cannot read the film {name}: there is no such file.") from None
    except OSError as exc:
        raise FilmError(f"desk cannot read the film {name}: {exc.strerror}.") from None
    if size == 0:
        raise FilmError(f"desk cannot read the film {name}: the file is empty (0 bytes).")
    try:
        return av.open(str(path))
    except PermissionError:
        raise FilmError(f"desk is not allowed to read the film {name}.") from None
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        log.info("%s does not open: %s", name, exc)
        raise FilmError(
            f"desk cannot read the film {name}: it is damaged, incomplete or not a film."
        ) from None


def _duration_s(container: Any, stream: Any) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return 0.0


def _broken_off(name: str, what: str, read_ms: int, exc: av.FFmpegError) -> None:
    """Decoding failed part-way: say so (the result keeps what was read) or, with nothing read,
    refuse the film in one sentence."""
    if read_ms <= 0:
        log.info("%s: the %s does not decode: %s", name, what, exc)
        raise FilmError(
            f"desk cannot decode the {what} of the film {name}: it is damaged or incomplete."
        ) from None
    log.warning(
        "%s: the %s stops decoding at %s (%s); keeping what was read",
        name, what, format_ms(read_ms, "short_ms"), exc,
    )  # fmt: skip


def _cut_short(name: str, what: str, read_ms: int, declared_s: float) -> bool:
    """Whether what was read ends well before the film's declared end (and if so, warn)."""
    if read_ms >= (declared_s - TRUNCATION_SLACK_S) * 1000:
        return False
    log.warning(
        "%s seems cut short: its %s can be read up to %s of the %s it declares; the analysis "
        "covers only that part.",
        name, what, format_ms(read_ms, "short_ms"), format_ms(round(declared_s * 1000), "short"),
    )  # fmt: skip
    return True


# -- loudness --------------------------------------------------------------------------------------
def k_weighting_power(freqs_hz: np.ndarray) -> np.ndarray:
    """The power gain |H(f)|² of the BS.1770 K-weighting filters at ``freqs_hz``."""
    z = np.exp(-1j * 2 * np.pi * np.asarray(freqs_hz, dtype=float) / _K_RATE)
    gain = np.ones_like(z)
    for b, a in (_SHELF, _HIGHPASS):
        gain *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    return np.abs(gain) ** 2


def block_powers(samples: np.ndarray, rate: int, block: int) -> np.ndarray:
    """K-weighted mean square of each whole ``block`` of ``samples`` (Parseval, per block)."""
    count = len(samples) // block
    if count == 0:
        return np.zeros(0)
    spectra = np.fft.rfft(samples[: count * block].reshape(count, block), axis=1)
    weights = k_weighting_power(np.fft.rfftfreq(block, 1 / rate))
    weights[1 : (block + 1) // 2] *= 2  # bins that stand for a negative frequency too
    return (np.abs(spectra) ** 2 @ weights) / (block * block)


def momentary_lufs(powers: np.ndarray) -> np.ndarray:
    """Loudness of the windows of :data:`WINDOW_BLOCKS` blocks centred on each block boundary."""
    if len(powers) == 0:
        return np.zeros(0, dtype=np.float32)
    half = WINDOW_BLOCKS // 2
    padded = np.concatenate([np.zeros(half), powers, np.zeros(half)])
    present = np.concatenate([np.zeros(half), np.ones(len(powers)), np.zeros(half)])
    sums, counts = np.cumsum(np.insert(padded, 0, 0)), np.cumsum(np.insert(present, 0, 0))
    window_sum = sums[WINDOW_BLOCKS:] - sums[:-WINDOW_BLOCKS]
    window_n = counts[WINDOW_BLOCKS:] - counts[:-WINDOW_BLOCKS]
    mean = window_sum[: len(powers)] / np.maximum(window_n[: len(powers)], 1)
    with np.errstate(divide="ignore"):
        lufs = -0.691 + 10 * np.log10(mean)
    return np.maximum(lufs, FLOOR_LUFS).astype(np.float32)


def _audio_chunks(
    container: Any, stream: Any, rate: int, progress: Progress | None, cancel: Cancel | None
) -> Iterator[np.ndarray]:
    # Out in one-second frames: per frame, handing a 1,024-sample frame to numpy costs as much as
    # resampling it.
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate, frame_size=rate)
    total_s = _duration_s(container, stream) or 1.0
    try:
        for index, packet in enumerate(container.demux(stream)):
            if index % 64 == 0:
                _check(cancel)
                if progress is not None and packet.pts is not None and packet.time_base is not None:
                    progress(min(1.0, float(packet.pts * packet.time_base) / total_s))
            for frame in packet.decode():
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1)
    except av.FFmpegError:
        # The sound read before the break, still held by the resampler, is measured too.
        for out in resampler.resample(None):
            yield out.to_ndarray().reshape(-1)
        raise
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(-1)


def loudness_envelope(
    path: Path | str,
    *,
    rate: int = LOUDNESS_RATE,
    track: int | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Envelope:
    """The momentary loudness of a film's audio stream ``track`` (its index in the container;
    None for the first), every :data:`STEP_MS` ms from the container's start."""
    name = Path(path).name
    block = rate * STEP_MS // 1000
    meter = _BlockMeter(rate, block)
    with _open(path) as container:
        stream = _audio_stream(container, track, name)
        _read_only(container, stream)
        declared_s = _duration_s(container, stream)
        # Silence until the sound starts: the envelope is counted on the film's clock.
        lead = _lead_s(container, stream)
        if lead > 0:
            meter.feed(np.zeros(round(lead * rate), dtype=np.float32))
        try:
            for chunk in _audio_chunks(container, stream, rate, progress, cancel):
                meter.feed(chunk)
        except av.FFmpegError as exc:
            _broken_off(name, "sound", meter.fed * 1000 // rate, exc)
    complete = not _cut_short(name, "sound", meter.fed * 1000 // rate, declared_s)
    if progress is not None:
        progress(1.0)
    return Envelope(momentary_lufs(meter.finish()), complete=complete)


def _audio_stream(container: Any, track: int | None, name: str) -> Any:
    streams = container.streams.audio
    if not streams:
        raise NoSound(f"{name} has no sound to measure.")
    if track is None:
        return streams[0]
    for stream in streams:
        if stream.index == track:
            return stream
    raise FilmError(f"{name} has no audio track {track}.")


def _read_only(container: Any, stream: Any) -> None:
    """Have the demuxer skip every other stream's packets rather than read them and drop them
    (what the ``ffmpeg`` program does with the streams it does not use): a film's sound is a
    tenth of its bytes or less, and reading the rest made measuring it take three times as long."""
    for other in container.streams:
        if other.index != stream.index:
            other.discard = Discard.all


def _lead_s(container: Any, stream: Any) -> Fraction:
    """How long after the container's start ``stream`` starts (0 when either is unknown)."""
    if container.start_time is None or stream.start_time is None or stream.time_base is None:
        return Fraction(0)
    origin = Fraction(container.start_time, av.time_base)
    return max(Fraction(0), stream.start_time * stream.time_base - origin)


class _BlockMeter:
    """Collects samples and measures them a few seconds at a time, block by block."""

    def __init__(self, rate: int, block: int) -> None:
        self.rate, self.block = rate, block
        self.pending: list[np.ndarray] = []
        self.pending_len = 0
        self.powers: list[np.ndarray] = []
        self.fed = 0  # samples in all

    def feed(self, samples: np.ndarray) -> None:
        self.pending.append(samples)
        self.pending_len += len(samples)
        self.fed += len(samples)
        if self.pending_len >= 64 * self.block:
            joined = np.concatenate(self.pending)
            whole = len(joined) // self.block * self.block
            self.powers.append(block_powers(joined[:whole], self.rate, self.block))
            self.pending, self.pending_len = [joined[whole:]], len(joined) - whole

    def finish(self) -> np.ndarray:
        """Every block's power; a last partial block is measured over the samples it has."""
        joined = np.concatenate([np.zeros(0, dtype=np.float32), *self.pending])
        whole = len(joined) // self.block * self.block
        self.powers.append(block_powers(joined[:whole], self.rate, self.block))
        rest = joined[whole:]
        if len(rest):
            padded = np.zeros(self.block, dtype=np.float32)
            padded[: len(rest)] = rest
            tail = block_powers(padded, self.rate, self.block) * (self.block / len(rest))
            self.powers.append(tail)
        return np.concatenate(self.powers)


# -- cuts ------------------------------------------------------------------------------------------
def rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """HSV of uint8 RGB pixels on OpenCV's scales (hue 0-179, saturation and value 0-255)."""
    pixels = rgb.astype(np.float32)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    # Elementwise over the three channels: numpy's reduction along a last axis of 3 is ~30× slower.
    value = np.maximum(np.maximum(r, g), b)
    spread = value - np.minimum(np.minimum(r, g), b)
    saturation = np.where(value > 0, 255 * spread / np.maximum(value, 1), 0)
    safe = np.maximum(spread, 1e-6)
    hue = np.where(
        value == r, (g - b) / safe, np.where(value == g, 2 + (b - r) / safe, 4 + (r - g) / safe)
    )
    hue = np.where(spread > 0, (hue * 30) % 180, 0)
    return np.stack([np.round(hue), np.round(saturation), value], axis=-1)


def content_scores(hsv: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """ContentDetector's score of each frame of a batch: the mean |ΔH|, |ΔS|, |ΔV| averaged.

    ``previous`` is the frame before the batch (None at the start of the film: score 0).
    """
    frames = hsv if previous is None else np.concatenate([previous[None], hsv])
    deltas = np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2, 3))
    return deltas if previous is not None else np.concatenate([[0.0], deltas])


def pick_cuts(scores: np.ndarray, threshold: float, min_frames: int) -> np.ndarray:
    """Indices of the frames that start a new shot, at least ``min_frames`` apart."""
    cuts: list[int] = []
    last = 0
    for index in np.flatnonzero(scores >= threshold):
        if index - last >= min_frames:
            cuts.append(int(index))
            last = int(index)
    return np.asarray(cuts, dtype=np.int64)


def _open_video(container: Any) -> Any:
    if not container.streams.video:
        raise FilmError("the film has no picture to analyse.")
    stream = container.streams.video[0]
    _read_only(container, stream)
    stream.thread_type = "AUTO"
    stream.codec_context.options = {"skip_loop_filter": "all"}
    return stream


def _frame_ms(frame: Any, origin: Fraction, fps: Fraction, index: int) -> int:
    if frame.pts is not None and frame.time_base is not None:
        return math.ceil((frame.pts * frame.time_base - origin) * 1000)
    return math.ceil(index * 1000 / fps)


def _small_frames(
    container: Any,
    stream: Any,
    size: tuple[int, int],
    progress: Progress | None,
    cancel: Cancel | None,
) -> Iterator[tuple[int, np.ndarray]]:
    """(start ms, low-resolution RGB picture) of every frame in presentation order."""
    origin = Fraction(stream.start_time or 0) * (stream.time_base or 1) - _lead_s(container, stream)
    fps = Fraction(stream.average_rate or 24)
    total = stream.frames or max(1, int(_duration_s(container, stream) * fps))
    width, height = size
    # One scaler for the whole film: a frame's own reformat() builds a new scaling context per
    # frame, and setting up an area filter costs several times the scaling itself.
    scaler = VideoReformatter()
    for index, frame in enumerate(container.decode(stream)):
        if index % 32 == 0:
            _check(cancel)
            if progress is not None:
                progress(min(1.0, index / total))
        small = scaler.reformat(
            frame, width=width, height=height, format="rgb24", interpolation="AREA"
        )
        yield _frame_ms(frame, origin, fps, index), small.to_ndarray()


def detect_cuts(
    path: Path | str,
    *,
    threshold: float = CUT_THRESHOLD,
    min_shot_ms: int = MIN_SHOT_MS,
    size: tuple[int, int] = ANALYSIS_SIZE,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> np.ndarray:
    """Start times (ms) of the frames where a new shot begins, in order."""
    name = Path(path).name
    with _open(path) as container:
        stream = _open_video(container)
        fps = Fraction(stream.average_rate or 24)
        declared_s = _duration_s(container, stream)
        times: list[int] = []
        scores: list[np.ndarray] = []
        batch: list[np.ndarray] = []
        previous: np.ndarray | None = None
        try:
            for start_ms, rgb in _small_frames(container, stream, size, progress, cancel):
                times.append(start_ms)
                batch.append(rgb)
                if len(batch) == _BATCH:
                    hsv = rgb_to_hsv(np.stack(batch))
                    scores.append(content_scores(hsv, previous))
                    previous, batch = hsv[-1], []
        except av.FFmpegError as exc:
            _broken_off(name, "picture", _read_end_ms(times, fps), exc)
    _cut_short(name, "picture", _read_end_ms(times, fps), declared_s)
    if batch:
        scores.append(content_scores(rgb_to_hsv(np.stack(batch)), previous))
    if progress is not None:
        progress(1.0)
    if not times:
        return np.zeros(0, dtype=np.int64)
    min_frames = max(1, round(min_shot_ms * fps / 1000))
    cuts = pick_cuts(np.concatenate(scores), threshold, min_frames)
    log.debug("%s: %d cuts in %d frames", name, len(cuts), len(times))
    return np.asarray(times, dtype=np.int64)[cuts]


def _read_end_ms(times: list[int], fps: Fraction) -> int:
    """Where the frames read so far end: the last one's start plus a frame (0 with none)."""
    return times[-1] + math.ceil(1000 / fps) if times else 0
