"""One annotation of a file being read: its bodies (objects, strings, ``bodyValue``,
``Choice``, HTML), its targets and the times they name, its links and its creator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

from desk.errors import ImportFormatError
from desk.interchange.jsonld.fragments import media_fragment_times, names_no_end
from desk.interchange.jsonld.node import _Node
from desk.interchange.jsonld.values import (
    _as_list,
    _html_text,
    _kind_of,
    _printable,
    _show,
    _term,
    _types,
    _valid,
)
from desk.interchange.model import Link


@dataclass(frozen=True)
class _Body:
    text: str
    purpose: str = ""


@dataclass(frozen=True)
class _Target:
    source: str  # the IRI of what is annotated, without its fragment
    times: tuple[int, int] | None
    label: str = ""


class _Annotation(_Node):
    """One annotation of the file: its bodies and targets, and its place in the file."""

    def __init__(
        self,
        node: dict[str, Any],
        number: int,
        where: str,
        *,
        moments: bool = False,
        film_end_ms: int = 0,
    ):
        super().__init__(node, self._fail)
        self.number = number
        self.where = where
        #: Whether a start without an end (``t=21``) is a moment: desk wrote moments so once.
        self.moments = moments
        #: Where a time without an end ends otherwise (0: unknown, and it becomes a moment).
        self.film_end_ms = film_end_ms
        #: How many of its times had no end and, the film's end being unknown, became moments.
        self.unended = 0
        self.id = ""
        self.id = self.text("id", node.get("@id", ""))
        self.bodies = self._bodies()
        self.targets = self._targets()

    def _fail(self, key: str, problem: str) -> NoReturn:
        name = f" ({_printable(self.id, 60)})" if self.id else ""
        raise ImportFormatError(f"{self.where}annotation {self.number}{name}: '{key}' {problem}.")

    def motivations(self) -> list[str]:
        return [_term(m) for m in _as_list(self.node.get("motivation")) if isinstance(m, str)]

    def _bodies(self) -> list[_Body]:
        found = [_Body(self.text("bodyValue"))] if "bodyValue" in self.node else []
        key = next((k for k in ("body", "hasBody", "oa:hasBody") if k in self.node), "body")
        return found + [self._body(key, value) for value in _as_list(self.node.get(key))]

    def _body(self, key: str, value: Any) -> _Body:
        if isinstance(value, str):
            value = {"value": value}
        if not isinstance(value, dict):
            self.fail(key, f"holds {_kind_of(value)} ({_show(value)}), not a body")
        if "Choice" in _types(value):
            choices = [v for v in _as_list(value.get("items")) if isinstance(v, dict)]
            value = choices[0] if choices else {}
        if isinstance(value.get("value"), dict):
            value = {**value, "value": value["value"].get("@value", "")}
        body = _Node(value, lambda k, p: self.fail(key, f"has a '{k}' that {p}"))
        # a body with no value of its own is an external resource: its IRI stands for it
        found = [k for k in ("value", "id", "source") if isinstance(value.get(k), str)]
        text = body.text(found[0] if found else "value")
        if "html" in body.text("format").lower():
            text = _html_text(text)
        purposes = [_term(p) for p in _as_list(value.get("purpose")) if isinstance(p, str)]
        return _Body(text, purposes[0] if purposes else "")

    def body_text(self, excluding: tuple[str, ...] = ("tagging", "classifying")) -> str:
        return "\n\n".join(b.text for b in self.bodies if b.purpose not in excluding and b.text)

    def tags(self, purpose: str = "tagging") -> list[str]:
        return [b.text.strip() for b in self.bodies if b.purpose == purpose and b.text.strip()]

    def _targets(self) -> list[_Target]:
        key = next((k for k in ("target", "hasTarget", "oa:hasTarget") if k in self.node), "")
        values = _as_list(self.node.get(key)) if key else []
        if not values:
            self.fail("target", "is missing: every annotation has one")
        return [self._target(value) for value in values]

    def _target(self, value: Any) -> _Target:
        def bad(problem: str) -> NoReturn:
            self.fail("target", problem)

        if isinstance(value, str):
            value = {"id": value}
        if not isinstance(value, dict):
            bad(f"holds {_kind_of(value)} ({_show(value)}), not a resource")
        target = _Node(value, lambda k, p: bad(f"has a '{k}' that {p}"))
        source = value.get("source")
        if isinstance(source, dict):
            target = _Node(source, target.fail)
            key = "id"
        else:
            key = "source" if "source" in value else "id"
        iri, _, fragment = target.text(key).partition("#")
        try:
            times = media_fragment_times(fragment)
            for selector in _selectors(value.get("selector")):
                chosen = selector.get("value")
                if isinstance(chosen, str) and "t=" in chosen and media_fragment_times(chosen):
                    times, fragment = media_fragment_times(chosen), chosen
        except ValueError as exc:
            bad(str(exc))
        if times is not None:
            times = self._ended(times, names_no_end(fragment), value.get("deskMoment") is True)
        return _Target(iri, times, _Node(value, target.fail).text("label"))

    def _ended(self, times: tuple[int, int], no_end: bool, moment: bool) -> tuple[int, int]:
        """A target's times as desk means them: desk marks a moment it writes as the frame it
        shows; a start without an end runs to the film's end, except in desk's own files."""
        start = times[0]
        if moment or (no_end and self.moments):
            return start, start
        if not no_end:
            return times
        if self.film_end_ms > start:
            return start, self.film_end_ms
        self.unended += 1
        return start, start

    def links(self) -> tuple[Link, ...]:
        return tuple(Link(*t.times, t.label) for t in self.targets if t.times is not None)

    def one_range(self) -> tuple[int, int]:
        timed = [t.times for t in self.targets if t.times is not None]
        if len(timed) != 1:
            self.fail("target", f"names {len(timed)} times in the film, where it needs one")
        return timed[0]

    def creator(self) -> str:
        for value in _as_list(self.node.get("creator")):
            if isinstance(value, dict):
                value = value.get("name", value.get("nickname", value.get("id")))
            if isinstance(value, str) and value.strip() and _valid(value):
                return value.strip()
        return ""


def _selectors(value: Any) -> Iterator[dict[str, Any]]:
    """Selectors and the selectors that refine them, a few levels deep."""
    pending = [s for s in _as_list(value) if isinstance(s, dict)]
    for _ in range(64):
        if not pending:
            return
        selector = pending.pop(0)
        yield selector
        pending.extend(s for s in _as_list(selector.get("refinedBy")) if isinstance(s, dict))
