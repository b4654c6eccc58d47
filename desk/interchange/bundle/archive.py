"""A received bundle as an untrusted zip archive: the file's size, the member names (no
absolute or parent paths, no unknown names), encryption, compression methods, sizes and
packing ratios (zip bombs) are checked before a member is read, and a member is never read
past its limit, whatever its header says.

The packing ratio is checked for each member and for the bundle as a whole: many members each
just under :data:`~desk.interchange.bundle.layout.RATIO_FLOOR` (900 zero-filled 1 MiB clips pack
into 1 MB) pass one by one, but not together."""

from __future__ import annotations

import re
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from desk.errors import ImportFormatError, KnownError
from desk.interchange.bundle import layout
from desk.interchange.bundle.layout import (
    CLIPS,
    MANIFEST,
    MAX_CLIP_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_PROJECT_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    PROJECT,
    RATIO_FLOOR,
    _clip_name_ok,
    _size,
)

_CHUNK = 2**20

#: What can go wrong while zipfile reads a damaged or crafted archive.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    OverflowError,
)


def _check_file(path: Path) -> None:
    try:
        if path.is_dir():
            raise ImportFormatError(f"'{path}' is a folder, not a desk bundle.")
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFormatError(f"'{path}' does not exist.") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read '{path}': {exc.strerror or exc}.") from None
    if size > MAX_TOTAL_BYTES:
        raise ImportFormatError(
            f"'{path.name}' is {_size(size)}; desk opens bundles up to {_size(MAX_TOTAL_BYTES)}."
        )


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or re.match(r"[A-Za-z]:", name) is not None
        or any(p in ("..", ".") for p in parts)
        or re.search(r"[\x00-\x1f\x7f]", name) is not None
    )


def _shown(name: str) -> str:
    """A member's name fit for a message: printable, and not too long."""
    shown = "".join(c if c.isprintable() else "?" for c in name)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _members(
    archive: zipfile.ZipFile, source: str
) -> tuple[zipfile.ZipInfo, zipfile.ZipInfo, list[zipfile.ZipInfo]]:
    """The manifest, the project and the clips of a bundle, each checked before it is read."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFormatError(f"'{source}' holds {len(infos)} files; a bundle holds at most "
                                f"{MAX_MEMBERS}.")  # fmt: skip
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise ImportFormatError(f"'{source}' holds two files of the same name.")
    found: dict[str, zipfile.ZipInfo] = {}
    clips: list[zipfile.ZipInfo] = []
    total = packed = 0
    for info in infos:
        name = info.filename
        if _unsafe(name):
            raise ImportFormatError(f"'{source}' holds a file of unsafe name '{_shown(name)}'.")
        if name == CLIPS:
            continue
        if name in (MANIFEST, PROJECT):
            found[name] = info
            limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_PROJECT_BYTES
        elif name.startswith(CLIPS) and _clip_name_ok(name[len(CLIPS) :]):
            clips.append(info)
            limit = MAX_CLIP_BYTES
        else:
            raise ImportFormatError(f"'{source}' holds a file of unknown name '{_shown(name)}'.")
        _check_member(info, limit, source)
        total += info.file_size
        packed += info.compress_size
    if total > MAX_TOTAL_BYTES:
        raise ImportFormatError(f"'{source}' unpacks to more than {_size(MAX_TOTAL_BYTES)}.")
    if total > RATIO_FLOOR and total > MAX_RATIO * max(1, packed):
        raise ImportFormatError(
            f"'{source}' unpacks to {_size(total)} from {_size(packed)}, {total // max(1, packed)} "
            "times more, as a zip bomb does; it was not opened."
        )
    if MANIFEST not in found:
        raise ImportFormatError(f"'{source}' is not a desk bundle (it has no {MANIFEST}).")
    if PROJECT not in found:
        raise ImportFormatError(f"'{source}' holds no project.")
    return found[MANIFEST], found[PROJECT], clips


def _check_member(info: zipfile.ZipInfo, limit: int, source: str) -> None:
    name = info.filename
    if info.flag_bits & 0x1:
        raise ImportFormatError(f"'{source}' is encrypted ({name}); desk bundles never are.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ImportFormatError(f"'{source}' packs {name} in a way desk does not read.")
    if info.file_size > limit:
        raise ImportFormatError(
            f"'{source}' holds a {name} of {_size(info.file_size)}; desk reads up to "
            f"{_size(limit)}."
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
        raise ImportFormatError(
            f"'{source}' packs {name} {info.file_size // max(1, info.compress_size)} times "
            "smaller than it unpacks, as a zip bomb does; it was not opened."
        )


def too_slow(source: str) -> ImportFormatError:
    return ImportFormatError(
        f"'{source}' took too long to open (over {layout.MAX_OPEN_SECONDS:g} s); it was not opened."
    )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, source: str,
            deadline: float | None = None) -> Iterator[bytes]:  # fmt: skip
    """The bytes of a member, never more than ``limit`` whatever its header says, and none
    once ``time.monotonic()`` passes ``deadline``."""
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                read += len(chunk)
                if read > limit:
                    raise ImportFormatError(f"'{source}' holds a {info.filename} that is too big.")
                if deadline is not None and time.monotonic() > deadline:
                    raise too_slow(source)
                yield chunk
    except _ZIP_ERRORS:
        raise ImportFormatError(
            f"'{source}' is damaged ({info.filename} cannot be read)."
        ) from None


def _unpack(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    limit: int,
    source: str,
    deadline: float | None = None,
) -> None:
    try:
        with target.open("xb") as out:
            for chunk in _chunks(archive, info, limit, source, deadline):
                out.write(chunk)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise KnownError(f"cannot unpack '{source}': {exc.strerror or exc}.") from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
