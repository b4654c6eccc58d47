"""Only ``desk.store`` knows the schema: no other package writes SQL or reaches a connection.

A migration then means changing one package. Every module of the packages named below is parsed
and searched for what would carry SQL past the store: a string that is an SQL statement (an
f-string too), a call of ``execute``, ``executemany``, ``executescript``, ``query`` or ``rows``,
and any use of a ``conn`` attribute (a project's or a transaction's connection).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

DESK = Path(__file__).resolve().parents[2] / "desk"

#: The statements an SQL string starts with, each with what must follow it, so prose that happens
#: to begin with "Select" or "Update" is not taken for SQL.
STATEMENT = re.compile(
    r"""\s*(?:
        select\s+(?:distinct\s+)?(?:\*|[\w.]+\s*(?:\(|,|$)|.*\bfrom\s+[\w.]+)
      | insert\s+(?:or\s+\w+\s+)?into\b
      | replace\s+into\b
      | update\s+(?:or\s+\w+\s+)?[\w.]+\s+set\b
      | delete\s+from\b
      | (?:create|drop)\s+(?:temp\w*\s+|unique\s+|virtual\s+)?(?:table|index|view|trigger)\b
      | alter\s+table\b
      | pragma\s+[\w.]+
      | begin\s+(?:deferred|immediate|exclusive|transaction)\b | (?-i:BEGIN)\s*;?\s*$
      | (?:commit|rollback)(?:\s+transaction)?\s*;?\s*$
      | vacuum\b(?:\s+into\b|\s*;?\s*$)
      | with\s+(?:recursive\s+)?\w+(?:\s*\([\w\s,]*\))?\s+as\s*\(
      | (?:savepoint|release)\s+\w+\s*;?\s*$
      | attach\s+(?:database\s+)?\S
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
#: Methods that run SQL on a connection, a cursor or a project.
RUNS_SQL = frozenset({"execute", "executemany", "executescript", "query", "rows"})


class _Finder(ast.NodeVisitor):
    """Collects ``(line, what)`` for each place of a module that carries SQL."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def _statement(self, node: ast.expr, text: str) -> None:
        if STATEMENT.match(text):
            self.found.append((node.lineno, f"an SQL statement {text.strip()[:40]!r}"))

    def _body(
        self, node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    ) -> None:
        """Visit a body without its docstring: prose about SQL is not SQL."""
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        for field, value in ast.iter_fields(node):
            if field != "body":
                for child in value if isinstance(value, list) else [value]:
                    if isinstance(child, ast.AST):
                        self.visit(child)
        for statement in body:
            self.visit(statement)

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _body

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._statement(node, node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """An f-string is read with each hole filled by a name; the holes are searched too."""
        text = "".join(
            str(part.value) if isinstance(part, ast.Constant) else "x" for part in node.values
        )
        self._statement(node, text)
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.visit(part)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL:
            self.found.append((node.lineno, f"a call of .{node.func.attr}()"))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "conn":
            self.found.append((node.lineno, "a use of .conn"))
        self.generic_visit(node)


def sql_in(source: str, name: str) -> list[str]:
    """Each place in ``source`` that carries SQL, as ``name:line: what``, in line order."""
    finder = _Finder()
    finder.visit(ast.parse(source, filename=name))
    return [f"{name}:{line}: {what}" for line, what in sorted(finder.found)]


def sql_in_packages(*packages: str) -> list[str]:
    """Every place in the named ``desk`` packages (or modules) that carries SQL."""
    found: list[str] = []
    for package in packages:
        root = DESK / package
        paths = sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]
        for path in paths:
            found.extend(sql_in(path.read_text(encoding="utf-8"), str(path.relative_to(DESK))))
    return found


#: Every package and module of desk but the store.
OUTSIDE_THE_STORE = sorted(
    {p.name for p in DESK.iterdir() if (p / "__init__.py").is_file()} - {"store"}
) + sorted(p.stem for p in DESK.glob("*.py"))


def test_only_the_store_writes_sql() -> None:
    assert "ui" in OUTSIDE_THE_STORE
    assert sql_in_packages(*OUTSIDE_THE_STORE) == []


def test_the_check_names_each_kind_of_sql_it_finds() -> None:
    source = '''
"""SELECT is only mentioned here."""
owner = "paragraph"
rows = project.query(f"SELECT {owner}_id, start_ms FROM time_link")
project.conn.execute("delete from note where id = ?", (1,))
STEP = """
    UPDATE media SET path = ?
"""
message = "Select a scene first, then update the film."
tx.executemany("INSERT INTO beat (label) VALUES (?)", labels)
VERSION, SAFE = "pragma user_version", "BEGIN IMMEDIATE"
notes = project.rows("WITH recent AS (SELECT * FROM note) SELECT * FROM recent")
'''
    assert sql_in(source, "reader.py") == [
        "reader.py:4: a call of .query()",
        "reader.py:4: an SQL statement 'SELECT x_id, start_ms FROM time_link'",
        "reader.py:5: a call of .execute()",
        "reader.py:5: a use of .conn",
        "reader.py:5: an SQL statement 'delete from note where id = ?'",
        "reader.py:6: an SQL statement 'UPDATE media SET path = ?'",
        "reader.py:10: a call of .executemany()",
        "reader.py:10: an SQL statement 'INSERT INTO beat (label) VALUES (?)'",
        "reader.py:11: an SQL statement 'BEGIN IMMEDIATE'",
        "reader.py:11: an SQL statement 'pragma user_version'",
        "reader.py:12: a call of .rows()",
        "reader.py:12: an SQL statement 'WITH recent AS (SELECT * FROM note) SELE'",
    ]


def test_the_check_sees_the_store_itself_write_sql() -> None:
    assert any("project.py" in place for place in sql_in_packages("store"))
