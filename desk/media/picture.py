"""A decoded picture's true shape: the width of its pixels, and its two fields made one.

Anamorphic films store a wide picture in narrow pixels (an NTSC DVD's 720×480 at a sample aspect
ratio of 32:27 is a 16:9 picture 853 pixels wide); players stretch it, and so must every picture
desk shows or writes, or the paused frame would change shape from the one playing. Interlaced
films (DVD and broadcast MPEG-2) store two moments in alternate lines; shown as they are, anything
that moves is combed.

- :func:`sample_aspect` is the shape of a stream's pixels, :func:`shown_width` a picture's width
  once they are made square.
- :func:`deinterlaced` makes one frame whole from its own lines (FFmpeg's ``estdif``, an
  edge-directed interpolation): an exact frame is decoded alone, without the frames around it.
- :func:`deinterlaced_run` makes a run of frames whole using the frames around each one (FFmpeg's
  ``bwdif``, which keeps still areas at full height): for clips, decoded in order.

Both leave progressive frames untouched, and both keep one frame per frame (never one per field),
so frame numbers stay those of the film.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Any

import av
import av.error
import av.filter

#: ITU-T H.273 transfer characteristics of HDR video, as FFmpeg's frames carry them.
PQ, HLG = 16, 18
HDR_TRANSFERS = frozenset({PQ, HLG})


def is_hdr(frame: Any) -> bool:
    """Whether a decoded frame carries PQ or HLG light (tone-mapped by :mod:`desk.media.hdr`)."""
    return frame.color_trc in HDR_TRANSFERS


log = logging.getLogger("desk.media.picture")

#: A single frame: edge-directed interpolation of the missing lines, cheap settings (two-point
#: interpolation, no edge refinement: a third of the default's time, with no visible combing).
SINGLE_FRAME_FILTER = ("estdif", "mode=frame:parity=auto:deint=interlaced:redge=0:interp=2p")
#: A run of frames: temporal and spatial, one output frame per input frame.
RUN_FILTER = ("bwdif", "mode=send_frame:parity=auto:deint=interlaced")


def sample_aspect(video: Any) -> Fraction:
    """The shape of a video stream's pixels (width / height); 1 when the file does not say, or
    says something no film uses."""
    sar = video.sample_aspect_ratio or video.codec_context.sample_aspect_ratio
    if not sar or not Fraction(1, 10) <= sar <= 10:
        return Fraction(1)
    return Fraction(sar)


def shown_width(width: int, sar: Fraction) -> int:
    """The width of a picture ``width`` stored pixels wide once its pixels are square."""
    return max(2, round(width * sar))


def _graph(frame: Any, filter_: tuple[str, str]) -> tuple[Any, Any]:
    graph = av.filter.Graph()
    source = graph.add_buffer(
        width=frame.width,
        height=frame.height,
        format=frame.format.name,
        time_base=frame.time_base or Fraction(1, 1000),
    )
    step = graph.add(*filter_)
    sink = graph.add("buffersink")
    source.link_to(step)
    step.link_to(sink)
    graph.configure()
    return graph, sink


def deinterlaced(frame: Any) -> Any:
    """``frame`` made whole if it is interlaced (a new frame), else ``frame`` itself."""
    if not frame.interlaced_frame:
        return frame
    try:
        graph, _ = _graph(frame, SINGLE_FRAME_FILTER)
        graph.vpush(frame)
        graph.vpush(None)  # the filter holds a frame back, waiting for the next: there is none
        out = graph.vpull()
    except av.error.FFmpegError as exc:  # a pixel format the filter does not take
        log.warning("an interlaced %s frame is shown as stored: %s", frame.format.name, exc)
        return frame
    out.pts, out.time_base = frame.pts, frame.time_base
    return out


def deinterlaced_run(frames: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    """``(index, frame)`` pairs in order, interlaced frames made whole with their neighbours.

    Until a frame is interlaced, frames pass as they are. From the first that is, every frame
    goes through the filter (which passes progressive ones unchanged), one frame behind.
    """
    graph: Any = None
    sink: Any = None
    waiting: deque[tuple[int, Any, Any]] = deque()  # index, pts and time base of frames in it

    def ready() -> Iterator[tuple[int, Any]]:
        while waiting:
            try:
                out = sink.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return
            index, pts, time_base = waiting.popleft()
            out.pts, out.time_base = pts, time_base
            yield index, out

    for index, frame in frames:
        if graph is None and not frame.interlaced_frame:
            yield index, frame
            continue
        if graph is None:
            graph, sink = _graph(frame, RUN_FILTER)
        waiting.append((index, frame.pts, frame.time_base))
        graph.vpush(frame)
        yield from ready()
    if graph is not None:
        graph.vpush(None)
        yield from ready()
