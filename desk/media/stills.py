"""One exact frame of a film saved as a PNG or JPEG picture.

The frame comes from the same decoder as the player's exact frames, so a still is what the critic
saw. The picture is encoded by PyAV and written under a temporary name, then renamed, so a failed
save never leaves half a file (and never replaces a project: :mod:`desk.core.outputs`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import av
import av.error

from desk.core.files import claimed, publish
from desk.core.outputs import check_target
from desk.errors import KnownError
from desk.media.decoder import FrameDecoder
from desk.media.frame_cache import Frame

log = logging.getLogger("desk.media.stills")

FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
#: The widest still: 8K. Far wider, the scaler itself fails (PyAV's ArgumentError).
MAX_WIDTH = 7680


def _picture(frame: Frame) -> av.VideoFrame:
    """The frame as a picture PyAV can scale and encode: its rows copied as they are when their
    layout is PyAV's (NumPy is not imported for a plain still: a tenth of ``desk frame``)."""
    picture = av.VideoFrame(frame.width, frame.height, "rgb24")
    plane = picture.planes[0]
    if plane.line_size == frame.stride and plane.buffer_size == memoryview(frame.pixels).nbytes:
        plane.update(frame.pixels)  # type: ignore[arg-type]  # any buffer, as PyAV reads it
        return picture
    import numpy as np  # rows padded differently: copied row by row through an array

    return av.VideoFrame.from_ndarray(np.ascontiguousarray(frame.rgb), format="rgb24")


def _resized(frame: Frame, width: int | None) -> Frame:
    """The frame at ``width`` pixels wide, keeping its shape (the height rounded to even)."""
    if not width or width == frame.width:
        return frame
    new_height = max(2, round(frame.height * width / frame.width / 2) * 2)
    rgb = _picture(frame).to_ndarray(
        format="rgb24", width=width, height=new_height, interpolation="AREA"
    )
    return Frame.from_array(frame.index, frame.pts_ms, rgb, frame.exact)


def _encode(frame: Frame, out: Path, kind: str) -> None:
    picture = _picture(frame)
    # The temporary name keeps the extension: PyAV picks the picture format by it.
    with claimed(out, suffix=out.suffix) as partial:
        try:
            if kind == "jpeg":
                picture.save(partial, qscale=2)
            else:
                picture.save(partial)
            publish(partial, out)
        except (OSError, av.error.FFmpegError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise KnownError(f"The still '{out}' could not be written: {reason}.") from None


def check_still(out: Path, width: int | None) -> str:
    """The picture format of a still written to ``out``; refuses, before anything is decoded, a
    name desk cannot write (not .png or .jpg, the project's own files) or a width out of range."""
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise KnownError(f"A still must be a .png or .jpg file, not '{out.name}'.")
    if width is not None and not 2 <= width <= MAX_WIDTH:
        raise KnownError(f"A still must be from 2 to {MAX_WIDTH} pixels wide, not {width}.")
    check_target(out)
    return kind


def write_still(
    decoder: FrameDecoder, copy_ms: int, out: Path | str, width: int | None = None
) -> Frame:
    """Write the exact frame at ``copy_ms`` from an open decoder (made with ``max_width=width``)
    to ``out``; see :func:`save_still`."""
    out = Path(out)
    kind = check_still(out, width)
    frame = _resized(decoder.frame_at(copy_ms), width)
    _encode(frame, out, kind)
    log.debug("still of frame %d written to %s", frame.index, out)
    return frame


def save_still(film: Path | str, copy_ms: int, out: Path | str, width: int | None = None) -> Frame:
    """Write the exact frame at ``copy_ms`` of ``film`` to ``out`` (.png, .jpg or .jpeg).

    ``width`` sets the picture's width in pixels (the height follows the frame's shape); by
    default the frame keeps its own size. Returns the frame as written.
    """
    check_still(Path(out), width)  # before decoding: a refused target costs nothing
    # As ``desk frame`` reads it: nothing kept or decoded for stepping back (FrameDecoder).
    with FrameDecoder(
        film, max_width=width, trail=False, threads=None, skip_passed=True
    ) as decoder:
        return write_still(decoder, copy_ms, out, width)
