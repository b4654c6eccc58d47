"""Decoded frames and the cache that keeps them.

- :class:`Frame` is one picture converted to RGB: its rows as bytes, with a NumPy view made on
  first use, so that showing a frame does not need NumPy.
- :class:`FrameCache` keeps frames, least recently used out first, up to a byte budget: converted
  ones, or :class:`Packed` ones, kept in a smaller form and converted when asked for
  (:mod:`desk.media.yuv_frames`). It is thread-safe, so that decoders on several threads can fill
  it and callers read it at once.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

DEFAULT_CACHE_BYTES = 512 * 2**20
#: Packed frames last converted, kept converted: a frame is asked for twice when stepped to (the
#: nearest frame at hand, then the exact one), and shown once.
RECENT = 2


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


class Packed(Protocol):
    """A frame kept in fewer bytes than its RGB, converted when asked for."""

    @property
    def index(self) -> int: ...

    @property
    def nbytes(self) -> int: ...

    def unpacked(self) -> Frame:
        """The frame as RGB."""
        ...


class FrameCache:
    """Frames keyed by (frame number, width key), least recently used out first.

    The width key is the decoder's ``max_width`` (0 for full size). A :class:`Packed` frame
    counts its own bytes and is converted when asked for; the last :data:`RECENT` converted are
    kept too, outside the budget, so that asking twice gives the same pixels. Thread-safe.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._frames: OrderedDict[tuple[int, int], Frame | Packed] = OrderedDict()
        self._recent: OrderedDict[tuple[int, int], Frame] = OrderedDict()
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
            entry = self._frames.get((index, width))
            if entry is not None:
                self._frames.move_to_end((index, width))
        return self._unpacked(entry, width)

    def put(self, frame: Frame | Packed, width: int, converted: Frame | None = None) -> None:
        """Keep ``frame``; ``converted``, a packed frame's RGB already at hand, is kept as
        recently converted."""
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
                self._recent.pop((old_index, old_width), None)
            if converted is not None and key in self._frames:
                self._remember(key, converted)

    def _unpacked(self, entry: Frame | Packed | None, width: int) -> Frame | None:
        """``entry`` as RGB: converted outside the lock, as other threads may read meanwhile."""
        if entry is None or isinstance(entry, Frame):
            return entry
        key = (entry.index, width)
        with self._lock:
            recent = self._recent.get(key)
        if recent is not None:
            return recent
        frame = entry.unpacked()
        with self._lock:
            if self._frames.get(key) is entry:
                frame = self._remember(key, frame)
        return frame

    def _remember(self, key: tuple[int, int], frame: Frame) -> Frame:
        """Keep ``frame`` as recently converted (the one kept already, if another thread was
        first); guarded by the lock."""
        kept = self._recent.setdefault(key, frame)
        self._recent.move_to_end(key)
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return kept

    def nearest(self, index: int, width: int) -> Frame | None:
        """The cached frame closest to ``index`` (the earlier one on a tie)."""
        with self._lock:
            indices = self._indices.get(width) or []
            at = bisect.bisect_left(indices, index)
            near = [i for i in indices[max(0, at - 1) : at + 1]]
            if not near:
                return None
            best = min(near, key=lambda i: (abs(i - index), i))
            entry = self._frames[(best, width)]
        return self._unpacked(entry, width)

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._recent.clear()
            self._indices.clear()
            self._bytes = 0
