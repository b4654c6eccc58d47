"""XSPF playlists of a lecture's clips: of the exported files, or over the film itself.

The playlist written beside exported clips (:func:`files_playlist_xml`) plays those files in
lecture order; each location is the file's name relative to the playlist, so the folder plays the
same when it is copied to a USB stick or another machine.

The playlist over the film (:func:`playlist_xml`, only when asked) points every track at the film
copy (a ``file:`` URI) with VLC's ``start-time`` and ``stop-time`` options in seconds of the copy's
own time, handles included, so nothing is copied. VLC starts a range at the frame its seek lands
on, which may be a frame or two from the cut; the exported MP4 files are the frame-exact version.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

from desk.core.files import write_atomically
from desk.export.lecture import Lecture, checked_film

XSPF_NS = "http://xspf.org/ns/0/"
VLC_NS = "http://www.videolan.org/vlc/playlist/ns/0/"
VLC_APP = "http://www.videolan.org/vlc/playlist/0"


def _seconds(ms: int) -> str:
    return f"{max(0, ms) / 1000:.3f}"


def playlist_xml(lecture: Lecture) -> bytes:
    """The XSPF document of a lecture's clips, as UTF-8 bytes."""
    ET.register_namespace("", XSPF_NS)
    ET.register_namespace("vlc", VLC_NS)
    film_uri = checked_film(lecture).resolve().as_uri()
    time_map = lecture.time_map()
    root = ET.Element(f"{{{XSPF_NS}}}playlist", {"version": "1"})
    ET.SubElement(root, f"{{{XSPF_NS}}}title").text = lecture.name
    tracks = ET.SubElement(root, f"{{{XSPF_NS}}}trackList")
    for track_id, clip in enumerate(lecture.clips):
        start, stop = time_map.to_copy(clip.from_ms), time_map.to_copy(clip.to_ms)
        track = ET.SubElement(tracks, f"{{{XSPF_NS}}}track")
        ET.SubElement(track, f"{{{XSPF_NS}}}location").text = film_uri
        title = f"{clip.number}. {clip.title}" if clip.title else f"Clip {clip.number}"
        ET.SubElement(track, f"{{{XSPF_NS}}}title").text = title
        if clip.caption:
            ET.SubElement(track, f"{{{XSPF_NS}}}annotation").text = clip.caption
        ET.SubElement(track, f"{{{XSPF_NS}}}duration").text = str(max(0, stop - start))
        extension = ET.SubElement(track, f"{{{XSPF_NS}}}extension", {"application": VLC_APP})
        ET.SubElement(extension, f"{{{VLC_NS}}}id").text = str(track_id)
        for option in (f"start-time={_seconds(start)}", f"stop-time={_seconds(stop)}"):
            ET.SubElement(extension, f"{{{VLC_NS}}}option").text = option
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_playlist(lecture: Lecture, target: Path) -> Path:
    """Write the lecture's playlist over the film to ``target`` (atomically)."""
    write_atomically(target, playlist_xml(lecture))
    return target


def files_playlist_xml(lecture: Lecture, files: Sequence[Path]) -> bytes:
    """The XSPF document that plays ``files`` (the lecture's exported clips, in lecture order)."""
    ET.register_namespace("", XSPF_NS)
    root = ET.Element(f"{{{XSPF_NS}}}playlist", {"version": "1"})
    ET.SubElement(root, f"{{{XSPF_NS}}}title").text = lecture.name
    tracks = ET.SubElement(root, f"{{{XSPF_NS}}}trackList")
    for clip, path in zip(lecture.clips, files, strict=True):
        track = ET.SubElement(tracks, f"{{{XSPF_NS}}}track")
        ET.SubElement(track, f"{{{XSPF_NS}}}location").text = quote(path.name)
        title = f"{clip.number}. {clip.title}" if clip.title else f"Clip {clip.number}"
        ET.SubElement(track, f"{{{XSPF_NS}}}title").text = title
        if clip.caption:
            ET.SubElement(track, f"{{{XSPF_NS}}}annotation").text = clip.caption
        ET.SubElement(track, f"{{{XSPF_NS}}}duration").text = str(clip.to_ms - clip.from_ms)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_files_playlist(lecture: Lecture, files: Sequence[Path], target: Path) -> Path:
    """Write the playlist of the exported ``files`` to ``target``, beside them (atomically)."""
    write_atomically(target, files_playlist_xml(lecture, files))
    return target
