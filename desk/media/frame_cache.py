"""Decoded frames and the cache that keeps them.

- :class:`Frame` is one picture converted to RGB: its rows as bytes, with a NumPy view made on
  first use, so that showing a frame does not need NumPy.
- :class:`FrameCache` keeps converted frames, least recently used out first, up to a byte budget.
  It is thread-safe, so that decoders on several threads can fill it and callers read it at once.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DEFAULT_CACHE_BYTES = 512 * 2**20


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded picture: its number in the file, its start in copy milliseconds, its pixels.

    ``pixels`` holds ``height`` rows of ``width`` RGB pixels (three bytes each), ``stride`` bytes
    apart; :attr:`rgb` is the same picture as a NumPy array, made on first use, so that showing a
    frame does not need NumPy (importing it would delay a film's first picture). ``exact`` is
    false for a stand-in (a nearby frame or a keyframe preview) returned for a time that shows
    another frame.
    """

    index: int
    pts_ms: int
    width: int
    height: int
    stride: int
    pixels: bytes | memoryview  # read-only
    exact: bool = True

    @classmethod
    def from_array(cls, index: int, pts_ms: int, rgb: np.ndarray, exact: bool = True) -> Frame:
        """A frame of an array of height x width x 3 bytes."""
        height, width = rgb.shape[:2]
        return cls(index, pts_ms, width, height, width * 3, rgb.tobytes(), exact)

    @cached_property
    def rgb(self) -> np.ndarray:
        """The pixels as a read-only height x width x 3 array (sharing their memory)."""
        import numpy as np

        shape, strides = (self.height, self.width, 3), (self.stride, 3, 1)
        return np.ndarray(shape, np.uint8, buffer=self.pixels, strides=strides)

    @property
    def nbytes(self) -> int:
        return len(self.pixels)


class FrameCache:
    """Converted frames keyed by (frame number, width key), least recently used out first.

    The width key is the decoder's ``max_width`` (0 for full size). Thread-safe.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._frames: OrderedDict[tuple[int, int], Frame] = OrderedDict()
        self._indices: dict[int, list[int]] = {}
        self._bytes = 0

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, key: tuple[int, int]) -> bool:
        with self._lock:
            return key in self._frames

    def get(self, index: int, width: int) -> Frame | None:
        with self._lock:
            frame = self._frames.get((index, width))
            if frame is not None:
                self._frames.move_to_end((index, width))
            return frame

    def put(self, frame: Frame, width: int) -> None:
        key = (frame.index, width)
        with self._lock:
            if key in self._frames or frame.nbytes > self.max_bytes:
                return
            self._frames[key] = frame
            self._bytes += frame.nbytes
            bisect.insort(self._indices.setdefault(width, []), frame.index)
            while self._bytes > self.max_bytes:
                (old_index, old_width), old = self._frames.popitem(last=False)
                self._bytes -= old.nbytes
                self._indices[old_width].remove(old_index)

    def nearest(self, index: int, width: int) -> Frame | None:
        """The cached frame closest to ``index`` (the earlier one on a tie)."""
        with self._lock:
            indices = self._indices.get(width) or []
            at = bisect.bisect_left(indices, index)
            near = [i for i in indices[max(0, at - 1) : at + 1]]
            if not near:
                return None
            best = min(near, key=lambda i: (abs(i - index), i))
            return self._frames[(best, width)]

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._indices.clear()
            self._bytes = 0
