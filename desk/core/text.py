"""Text from outside made safe to store and show: no bidi controls, no control characters.

Project text travels between people (imported essays, bundles, web pages pasted into a note). A
right-to-left override (U+202E) or an isolate in such text reverses the text around it wherever it
is shown, and C0/C1 controls draw as boxes or vanish depending on the viewer. :func:`clean_text`
drops both and keeps what writing needs: newlines, tabs, and the implicit direction marks
(U+200E, U+200F, U+061C), which only steer neutral characters and cannot reverse a run of text.
"""

from __future__ import annotations

import re

#: Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): the bidi controls
#: that change the direction of the text that follows them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def clean_text(text: str) -> str:
    """``text`` without bidi embeddings, overrides, isolates and control characters.

    Newlines and tabs stay; a carriage return ends a line as a newline does.
    """
    if text.isprintable():  # the usual case: nothing to do, and cheap on long text
        return text
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
