"""Every frame's presentation time, read once from the whole film and kept in the user's cache.

Whether a film's frame rate varies, how many frames it has, and which frame is number ``n`` can
only be told from the presentation times of all its frames in display order: the first packets
come in decoding order (B-frames reorder them, so their gaps look irregular in a film of constant
rate), and a phone may change its rate after minutes. :func:`build_index` reads every video packet's
timestamp without decoding (a demux: a two-hour film in a couple of seconds), sorts them, and keeps
them as a :class:`FrameIndex`; :func:`frame_index` keeps that in a small file in the user's cache
folder, named after the film's content fingerprint (so a moved or renamed copy finds it, and an
edited one does not), and reads it back on the next open instead of reading the film again.

The fingerprint reads and hashes 3 MiB of the film: a tenth of ``desk frame``'s time on a 1080p
film. So beside each index file a note (``.name``), named after the film file's status as the
system keeps it (device, inode, size, modification and change times, to the nanosecond), gives the
index file's name: the next open of the same, unchanged file finds its index from one ``stat``. Any
write to the film changes its times (and a rename its change time, which no program can set
back), so a note never outlives the content it was made for; a film whose note is missing or stale
is fingerprinted as before, and a new note made.
"""

from __future__ import annotations

import logging
import os
import re
import struct
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av.error

from desk.core.files import new_file
from desk.media.probe import fingerprint, open_video, snap_rate
from desk.paths import cache_dir

log = logging.getLogger("desk.media.frame_index")

#: Bumped when the cache file's content changes meaning; older files are read again from the film.
INDEX_VERSION = 1
#: How often (in packets) a build reports its progress.
PROGRESS_EVERY = 2000

Progress = Callable[[float], None]


@dataclass(frozen=True)
class FrameIndex:
    """The presentation times of a video stream's frames, sorted, in its own time base.

    ``pts`` holds one timestamp per frame (a 64-bit integer array, ascending, no repeats);
    ``from_cache`` tells whether it was read from the cache file rather than from the film. (The
    standard library's :class:`array.array` rather than numpy: the index is read while the film's
    first frame is decoded, which the start-up keeps free of numpy's import.)
    """

    pts: array[int]
    time_base: Fraction
    from_cache: bool = False

    @property
    def frame_count(self) -> int:
        return len(self.pts)

    @property
    def fps(self) -> Fraction | None:
        """The average rate over the whole film, moved onto the common rate it approximates;
        None for a film of fewer than two frames."""
        if len(self.pts) < 2 or self.pts[-1] == self.pts[0]:
            return None
        span = Fraction(int(self.pts[-1] - self.pts[0])) * self.time_base
        return snap_rate(Fraction(len(self.pts) - 1) / span)

    @property
    def variable(self) -> bool:
        """Whether any frame lasts longer or shorter than the average frame by more than the time
        base's rounding (one tick) or 1 %, whichever is more."""
        fps = self.fps
        if fps is None:
            return False
        expected = 1 / (fps * self.time_base)
        slack = max(Fraction(1), expected / 100)
        pts = self.pts
        gaps = [b - a for a, b in zip(pts, pts[1:], strict=False)]
        low, high = min(gaps), max(gaps)
        return abs(low - expected) > slack or abs(high - expected) > slack


def _folder() -> Path:
    return cache_dir() / "frame-index"


def _cache_file(path: Path) -> Path:
    """The cache file of a film's frame times, named after its content and this format."""
    import hashlib  # only when the film's note does not name it (see the module's docstring)

    seed = f"{fingerprint(path)}:{INDEX_VERSION}"
    return _folder() / f"{hashlib.sha256(seed.encode()).hexdigest()[:32]}.idx"


#: What a note may name: an index file of this folder, nothing else.
_INDEX_NAME = re.compile(r"[0-9a-f]{32}\.idx")


def _note(path: Path) -> Path | None:
    """The note that names the index file of the film at ``path`` as it is now (None if the film
    cannot be read: the fingerprint then says why)."""
    try:
        st = path.stat()
    except OSError:
        return None
    status = f"{st.st_dev}-{st.st_ino}-{st.st_size}-{st.st_mtime_ns}-{st.st_ctime_ns}"
    return _folder() / f"{status}-v{INDEX_VERSION}.name"


def _noted_file(note: Path | None) -> Path | None:
    """The index file a note names; None if there is no such note (or it names no index file)."""
    if note is None:
        return None
    try:
        name = note.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
    return note.with_name(name) if _INDEX_NAME.fullmatch(name) else None


def _read_packets(container: Any, video: Any, progress: Progress | None) -> list[int]:
    """Every packet's presentation time (in decoding order); a damaged tail ends the reading."""
    duration = video.duration or 0
    start = video.start_time or 0
    found: list[int] = []
    try:
        for count, packet in enumerate(container.demux(video), start=1):
            if packet.pts is not None:
                found.append(packet.pts)
            if progress is not None and count % PROGRESS_EVERY == 0 and duration and found:
                progress(min(1.0, (found[-1] - start) / duration))
    except av.error.FFmpegError as exc:
        log.warning("the frame times of a film stop early: %s", exc)
    return found


def build_index(path: Path | str, progress: Progress | None = None) -> FrameIndex:
    """Read every frame's presentation time from the film (no decoding), in display order."""
    container, video = open_video(Path(path))
    with container:
        pts = array("q", sorted(set(_read_packets(container, video, progress))))  # display order
        time_base = Fraction(video.time_base)
    if progress is not None:
        progress(1.0)
    return FrameIndex(pts, time_base)


#: The cache file: a magic word, the time base, the count, then the times (little-endian int64).
_MAGIC = b"DESKIDX1"
_HEADER = struct.Struct("<8sqqq")


def _load(file: Path) -> FrameIndex | None:
    try:
        data = file.read_bytes()
        magic, num, den, count = _HEADER.unpack_from(data)
        pts = array("q")
        pts.frombytes(data[_HEADER.size :])
        if sys.byteorder == "big":
            pts.byteswap()
        if magic != _MAGIC or den <= 0 or len(pts) != count:
            raise ValueError("not a frame index of this version")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, struct.error) as exc:  # damaged: read the film again
        log.warning("the cached frame times %s cannot be read (%s); reading the film", file, exc)
        return None
    return FrameIndex(pts, Fraction(num, den), from_cache=True)


def _write(file: Path, data: bytes) -> None:
    """Write under a temporary name and rename: a reader never sees half a file."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = new_file(file.parent, prefix=".", suffix=file.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(partial, file)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _save(file: Path, index: FrameIndex) -> None:
    pts = array("q", index.pts)
    if sys.byteorder == "big":
        pts.byteswap()
    tb = index.time_base
    header = _HEADER.pack(_MAGIC, tb.numerator, tb.denominator, len(pts))
    try:
        _write(file, header + pts.tobytes())
    except OSError as exc:  # a cache that cannot be written costs a read next time, nothing more
        log.warning("the frame times cannot be kept in %s: %s", file.parent, exc)


def _write_note(note: Path | None, file: Path) -> None:
    if note is None:
        return
    try:
        _write(note, file.name.encode("ascii"))
        # The notes of the film's earlier states (each write or rename makes a new one) go: a
        # film keeps one note, and the folder does not grow with every touch of a film.
        for other in note.parent.glob(f"*-v{INDEX_VERSION}.name"):
            if other != note and _noted_file(other) == file:
                other.unlink(missing_ok=True)
    except OSError as exc:  # the next open fingerprints the film again, nothing more
        log.warning("the frame times' note cannot be kept in %s: %s", note.parent, exc)


def _kept(path: Path) -> tuple[FrameIndex | None, Path, Path | None]:
    """The film's frame times if they are kept, the cache file they are (or are to be) kept in,
    and the film's note (which names that file once the times are kept)."""
    note = _note(path)
    noted = _noted_file(note)
    if noted is not None:
        kept = _load(noted)
        if kept is not None:
            return kept, noted, note
    file = _cache_file(path)
    kept = _load(file) if file != noted else None  # a damaged file is not read twice
    if kept is not None:
        _write_note(note, file)
    return kept, file, note


def cached_index(path: Path | str) -> FrameIndex | None:
    """The film's frame times as kept in the cache, or None if they have not been read yet."""
    return _kept(Path(path))[0]


def frame_index(path: Path | str, progress: Progress | None = None) -> FrameIndex:
    """The film's frame times: from the cache when kept there, else read from the film and kept."""
    path = Path(path)
    kept, file, note = _kept(path)
    if kept is not None:
        return kept
    index = build_index(path, progress)
    _save(file, index)
    _write_note(note, file)
    log.debug("%s: %d frame times read and kept in %s", path.name, index.frame_count, file)
    return index
