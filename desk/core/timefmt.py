"""How desk prints film time in panels and the CLI.

``M:SS.mmm`` under an hour, ``H:MM:SS.mmm`` beyond.
"""

from __future__ import annotations

from desk.core.timecode import format_ms


def fmt_ms(ms: int) -> str:
    return format_ms(ms, "short_ms")
