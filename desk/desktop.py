"""``desk install-desktop``: make a Linux desktop know desk (menu entry, icon, ``.desk`` files).

Installs, per the freedesktop specifications, into a data folder (``$XDG_DATA_HOME`` or
``~/.local/share`` with ``--user``, ``/usr/local/share`` without): the desktop entry
``applications/desk.desktop`` whose ``Exec`` names this desk's own executable by absolute path (the
virtual environment's or the PyInstaller build's, which need not be on ``PATH``), the MIME types
``application/x-desk-project`` (``*.desk``) and ``application/x-desk-bundle`` (``*.deskz``), and the
icon in the hicolor theme. Then the desktop's caches are rebuilt with ``update-mime-database`` and
``update-desktop-database`` when they are installed, so a double-click on a ``.desk`` opens desk.
``--uninstall`` removes exactly those files and rebuilds the caches again.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from desk.errors import KnownError
from desk.paths import resource

log = logging.getLogger("desk.desktop")

DESKTOP_ID = "desk.desktop"
MIME_PACKAGE = "desk-mime.xml"
ICON_NAME = "desk"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SYSTEM_ROOT = Path("/usr/local/share")

#: Characters that make an Exec argument need quoting (Desktop Entry Specification, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class Placement:
    """Where each installed file goes under one data folder."""

    root: Path

    @property
    def entry(self) -> Path:
        return self.root / "applications" / DESKTOP_ID

    @property
    def mime_package(self) -> Path:
        return self.root / "mime" / "packages" / MIME_PACKAGE

    def icons(self) -> dict[Path, Path]:
        """Installed icon path → shipped file."""
        hicolor = self.root / "icons" / "hicolor"
        icons = {
            hicolor / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png": resource(f"desk-{n}.png")
            for n in ICON_SIZES
        }
        icons[hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg"] = resource("desk.svg")
        return icons

    def files(self) -> list[Path]:
        return [self.entry, self.mime_package, *self.icons()]


def user_root() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def desk_command() -> list[str]:
    """The command that starts this desk, by absolute path."""
    if getattr(sys, "frozen", False):  # the PyInstaller build: its own executable
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / "desk"  # the console script beside this interpreter
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "desk"]


def exec_argument(arg: str) -> str:
    """One argument of an ``Exec`` value, quoted and escaped as the specification asks."""
    arg = arg.replace("%", "%%")
    if any(c in _RESERVED for c in arg):
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg.replace("\\", "\\\\")  # the string-level escape of every .desktop value


def desktop_entry(command: list[str]) -> str:
    """The shipped desktop entry with ``Exec`` (and ``TryExec``) naming ``command``."""
    exec_line = " ".join(exec_argument(a) for a in [*command, "open"]) + " %f"
    lines = []
    for line in resource("desk.desktop").read_text("utf-8").splitlines():
        if line.startswith("Exec="):
            lines.append(f"Exec={exec_line}")
            lines.append(f"TryExec={command[0]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def install(root: Path, command: list[str]) -> list[Path]:
    """Install the entry, the MIME types and the icons under ``root``; return the files."""
    place = Placement(root)
    try:
        _write(place.entry, desktop_entry(command).encode("utf-8"))
        _write(place.mime_package, resource(MIME_PACKAGE).read_bytes())
        for target, source in place.icons().items():
            _write(target, source.read_bytes())
    except OSError as exc:
        raise _not_allowed(root, exc) from None
    _refresh(root)
    return place.files()


def uninstall(root: Path) -> list[Path]:
    """Remove what :func:`install` put under ``root``; return the files that were there."""
    place = Placement(root)
    hicolor = root / "icons" / "hicolor"
    removed = []
    try:
        for path in place.files():
            if path.exists():
                path.unlink()
                removed.append(path)
            if path.parent.is_relative_to(hicolor):  # the size folders made for the icon
                _remove_empty_folders(path.parent, hicolor)
    except OSError as exc:
        raise _not_allowed(root, exc) from None
    _refresh(root)
    return removed


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents below ``root`` while they are empty."""
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)  # a desktop reading the folder never sees half a file


def _not_allowed(root: Path, exc: OSError) -> KnownError:
    refused = isinstance(exc, PermissionError) and root == SYSTEM_ROOT
    hint = "; run it as root, or use --user" if refused else ""
    return KnownError(f"cannot write into {root} ({exc.strerror}){hint}.")


def _refresh(root: Path) -> None:
    """Rebuild the caches desktops read (a tool that is not installed is skipped)."""
    hicolor = root / "icons" / "hicolor"
    steps = [
        ("update-mime-database", [str(root / "mime")]),
        ("update-desktop-database", ["-q", str(root / "applications")]),
    ]
    if (hicolor / "icon-theme.cache").exists():  # only a cache already in use needs refreshing
        steps.append(("gtk-update-icon-cache", ["-f", "-t", "-q", str(hicolor)]))
    for tool, args in steps:
        exe = shutil.which(tool)
        if exe is None:
            log.warning("%s is not installed; the desktop may notice desk only after login", tool)
            continue
        done = subprocess.run([exe, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log.warning("%s failed: %s", tool, done.stderr.strip())


def cmd_install_desktop(args: argparse.Namespace) -> int:
    if not sys.platform.startswith("linux"):
        raise KnownError("install-desktop is for Linux desktops; see the README for your system.")
    root = user_root() if args.user else SYSTEM_ROOT
    if args.uninstall:
        removed = uninstall(root)
        sys.stdout.write(f"removed {len(removed)} files of desk's desktop entry from {root}\n")
        return 0
    command = desk_command()
    install(root, command)
    sys.stdout.write(
        f"installed desk's desktop entry, icon and file types into {root}; "
        f".desk and .deskz files open with {' '.join(command)}\n"
    )
    return 0
