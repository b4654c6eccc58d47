"""Embedded TrueType fonts for PDFs: DejaVu for Latin, Greek, Cyrillic and Armenian, and fallback
fonts for the scripts DejaVu lacks.

ReportLab's built-in fonts cover Latin-1 only and are never embedded, and a report must print names
such as Ваня, Торос or Թորոս, quotes in Hebrew, Arabic, Japanese, Chinese or Korean, and emoji. So
it embeds (subsets of) DejaVu, and per run of characters the first fallback font that has them
(:data:`FALLBACKS`: Noto for Hebrew and Arabic, WenQuanYi Zen Hei or Droid Sans Fallback for CJK,
Symbola for emoji, all TrueType outlines as ReportLab needs). The files are looked up in a short
list of usual folders and then through fontconfig's ``fc-match``; without DejaVu, export stops with
one sentence; without a fallback, its characters print as boxes and the log says which package
to install.
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

from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import tables

from desk.export.errors import FontsMissing

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

#: Fallback fonts in the order they are tried: name → (candidate files, fontconfig family, the
#: Debian package that has them). A ``.ttc`` file is read at its first face.
FALLBACKS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "DeskHebrew": (
        ("NotoSansHebrew-Regular.ttf", "Arial Unicode.ttf", "arial.ttf"),
        "Noto Sans Hebrew",
        "fonts-noto-core",
    ),
    "DeskArabic": (
        ("NotoNaskhArabic-Regular.ttf", "Arial Unicode.ttf", "arial.ttf"),
        "Noto Naskh Arabic",
        "fonts-noto-core",
    ),
    "DeskCJK": (
        ("wqy-zenhei.ttc", "DroidSansFallbackFull.ttf", "Arial Unicode.ttf", "malgun.ttf"),
        "WenQuanYi Zen Hei",
        "fonts-wqy-zenhei",
    ),
    "DeskEmoji": (
        ("Symbola_hint.ttf", "Symbola.ttf", "seguisym.ttf", "Apple Symbols.ttf"),
        "Symbola",
        "fonts-symbola",
    ),
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
        Path("/usr/share/fonts/truetype/noto"),
        Path("/usr/share/fonts/truetype/wqy"),
        Path("/usr/share/fonts/truetype/droid"),
        Path("/usr/share/fonts/truetype/ancient-scripts"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/dejavu-sans-fonts"),
        Path("/usr/share/fonts/dejavu-serif-fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        home / "Library/Fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
        Path("/System/Library/Fonts"),
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


class SubsetFont(TTFont):
    """A TrueType font that encodes text whose characters all have codes in its first subset
    with one ``str.encode`` (or ``str.translate``), the same bytes ReportLab's own loop gives.

    ReportLab encodes every string it draws character by character in Python, to give each new
    character a code in a subset of the embedded font; once a report's first pages have given its
    alphabet codes, almost every string needs only the look-up, and printable ASCII is coded as
    itself. A string with a character not coded yet (or coded in a later subset) goes the usual
    way, which codes it.
    """

    def splitString(  # noqa: N802  (ReportLab's name)
        self, text: str | bytes, doc: object, encoding: str = "utf-8"
    ) -> list[tuple[int, bytes]]:
        state = self.state.get(doc)
        if state is not None and isinstance(text, str) and text:
            assigned = state.assignments
            quick = getattr(state, "desk_quick", None)
            if quick is None or quick[0] != len(assigned):
                table = {code: n for code, n in assigned.items() if n < 256}
                same = {chr(code) for code, n in table.items() if code == n}
                quick = state.desk_quick = (len(assigned), table, {chr(c) for c in table}, same)
            plain = text.replace("\xa0", " ")  # ReportLab prints a no-break space as a space
            if quick[3].issuperset(plain):  # the usual case: each character is its own code
                return [(0, plain.encode("latin-1"))]
            if quick[2].issuperset(plain):
                return [(0, plain.translate(quick[1]).encode("latin-1"))]
        result: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        return result


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
            pdfmetrics.registerFont(SubsetFont(name, str(files[face])))
        except Exception as exc:  # a damaged or unreadable font file
            raise FontsMissing(f"the font {files[face]} cannot be used ({exc}).") from exc
    for family in ("serif", "sans"):
        base = names[family]
        addMapping(base, 0, 0, base)
        addMapping(base, 1, 0, names[f"{family}-bold"])
        addMapping(base, 0, 1, names[f"{family}-italic"])
        addMapping(base, 1, 1, names[f"{family}-bold-italic"])
    # A table cell and a drawing (the chart) set their font before drawing anything, even when
    # they print no text, and ReportLab's default is Helvetica, which a PDF then names without
    # embedding it: desk's PDFs name only fonts they embed.
    tables.CellStyle.fontname = names["sans"]
    shapes.STATE_DEFAULTS["fontName"] = names["sans"]
    log.debug("report fonts: %s", {face: str(path) for face, path in files.items()})
    return FontSet()


@dataclass(frozen=True)
class Fallback:
    """A registered fallback font, the characters it has and its family name (for SVG)."""

    name: str
    path: Path
    chars: frozenset[int]
    family: str = ""


def _find_fallback(files: tuple[str, ...], family: str) -> Path | None:
    for filename in files:
        for folder in font_dirs():
            if (folder / filename).is_file():
                return folder / filename
    for filename in files:
        found = _fc_match(family, filename)
        if found is not None:
            return found
    return None


@functools.cache
def fallback_fonts() -> tuple[Fallback, ...]:
    """The fallback fonts found on this computer, registered once per process, in the order
    they are tried. Each one missing is logged with the package that has it."""
    register_fonts()
    found: list[Fallback] = []
    for name, (files, family, package) in FALLBACKS.items():
        path = _find_fallback(files, family)
        if path is None:
            log.warning(
                "no %s font found (install %s): its characters print as boxes", family, package
            )
            continue
        try:
            font = TTFont(name, str(path), subfontIndex=0)
        except Exception as exc:  # a damaged font or one with CFF outlines: go without it
            log.warning("the font %s cannot be used (%s)", path, exc)
            continue
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)  # no bold or italic faces: the same one
        family = font.face.familyName
        if isinstance(family, bytes):
            family = family.decode("utf-8", "replace")
        found.append(Fallback(name, path, frozenset(font.face.charToGlyph), str(family)))
    log.debug("fallback fonts: %s", {f.name: str(f.path) for f in found})
    return tuple(found)


@functools.cache
def font_chars(name: str) -> frozenset[int]:
    """The code points a registered TrueType font has glyphs for."""
    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap with characters beyond the BMP written as UTF-16 pairs.

    ReportLab writes every code point as four hex digits, so 😀 (U+1F600) comes out as
    ``<1F600>``, which readers take as U+1F60: copying or searching an emoji gives the wrong
    character. The PDF format asks for UTF-16BE.
    """
    entries = [
        f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
