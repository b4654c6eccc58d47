"""Parsing a Word document (.docx): paragraph styles name the title, the dek and the headings; a
package that would unpack too large is refused before its parts are read."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Literal

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import LxmlError

from desk.core.essay.classify import _classify, _Para, _Parts
from desk.core.essay.model import Block, _error
from desk.core.essay.normalise import _clean, _squash
from desk.core.essay.source import MAX_ESSAY_BYTES

MAX_DOCX_UNPACKED_BYTES = 10 * MAX_ESSAY_BYTES
"""Largest total size of the parts inside a .docx, so a small file cannot unpack into a huge one."""

_DOCX_ERRORS = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    zlib.error,
    LxmlError,
)
_DocxRole = Literal["title", "dek", "heading", "body"]


def _parse_docx(path: Path, subject: str) -> _Parts:
    _check_docx_package(path, subject)
    try:
        rows = _docx_rows(path)
    except _DOCX_ERRORS as exc:
        raise _error(subject, "is not a valid Word document (.docx)") from exc
    title_at = next((at for at, (role, _) in enumerate(rows) if role == "title"), None)
    if title_at is None:
        paras = [_Para(text, role == "heading") for role, text in rows]
        return _classify(paras, guess_headings=False)
    dek_at = next((at for at, (role, _) in enumerate(rows) if role == "dek"), None)
    blocks = [
        Block("body" if role == "body" else "heading", text)
        for at, (role, text) in enumerate(rows)
        if at not in (title_at, dek_at)
    ]
    dek = rows[dek_at][1] if dek_at is not None else ""
    return _Parts(rows[title_at][1], dek, blocks)


def _check_docx_package(path: Path, subject: str) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error(subject, "is not a valid Word document (.docx)") from exc
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        limit_mb = MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)
        raise _error(subject, f"is too large to import (it unpacks to more than {limit_mb} MB)")


def _docx_rows(path: Path) -> list[tuple[_DocxRole, str]]:
    rows: list[tuple[_DocxRole, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        text = _squash(_clean(paragraph.text))
        if text:
            style = paragraph.style
            rows.append((_docx_role(style.name if style is not None else None), text))
    return rows


def _docx_role(style_name: str | None) -> _DocxRole:
    name = (style_name or "").lower()
    if name == "title":
        return "title"
    if name == "subtitle":
        return "dek"
    if name.startswith("heading"):
        return "heading"
    return "body"
