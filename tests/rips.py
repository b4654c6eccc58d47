"""Films muxed by ffmpeg the way rips carry pictures, subtitles and chapters, for the tests of
probing and importing them: subtitle files written here, and a Blu-ray PGS track of a few bytes
of segments. Also films whose frame times are those of real footage: a phone's rate that drops
halfway, and B-frames in a film of constant rate."""

from __future__ import annotations

import struct
import subprocess
from fractions import Fraction
from pathlib import Path

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello there\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"
CHAPTERS = """;FFMETADATA1
[CHAPTER]
TIMEBASE=1/1000
START=0
END=2500
title=The car
[CHAPTER]
TIMEBASE=1/1000
START=2500
END=4000
title=The snow
"""


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


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


def make_rip(folder: Path, *, dvd: bool = False) -> Path:
    """A Matroska rip: an English SubRip track, an untitled Russian ASS track and two chapters
    (0–2.5 s and 2.5–4 s on its clock). By default a small film whose clock starts at 0.5 s, its
    subtitles streams 1 and 2; with ``dvd``, an NTSC DVD's 720×480 at 32:27 with sound, its video
    23 ms after the sound and its subtitles streams 2 and 3."""
    (folder / "en.srt").write_text(SRT)
    (folder / "ru.ass").write_text(ASS)
    (folder / "chapters.txt").write_text(CHAPTERS)
    if dvd:
        sources = ("-f", "lavfi", "-i", "testsrc=size=720x480:rate=30000/1001:d=4")
        sources += ("-f", "lavfi", "-i", "sine=d=4")
        shape = ("-aspect", "16:9", "-c:a", "aac")
    else:
        sources, shape = VIDEO, ()
    n = len(sources) // 4  # inputs before the subtitles
    out = folder / "rip.mkv"
    ffmpeg(
        *sources,
        *("-i", str(folder / "en.srt"), "-i", str(folder / "ru.ass")),
        *("-i", str(folder / "chapters.txt")),
        *(x for i in range(n + 2) for x in ("-map", str(i))),
        *("-map_chapters", str(n + 2)),
        *("-c:v", "libx264", *shape, "-c:s:0", "srt", "-c:s:1", "ass"),
        *("-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English"),
        *("-metadata:s:s:1", "language=rus", "-output_ts_offset", "0.023" if dvd else "0.5"),
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


def make_phone_vfr(folder: Path) -> Path:
    """A phone's variable rate: 600 numbered frames, the first 300 at 30 frames/s (10 s), the
    rest at 15 (20 s), as a phone records when the light fails."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-30fps.mp4", width=160, height=90, fps=Fraction(30), duration_s=20.0,
        keyframe_interval=60, audio=False,
    )  # fmt: skip
    out = folder / "phone.mp4"
    ffmpeg(
        *("-i", str(source), "-vf", "setpts='if(lt(N,300),N/30,10+(N-300)/15)/TB'"),
        *("-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "ultrafast"),
        *("-video_track_timescale", "90000", str(out)),
    )
    return out


def make_bframe_film(folder: Path, suffix: str) -> Path:
    """A constant 23.976 frames/s with three B-frames between references, numbered: 10 s in
    ``suffix``'s container (.mp4 or .mkv)."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-ntsc.mp4", width=160, height=90, fps=Fraction(24000, 1001),
        duration_s=10.0, keyframe_interval=48, audio=False,
    )  # fmt: skip
    out = folder / f"bframes{suffix}"
    ffmpeg("-i", str(source), "-c:v", "libx264", "-bf", "3", "-g", "48", str(out))
    return out


def make_hdr(folder: Path, transfer: str = "smpte2084") -> Path:
    """A numbered 10-bit HEVC film in BT.2020 with PQ (``smpte2084``) or HLG (``arib-std-b67``)
    light, SDR white at 203 nits as ITU-R BT.2408 places it, made by ffmpeg's zscale from desk's
    numbered SDR film (``numbered-hdr.mp4``, beside it, 12 frames)."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-hdr.mp4", width=320, height=180, fps=Fraction(24), duration_s=0.5,
        keyframe_interval=12, audio=False,
    )  # fmt: skip
    out = folder / f"hdr-{transfer}.mp4"
    light = f"zscale=t={transfer}:p=2020:m=2020_ncl:npl=203:tin=bt709:pin=709:min=709"
    ffmpeg(
        *("-i", str(source), "-vf", f"format=gbrpf32le,{light},format=yuv420p10le"),
        *("-c:v", "libx265", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le"),
        *("-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc"),
        str(out),
    )
    return out


def make_late_video(folder: Path) -> Path:
    """A WebM-style Matroska film whose sound starts at the container's start and whose video,
    numbered, 25 frames/s for 3 s, starts 23 ms later (as ffmpeg and mkvmerge often mux them)."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-25fps.mp4", width=160, height=90, fps=Fraction(25), duration_s=3.0,
        keyframe_interval=25, audio=False,
    )  # fmt: skip
    out = folder / "late-video.mkv"
    ffmpeg(
        *("-itsoffset", "0.023", "-i", str(source), "-f", "lavfi", "-i", "sine=d=3"),
        *("-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "flac", str(out)),
    )
    return out


def make_program_stream(folder: Path) -> Path:
    """An MPEG program stream as DVDs carry one: numbered MPEG-2 pictures, 25 frames/s for 3 s,
    with MP2 sound, on a clock that starts at 0.5 s or so."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-ps.mp4", width=160, height=96, fps=Fraction(25), duration_s=3.0,
        keyframe_interval=25, audio=False,
    )  # fmt: skip
    out = folder / "program.mpg"
    ffmpeg(
        *("-i", str(source), "-f", "lavfi", "-i", "sine=d=3", "-map", "0:v", "-map", "1:a"),
        *("-c:v", "mpeg2video", "-q:v", "2", "-g", "12", "-c:a", "mp2", str(out)),
    )
    return out


def make_two_sounds(folder: Path) -> Path:
    """A Matroska film with two English audio tracks, as a disc with a commentary carries them:
    the film's sound (a 440 Hz tone at -27 dBFS, stream 1) and a quieter commentary titled so
    (a 220 Hz tone at -51 dBFS, stream 2). Numbered pictures, 25 frames/s for 3 s."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-two-sounds.mp4", width=160, height=90, fps=Fraction(25),
        duration_s=3.0, keyframe_interval=25, audio=False,
    )  # fmt: skip
    out = folder / "two-sounds.mkv"
    ffmpeg(
        *("-i", str(source)),
        *("-f", "lavfi", "-i", "sine=frequency=440:d=3,volume=-9dB"),
        *("-f", "lavfi", "-i", "sine=frequency=220:d=3,volume=-33dB"),
        *("-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "copy", "-c:a", "flac"),
        *("-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=eng"),
        *("-metadata:s:a:1", "title=Commentary", str(out)),
    )
    return out


def make_transport_stream(folder: Path) -> Path:
    """An MPEG transport stream as broadcast recordings come: numbered H.264 pictures at
    24000/1001 frames/s with three B-frames between references and a keyframe every 48 frames,
    AAC sound, 4 s on a clock that starts at 1.4 s (ffmpeg's muxer delay)."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-ts.mp4", width=160, height=90, fps=Fraction(24000, 1001),
        duration_s=4.0, keyframe_interval=48,
    )  # fmt: skip
    out = folder / "broadcast.ts"
    ffmpeg("-i", str(source), "-c:v", "libx264", "-bf", "3", "-g", "48", "-c:a", "aac", str(out))
    return out


def make_pal_dvd(folder: Path, duration_s: float = 2.0, *, authored: bool = False) -> Path:
    """A PAL DVD's VOB: numbered MPEG-2 pictures stored 720×576 at a sample aspect ratio of 64:45
    (a 16:9 picture), 25 frames/s for ``duration_s`` (2 s), with MP2 sound. ``authored``: as a
    DVD's own VOB is, with its navigation packets and two B-frames between reference pictures."""
    from desk.media.synth import render_film

    source = render_film(
        folder / "numbered-pal.mp4", width=320, height=180, fps=Fraction(25),
        duration_s=duration_s, keyframe_interval=12,
    )  # fmt: skip
    out = folder / "pal.vob"
    ffmpeg(
        *("-i", str(source), "-vf", "scale=720:576,setsar=64/45", "-c:v", "mpeg2video"),
        *("-q:v", "2", "-g", "12", "-c:a", "mp2"),
        *(("-bf", "2", "-f", "dvd") if authored else ("-f", "vob")),
        str(out),
    )
    return out


def make_interlaced(folder: Path) -> Path:
    """Interlaced MPEG-2 as DVDs and broadcasts carry it: 50 moments a second woven in pairs
    into 25 frames (top field first), 720×576 at 64:45, for 2 s."""
    out = folder / "interlaced.mpg"
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=720x576:rate=50:d=2"),
        *("-vf", "tinterlace=interleave_top,fieldorder=tff,setsar=64/45,format=yuv420p"),
        *("-c:v", "mpeg2video", "-flags", "+ilme+ildct", "-top", "1", "-q:v", "2", str(out)),
    )
    return out


def make_full_rip(folder: Path) -> Path:
    """A Matroska rip carrying all a disc gives: numbered pictures (25 frames/s, 4 s), the film's
    English sound (stream 1) and a commentary (stream 2), an English SubRip track (stream 3), an
    untitled Russian ASS track (stream 4) and two chapters (0–2.5 s, 2.5–4 s)."""
    from desk.media.synth import render_film

    (folder / "en.srt").write_text(SRT)
    (folder / "ru.ass").write_text(ASS)
    (folder / "chapters.txt").write_text(CHAPTERS)
    source = render_film(
        folder / "numbered-full.mp4", width=160, height=90, fps=Fraction(25), duration_s=4.0,
        keyframe_interval=25,
    )  # fmt: skip
    out = folder / "full-rip.mkv"
    ffmpeg(
        *("-i", str(source), "-f", "lavfi", "-i", "sine=frequency=220:d=4,volume=-20dB"),
        *("-i", str(folder / "en.srt"), "-i", str(folder / "ru.ass")),
        *("-i", str(folder / "chapters.txt"), "-map", "0:v", "-map", "0:a", "-map", "1:a"),
        *("-map", "2", "-map", "3", "-map_chapters", "4", "-c:v", "copy", "-c:a", "aac"),
        *("-c:s:0", "srt", "-c:s:1", "ass", "-metadata:s:a:0", "language=eng"),
        *("-metadata:s:a:1", "language=eng", "-metadata:s:a:1", "title=Commentary"),
        *("-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=rus", str(out)),
    )
    return out
