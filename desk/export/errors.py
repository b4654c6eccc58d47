"""The errors a report or chart export can raise because of the user's input or machine."""

from __future__ import annotations

from desk.errors import ExportError

__all__ = ["ExportError", "FontsMissing"]


class FontsMissing(ExportError):
    """No TrueType font covering Latin, Cyrillic and Armenian text was found."""
