"""Embedded TrueType fonts for reports: DejaVu Serif for the text, DejaVu Sans for labels.

ReportLab's built-in fonts cover Latin-1 only, and a report must print names such as Ваня, Торос or
Թորոս, so it embeds (subsets of) DejaVu. The font files are looked up in a short list of usual
folders and then through fontconfig's ``fc-match``; without them, export stops with one sentence.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desk.export.report_errors import FontsMissing

log = logging.getLogger("desk.export")

#: face → (file name, fontconfig pattern)
FACES: dict[str, tuple[str, str]] = {
    "serif": ("DejaVuSerif.ttf", "DejaVu Serif:style=Book"),
    "serif-bold": ("DejaVuSerif-Bold.ttf", "DejaVu Serif:style=Bold"),
    "serif-italic": ("DejaVuSerif-Italic.ttf", "DejaVu Serif:style=Italic"),
    "serif-bold-italic": ("DejaVuSerif-BoldItalic.ttf", "DejaVu Serif:style=Bold Italic"),
    "sans": ("DejaVuSans.ttf", "DejaVu Sans:style=Book"),
    "sans-bold": ("DejaVuSans-Bold.ttf", "DejaVu Sans:style=Bold"),
    "sans-italic": ("DejaVuSans-Oblique.ttf", "DejaVu Sans:style=Oblique"),
    "sans-bold-italic": ("DejaVuSans-BoldOblique.ttf", "DejaVu Sans:style=Bold Oblique"),
    "mono": ("DejaVuSansMono.ttf", "DejaVu Sans Mono:style=Book"),
}

#: The family name an SVG viewer should use for each registered family.
SVG_FAMILIES = {
    "DeskSans": "DejaVu Sans",
    "DeskSerif": "DejaVu Serif",
    "DeskMono": "DejaVu Sans Mono",
}


@dataclass(frozen=True)
class FontSet:
    """Registered ReportLab font names; ``serif``/``sans`` are families with bold and italic."""

    serif: str = "DeskSerif"
    serif_bold: str = "DeskSerif-Bold"
    serif_italic: str = "DeskSerif-Italic"
    sans: str = "DeskSans"
    sans_bold: str = "DeskSans-Bold"
    mono: str = "DeskMono"


def font_dirs() -> list[Path]:
    """Folders searched for the DejaVu files, most specific first."""
    home = Path.home()
    dirs = [
        *(Path(p) for p in os.environ.get("DESK_FONT_PATH", "").split(os.pathsep) if p),
        Path(__file__).resolve().parents[2] / "resources" / "fonts",
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/dejavu-sans-fonts"),
        Path("/usr/share/fonts/dejavu-serif-fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        home / "Library/Fonts",
        Path("/Library/Fonts"),
        Path("/opt/homebrew/share/fonts"),
    ]
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft/Windows/Fonts")
    return dirs


def _fc_match(pattern: str, filename: str) -> Path | None:
    """The file fontconfig picks for ``pattern``, if it is the file asked for."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = Path(done.stdout.strip()) if done.returncode == 0 else None
    return found if found and found.name == filename and found.is_file() else None


def find_face(face: str) -> Path | None:
    """The font file of one face (see :data:`FACES`), or None."""
    filename, pattern = FACES[face]
    for folder in font_dirs():
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    return _fc_match(pattern, filename)


def _fallback(found: dict[str, Path | None]) -> dict[str, Path]:
    """Fill missing faces from the nearest face that exists (bold → regular, serif ↔ sans)."""
    serif = found["serif"] or found["sans"]
    sans = found["sans"] or found["serif"]
    if serif is None or sans is None:
        raise FontsMissing(
            "no DejaVu fonts were found for the report (install fonts-dejavu-core, or put "
            "DejaVuSans.ttf into a folder named in DESK_FONT_PATH)."
        )
    out: dict[str, Path] = {}
    for face in FACES:
        family_regular = serif if face.startswith("serif") else sans
        out[face] = found[face] or family_regular
    out["mono"] = found["mono"] or sans
    return out


@functools.cache
def register_fonts() -> FontSet:
    """Find and register the report fonts once per process; raise :class:`FontsMissing`."""
    files = _fallback({face: find_face(face) for face in FACES})
    names = {
        "serif": "DeskSerif",
        "serif-bold": "DeskSerif-Bold",
        "serif-italic": "DeskSerif-Italic",
        "serif-bold-italic": "DeskSerif-BoldItalic",
        "sans": "DeskSans",
        "sans-bold": "DeskSans-Bold",
        "sans-italic": "DeskSans-Italic",
        "sans-bold-italic": "DeskSans-BoldItalic",
        "mono": "DeskMono",
    }
    for face, name in names.items():
        try:
            pdfmetrics.registerFont(TTFont(name, str(files[face])))
        except Exception as exc:  # a damaged or unreadable font file
            raise FontsMissing(f"the font {files[face]} cannot be used ({exc}).") from exc
    for family in ("serif", "sans"):
        base = names[family]
        addMapping(base, 0, 0, base)
        addMapping(base, 1, 0, names[f"{family}-bold"])
        addMapping(base, 0, 1, names[f"{family}-italic"])
        addMapping(base, 1, 1, names[f"{family}-bold-italic"])
    log.debug("report fonts: %s", {face: str(path) for face, path in files.items()})
    return FontSet()
