"""The shapes of an emotional arc, as x/y arrays (no Qt): steps, or a smooth curve through points.

Steps hold each beat's value from its start until the next beat starts (the last one until its
end). The smooth curve is a monotone cubic (Fritsch-Carlson) through each beat's start: it never
overshoots between two beats, so a valence of -1 or +1 is never exceeded.
"""

from __future__ import annotations

import numpy as np

#: Points drawn between two beats of a smooth curve.
SMOOTH_SAMPLES = 12


def step_curve(
    starts: np.ndarray, ends: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A staircase through beats sorted by start."""
    if len(starts) == 0:
        return np.zeros(0), np.zeros(0)
    holds_until = np.append(starts[1:], max(int(ends[-1]), int(starts[-1])))
    xs = np.column_stack([starts, holds_until]).reshape(-1).astype(np.float64)
    ys = np.repeat(np.asarray(values, dtype=np.float64), 2)
    return xs, ys


def _slopes(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Fritsch-Carlson tangents: zero at turning points, harmonic means elsewhere."""
    h = np.diff(xs)
    delta = np.diff(ys) / h
    m = np.zeros_like(ys)
    if len(xs) == 2:
        m[:] = delta[0]
        return m
    w1, w2 = 2 * h[1:] + h[:-1], h[1:] + 2 * h[:-1]
    same_sign = delta[:-1] * delta[1:] > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inner = (w1 + w2) / (w1 / delta[:-1] + w2 / delta[1:])
    m[1:-1] = np.where(same_sign, inner, 0.0)
    m[0], m[-1] = delta[0], delta[-1]
    return m


def smooth_curve(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A monotone cubic through the points (xs sorted; repeated xs keep their last value)."""
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    if len(xs) < 2:
        return xs.copy(), ys.copy()
    last = np.append(np.diff(xs) > 0, True)
    xs, ys = xs[last], ys[last]
    if len(xs) < 2:
        return xs, ys
    m = _slopes(xs, ys)
    t = np.linspace(0.0, 1.0, SMOOTH_SAMPLES, endpoint=False)[None, :]
    h = np.diff(xs)[:, None]
    y0, y1, m0, m1 = ys[:-1, None], ys[1:, None], m[:-1, None], m[1:, None]
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    curve = h00 * y0 + h10 * h * m0 + h01 * y1 + h11 * h * m1
    out_x = (xs[:-1, None] + t * h).reshape(-1)
    return np.append(out_x, xs[-1]), np.append(curve.reshape(-1), ys[-1])
