"""The report's ReportLab document: page templates, contents and outline, progress and cancel.

The document is laid out in one pass, whatever its length: the contents' page numbers are PDF forms
written at the end (:mod:`desk.export.report.contents`), the index is made from the pages its marks
recorded on the way, and :class:`~desk.export.report.flowables.Batch` placeholders are turned into
their flowables only when the layout reaches them, so the story never holds a large report whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from desk import __version__
from desk.errors import Cancelled
from desk.export.report.contents import Contents
from desk.export.report.context import Heading
from desk.export.report.flowables import Batch, page_anchor
from desk.export.report.styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PageFurniture


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
        self._steps, self._reported = 1, 0.0
        self._pages: dict[str, int] = {}

    # -- contents, outline and links -----------------------------------------------------
    def beforePage(self) -> None:
        self.canv.bookmarkPage(page_anchor(self.page))  # where the index's links go

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self._pages[flowable.toc_key] = self.page
            self.canv.addOutlineEntry(
                flowable.plain, flowable.toc_key, level=flowable.toc_level, closed=True
            )

    def build_report(self, story: list[Flowable], contents: Contents | None = None) -> int:
        """Lay out and write the story in one pass; returns the number of pages."""
        self._steps = max(1, len(story))
        for step, flowable in enumerate(story):
            flowable._desk_step = step
        # Binary streams: JPEG stills go in as they are, not inflated by ASCII85 in pure Python.
        ascii85, rl_config.useA85 = rl_config.useA85, 0
        self._doSave = 0  # the contents' page numbers are written before saving
        try:
            self.build(list(story))
            if contents is not None:
                contents.write_pages(self.canv, self._pages)
            self.canv.save()
        finally:
            rl_config.useA85 = ascii85
        return int(self.page)

    def filterFlowables(self, flowables: list[Flowable | None]) -> None:
        """Make the batch at the front of the story when the layout reaches it; report progress."""
        if self._cancel_fn is not None and self._cancel_fn():
            raise Cancelled()
        while flowables and isinstance(flowables[0], Batch):
            flowables[0:1] = flowables[0].make()
        if not flowables:
            flowables.append(None)  # the document skips it: an empty batch ended the story
            return
        step = getattr(flowables[0], "_desk_step", None)
        if step is not None:
            self._on_step(step)

    # -- progress and cancel -------------------------------------------------------------
    def _on_step(self, step: int) -> None:
        done = min(0.99, step / self._steps)
        if self._progress_fn is not None and done - self._reported >= 0.01:
            self._reported = done
            self._progress_fn(done)
