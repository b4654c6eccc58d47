"""The visual parts of a report: the emotional arc with its beat table, the still boards of the
scenes, and the index of every timecode.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desk.export.pdf_text import text_flowables
from desk.export.report.chart import arc_drawing, parse_color
from desk.export.report.context import ReportContext, span_text, timecode
from desk.export.report.data import BeatItem, SceneItem, Span
from desk.export.report.flowables import Batch, batches
from desk.export.report.index import index_rows
from desk.export.report.plan import board_times, stop_text
from desk.export.report.sections import CELL_CHARS, excerpt
from desk.export.report.styles import RULE, esc, hexcolor

BOARD_COLUMNS = 4
BEAT_STILL = 66.0
#: Beats per table (a table is laid out whole before it splits across pages).
BEAT_ROWS = 40


# -- emotional arc ----------------------------------------------------------------------------
def arc(ctx: ReportContext, scene: SceneItem | None) -> list[Flowable]:
    if scene is None:
        return []
    out: list[Flowable] = [PageBreak(), ctx.heading(f"Emotional arc: {scene.name}")]
    out += text_flowables(
        f"{span_text(scene.start_ms, scene.end_ms)}. {scene.description}",
        ctx.styles.small,
        ctx.frame_width,
    )
    out.append(Spacer(1, 8))
    out.append(
        arc_drawing(
            scene, width=ctx.frame_width, height=ctx.frame_width * 0.56, fonts=ctx.styles.fonts
        )
    )
    out.append(
        ctx.para(
            "Valence runs from −1 (painful) to +1 (pleasant), intensity from 0 to 1. "
            "Thick strokes span each beat; dots are coloured by emotion and numbered "
            "as in the table below.",
            ctx.styles.caption,
        )
    )
    out.append(Spacer(1, 12))
    shown = ctx.plan.beats
    numbered = list(enumerate(scene.beats))
    out.extend(batches(numbered, BEAT_ROWS, lambda part: [beat_table(ctx, part, shown)]))
    if len(scene.beats) > shown:
        limit = f"at most {shown} in the table"
        text = stop_text("beats", shown, len(scene.beats), limit)
        out.append(ctx.para(esc(text), ctx.styles.small))
    for b in scene.beats:  # descriptions too long for the table, in full
        if len(b.description) > CELL_CHARS:
            head = f"<b>Beat {b.number}</b> · {esc(b.label)}<br/>"
            out += text_flowables(b.description, ctx.styles.note, ctx.frame_width, prefix=head)
    return out


def beat_table(ctx: ReportContext, beats: Sequence[tuple[int, BeatItem]], stills: int) -> Table:
    """Rows of the beat table, each beat (numbered from 0 in the scene) with a still if its
    number is below ``stills``."""
    s = ctx.styles
    head = ["#", "Time", "Still", "Emotion", "Val.", "Int.", "Beat"]
    rows: list[list[object]] = [[Paragraph(h, s.cell_head) for h in head]]
    for n, b in beats:
        who = ", ".join(c.name for c in b.characters)
        swatch = hexcolor(parse_color(b.emotion_color))
        text = f"<b>{esc(excerpt(b.label))}</b>" + (f" · {esc(who)}" if who else "")
        if len(b.description) > CELL_CHARS:
            text += f"<br/>{esc(excerpt(b.description))} (in full below the table)"
        elif b.description:
            text += f"<br/>{esc(b.description)}"
        rows.append(
            [
                [
                    ctx.mark([(Span(b.start_ms, b.end_ms), f"beat {b.number}")]),
                    Paragraph(str(b.number), s.cell),
                ],
                Paragraph(esc(span_text(b.start_ms, b.end_ms)).replace("–", "–<br/>"), s.cell),
                ctx.still(b.start_ms, BEAT_STILL) if n < stills else "",
                Paragraph(f'<font color="{swatch}">■</font> {esc(b.emotion)}', s.cell),
                Paragraph(f"{b.valence:+.2f}".replace("-", "−"), s.cell),
                Paragraph(f"{b.intensity:.2f}", s.cell),
                Paragraph(text, s.cell),
            ]
        )
    fixed = [18, 58, BEAT_STILL + 8, 66, 32, 30]
    table = Table(rows, colWidths=[*fixed, ctx.frame_width - sum(fixed)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


# -- still boards -----------------------------------------------------------------------------
def boards(ctx: ReportContext) -> list[Flowable]:
    if not ctx.data.scenes:
        return []
    out: list[Flowable] = [PageBreak(), ctx.heading("Still boards")]
    scenes = ctx.data.scenes
    for scene in scenes[: ctx.plan.boards]:
        out.append(CondPageBreak(ctx.frame_height * 0.3))
        out.append(ctx.heading(f"{scene.name} · {span_text(scene.start_ms, scene.end_ms)}", 1))
        out.append(Batch(functools.partial(board, ctx, scene)))
    if len(scenes) > ctx.plan.boards:
        text = (
            f"Still boards stop here: the report shows the boards of the first "
            f"{ctx.plan.boards} of {len(scenes)} scenes; a report of one scene shows its board."
        )
        out.append(ctx.para(esc(text), ctx.styles.small))
    return out


def board(ctx: ReportContext, scene: SceneItem) -> list[Flowable]:
    gap = 8.0
    width = (ctx.frame_width - gap * (BOARD_COLUMNS - 1)) / BOARD_COLUMNS
    cells: list[object] = []
    for ms in board_times(scene):
        frame = ctx.frame_label(ms)
        caption = esc(timecode(ms)) + (f" · {frame}" if frame else "")
        cells.append([ctx.still(ms, width), Paragraph(caption, ctx.styles.caption)])
    while len(cells) % BOARD_COLUMNS:
        cells.append("")
    rows = [cells[i : i + BOARD_COLUMNS] for i in range(0, len(cells), BOARD_COLUMNS)]
    grid = Table(rows, colWidths=[width + gap] * (BOARD_COLUMNS - 1) + [width])
    grid.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [grid]


# -- index ------------------------------------------------------------------------------------
def index(ctx: ReportContext) -> list[Flowable]:
    intro = ctx.para(
        "Every time the essay, its notes and the beats cite, in film order, with the "
        "pages that cite it.",
        ctx.styles.small,
    )
    return [
        PageBreak(),
        ctx.heading("Index of timecodes"),
        intro,
        Spacer(1, 6),
        # Made when the layout reaches it: every mark before it has recorded its page by then.
        Batch(lambda: index_rows(ctx.cited, ctx.styles, span_text, ctx.frame_width)),
    ]
