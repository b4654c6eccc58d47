"""Synthetic films: H.264/AAC files whose every frame shows its own number.

Tests, benchmarks and the sample project all need a film whose frames can be told apart by a
program. :func:`render_film` writes one: each frame carries its frame number twice, as a row of
black and white blocks along the top (20 bits, most significant first, read back by
:func:`read_frame_number` at any scale) and as large text with the frame's timecode. The picture is
drawn straight into the YUV planes with numpy, so even a 1080p film renders quickly.

Keyframes land exactly every ``keyframe_interval`` frames (no scene-cut keyframes), and the video
time base is one frame, so every presentation time is exact.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np

from desk.errors import Cancelled

log = logging.getLogger("desk.media.synth")

#: Bits in the block code along the top of every frame (about 12 hours at 24 frames/s).
CODE_BITS = 20
#: The block row is this share of the picture's height (at least 8 pixels).
CODE_ROW_SHARE = 1 / 12
SAMPLE_RATE = 48_000
TONE_HZ = 440.0
AUDIO_CHUNK = 1024
WHITE, BLACK, GREY = 235, 16, 128

Background = Literal["bars", "snow"]


@dataclass(frozen=True)
class Card:
    """A title card: ``text`` drawn large in the middle of the picture from ``start_s`` to
    ``end_s``."""

    start_s: float
    end_s: float
    text: str


# -- the block code --------------------------------------------------------------------------------
def code_row_height(height: int) -> int:
    """Height in pixels of the block row of a film ``height`` pixels tall (even, at least 8)."""
    return max(8, 2 * math.ceil(height * CODE_ROW_SHARE / 2))


def _cell_edges(width: int) -> np.ndarray:
    return (np.arange(CODE_BITS + 1) * width) // CODE_BITS


def read_frame_number(rgb: np.ndarray) -> int:
    """The frame number coded in the block row of a picture, at any size.

    Each block is sampled over the middle half of its cell, in the middle of the row, so scaling,
    blurring and JPEG compression do not disturb the reading.
    """
    pixels = np.asarray(rgb)
    luma = pixels.mean(axis=2) if pixels.ndim == 3 else pixels.astype(float)
    height, width = luma.shape
    row_bottom = height * CODE_ROW_SHARE
    top, bottom = int(row_bottom * 0.3), max(int(row_bottom * 0.3) + 1, int(row_bottom * 0.7))
    value = 0
    for cell in range(CODE_BITS):
        left = int((cell + 0.25) * width / CODE_BITS)
        right = max(left + 1, int((cell + 0.75) * width / CODE_BITS))
        bit = luma[top:bottom, left:right].mean() >= GREY
        value = value << 1 | int(bit)
    return value


# -- the bitmap font -------------------------------------------------------------------------------
_FONT_ROWS = {
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100",
    "Z": "11111 00001 00010 00100 01000 10000 11111",
    " ": "00000 00000 00000 00000 00000 00000 00000",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    ",": "00000 00000 00000 00000 01100 00100 01000",
    ":": "00000 01100 01100 00000 01100 01100 00000",
    ";": "00000 01100 01100 00000 01100 00100 01000",
    "!": "00100 00100 00100 00100 00100 00000 00100",
    "?": "01110 10001 00001 00010 00100 00000 00100",
    "'": "00100 00100 01000 00000 00000 00000 00000",
    '"': "01010 01010 00000 00000 00000 00000 00000",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    "(": "00010 00100 01000 01000 01000 00100 00010",
    ")": "01000 00100 00010 00010 00010 00100 01000",
    "#": "01010 01010 11111 01010 11111 01010 01010",
    "/": "00001 00010 00010 00100 01000 01000 10000",
    "&": "01100 10010 10100 01000 10101 10010 01101",
}
GLYPH_W, GLYPH_H = 5, 7


@lru_cache(maxsize=512)
def _glyph(char: str, scale: int) -> np.ndarray:
    """A character as a boolean mask, ``scale`` pixels per font dot, with one dot of spacing."""
    rows = _FONT_ROWS.get(char.upper(), _FONT_ROWS["?"]).split()
    dots = np.zeros((GLYPH_H, GLYPH_W + 1), dtype=bool)
    dots[:, :GLYPH_W] = np.array([[c == "1" for c in row] for row in rows])
    return np.kron(dots, np.ones((scale, scale), dtype=bool))


def text_mask(text: str, scale: int) -> np.ndarray:
    """One line of text as a boolean mask (``7 * scale`` rows)."""
    if not text:
        return np.zeros((GLYPH_H * scale, 0), dtype=bool)
    return np.hstack([_glyph(c, scale) for c in text])


def _wrap(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= columns:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@lru_cache(maxsize=64)
def card_mask(text: str, width: int, height: int) -> np.ndarray:
    """A card's text, wrapped and as large as fits in the middle of the picture."""
    for scale in range(max(1, height // 45), 0, -1):
        columns = max(1, int(width * 0.9) // ((GLYPH_W + 1) * scale))
        lines = _wrap(text, columns)
        fits = max(map(len, lines)) <= columns and len(lines) * (GLYPH_H + 2) * scale <= height // 2
        if fits or scale == 1:
            break
    masks = [text_mask(line, scale) for line in lines]
    line_h, gap = GLYPH_H * scale, 2 * scale
    out = np.zeros((len(masks) * (line_h + gap) - gap, max(m.shape[1] for m in masks)), bool)
    for i, mask in enumerate(masks):
        left = (out.shape[1] - mask.shape[1]) // 2
        out[i * (line_h + gap) : i * (line_h + gap) + line_h, left : left + mask.shape[1]] = mask
    return out


# -- colour ----------------------------------------------------------------------------------------
def _yuv(rgb: np.ndarray) -> np.ndarray:
    """BT.601 limited-range YUV for RGB colours given as 0..255 (shape (n, 3))."""
    r, g, b = (np.asarray(rgb, dtype=float) / 255).T
    y = 16 + 65.481 * r + 128.553 * g + 24.966 * b
    u = 128 - 37.797 * r - 74.203 * g + 112.0 * b
    v = 128 + 112.0 * r - 93.786 * g - 18.214 * b
    return np.clip(np.round(np.stack([y, u, v], axis=1)), 0, 255).astype(np.uint8)


CLASSIC_BARS = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0),
                (192, 0, 192), (192, 0, 0), (0, 0, 192)]  # fmt: skip


# -- backgrounds -----------------------------------------------------------------------------------
class _Planes:
    """Writable numpy views of a new yuv420p frame's planes."""

    def __init__(self, width: int, height: int) -> None:
        self.frame = av.VideoFrame(width, height, "yuv420p")
        self.y, self.u, self.v = (self._view(plane) for plane in self.frame.planes)

    @staticmethod
    def _view(plane: Any) -> np.ndarray:
        rows = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(-1, plane.line_size)
        return rows[: plane.height, : plane.width]


class _Bars:
    """Vertical colour bars sliding sideways; a cut changes the colours and the bar count."""

    def __init__(self, width: int, height: int, segments: int) -> None:
        self.width = width
        self.step = 2 * max(1, width // 320)
        self.rows = [self._rows(k) for k in range(segments)]

    def _rows(self, segment: int) -> tuple[np.ndarray, ...]:
        if segment == 0:
            palette = _yuv(np.array(CLASSIC_BARS))
        else:
            rng = np.random.default_rng(1000 + segment)
            palette = _yuv(rng.integers(0, 256, (int(rng.integers(4, 10)), 3)))
        x = np.arange(2 * self.width)
        bar = (x * len(palette) // self.width) % len(palette)
        # Chroma planes are half as wide: their rows take every other pixel, so they repeat every
        # half width and slide in step with the luma when the offset wraps around.
        return tuple(np.ascontiguousarray(palette[bar[:: 1 if c == 0 else 2], c]) for c in range(3))

    def paint(self, planes: _Planes, index: int, t: float, segment: int) -> None:
        offset = (index * self.step) % self.width
        for plane, row, shift in zip(
            (planes.y, planes.u, planes.v),
            self.rows[segment],
            (offset, offset // 2, offset // 2),
            strict=True,
        ):
            plane[:] = row[shift : shift + plane.shape[1]]


class _Snow:
    """Snow falling on a dark blue-grey night (a fixed seed: the same film every time)."""

    def __init__(self, width: int, height: int, segments: int) -> None:
        self.width, self.height = width, height
        rng = np.random.default_rng(20240218)
        count = max(12, width * height // 1500)
        self.x0 = rng.random(count) * width
        self.y0 = rng.random(count)
        self.speed = rng.uniform(0.06, 0.22, count)  # picture heights per second
        self.sway = rng.uniform(0, 3, count) * max(1, width // 320)
        self.phase = rng.random(count) * 2 * np.pi
        unit = max(1, height // 180)
        self.size = rng.integers(1, 4, count) * unit
        self.levels = [
            (44 + 30 * (k % 3), 136 - 6 * (k % 4), 122 + 5 * (k % 3)) for k in range(segments)
        ]
        ramp = np.linspace(-10, 10, height)
        self.ramp = ramp[:, None]

    def paint(self, planes: _Planes, index: int, t: float, segment: int) -> None:
        y_level, u_level, v_level = self.levels[segment]
        planes.y[:] = np.clip(y_level + self.ramp, 0, 255).astype(np.uint8)
        planes.u[:] = u_level
        planes.v[:] = v_level
        ys = ((self.y0 + self.speed * t) % 1.0) * self.height
        xs = (self.x0 + self.sway * np.sin(t * 1.7 + self.phase)) % self.width
        for size in np.unique(self.size):
            pick = self.size == size
            offsets = np.arange(size)
            rows = (ys[pick, None, None].astype(int) + offsets[None, :, None]) % self.height
            cols = (xs[pick, None, None].astype(int) + offsets[None, None, :]) % self.width
            planes.y[rows, cols] = WHITE


# -- the painter -----------------------------------------------------------------------------------
def _timecode(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _stamp(planes: _Planes, mask: np.ndarray, top: int, left: int, pad: int) -> None:
    """White text on a black box, box corners on even pixels so the chroma lines up."""
    height, width = mask.shape
    y0, x0 = max(0, (top - pad) // 2 * 2), max(0, (left - pad) // 2 * 2)
    y1 = min(planes.y.shape[0], top + height + pad)
    x1 = min(planes.y.shape[1], left + width + pad)
    planes.y[y0:y1, x0:x1] = BLACK
    planes.u[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = GREY
    planes.v[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = GREY
    region = planes.y[top : top + height, left : left + width]
    region[mask[: region.shape[0], : region.shape[1]]] = WHITE


class FramePainter:
    """Draws frame ``n`` of a film: background, card, block code and burned-in numbers.

    :func:`render_film` uses it; tests use it to encode films with unusual timing.
    """

    def __init__(
        self,
        width: int,
        height: int,
        fps: Fraction,
        background: Background = "bars",
        cards: Sequence[Card] = (),
        cuts_at_s: Sequence[float] = (),
    ) -> None:
        self.width, self.height, self.fps = width, height, fps
        self.cards, self.cuts = tuple(cards), sorted(cuts_at_s)
        segments = len(self.cuts) + 1
        self.background: _Bars | _Snow = (
            _Snow(width, height, segments)
            if background == "snow"
            else _Bars(width, height, segments)
        )
        self.row_h = code_row_height(height)
        self.cells = np.repeat(np.arange(CODE_BITS), np.diff(_cell_edges(width)))
        label_len = len("#0000000  00:00:00.000")
        self.label_scale = max(1, min(height // 90, width // ((GLYPH_W + 1) * label_len + 4)))

    def frame(self, index: int, t: float | None = None) -> av.VideoFrame:
        """Frame ``index`` as a yuv420p picture with ``pts = index``; ``t`` (seconds) moves the
        background, cards and cuts when the frame is not shown at ``index / fps``."""
        planes = _Planes(self.width, self.height)
        t = float(index / self.fps) if t is None else t
        segment = sum(1 for cut in self.cuts if cut <= t)
        self.background.paint(planes, index, t, segment)
        self._card(planes, t)
        self._code(planes, index)
        start_ms = math.ceil(Fraction(index) * 1000 / self.fps)
        label = text_mask(f"#{index:06d}  {_timecode(start_ms)}", self.label_scale)
        pad = 2 * self.label_scale
        _stamp(planes, label, self.row_h + 2 * pad, 2 * pad, pad)
        planes.frame.pts = index
        return planes.frame

    def _card(self, planes: _Planes, t: float) -> None:
        for card in self.cards:
            if card.start_s <= t < card.end_s and card.text.strip():
                mask = card_mask(card.text.strip(), self.width, self.height)
                top = (self.height - mask.shape[0]) // 2
                left = (self.width - mask.shape[1]) // 2
                _stamp(planes, mask, top, left, max(2, self.height // 60))
                return

    def _code(self, planes: _Planes, index: int) -> None:
        bits = (index >> (CODE_BITS - 1 - np.arange(CODE_BITS))) & 1
        planes.y[: self.row_h] = np.where(bits[self.cells] == 1, WHITE, BLACK).astype(np.uint8)
        planes.u[: self.row_h // 2] = GREY
        planes.v[: self.row_h // 2] = GREY


# -- audio -----------------------------------------------------------------------------------------
class _Tone:
    """A sine tone whose loudness follows a curve, written in AAC chunks as the video advances."""

    def __init__(self, container: Any, curve: Callable[[float], float] | None) -> None:
        self.stream = container.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
        self.container = container
        self.curve = curve or (lambda t: 0.3)
        self.written = 0

    def _gain(self, t: float) -> float:
        return min(1.0, max(0.0, float(self.curve(t))))

    def write_until(self, end_s: float) -> None:
        end = int(end_s * SAMPLE_RATE)
        while self.written < end:
            count = min(AUDIO_CHUNK, end - self.written)
            n = self.written + np.arange(count)
            t0, t1 = self.written / SAMPLE_RATE, (self.written + count) / SAMPLE_RATE
            gain = np.linspace(self._gain(t0), self._gain(t1), count, endpoint=False)
            samples = (gain * np.sin(2 * np.pi * TONE_HZ * n / SAMPLE_RATE)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(samples[None, :], format="fltp", layout="mono")
            frame.sample_rate, frame.pts = SAMPLE_RATE, self.written
            self.container.mux(self.stream.encode(frame))
            self.written += count

    def close(self) -> None:
        self.container.mux(self.stream.encode(None))


# -- the film --------------------------------------------------------------------------------------
_FORMATS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska", ".ts": "mpegts"}


def _add_video(
    container: Any, codec: str, size: tuple[int, int], fps: Fraction, keyint: int, bframes: int
) -> Any:
    if codec == "h264":
        params = f"keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes={bframes}"
        options = {"x264-params": params, "preset": "ultrafast"}
        stream = container.add_stream("libx264", rate=fps, options=options)
    else:
        stream = container.add_stream(codec, rate=fps)
        stream.gop_size = keyint
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    stream.time_base = 1 / fps
    return stream


def _partial_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def _check_args(path: Path, width: int, height: int, fps: Fraction, duration_s: float) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"a synthetic film must be .mp4, .mov, .mkv or .ts, not {path.name!r}")
    if width % 2 or height % 2 or width < 2 * CODE_BITS or height < 16:
        raise ValueError(f"film size must be even, at least {2 * CODE_BITS}x16: {width}x{height}")
    if fps <= 0 or duration_s <= 0:
        raise ValueError("frame rate and duration must be positive")
    return fmt


def render_film(
    path: Path | str,
    *,
    width: int = 320,
    height: int = 180,
    fps: Fraction = Fraction(24),
    duration_s: float = 5.0,
    keyframe_interval: int = 48,
    codec: str = "h264",
    audio: bool = True,
    audio_curve: Callable[[float], float] | None = None,
    cards: Sequence[Card] = (),
    background: Background = "bars",
    cuts_at_s: Sequence[float] = (),
    bframes: int = 0,
    rotation: int = 0,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Path:
    """Write a synthetic film to ``path`` (.mp4, .mov, .mkv or .ts) and return the path.

    The film is written under a temporary name in the same folder and renamed at the end, so a
    cancelled or failed render (``cancel()`` returning true raises :class:`~desk.errors.Cancelled`)
    leaves nothing behind. ``bframes`` > 0 reorders frames as most real films do; ``rotation``
    asks players to turn the picture that many degrees clockwise.
    """
    path, fps = Path(path), Fraction(fps)
    fmt = _check_args(path, width, height, fps, duration_s)
    count = max(1, round(Fraction(duration_s) * fps))
    partial = _partial_name(path)
    options = {"movflags": "+faststart"} if fmt in ("mp4", "mov") else {}
    try:
        with av.open(str(partial), "w", format=fmt, options=options) as container:
            video = _add_video(container, codec, (width, height), fps, keyframe_interval, bframes)
            if rotation % 360:
                video.set_display_rotation(-(rotation % 360))
            tone = _Tone(container, audio_curve) if audio else None
            painter = FramePainter(width, height, fps, background, cards, cuts_at_s)
            for index in range(count):
                if cancel is not None and cancel():
                    raise Cancelled()
                container.mux(video.encode(painter.frame(index)))
                if tone is not None:
                    tone.write_until(float((index + 1) / fps))
                if progress is not None and (index % 16 == 0):
                    progress(index / count)
            container.mux(video.encode(None))
            if tone is not None:
                tone.close()
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0)
    log.debug("rendered %s: %d frames at %s fps, %dx%d", path.name, count, fps, width, height)
    return path
