"""A subtitle file's bytes as text: a byte-order mark honoured, else UTF-8, else Windows-1252,
else what charset-normalizer finds (with a warning); binary data is refused."""

from __future__ import annotations

import codecs

from desk.errors import ImportFormatError
from desk.interchange.subtitles.messages import _named
from desk.interchange.subtitles.text import _CONTROL

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, source: str = "") -> tuple[str, list[str]]:
    """A subtitle file's text with ``\\n`` line ends, and a warning when it was not UTF-8."""
    if not data.strip():
        raise ImportFormatError(f"{_named(source)} is empty.")
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ImportFormatError(
                    f"{_named(source)} says it is {codec.upper()} but is not ({exc.reason})."
                ) from None
            break
    else:
        if b"\x00" in data:
            raise ImportFormatError(f"{_named(source)} holds binary data, not subtitles.")
        text, encoding = _legacy(data, source)
        if encoding != "utf-8":
            warnings.append(f"{_named(source)} is not UTF-8; it was read as {encoding}.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise ImportFormatError(f"{_named(source)} holds binary data, not subtitles.")
    return _CONTROL.sub("", text), warnings


def _legacy(data: bytes, source: str) -> tuple[str, str]:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), "Windows-1252" if encoding == "cp1252" else encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFormatError(f"{_named(source)} is not text in any encoding desk knows.")
    return str(best), best.encoding
