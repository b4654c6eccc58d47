"""Reference lanes: one read-only lane per reference tier (a film's dialogue, imported from a
subtitle or ELAN file), between the context lanes and the beats.

A lane paints its cues as ranges with ``Speaker: text`` where there is room, reads them whole in a
tooltip, and sends the player to a cue's start when it is clicked (or to the frame clicked where
there is no cue). Cues are evidence from elsewhere: nothing here edits them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter

from desk.core.timefmt import fmt_ms
from desk.store.project import Project
from desk.ui.plain_text import tooltip_html
from desk.ui.timeline import model
from desk.ui.timeline.plots import REFERENCE_ROW, TimelinePlots
from desk.ui.timeline.strips import (
    DeviceMap,
    LaneItem,
    SpanStyle,
    guarded,
    paint_spans,
    rgba,
    visible,
)

#: Cues with a speaker, and cues without one (sounds, captions), as filled.
SPOKEN_COLOR = "#5b6b8c"
UNSPOKEN_COLOR = "#464e5e"
#: How far (px) from a cue a click or the pointer still finds it.
GRAB_PX = 3
#: At most this many cues under the pointer are read in the tooltip.
TOOLTIP_CUES = 4


class CueLaneItem(LaneItem):
    """Every cue of one reference tier, between ``top`` and ``top + height`` in view units."""

    #: (film ms of the cue's start) when a cue is clicked.
    cue_clicked = Signal(int)
    #: (film ms) on a click between cues.
    clicked_empty = Signal(float)

    def __init__(self, tier: model.TierCues, top: float, height: float, duration_ms: int) -> None:
        super().__init__()
        self.top, self.height, self.duration_ms = top, height, duration_ms
        self.style = SpanStyle(QColor(16, 18, 24, 220), QColor("#ffd54a"), moment_heads=False)
        self.tier = tier
        self.colors = np.zeros((0, 4), dtype=np.uint8)
        self.labels: list[str] = []
        self.longest = 0
        self.setAcceptHoverEvents(True)
        self.set_tier(tier)

    def set_tier(self, tier: model.TierCues) -> None:
        self.tier = tier
        palette = rgba([SPOKEN_COLOR, UNSPOKEN_COLOR], alpha=255)
        spoken = np.array([bool(s) for s in tier.speakers], dtype=bool)
        self.colors = palette[np.where(spoken, 0, 1)] if len(tier) else palette[:0]
        self.labels = [tier.line(k) for k in range(len(tier))]
        self.longest = int((tier.ends - tier.starts).max()) if len(tier) else 0
        self.update()

    def set_duration(self, duration_ms: int) -> None:
        self.prepareGeometryChange()
        self.duration_ms = duration_ms
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, self.top, max(self.duration_ms, 1), self.height)

    @guarded
    def paint(self, painter: QPainter, *args: Any) -> None:
        view = self.getViewBox()
        if view is None or not len(self.tier):
            return
        low, high = view.viewRange()[0]
        dm = DeviceMap.take(painter, low, high)
        y0, y1 = dm.y(self.top + 0.1 * self.height), dm.y(self.top + 0.9 * self.height)
        top, height = min(y0, y1), abs(y1 - y0)
        t = self.tier
        index = visible(t.starts, t.ends, self.longest, low, high)
        paint_spans(
            painter, dm, index, t.starts, t.ends, self.colors, self.labels, top, height, self.style
        )

    # -- what is under the pointer -----------------------------------------------------------
    def rows_at(self, x_ms: float, ms_per_px: float | None = None) -> np.ndarray:
        """Rows of the cues at ``x_ms`` (the latest-starting last), within a few pixels."""
        if ms_per_px is None:
            view = self.getViewBox()
            ms_per_px = float(view.viewPixelSize()[0]) if view is not None else 1.0
        grab = GRAB_PX * ms_per_px
        t = self.tier
        return visible(t.starts, t.ends, self.longest, x_ms - grab, x_ms + grab)

    def describe(self, rows: np.ndarray) -> str:
        """The cues of ``rows`` in plain lines, for a tooltip."""
        t = self.tier
        parts = [t.name + (f" ({t.language})" if t.language else "")]
        for row in rows[-TOOLTIP_CUES:]:
            start, end = int(t.starts[row]), int(t.ends[row])
            span = fmt_ms(start) + (f" – {fmt_ms(end)}" if end > start else "")
            who = f"{t.speakers[row]}: " if t.speakers[row] else ""
            parts.append(f"{span}\n{who}{t.texts[row]}")
        if len(rows) > TOOLTIP_CUES:
            parts.append(f"… and {len(rows) - TOOLTIP_CUES} more")
        return "\n\n".join(parts)

    def hoverEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.isExit():
            self.setToolTip("")
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        ev.acceptClicks(Qt.MouseButton.LeftButton)
        rows = self.rows_at(ev.pos().x())
        if not len(rows):
            self.setToolTip("")
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        self.setToolTip(tooltip_html(self.describe(rows)))
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseClickEvent(self, ev: Any) -> None:  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        ev.accept()
        x_ms = float(ev.pos().x())
        rows = self.rows_at(x_ms)
        if len(rows):
            self.cue_clicked.emit(int(self.tier.starts[rows[-1]]))
        else:
            self.clicked_empty.emit(max(0.0, x_ms))


class ReferenceLanes(QObject):
    """The reference lanes of one timeline, read again whenever the tiers or cues change."""

    #: (film ms) when a lane asks the player to go somewhere.
    seek_requested = Signal(int)

    def __init__(self, plots: TimelinePlots, film: model.Film, parent: QObject | None = None):
        super().__init__(parent)
        self.plots, self.film = plots, film
        self.tiers: list[model.TierCues] = []
        self.items: list[CueLaneItem] = []

    def reload(self, project: Project) -> bool:
        """Read the tiers again; True when the number of lanes changed (the rows below move)."""
        tiers = model.load_tiers(project)
        changed = len(tiers) != len(self.items)
        while len(self.items) > len(tiers):
            self.plots.lanes.removeItem(self.items.pop())
        for number, tier in enumerate(tiers):
            if number < len(self.items):
                self.items[number].set_tier(tier)
                continue
            item = CueLaneItem(
                tier, self.plots.reference_row_top(number), REFERENCE_ROW, self.film.duration_ms
            )
            item.cue_clicked.connect(self.seek_requested)
            item.clicked_empty.connect(lambda ms: self.seek_requested.emit(self.film.snap_ms(ms)))
            self.plots.lanes.addItem(item)
            self.items.append(item)
        self.tiers = tiers
        self.plots.set_reference_names([tier.name for tier in tiers])
        return changed

    def set_film(self, film: model.Film) -> None:
        self.film = film
        for item in self.items:
            item.set_duration(film.duration_ms)
