"""Project text in places Qt reads as rich text (tooltips): escaped, so it shows as written and
loads nothing."""

from __future__ import annotations

import html


def tooltip_html(text: str) -> str:
    """Plain text as safe rich text for a tooltip (project text is untrusted)."""
    return "<p style='white-space:pre'>" + html.escape(text).replace("\n", "<br>") + "</p>"
