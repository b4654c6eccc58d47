"""A Linux desktop learns desk: its menu entry, its icon, and .desk files opening in it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk import desktop
from desk.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's home with its own data and settings folders, as the desktop sees them."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def xdg_mime(home: Path, *args: str) -> str:
    """Ask xdg-mime as a plain desktop session would (no GNOME or KDE in the way)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    exe = shutil.which("xdg-mime")
    assert exe, "xdg-mime is missing: scripts/setup.sh installs xdg-utils"
    done = subprocess.run(
        [exe, "query", *args], cwd=home, env=env, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def a_project_file(home: Path) -> Path:
    path = home / "x.desk"
    with sqlite3.connect(path) as conn:  # a project is an SQLite file: its magic says so too
        conn.execute("CREATE TABLE t (x)")
    return path


def test_after_a_user_install_a_desk_file_is_a_project_that_desk_opens(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_project_file(home)
    (home / "y.deskz").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty ZIP

    assert main(["install-desktop", "--user"]) == 0

    assert xdg_mime(home, "filetype", "x.desk") == "application/x-desk-project"
    assert xdg_mime(home, "filetype", "y.deskz") == "application/x-desk-bundle"
    assert xdg_mime(home, "default", "application/x-desk-project") == "desk.desktop"
    assert xdg_mime(home, "default", "application/x-desk-bundle") == "desk.desktop"
    entry = (home / "share/applications/desk.desktop").read_text()
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    program = exec_line.removeprefix("Exec=").split(" ")[0]
    assert Path(program).is_absolute()
    assert os.access(program, os.X_OK), f"{program} does not start desk"
    assert exec_line.endswith(" open %f")
    assert (home / "share/icons/hicolor/48x48/apps/desk.png").is_file()
    assert str(home / "share") in capsys.readouterr().out


def test_the_installed_entry_starts_the_desk_that_installed_it(home: Path) -> None:
    main(["install-desktop", "--user"])
    entry = (home / "share/applications/desk.desktop").read_text()
    program = next(line for line in entry.splitlines() if line.startswith("TryExec="))
    done = subprocess.run(
        [program.removeprefix("TryExec="), "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("desk ")


def test_uninstall_removes_what_was_installed_and_desk_no_longer_claims_the_files(
    home: Path,
) -> None:
    a_project_file(home)
    before = {p for p in home.rglob("*")}
    main(["install-desktop", "--user"])
    installed = desktop.Placement(home / "share").files()

    assert main(["install-desktop", "--user", "--uninstall"]) == 0

    assert not [p for p in installed if p.exists()]
    assert not (home / "share/icons/hicolor/48x48").exists()
    assert xdg_mime(home, "filetype", "x.desk") != "application/x-desk-project"
    assert xdg_mime(home, "default", "application/x-desk-project") == ""
    left = {p for p in home.rglob("*") if p.is_file()} - before
    assert all("mime" in p.parts or p.name == "mimeinfo.cache" for p in left), left  # caches


def test_a_desk_in_a_folder_with_spaces_is_started_by_its_whole_path(tmp_path: Path) -> None:
    command = ["/home/ani/my apps/desk$1/desk"]
    entry = tmp_path / "desk.desktop"
    entry.write_text(desktop.desktop_entry(command))

    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/home/ani/my apps/desk\\\\$1/desk" open %f'
    validate = shutil.which("desktop-file-validate")
    assert validate, "desktop-file-validate is missing: scripts/setup.sh installs it"
    done = subprocess.run([validate, str(entry)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def test_the_shipped_entry_and_mime_types_are_valid() -> None:
    validate = shutil.which("desktop-file-validate")
    assert validate
    shipped = desktop.resource("desk.desktop")
    done = subprocess.run([validate, str(shipped)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    mime = desktop.resource("desk-mime.xml").read_text()
    assert 'glob pattern="*.desk"' in mime
    assert 'glob pattern="*.deskz"' in mime


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="desktop entries are Linux's")
def test_a_system_install_that_cannot_write_says_so_in_one_sentence(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = home / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setattr(desktop, "SYSTEM_ROOT", blocked)

    assert main(["install-desktop"]) == 1

    err = capsys.readouterr().err
    assert err.startswith(f"desk: cannot write into {blocked}")
    assert err.count("\n") == 1
