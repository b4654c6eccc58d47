"""Qt widgets stay in desk.ui: the layers below may use QtCore (and QtGui for painting) only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DESK = Path(__file__).resolve().parents[1] / "desk"
BELOW_UI = ["core", "store", "media", "export", "interchange"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("package", BELOW_UI)
def test_no_widgets_below_the_ui(package: str) -> None:
    offenders = {
        str(path.relative_to(DESK)): sorted(m for m in imported_modules(path) if "QtWidgets" in m)
        for path in (DESK / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
