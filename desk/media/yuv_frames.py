"""Frames kept as the decoder gave them, and converted to RGB only when asked for.

Most of what the frame cache holds are frames kept for stepping: the frames behind the playhead
back to its keyframe, a few ahead. Kept as RGB, a 640×360 frame takes 691 KB; as the decoder's
8-bit YUV 4:2:0 it takes half that, and converting it costs a quarter of a millisecond (2.5 ms
at 1080p), paid when the frame is shown.

- :func:`packable` says whether a decoded frame may be kept so: its conversion to RGB must be one
  plain conversion at its own size (no scaling, turning or tone mapping), so that converting the
  kept copy later gives the very bytes converting the decoded frame gives now.
- :class:`YuvFrame` is such a copy, in buffers of its own (holding the decoder's own buffers
  would keep them from being reused); :meth:`YuvFrame.unpacked` converts it.
- :func:`rgb_frame` makes a :class:`~desk.media.frame_cache.Frame` of a converted picture.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import av
from av.video.reformatter import VideoReformatter

from desk.media.frame_cache import Frame

#: Pixel formats kept as they are: 8-bit 4:2:0, half the bytes of RGB.
PACKABLE_FORMATS = frozenset({"yuv420p", "yuvj420p"})

# One scaler for every kept frame converted, whichever thread asks: each scaler has threads of
# its own, and a conversion takes a few milliseconds at most.
_scaler = VideoReformatter()
_scaler_lock = threading.Lock()


def packable(frame: Any, width: int, height: int) -> bool:
    """Whether ``frame`` converts to RGB at ``width`` × ``height`` with one plain conversion at
    its own size (the caller has ruled out HDR and turned pictures).

    Its sides must be even: an odd one takes swscale's general path, which reads where the chroma
    samples sit, and a copy cannot carry that (PyAV does not expose it)."""
    return (
        frame.format.name in PACKABLE_FORMATS
        and (width, height) == (frame.width, frame.height)
        and width % 2 == 0
        and height % 2 == 0
    )


def rgb_frame(index: int, start_ms: int, picture: Any) -> Frame:
    """A frame of an ``rgb24`` picture, sharing its buffer."""
    plane = picture.planes[0]
    pixels = memoryview(plane).toreadonly()  # its own buffer: copying 1080p costs ~4 ms
    return Frame(index, start_ms, picture.width, picture.height, plane.line_size, pixels)


def to_rgb(scaler: VideoReformatter, frame: Any) -> Any:
    """``frame`` converted to ``rgb24`` at its own size: the one conversion of a packable frame,
    the same whether made when decoded or when a kept copy is shown."""
    return scaler.reformat(
        frame, format="rgb24", width=frame.width, height=frame.height, interpolation=None
    )


@dataclass(frozen=True, eq=False)
class YuvFrame:
    """Frame number ``index`` (starting at ``pts_ms``), kept as the decoder gave it."""

    index: int
    pts_ms: int
    picture: Any  # av.VideoFrame, in buffers of its own

    @classmethod
    def copy_of(cls, index: int, pts_ms: int, frame: Any) -> YuvFrame:
        """A copy of a decoded, :func:`packable` frame, with what its conversion reads."""
        picture = av.VideoFrame(frame.width, frame.height, frame.format.name)
        for source, target in zip(frame.planes, picture.planes, strict=True):
            if source.line_size == target.line_size:
                target.update(source)
            else:  # the decoder pads its rows differently: copy row by row
                _copy_rows(source, target)
        picture.colorspace = frame.colorspace
        picture.color_range = frame.color_range
        return cls(index, pts_ms, picture)

    @property
    def nbytes(self) -> int:
        return sum(plane.buffer_size for plane in self.picture.planes)

    def unpacked(self) -> Frame:
        """The frame as RGB, byte for byte what converting the decoded frame gave."""
        with _scaler_lock:
            rgb = to_rgb(_scaler, self.picture)
        return rgb_frame(self.index, self.pts_ms, rgb)


def _copy_rows(source: Any, target: Any) -> None:
    width = min(source.line_size, target.line_size)
    rows = source.buffer_size // source.line_size
    read, write = memoryview(source), memoryview(target)
    for row in range(rows):
        at, to = row * source.line_size, row * target.line_size
        write[to : to + width] = read[at : at + width]
