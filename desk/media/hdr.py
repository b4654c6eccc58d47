"""HDR pictures (PQ and HLG, BT.2020) tone-mapped to SDR BT.709, as a still or a clip shows them.

A 10-bit HDR film's values are not SDR brightness: read as BT.709 they come out grey and faded
(a PQ picture's reference white sits at half the code range). The map here is the usual one:
the transfer function's light (PQ's absolute nits; HLG's scene light through its system gamma
for a 1000-nit display), the reference white of 203 nits (ITU-R BT.2408) made SDR white, what is
brighter rolled off smoothly into the last fifth of the range, BT.2020 primaries brought to
BT.709 in linear light, and the SDR display's gamma of 2.4 (ITU-R BT.1886: HDR light is light on
a display, so it is encoded for one).

FFmpeg 8's scaler can do the same (``scale`` with ``out_transfer``, its colour management), but
it builds its tables for every new graph: 11–13 s here before the first picture. The map here
is lookup tables over 16-bit codes and one 3×3 product in integers, a band of rows at a time: a 4K
frame in about 0.15 s of processor time (0.29 s over whole planes, 0.42–0.54 s in a fresh
process, which must map their new pages; 3.4 s with the same sums over floats), against 0.03 s for
reading it as SDR.
"""

from __future__ import annotations

import functools
from typing import Any

import av
import numpy as np

from desk.media.picture import HLG, PQ, is_hdr

__all__ = ["HLG", "PQ", "is_hdr", "sdr_frame", "sdr_rgb"]
#: FFmpeg's numbers for the BT.2020 matrix (non-constant and constant luminance), full range
#: and BT.709.
BT2020_MATRICES = frozenset({9, 10})
BT2020, BT709, FULL_RANGE = 9, 1, 2
#: Nits shown as SDR white (ITU-R BT.2408's HDR reference white).
REFERENCE_WHITE_NITS = 203.0
#: Linear SDR light up to which HDR light is kept as it is; above, it is rolled off towards 1.
KNEE = 0.8
#: BT.2020 to BT.709 primaries, in linear light (ITU-R BT.2087).
BT2020_TO_BT709 = np.array(
    [[1.6605, -0.5876, -0.0728], [-0.1246, 1.1329, -0.0083], [-0.0182, -0.1006, 1.1187]],
    dtype=np.float32,
)
CODES = 1 << 16
#: Fixed-point bits of the primaries' matrix (light is 16 bits: the sums stay within 32).
MIX_BITS = 14
#: Rows tone-mapped at a time: a band's sums (4K wide) stay within the processor's cache.
BAND_ROWS = 64


def _pq_nits(signal: np.ndarray) -> np.ndarray:
    """SMPTE ST 2084's EOTF: display light in nits."""
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    power = signal ** (1 / m2)
    return 10_000 * (np.maximum(power - c1, 0) / (c2 - c3 * power)) ** (1 / m1)


def _hlg_nits(signal: np.ndarray) -> np.ndarray:
    """ARIB STD-B67's inverse OETF and, per channel, the system gamma of a 1000-nit display."""
    a, b, c = 0.17883277, 0.28466892, 0.55991073
    low = signal**2 / 3
    high = (np.exp((np.maximum(signal, 0.5) - c) / a) + b) / 12
    scene = np.where(signal <= 0.5, low, high)
    return 1000 * scene**1.2


def _rolled_off(light: np.ndarray) -> np.ndarray:
    """Light (1 = SDR white) kept below :data:`KNEE`, and above it brought under 1 smoothly."""
    over = np.maximum(light - KNEE, 0) / (1 - KNEE)
    return np.where(light <= KNEE, light, KNEE + (1 - KNEE) * over / (1 + over))


@functools.cache
def _to_light(transfer: int) -> np.ndarray:
    """For each 16-bit code of a channel: its light, tone-mapped, SDR white at 65535 (16 bits)."""
    signal = np.arange(CODES, dtype=np.float64) / (CODES - 1)
    nits = _pq_nits(signal) if transfer == PQ else _hlg_nits(signal)
    light = np.clip(_rolled_off(nits / REFERENCE_WHITE_NITS), 0, 1)
    return np.round(light * (CODES - 1)).astype(np.uint16)


@functools.cache
def _to_light_32(transfer: int) -> np.ndarray:
    """:func:`_to_light` as 32-bit integers, the type the sums below are done in: looked up, a
    plane needs no conversion after."""
    return _to_light(transfer).astype(np.int32)


@functools.cache
def _to_bt709() -> np.ndarray:
    """For each 16-bit step of display light from 0 to 1: its 8-bit BT.709 code (BT.1886)."""
    light = np.arange(CODES, dtype=np.float64) / (CODES - 1)
    return np.round(light ** (1 / 2.4) * 255).astype(np.uint8)


def sdr_rgb(
    frame: Any, width: int | None = None, height: int | None = None, interpolation: Any = None
) -> np.ndarray:
    """An HDR frame as 8-bit BT.709 RGB rows (``height × width × 3``), scaled while read."""
    matrix = frame.colorspace if frame.colorspace in BT2020_MATRICES else BT2020
    coded = frame.reformat(
        format="gbrp16le", width=width, height=height, interpolation=interpolation,
        src_colorspace=matrix, src_color_range=frame.color_range or 1,
        dst_color_range=FULL_RANGE,
    )  # fmt: skip
    size = (coded.height, coded.width)
    to_light, to_bt709 = _to_light_32(frame.color_trc), _to_bt709()
    mix = BT2020_TO_BT709 if frame.color_primaries == BT2020 else np.eye(3)
    weights = np.round(mix * (1 << MIX_BITS)).astype(np.int32)
    planes = [np.frombuffer(p, np.uint16).reshape(size[0], -1)[:, : size[1]] for p in coded.planes]
    out = np.empty((*size, 3), np.uint8)
    # Planes, in integers: a third of the time of the same sums over interleaved floats at 4K.
    # A band of rows at a time, into buffers made once: whole 4K planes of 32-bit sums were six
    # new 33 MB arrays, whose pages the system had to clear and map on first touch (a third of
    # a 4K still's tone map), and whose sums left the processor's cache between steps.
    rows = min(BAND_ROWS, size[0])
    gbr = np.empty((3, rows, size[1]), np.int32)
    light, term = np.empty((rows, size[1]), np.int32), np.empty((rows, size[1]), np.int32)
    for top in range(0, size[0], rows):
        band = slice(top, min(top + rows, size[0]))
        count = band.stop - top
        g, b, r = (
            np.take(to_light, plane[band], out=gbr[i, :count], mode="clip")  # codes < 65536
            for i, plane in enumerate(planes)
        )
        mixed, part = light[:count], term[:count]
        for channel, row in enumerate(weights):
            np.multiply(r, row[0], out=mixed)
            np.multiply(g, row[1], out=part)
            mixed += part
            np.multiply(b, row[2], out=part)
            mixed += part
            mixed >>= MIX_BITS
            np.clip(mixed, 0, CODES - 1, out=mixed)
            out[band, :, channel] = np.take(to_bt709, mixed, mode="clip")
    return out


def sdr_frame(frame: Any) -> Any:
    """An HDR frame as an SDR BT.709 ``yuv420p`` frame of the same size and time, for encoding;
    any other frame as it is."""
    if not is_hdr(frame):
        return frame
    picture = av.VideoFrame.from_ndarray(sdr_rgb(frame), format="rgb24")
    out = picture.reformat(
        format="yuv420p", dst_colorspace=BT709, dst_color_range=1,
        dst_color_trc=BT709, dst_color_primaries=BT709,
    )  # fmt: skip
    out.pts, out.time_base = frame.pts, frame.time_base
    return out
