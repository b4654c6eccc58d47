"""Write the README's key list from the action table, and resources/guide.md (Help → User guide)
from the README's "Using it" section.

Run it after changing desk/actions.py or the README's "Using it":
``.venv/bin/python scripts/sync_guide.py``. The tests fail while either is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk.actions import markdown_table  # noqa: E402

KEYS_START = "<!-- keys: written by scripts/sync_guide.py from `desk keys` -->"
KEYS_END = "<!-- /keys -->"
SECTION = "## Using it"
GUIDE_TITLE = "# Using desk"


def with_key_table(readme: str) -> str:
    """``readme`` with the key list between its markers made from the action table."""
    before, start, rest = readme.partition(KEYS_START)
    _old, end, after = rest.partition(KEYS_END)
    if not (start and end):
        raise SystemExit(f"README.md needs the markers {KEYS_START} and {KEYS_END}")
    return f"{before}{start}\n{markdown_table()}{end}{after}"


def using_it(readme: str) -> str:
    """The README's "Using it" section, without its heading, as the user guide's Markdown."""
    _before, heading, rest = readme.partition(f"\n{SECTION}\n")
    if not heading:
        raise SystemExit(f"README.md has no {SECTION!r} section")
    body = rest.split("\n## ", 1)[0].strip()
    lines = [line for line in body.splitlines() if not line.startswith("<!--")]  # the markers
    return GUIDE_TITLE + "\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    readme_path = ROOT / "README.md"
    readme = with_key_table(readme_path.read_text(encoding="utf-8"))
    readme_path.write_text(readme, encoding="utf-8")
    (ROOT / "resources" / "guide.md").write_text(using_it(readme), encoding="utf-8")


if __name__ == "__main__":
    main()
