"""Films muxed by ffmpeg the way rips carry subtitles and chapters, for the tests of importing
them: subtitle files written here, and a Blu-ray PGS track of a few bytes of segments."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.media.test_probe_rips import CHAPTERS, SRT, ffmpeg

#: An ASS script whose events name their speaker and carry override tags and hard breaks.
ASS = r"""[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, Bold, Italic, Alignment, MarginV
Style: Default,DejaVu Sans,20,&H00FFFFFF,0,0,2,10

[Events]
Format: Layer, Start, End, Style, Name, Text
Dialogue: 0,0:00:01.00,0:00:02.00,Default,Ani,{\i1}Ne{\i0} nado,\Nпожалуйста
Dialogue: 0,0:00:02.50,0:00:03.00,Default,,{\an8}[snow falls]
"""
VIDEO = ("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:d=4")


def make_rip(folder: Path) -> Path:
    """A Matroska rip whose clock starts at 0.5 s: an English SubRip track (stream 1), an
    untitled Russian ASS track (stream 2) and two chapters (0–2.5 s and 2.5–4 s on its clock)."""
    (folder / "en.srt").write_text(SRT)
    (folder / "ru.ass").write_text(ASS)
    (folder / "chapters.txt").write_text(CHAPTERS)
    out = folder / "rip.mkv"
    ffmpeg(
        *VIDEO,
        *("-i", str(folder / "en.srt"), "-i", str(folder / "ru.ass")),
        *("-i", str(folder / "chapters.txt")),
        *("-map", "0", "-map", "1", "-map", "2", "-map_chapters", "3"),
        *("-c:v", "libx264", "-c:s:0", "srt", "-c:s:1", "ass"),
        *("-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English"),
        *("-metadata:s:s:1", "language=rus", "-output_ts_offset", "0.5"),
        str(out),
    )
    return out


def _pgs_segment(pts: int, kind: int, data: bytes) -> bytes:
    return b"PG" + struct.pack(">IIBH", pts, 0, kind, len(data)) + data


def make_bluray(folder: Path) -> Path:
    """A Matroska film with a Japanese Blu-ray PGS track (stream 1: pictures of text, one empty
    display set) and an English SubRip track (stream 2), and two chapters."""
    composition = struct.pack(">HHBHBBBB", 160, 120, 0x10, 0, 0x80, 0, 0, 0)
    sup = folder / "pictures.sup"
    sup.write_bytes(_pgs_segment(90_000, 0x16, composition) + _pgs_segment(90_000, 0x80, b""))
    (folder / "en.srt").write_text(SRT)
    (folder / "chapters.txt").write_text(CHAPTERS)
    film = folder / "bluray.mkv"
    ffmpeg(
        *VIDEO,
        *("-i", str(sup), "-i", str(folder / "en.srt"), "-i", str(folder / "chapters.txt")),
        *("-map", "0", "-map", "1", "-map", "2", "-map_chapters", "3"),
        *("-c:v", "libx264", "-c:s:0", "copy", "-c:s:1", "srt"),
        *("-metadata:s:s:0", "language=jpn", "-metadata:s:s:1", "language=eng"),
        str(film),
    )
    return film


def make_dvd(folder: Path) -> Path:
    """The film of :func:`make_bluray` with its picture track made DVD VobSub (stream 1)."""
    film = folder / "dvd.mkv"
    bluray = make_bluray(folder)
    ffmpeg("-i", str(bluray), "-map", "0:v", "-map", "0:1", "-c:v", "copy", "-c:s", "dvdsub",
           str(film))  # fmt: skip
    return film
