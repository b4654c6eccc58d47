"""The report's ReportLab document: page templates, contents and outline, progress and cancel.

The document is built in as few passes as the table of contents allows: its entries are known in
advance (without page numbers), so the first pass already lays out a contents page of the right
length and the second pass fills in the page numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from desk import __version__
from desk.errors import Cancelled
from desk.export.report_context import Heading
from desk.export.report_styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PageFurniture, esc

#: Passes a report normally takes (the progress estimate; more are allowed).
EXPECTED_PASSES = 2


class ReportDoc(BaseDocTemplate):
    """A cover page without furniture, then body pages with the running header and page number."""

    def __init__(
        self,
        filename: Path,
        *,
        pagesize: tuple[float, float],
        furniture: PageFurniture,
        invariant: bool,
        meta: dict[str, str],
        progress: Callable[[float], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(
            str(filename),
            pagesize=pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            invariant=1 if invariant else 0,
            creator=f"desk {__version__}",
            initialFontName=furniture.fonts.sans,
            lang="en",
            **meta,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], autoNextPageTemplate="body"),
                PageTemplate("body", [frame], onPage=furniture),
            ]
        )
        self._progress_fn, self._cancel_fn = progress, cancel
        self._pass, self._total, self._reported = 0, 1, 0.0
        self.setProgressCallBack(self._on_progress)

    # -- contents and outline ------------------------------------------------------------
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            entry = (flowable.toc_level, esc(flowable.plain), self.page, flowable.toc_key)
            self.notify("TOCEntry", entry)
            self.canv.addOutlineEntry(
                flowable.plain, flowable.toc_key, level=flowable.toc_level, closed=True
            )

    def build_report(
        self, story: list[Flowable], toc: TableOfContents, headings: Sequence[Heading]
    ) -> int:
        """Lay out and write the story; returns the number of pages."""
        toc.addEntries((h.toc_level, esc(h.plain), 0, h.toc_key) for h in headings)
        # Binary streams: JPEG stills go in as they are, not inflated by ASCII85 in pure Python.
        ascii85, rl_config.useA85 = rl_config.useA85, 0
        try:
            self.multiBuild(story)
        finally:
            rl_config.useA85 = ascii85
        return int(self.page)

    # -- progress and cancel -------------------------------------------------------------
    def _on_progress(self, kind: str, value: Any) -> None:
        if self._cancel_fn is not None and self._cancel_fn():
            raise Cancelled()
        if kind == "PASS":
            self._pass = int(value)
        elif kind == "SIZE_EST":
            self._total = max(1, int(value))
        elif kind == "PROGRESS" and self._progress_fn is not None:
            done = (self._pass - 1 + int(value) / self._total) / EXPECTED_PASSES
            done = min(0.99, max(self._reported, done))
            if done - self._reported >= 0.01:
                self._reported = done
                self._progress_fn(done)
