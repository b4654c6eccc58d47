"""What every section of a report shares: the data, the styles, the stills and the headings.

Sections ask the context for a still at a film time (:meth:`ReportContext.still`), for timecodes
(:meth:`ReportContext.span`) and for headings that enter the table of contents and the PDF outline.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, Paragraph

from desk.core.text import clean_text
from desk.core.timecode import format_ms
from desk.export.report.data import ReportData, SceneItem, Span
from desk.export.report.flowables import Cited, IndexEntry, IndexMark, StillImage
from desk.export.report.plan import StillPlan
from desk.export.report.styles import Styles, esc
from desk.export.stills import Still

if TYPE_CHECKING:
    from desk.export.report.contents import Contents


def timecode(ms: int) -> str:
    """How a report prints a time: ``M:SS.mmm`` (``H:MM:SS.mmm`` from an hour on)."""
    return format_ms(ms, "short_ms")


def span_text(start_ms: int, end_ms: int) -> str:
    return timecode(start_ms) if end_ms == start_ms else f"{timecode(start_ms)}–{timecode(end_ms)}"


#: Longest heading text the contents and the outline show (a contents entry cannot break).
TOC_CHARS = 200


class Heading(Paragraph):
    """A section heading: an entry in the table of contents and the PDF outline."""

    def __init__(self, text: str, style: object, level: int, key: str) -> None:
        self.plain = heading_text(text)
        super().__init__(f'<a name="{key}"/>{esc(self.plain)}', style)
        self.toc_level, self.toc_key = level, key


def heading_text(text: str) -> str:
    """A heading as printed: one line of cleaned text, cut at :data:`TOC_CHARS` (a heading, its
    contents entry and its outline entry never break across pages)."""
    text = clean_text(text).replace("\n", " ")
    if len(text) <= TOC_CHARS:
        return text
    return text[:TOC_CHARS].rsplit(" ", 1)[0] + " …"


@dataclass
class ReportContext:
    """The state shared by the section builders while the story is assembled."""

    data: ReportData
    styles: Styles
    frame_width: float
    frame_height: float
    #: Still at each film time, or None with the reason in :attr:`missing`.
    stills: dict[int, Still | None] = field(default_factory=dict)
    missing: dict[int, str] = field(default_factory=dict)
    aspect: float = 9 / 16
    #: The film time of the still on the cover, if any.
    cover_ms: int | None = None
    #: The scene a report is limited to, or None for the whole project.
    scene: SceneItem | None = None
    #: How many items of each section show their stills.
    plan: StillPlan = field(default_factory=lambda: StillPlan(0, 0, 0, 0))
    #: The table of contents, once the story has one.
    contents: Contents | None = None
    headings: list[Heading] = field(default_factory=list)
    #: Each cited time with the page it is printed on, as the layout goes.
    cited: Cited = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def heading(self, text: str, level: int = 0, style: object | None = None) -> Heading:
        style = style or (self.styles.h1 if level == 0 else self.styles.h2)
        made = Heading(text, style, level, f"sec-{next(self._ids)}")
        self.headings.append(made)
        return made

    def still(self, film_ms: int, width: float) -> StillImage:
        found = self.stills.get(film_ms)
        reason = self.missing.get(film_ms, "no still")
        return StillImage(found, width, self.aspect, reason, self.styles)

    def frame_label(self, film_ms: int) -> str:
        found = self.stills.get(film_ms)
        return f"frame {found.index}" if found is not None else ""

    def mark(self, cited: Iterable[tuple[Span, str]]) -> Flowable:
        """An invisible index mark for the times cited right after it."""
        return IndexMark(
            [IndexEntry(s.start_ms, s.end_ms, label) for s, label in cited], self.cited
        )

    def para(self, markup: str, style: object | None = None) -> Paragraph:
        """A paragraph from markup the caller has built with :func:`esc` around project text."""
        return Paragraph(markup, style or self.styles.body)
