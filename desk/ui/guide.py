"""Help → User guide: the README's "Using it", as a page in the window.

The page is ``resources/guide.md``, shipped with desk (a wheel and the one-folder app carry it; a
test keeps it the same as the README's section). It is desk's own text, shown with Qt's Markdown
reader; its links open in the desktop's browser, and nothing else is loaded.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from desk.errors import KnownError
from desk.paths import resource

GUIDE = "guide.md"


def guide_text() -> str:
    """The user guide's Markdown, or a sentence saying it is missing from this installation."""
    try:
        return resource(GUIDE).read_text(encoding="utf-8")
    except (KnownError, OSError) as exc:
        return f"The user guide is missing from this installation ({exc}); reinstall desk."


class GuideWindow(QDialog):
    """The user guide in a window of its own, beside the main one (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("desk — user guide")
        self.resize(820, 760)
        self.page = QTextBrowser()
        self.page.setOpenExternalLinks(True)
        self.page.setMarkdown(guide_text())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)
