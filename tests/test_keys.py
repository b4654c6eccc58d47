"""``desk keys`` prints the window's action table; the README and the user guide agree with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desk.actions import ACTIONS, MENUS
from desk.cli import main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from sync_guide import KEYS_END, KEYS_START, using_it, with_key_table  # noqa: E402


def keys_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    assert main(["keys", "--json"]) == 0
    listed: list[dict[str, str]] = json.loads(capsys.readouterr().out)
    return listed


def test_desk_keys_json_lists_every_action_with_its_id_name_menu_and_key(capsys) -> None:
    listed = keys_json(capsys)
    assert [entry["id"] for entry in listed] == [a.id for a in ACTIONS]
    assert len({entry["id"] for entry in listed}) == len(listed)
    for entry in listed:
        assert {"id", "name", "menu", "shortcut", "context", "help"} <= set(entry)
        assert entry["menu"] in MENUS
        assert entry["name"]
        assert entry["help"]
    play = next(entry for entry in listed if entry["id"] == "play.toggle")
    assert (play["name"], play["menu"], play["shortcut"]) == ("Play / pause", "Playback", "Space")


def test_desk_keys_lists_them_by_menu_in_plain_text(capsys) -> None:
    assert main(["keys"]) == 0
    text = capsys.readouterr().out
    assert "Playback\n  Space             Play / pause\n" in text
    assert "  Del               Delete the selected beat  (in the timeline)\n" in text
    for menu in MENUS:
        assert f"\n{menu}\n" in f"\n{text}"


def test_desk_keys_does_not_load_qt() -> None:
    code = (
        "import sys; from desk.cli import main; main(['keys']); "
        "sys.stderr.write(' '.join(m for m in sys.modules if m.startswith('PySide6')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "Play / pause" in done.stdout
    assert done.stderr == ""


def readme_key_rows() -> list[tuple[str, str, str, str]]:
    """The README's key list, read as a user reads it: (key, action, menu, where) per row."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(KEYS_START, 1)[1].split(KEYS_END, 1)[0]
    rows = [line for line in table.strip().splitlines()[2:]]  # after the header and its rule
    cells = [tuple(cell.strip() for cell in row.strip("|").split("|")) for row in rows]
    return [(key.strip("`"), name, menu, where) for key, name, menu, where in cells]


def test_the_readme_key_list_is_what_desk_keys_says(capsys) -> None:
    listed = keys_json(capsys)
    expected = [(e["shortcut"], e["name"], e["menu"], e["context"]) for e in listed]
    assert readme_key_rows() == expected, "run scripts/sync_guide.py"


def test_the_user_guide_is_the_readme_section_using_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_key_table(readme) == readme, "run scripts/sync_guide.py"
    guide = (ROOT / "resources" / "guide.md").read_text(encoding="utf-8")
    assert guide == using_it(readme), "run scripts/sync_guide.py"
    assert "**Player.** Space plays and pauses" in guide
