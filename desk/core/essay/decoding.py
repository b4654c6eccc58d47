"""Essay bytes as text: a byte-order mark names the encoding, else UTF-8, else the most plausible
legacy encoding; bytes that are not text at all are refused."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Sequence

import charset_normalizer

from desk.core.essay.model import _error
from desk.errors import ImportFormatError

_BOM_CODECS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings an essay without a BOM that is not UTF-8 is likely to be in, most likely first: when
# several decode the bytes about equally well, the earlier one wins.
_LEGACY_ENCODINGS: tuple[str, ...] = (
    *("cp1252", "cp1251", "koi8_r", "koi8_u", "cp1250", "iso8859_15", "latin_1", "iso8859_2"),
    *("cp866", "mac_cyrillic", "mac_roman", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256"),
    *("cp874", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr"),
)
_CHAOS_TOLERANCE = 0.05

_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_SNIFF_BYTES = 64 * 1024
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_NON_TEXT_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})


def _not_text(subject: str) -> ImportFormatError:
    return _error(subject, "does not contain text (it looks like an image, a video or other data)")


def _decode(raw: bytes, subject: str) -> str:
    codec = next((name for bom, name in _BOM_CODECS if raw.startswith(bom)), None)
    if codec is None and _has_binary_bytes(raw):
        raise _not_text(subject)
    try:
        text = raw.decode(codec or "utf-8")
    except UnicodeDecodeError:
        if codec is not None:
            raise _not_text(subject) from None
        text = _decode_legacy(raw, subject)
    if _mostly_not_text(text):
        raise _not_text(subject)
    return text


def _has_binary_bytes(raw: bytes) -> bool:
    if b"\x00" in raw:
        return True
    sample = raw[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(sample)


def _decode_legacy(raw: bytes, subject: str) -> str:
    text = legacy_text(raw)
    if text is None:
        raise _error(subject, "is in a text encoding desk does not recognise; save it as UTF-8")
    return text


def legacy_text(raw: bytes) -> str | None:
    """``raw`` (not UTF-8) decoded in the most plausible legacy encoding, Western European
    first among the equally plausible; None when no known encoding reads it."""
    matches = list(charset_normalizer.from_bytes(raw, cp_isolation=list(_LEGACY_ENCODINGS)))
    if not matches:
        return None
    least_chaos = min(match.chaos for match in matches)
    plausible = [match for match in matches if match.chaos <= least_chaos + _CHAOS_TOLERANCE]
    best = min(plausible, key=lambda match: _encoding_rank(match.could_be_from_charset))
    return str(best)


def _encoding_rank(names: Sequence[str]) -> int:
    ranks = [_LEGACY_ENCODINGS.index(name) for name in names if name in _LEGACY_ENCODINGS]
    return min(ranks, default=len(_LEGACY_ENCODINGS))


def _mostly_not_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    odd = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (char not in _WHITESPACE_CONTROLS and unicodedata.category(char) in _NON_TEXT_CATEGORIES)
    )
    return odd * 50 > len(sample)
