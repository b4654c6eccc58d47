"""Views and exporters name what changed with :class:`desk.store.changes.Changed`, never a table.

Which table touches which kind of thing is decided once, in the store; a string in
``touches("note")`` or ``changes.rows["note"]`` outside it would name a table the views should not
know, and would never match (the keys are members of the enum). Names held in a variable
(``touches(*TABLES)``) are mypy's to refuse: the methods take ``Changed``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DESK = Path(__file__).resolve().parents[1] / "desk"
#: Methods of Changes that take a kind of thing.
TAKES_A_KIND = {"touches", "ids", "add"}


def _receiver(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def tables_named(source: str) -> list[int]:
    """The lines that name a table where Changes wants a kind of thing."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, _receiver(node.func.value)
            # ``add`` is every set's method too: only a Changes (``changes``) counts for it.
            on_changes = method == "touches" or receiver.endswith("changes")
            if method in TAKES_A_KIND and on_changes and any(_is_text(a) for a in node.args):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "rows"
            and _receiver(node.value.value).endswith("changes")
            and _is_text(node.slice)
        ):
            lines.append(node.lineno)
    return lines


def test_no_table_names_where_changes_are_read_outside_the_store() -> None:
    outside = [p for p in DESK.rglob("*.py") if p.relative_to(DESK).parts[0] != "store"]
    assert any(p.relative_to(DESK).parts[0] == "ui" for p in outside)
    offenders = {
        str(path.relative_to(DESK)): tables_named(path.read_text(encoding="utf-8"))
        for path in outside
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize(
    "line",
    [
        'changes.touches("note", "time_link")',
        'if changes.touches(Changed.SCENES) or changes.touches("scene"): pass',
        'summary.changes.add("media", 1)',
        'changes.ids("clip")',
        'len(changes.rows["clip"])',
        'self.changes.rows["beat"].clear()',
    ],
)
def test_a_table_name_is_found(line: str) -> None:
    assert tables_named(line) == [1]


@pytest.mark.parametrize(
    "line",
    [
        "changes.touches(Changed.NOTES, Changed.LINKS)",
        "changes.add(Changed.FILM, media_id)",
        'seen.add("note")',
        'self.rows["x"]',
        "changes.rows[Changed.CLIPS]",
    ],
)
def test_kinds_of_thing_and_other_strings_pass(line: str) -> None:
    assert tables_named(line) == []
