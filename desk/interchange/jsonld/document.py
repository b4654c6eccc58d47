"""The annotations a JSON file holds, however it holds them (a collection and its pages, a
page, an ``@graph``, a list or a single annotation), and the collection that describes
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NoReturn

from desk.errors import ImportFormatError
from desk.interchange.jsonld.values import _as_list, _kind_of, _show, _types
from desk.interchange.jsonld.vocabulary import DESK_NS


def _load(data: bytes, subject: str) -> Any:
    def reject(value: str) -> NoReturn:
        raise ValueError(f"{value} is not a number JSON allows")

    try:
        text = data.decode(json.detect_encoding(data))
        return json.loads(text.removeprefix("\ufeff"), parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{subject} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{subject} is not UTF-8 text (byte {exc.start + 1}).") from None
    except RecursionError:
        raise ImportFormatError(f"{subject} nests its JSON too deeply to be read.") from None
    except ValueError as exc:
        raise ImportFormatError(f"{subject} is not valid JSON: {exc}.") from None


_GROUPS = {"AnnotationCollection", "AnnotationPage"}


def check_type(node: Any, where: str, path: str) -> None:
    """A node's ``type`` is a name or a list of names: anything else is refused, at its path
    (``where`` names the file: ``"notes.jsonld, "``)."""
    if not isinstance(node, dict):
        return
    for key in ("type", "@type"):
        value = node.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ImportFormatError(
                f"{where}{path}.{key}: is {_kind_of(value)} ({_show(value)}), not a type "
                'name such as "Annotation".'
            )


def _is_annotation(node: Any) -> bool:
    return isinstance(node, dict) and (
        "Annotation" in _types(node) or ("target" in node and not _types(node))
    )


@dataclass
class _Document:
    """The annotations of a file and what its collection says about them."""

    subject: str
    nodes: list[Any] = field(default_factory=list)
    #: Where each of ``nodes`` is in the file, as a JSON path (``$.first.items[3]``).
    paths: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    context: Any = None
    warnings: list[str] = field(default_factory=list)

    def read(self, doc: Any) -> None:
        path = "$"
        if isinstance(doc, dict):
            self.context = doc.get("@context")
            if isinstance(doc.get("@graph"), list):
                doc, path = doc["@graph"], "$['@graph']"
        if isinstance(doc, list):
            for k, node in enumerate(doc):
                if isinstance(node, dict) and _types(node) & _GROUPS:
                    self.collection(node, f"{path}[{k}]")
                else:
                    self.nodes.append(node)
                    self.paths.append(f"{path}[{k}]")
        elif _is_annotation(doc):
            self.nodes.append(doc)
            self.paths.append(path)
        elif isinstance(doc, dict) and (_types(doc) & _GROUPS or "first" in doc):
            self.collection(doc, path)
        else:
            raise ImportFormatError(
                f"{self.subject} is not a W3C Web Annotation file: it holds no Annotation, "
                "AnnotationPage or AnnotationCollection."
            )

    def collection(self, node: dict[str, Any], path: str) -> None:
        self.meta = self.meta or node
        self.context = self.context or node.get("@context")
        pages: list[tuple[dict[str, Any], str]] = [(node, path)] if "items" in node else []
        page = node.get("first")
        path += ".first"
        if isinstance(page, str):
            raise ImportFormatError(
                f"{self.subject} points to its annotations at {_show(page)} instead of holding "
                "them; desk reads only the annotations a file holds."
            )
        while isinstance(page, dict) and len(pages) < 100_000:
            pages.append((page, path))
            page = page.get("next")
            path += ".next"
        if isinstance(page, str):
            self.warnings.append(
                f"the file's further annotations at {_show(page)} are not in it, so they were "
                "not read."
            )
        for each, where in pages:
            items = each.get("items", [])
            if not isinstance(items, list):
                raise ImportFormatError(
                    f"{self.subject}, {where}.items: is {_kind_of(items)}, not a list."
                )
            self.nodes.extend(items)
            self.paths.extend(f"{where}.items[{k}]" for k in range(len(items)))

    def is_desk(self) -> bool:
        """Whether desk wrote the file (its context names desk's namespace)."""
        return any(
            c == DESK_NS or (isinstance(c, dict) and c.get("desk") == DESK_NS)
            for c in _as_list(self.context)
        )
