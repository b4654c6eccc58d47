"""Exact-frame stills for a report, decoded in parallel and compressed as JPEG.

The times are sorted and cut into a few contiguous runs, one per worker thread; each worker owns
its own :class:`~desk.media.frames.FrameDecoder` (the frame server's exact-frame decoder, used
synchronously without the server's idle read-ahead), so every decoder only moves forward through
its part of the film. A still is never stepped back from, so the decoders skip the pictures they
pass over that no other picture refers to (``skip_passed``): a third fewer pictures decoded on an
H.264 film with B-frames, the stills the same. The frames are the ones the player's frame server
shows, so a report shows exactly what the critic saw.

A time the film cannot show has no still: the decoder answers a time past the readable end of a
film cut short with the last frame it could decode, and a frame that starts more than a frame
before the time asked for is not the frame shown then, so it is left out.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from desk.core.timecode import format_ms
from desk.core.timemap import TimeMap
from desk.errors import Cancelled
from desk.export.errors import ExportError

if TYPE_CHECKING:
    from desk.media.timelines import Timeline

log = logging.getLogger("desk.export")

#: Width in pixels of a decoded still: sharp (~270 dpi) at the widest size a report prints it.
STILL_WIDTH_PX = 640
JPEG_QUALITY = 85
#: Each worker's frame cache: a report asks for every frame once, so little is kept (a few
#: frames: a larger cache only holds memory, 100 MB of a report's peak at 32 MB a worker).
DECODER_CACHE_BYTES = 8 * 2**20
#: How often the calling thread wakes to report progress and ask whether to cancel.
POLL_S = 0.05

Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class Still:
    """One decoded frame as JPEG bytes, with where it sits in the copy."""

    copy_ms: int
    index: int
    pts_ms: int
    width: int
    height: int
    jpeg: bytes


def copy_time_map(time_map_json: str) -> TimeMap:
    """The time map stored on a media row (empty text means identity)."""
    if not time_map_json.strip():
        return TimeMap()
    try:
        return TimeMap.from_json(json.loads(time_map_json))
    except ValueError as exc:
        raise ExportError(f"the film copy's time map cannot be read ({exc}).") from None


def describe_time_map(time_map_json: str) -> str:
    """How a copy's time relates to film time, in words."""
    try:
        mapping = copy_time_map(time_map_json)
    except ExportError:
        return "unreadable"
    if mapping.is_identity:
        return "the same as film time"
    stored = mapping.to_json()
    if stored.get("kind") == "piecewise":
        return f"aligned piecewise through {len(stored.get('anchors', []))} matching moments"
    parts = []
    offset = mapping.offset_ms
    if offset:
        later = "later" if offset > 0 else "earlier"
        parts.append(f"starts {format_ms(abs(offset), 'seconds')} s {later}")
    if mapping.rate != 1:
        parts.append(f"runs at {mapping.rate} × film speed")
    return "; ".join(parts) or "the same as film time"


def runs(times: Sequence[int], workers: int) -> list[list[int]]:
    """Sorted unique times cut into at most ``workers`` contiguous runs of similar length."""
    ordered = sorted(set(times))
    count = max(1, min(workers, len(ordered)))
    size, extra = divmod(len(ordered), count)
    out, at = [], 0
    for n in range(count):
        step = size + (1 if n < extra else 0)
        out.append(ordered[at : at + step])
        at += step
    return [r for r in out if r]


def encode_jpeg(rgb: Any, quality: int = JPEG_QUALITY) -> bytes:
    """JPEG bytes of an HxWx3 uint8 picture (baseline, no metadata, so the bytes are stable)."""
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, "JPEG", quality=quality, subsampling=0)
    return buf.getvalue()


class _Tally:
    """Counts finished stills across workers."""

    def __init__(self) -> None:
        self.done = 0
        self._lock = threading.Lock()

    def one_done(self) -> None:
        with self._lock:
            self.done += 1


def decode_stills(
    film: Path,
    copy_times_ms: Sequence[int],
    *,
    width_px: int = STILL_WIDTH_PX,
    workers: int = 2,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> dict[int, Still]:
    """Stills keyed by copy time; raises :class:`~desk.errors.FilmError` if the film won't open.

    ``progress`` and ``cancel`` are called on the calling thread only.
    """
    parts = runs(copy_times_ms, workers)
    if not parts:
        return {}
    total = sum(len(p) for p in parts)
    tally, stop = _Tally(), threading.Event()
    out: dict[int, Still] = {}
    with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="desk-stills") as pool:
        pending = {pool.submit(_decode_run, film, part, width_px, tally, stop) for part in parts}
        try:
            while pending:
                finished, pending = wait(pending, timeout=POLL_S)
                for future in finished:
                    out.update(future.result())
                if cancel is not None and cancel():
                    raise Cancelled()
                if progress is not None:
                    progress(tally.done / total)
        finally:
            stop.set()
    return out


def frame_duration_ms(timeline: Timeline, index: int) -> int:
    """How long frame ``index`` is shown, in ms (at the film's end: as long as the one before)."""
    start = timeline.start_ms(index)
    after = timeline.start_ms(index + 1) - start
    if after > 0:
        return after
    return max(0, start - timeline.start_ms(index - 1)) if index > 0 else 0


def _decode_run(
    film: Path, times: list[int], width_px: int, tally: _Tally, stop: threading.Event
) -> dict[int, Still]:
    """One worker's run of stills, in time order, from its own decoder."""
    from desk.media.frames import FrameCache, FrameDecoder

    out: dict[int, Still] = {}
    cache = FrameCache(DECODER_CACHE_BYTES)
    with FrameDecoder(
        film, max_width=width_px, cache=cache, threads=False, skip_passed=True
    ) as decoder:
        for copy_ms in times:
            if stop.is_set():
                break
            frame = decoder.frame_at(copy_ms)
            if copy_ms - frame.pts_ms > frame_duration_ms(decoder.timeline, frame.index):
                log.info(
                    "%s: no still at %s: the nearest frame that decodes starts at %s",
                    film.name, format_ms(copy_ms, "short_ms"), format_ms(frame.pts_ms, "short_ms"),
                )  # fmt: skip
                tally.one_done()
                continue
            height, width = frame.rgb.shape[:2]
            jpeg = encode_jpeg(frame.rgb)
            out[copy_ms] = Still(copy_ms, frame.index, frame.pts_ms, width, height, jpeg)
            tally.one_done()
    log.debug("decoded %d stills from %s", len(out), film.name)
    return out
