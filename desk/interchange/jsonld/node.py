"""Typed access to a JSON object of a file being read, naming the key at fault when one of its
values is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from desk.interchange.jsonld.values import _as_list, _kind_of, _show, _valid, uid_of

Fail = Callable[[str, str], NoReturn]


class _Node:
    """Typed access to one JSON object, naming the key at fault when a value is wrong."""

    def __init__(self, node: dict[str, Any], fail: Fail):
        self.node = node
        self.fail = fail

    def get(self, key: str, kinds: tuple[type, ...], default: Any = None) -> Any:
        value = self.node.get(key)
        if value is None:  # null is as good as absent
            return default
        if not isinstance(value, kinds) or isinstance(value, bool):
            names = {str: "text", dict: "an object", list: "a list", int: "a whole number"}
            wanted = names.get(kinds[0], "a number")
            self.fail(key, f"is {_kind_of(value)} ({_show(value)}), not {wanted}")
        return value

    def text(self, key: str, default: str = "") -> str:
        value: str = self.get(key, (str,), default)
        if not _valid(value):
            self.fail(key, "holds a character that is not valid Unicode")
        return value

    def number_in(self, key: str, low: float, high: float, default: float) -> float:
        value = self.get(key, (int, float), default)
        if not low <= value <= high:
            self.fail(key, f"is {_show(value)}, not a number from {low:g} to {high:g}")
        return float(value)

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in allowed:
            self.fail(key, f"is {_show(value)}, not one of {', '.join(allowed)}")
        return value

    def ref(self, key: str) -> str:
        value = self.text(key)
        return uid_of(value) if value else ""

    def nodes(self, key: str) -> Iterator[_Node]:
        """The objects a key holds (one or a list), each naming faults as part of ``key``."""
        for value in _as_list(self.get(key, (list, dict))):
            if not isinstance(value, dict):
                self.fail(key, f"holds {_kind_of(value)} ({_show(value)}), not an object")

            def fail(inner: str, problem: str, key: str = key) -> NoReturn:
                self.fail(key, f"has a '{inner}' that {problem}")

            yield _Node(value, fail)
