"""The JSON values of a file being read: their kinds and short renderings for a message, the
terms of a vocabulary, the uid an id stands for, and the text of an HTML body.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from enum import StrEnum
from typing import Any


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    names = {dict: "an object", list: "a list", str: "text", type(None): "null"}
    return names.get(type(value), "a number")


def _printable(text: str, limit: int = 40) -> str:
    """Text cut short for a message, safe to print whatever it holds."""
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _show(value: Any) -> str:
    """A short rendering of a JSON value for a message."""
    if isinstance(value, dict | list):
        return "{...}" if isinstance(value, dict) else "[...]"
    if isinstance(value, str):
        return '"' + _printable(value) + '"'
    return _printable(json.dumps(value))


def _term(value: str) -> str:
    """A vocabulary word without its prefix: ``oa:commenting`` and its full IRI are both
    ``commenting``."""
    return re.split(r"[#:/]", value)[-1]


def _values(kinds: type[StrEnum]) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict[str, Any]) -> set[str]:
    return {_term(t) for t in _as_list(node.get("type", node.get("@type"))) if isinstance(t, str)}


def uid_of(iri: str) -> str:
    """The desk uid for an id: the UUID of a ``urn:uuid:``, otherwise one made from the id that
    is the same on every import."""
    if iri.lower().startswith("urn:uuid:"):
        try:
            return uuid.UUID(iri[9:]).hex
        except ValueError:
            pass
    return uuid.uuid5(uuid.NAMESPACE_URL, iri).hex


def _valid(value: str) -> bool:
    """Whether text is valid Unicode (JSON can spell a lone surrogate; no text can hold one)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6])\s*>", re.IGNORECASE)


def _html_text(value: str) -> str:
    """The text of an HTML fragment (nothing it refers to is fetched)."""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", value)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
