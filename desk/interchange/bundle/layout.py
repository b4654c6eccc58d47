"""What a desk bundle holds and how large it may be: the member names, the limits a received
bundle is held to, and the names and sizes that both writing and reading check or show."""

from __future__ import annotations

import re

FORMAT = "desk-bundle"
#: The bundle layout this desk writes, and the newest it reads.
BUNDLE_VERSION = 1
MANIFEST = "manifest.json"
PROJECT = "project.desk"
CLIPS = "clips/"
CLIP_SUFFIX = ".mp4"

MAX_MANIFEST_BYTES = 64 * 1024
MAX_PROJECT_BYTES = 1024 * 2**20
MAX_CLIP_BYTES = 4 * 2**30
MAX_TOTAL_BYTES = 16 * 2**30
MAX_MEMBERS = 1000
#: A member (and the bundle as a whole) larger than :data:`RATIO_FLOOR` may unpack to at most this
#: many times its packed size (a project file packs about 12:1, a clip about 1:1; a zip bomb over
#: 1000:1).
MAX_RATIO = 250
RATIO_FLOOR = 2**20
#: How long unpacking, checking and upgrading a received project may take before it is refused
#: (a 1 GB project takes well under a minute); a crafted file must not hang desk.
MAX_OPEN_SECONDS = 120.0

_SAFE_CLIP_NAME = re.compile(r"[^/\\:\x00-\x1f\x7f]{1,200}")


def _size(n: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def _clip_name_ok(name: str) -> bool:
    return (
        _SAFE_CLIP_NAME.fullmatch(name) is not None
        and name.isprintable()
        and not name.startswith(".")
        and name.lower().endswith(CLIP_SUFFIX)
    )
