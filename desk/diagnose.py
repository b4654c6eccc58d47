"""``desk check``: what this desk is made of and whether each part works here, one line each.

For a user reporting a problem (the README asks for its output) and for the smoke test of a built
app: the version and where desk runs from, the data folder and whether it can be written, the
shipped resources and sample, libVLC, PyAV and its encoders, and the report's fonts. With
``--play`` it also opens the window on the sample project (rendering it on first run, as the first
start does) and plays it, to show that libVLC draws the film into the window rather than desk
falling back to Qt Multimedia. Exit status 0 when everything works, 1 otherwise.
"""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desk import __version__
from desk.errors import KnownError


@dataclass(frozen=True)
class Finding:
    part: str
    ok: bool
    text: str

    def line(self) -> str:
        return f"{'ok' if self.ok else 'PROBLEM':<8}{self.part:<13}{self.text}"


def _how_installed() -> str:
    if getattr(sys, "frozen", False):
        return f"app build in {Path(sys.executable).resolve().parent}"
    package = Path(__file__).resolve().parent
    if (package.parent / "pyproject.toml").exists():
        return f"checkout at {package.parent}"
    return f"installed in {package.parent}"


def check_desk() -> Finding:
    python = platform.python_version()
    return Finding("desk", True, f"{__version__} ({_how_installed()}; Python {python})")


def check_data() -> Finding:
    from desk.paths import data_dir
    from desk.startup import check_data_folder

    try:
        check_data_folder()  # the same check as the window's start
    except KnownError as exc:
        return Finding("data folder", False, str(exc))
    return Finding("data folder", True, str(data_dir()))


def check_shipped() -> Finding:
    from desk.paths import SAMPLE_NAME, resource, shipped

    try:
        resource("desk-256.png").stat()
        (shipped("projects") / f"{SAMPLE_NAME}.toml").stat()
    except (KnownError, OSError) as exc:
        return Finding("resources", False, str(exc))
    return Finding("resources", True, str(shipped("resources")))


def check_libvlc() -> Finding:
    from desk.media.playback import PlaybackUnavailable, VlcBackend

    try:
        backend = VlcBackend(headless=True)
    except PlaybackUnavailable as exc:
        return Finding("libVLC", False, f"{exc} desk plays through Qt Multimedia instead.")
    version = backend.version()
    backend.close()
    return Finding("libVLC", True, version)


def check_pyav() -> Finding:
    import av

    ffmpeg = ".".join(str(n) for n in av.library_versions.get("libavcodec", ()))
    missing = [name for name in ("libx264", "aac") if name not in av.codecs_available]
    if missing:
        return Finding("PyAV", False, f"{av.__version__}: no {' or '.join(missing)} encoder")
    return Finding("PyAV", True, f"{av.__version__} (libavcodec {ffmpeg}; libx264 and aac)")


def check_fonts() -> Finding:
    from desk.export.pdf_fonts import find_face

    found = find_face("serif") or find_face("sans")
    if found is None:
        return Finding("report fonts", False, "no DejaVu fonts: reports cannot be written")
    return Finding("report fonts", True, f"DejaVu in {found.parent}")


CHECKS: tuple[Callable[[], Finding], ...] = (
    check_desk,
    check_data,
    check_shipped,
    check_libvlc,
    check_pyav,
    check_fonts,
)


def about_lines() -> list[str]:
    """What Help → About says: the version, the licence, and each part of ``desk check``."""
    lines = [f"desk {__version__}: scene-by-scene film analysis.", LICENCE, ""]
    for check in CHECKS:
        finding = check()
        lines.append(f"{finding.part}: {finding.text}" + ("" if finding.ok else " (a problem)"))
    return lines


#: The licence, as ``pyproject.toml`` and ``LICENSE`` give it.
LICENCE = (
    "Free software under the GNU General Public License, version 3 or later; "
    "it comes with no warranty."
)


def cmd_check(args: argparse.Namespace) -> int:
    findings = []
    for check in CHECKS:
        finding = check()
        findings.append(finding)
        sys.stdout.write(finding.line() + "\n")
        sys.stdout.flush()
    if args.play:
        from desk.ui.play_check import check_playback

        ok, text = check_playback()
        findings.append(Finding("playback", ok, text))
        sys.stdout.write(findings[-1].line() + "\n")
    return 0 if all(f.ok for f in findings) else 1
