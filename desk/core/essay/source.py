"""An essay file before its bytes are decoded: checked to be a readable, non-empty file under the
size limit, given a format by its extension, and read."""

from __future__ import annotations

import stat
from pathlib import Path

from desk.core.essay.model import _error
from desk.errors import ImportFormatError

MAX_ESSAY_BYTES = 20 * 1024 * 1024
"""Largest essay file accepted; checked before the file is read."""

SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}
"""Essay format by file extension; a file with any other extension is sniffed."""

_UNSUPPORTED_SUFFIXES = frozenset({".doc", ".odt", ".rtf", ".pdf", ".pages", ".epub"})


def _too_large(subject: str, size: int) -> ImportFormatError:
    limit_mb = MAX_ESSAY_BYTES // (1024 * 1024)
    return _error(
        subject, f"is too large to import ({size / 2**20:.1f} MB; the limit is {limit_mb} MB)"
    )


def _check_file(path: Path, subject: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise _error(subject, "does not exist") from exc
    except OSError as exc:
        raise _error(subject, f"cannot be read ({_reason(exc)})") from exc
    if stat.S_ISDIR(info.st_mode):
        raise _error(subject, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _error(subject, "is not a regular file")
    if info.st_size > MAX_ESSAY_BYTES:
        raise _too_large(subject, info.st_size)
    if info.st_size == 0:
        raise _error(subject, "is empty")


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _format_for_suffix(path: Path, subject: str) -> str | None:
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise _error(
            subject,
            f"is a {suffix} document, which desk cannot read; save it as .docx, .md, .html or "
            ".txt and import that",
        )
    return SUFFIX_FORMATS.get(suffix)


def _read_bytes(path: Path, subject: str) -> bytes:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_ESSAY_BYTES + 1)
    except OSError as exc:
        raise _error(subject, f"cannot be read ({_reason(exc)})") from exc
    if len(raw) > MAX_ESSAY_BYTES:
        raise _too_large(subject, len(raw))
    return raw
