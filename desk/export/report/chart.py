"""A scene's emotional arc as vector graphics: valence and intensity per character over its beats.

:func:`arc_drawing` builds one ReportLab :class:`~reportlab.graphics.shapes.Drawing`; the same
drawing goes into the PDF report as a flowable and out as SVG or PNG
(:mod:`desk.export.chart_files`).
Each character is a line in its own colour: a thick stroke for the span of each beat, a thin one
between beats; each beat starts with a dot in its emotion's colour and its number in the beat table.
Names and titles are drawn with the report's font fallback (:func:`label`), so a character called
אני, 花子 or 🦊 is not a row of boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from desk.core.text import clean_text
from desk.core.timecode import format_ms
from desk.export.pdf_fonts import FontSet, register_fonts
from desk.export.pdf_text import runs, runs_width, visual
from desk.export.report.data import BeatItem, CharacterItem, SceneItem

GRID = colors.Color(0.82, 0.82, 0.82)
AXIS = colors.Color(0.35, 0.35, 0.35)
INK = colors.Color(0.15, 0.15, 0.15)
NOBODY = CharacterItem(0, "(no character)", "#777777")
#: Candidate spacings of the time axis ticks, in ms.
TICK_STEPS_MS = (500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000)


def label_width(text: str, font: str, size: float) -> float:
    """How wide :func:`label` draws ``text``."""
    return runs_width(visual(clean_text(text).replace("\n", " ")), font, size)


def label(
    x: float,
    y: float,
    text: str,
    *,
    font: str,
    size: float,
    color: colors.Color = INK,
    anchor: str = "start",
) -> Group:
    """Project text (a name, a title) drawn at (x, y) as the report prints text: cleaned, in
    display order, each run of characters in a font that has them (a drawing's ``String`` has
    one font, so Hebrew, Japanese or emoji in it would print as boxes)."""
    shown = visual(clean_text(text).replace("\n", " "))
    parts = [(name or font, part) for name, part in runs(shown)]
    width = sum(stringWidth(part, name, size) for name, part in parts)
    at = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    group = Group()
    for name, part in parts:
        group.add(String(at, y, part, fontName=name, fontSize=size, fillColor=color))
        at += stringWidth(part, name, size)
    return group


def parse_color(text: str, default: str = "#777777") -> colors.Color:
    """A colour from untrusted text (``#rrggbb``), or the default."""
    try:
        return colors.HexColor(text.strip())
    except (ValueError, TypeError, AttributeError):
        return colors.HexColor(default)


@dataclass(frozen=True)
class Panel:
    """One plot area: its rectangle in drawing units and the value range it shows."""

    x: float
    y: float
    w: float
    h: float
    low: float
    high: float
    start_ms: int
    end_ms: int

    def px(self, ms: float) -> float:
        span = max(1, self.end_ms - self.start_ms)
        return self.x + self.w * (min(max(ms, self.start_ms), self.end_ms) - self.start_ms) / span

    def py(self, value: float) -> float:
        clamped = min(max(value, self.low), self.high)
        return self.y + self.h * (clamped - self.low) / (self.high - self.low)


def tick_times(start_ms: int, end_ms: int, most: int = 8) -> list[int]:
    """Round times across ``[start_ms, end_ms]`` at the finest spacing giving ≤ ``most`` ticks."""
    span = max(1, end_ms - start_ms)
    step = next((s for s in TICK_STEPS_MS if span / s <= most), None)
    if step is None:
        step = -(-span // most // 600_000) * 600_000
    first = -(-start_ms // step) * step
    return list(range(first, end_ms + 1, step))


def series(scene: SceneItem) -> list[tuple[CharacterItem, list[BeatItem]]]:
    """Each character's beats in the scene in time order (characters in first-appearance order)."""
    out: dict[int, tuple[CharacterItem, list[BeatItem]]] = {}
    for beat in scene.beats:
        for character in beat.characters or [NOBODY]:
            out.setdefault(character.id, (character, []))[1].append(beat)
    return list(out.values())


def arc_drawing(
    scene: SceneItem,
    *,
    width: float = 480,
    height: float = 300,
    title: str | None = None,
    fonts: FontSet | None = None,
) -> Drawing:
    """The scene's arc at ``width`` × ``height`` points, with an optional title line."""
    fonts = fonts or register_fonts()
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    top = height - 4
    if title:
        drawing.add(label(4, top - 11, title, font=fonts.sans_bold, size=10))
        top -= 18
    lines = series(scene)
    top = _legend(drawing, lines, top, width, fonts)
    left, bottom, gap = 40.0, 24.0, 12.0
    plot_h = top - bottom - gap
    valence = Panel(
        left,
        bottom + plot_h * 0.42 + gap,
        width - left - 8,
        plot_h * 0.58,
        -1,
        1,
        scene.start_ms,
        scene.end_ms,
    )
    intensity = Panel(
        left, bottom, width - left - 8, plot_h * 0.42, 0, 1, scene.start_ms, scene.end_ms
    )
    _frame(drawing, valence, "valence", [(-1, "−1"), (0, "0"), (1, "+1")], fonts)
    _frame(drawing, intensity, "intensity", [(0, "0"), (0.5, "0.5"), (1, "1")], fonts)
    _time_axis(drawing, intensity, fonts)
    if not lines:
        drawing.add(
            String(
                valence.x + valence.w / 2,
                valence.y + valence.h / 2 - 4,
                "No beats in this scene",
                fontName=fonts.sans,
                fontSize=9,
                fillColor=AXIS,
                textAnchor="middle",
            )
        )
    for character, beats in lines:
        drawing.add(_line(valence, character, beats, lambda b: b.valence))
        drawing.add(_line(intensity, character, beats, lambda b: b.intensity))
    drawing.add(_markers(valence, scene.beats, lambda b: b.valence, fonts))
    drawing.add(_markers(intensity, scene.beats, lambda b: b.intensity, fonts))
    return drawing


def _legend(
    drawing: Drawing,
    lines: Sequence[tuple[CharacterItem, list[BeatItem]]],
    top: float,
    width: float,
    fonts: FontSet,
) -> float:
    """Character names with their line colour, flowing across rows; returns the y below it."""
    x, y = 40.0, top - 10
    for character, _beats in lines:
        label_w = label_width(character.name, fonts.sans, 8)
        if x + 22 + label_w > width - 8 and x > 40:
            x, y = 40.0, y - 12
        color = parse_color(character.color)
        drawing.add(Line(x, y + 3, x + 16, y + 3, strokeColor=color, strokeWidth=3))
        drawing.add(label(x + 20, y, character.name, font=fonts.sans, size=8))
        x += 20 + label_w + 14
    return y - 8


def _frame(
    drawing: Drawing, panel: Panel, name: str, ticks: list[tuple[float, str]], fonts: FontSet
) -> None:
    drawing.add(
        Rect(panel.x, panel.y, panel.w, panel.h, fillColor=None, strokeColor=GRID, strokeWidth=0.6)
    )
    for value, label in ticks:
        y = panel.py(value)
        strong = value == 0 and panel.low < 0
        drawing.add(
            Line(
                panel.x,
                y,
                panel.x + panel.w,
                y,
                strokeColor=AXIS if strong else GRID,
                strokeWidth=0.6 if strong else 0.4,
            )
        )
        drawing.add(
            String(
                panel.x - 4,
                y - 2.5,
                label,
                fontName=fonts.sans,
                fontSize=7,
                fillColor=AXIS,
                textAnchor="end",
            )
        )
    drawing.add(
        String(
            panel.x + 3,
            panel.y + panel.h - 9,
            name,
            fontName=fonts.sans_bold,
            fontSize=7,
            fillColor=AXIS,
        )
    )


def _time_axis(drawing: Drawing, panel: Panel, fonts: FontSet) -> None:
    for ms in tick_times(panel.start_ms, panel.end_ms):
        x = panel.px(ms)
        drawing.add(Line(x, panel.y, x, panel.y - 3, strokeColor=AXIS, strokeWidth=0.6))
        drawing.add(
            String(
                x,
                panel.y - 12,
                format_ms(ms, "short"),
                fontName=fonts.sans,
                fontSize=7,
                fillColor=AXIS,
                textAnchor="middle",
            )
        )


def _line(
    panel: Panel,
    character: CharacterItem,
    beats: list[BeatItem],
    value: Callable[[BeatItem], float],
) -> Group:
    """One character's line in one panel; ``value`` picks the beat's number to plot."""
    color = parse_color(character.color)
    group = Group()
    points: list[float] = []
    for beat in beats:
        y = panel.py(value(beat))
        points += [panel.px(beat.start_ms), y, panel.px(beat.end_ms), y]
    if len(points) > 2:
        group.add(
            PolyLine(points, strokeColor=color, fillColor=None, strokeWidth=1, strokeLineJoin=1)
        )
    for beat in beats:
        y = panel.py(value(beat))
        x0, x1 = panel.px(beat.start_ms), panel.px(beat.end_ms)
        if x1 > x0:
            group.add(Line(x0, y, x1, y, strokeColor=color, strokeWidth=3.5, strokeLineCap=1))
    return group


def _markers(
    panel: Panel, beats: list[BeatItem], value: Callable[[BeatItem], float], fonts: FontSet
) -> Group:
    """A dot in the emotion's colour at the start of each beat, with the beat's number."""
    group = Group()
    for beat in beats:
        x, y = panel.px(beat.start_ms), panel.py(value(beat))
        dot = parse_color(beat.emotion_color)
        group.add(Circle(x, y, 3.2, fillColor=dot, strokeColor=colors.white, strokeWidth=0.8))
        label = String(x, y + 5, str(beat.number), fontName=fonts.sans, fontSize=6, fillColor=INK)
        label.textAnchor = "middle"
        group.add(label)
    return group
