"""The written parts of a report: cover, contents, the essay with its stills and notes, readings,
and the citation of the film copy.

Every piece of project text passes through :func:`~desk.export.report.styles.esc` before it
becomes Paragraph markup; the only markup in a report is the markup written here.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Indenter,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desk.core.timecode import format_ms
from desk.export.pdf_text import text_flowables
from desk.export.report.contents import Contents
from desk.export.report.context import TOC_CHARS, ReportContext, span_text
from desk.export.report.data import EvidenceItem, FilmCopy, NoteItem, ParagraphItem, ReadingItem
from desk.export.report.flowables import TextLine, batches
from desk.export.report.plan import ESSAY_STILLS, evidence_in_order, stop_text
from desk.export.report.styles import (
    ACCENT,
    CONTRA,
    MUTED,
    RULE,
    SUPPORT,
    WARN_FILL,
    esc,
    hexcolor,
)
from desk.export.stills import describe_time_map

STILL_COLUMN = 150.0
NUMBER_COLUMN = 20.0
#: Blocks up to this share of a page never break and keep their stills beside the text; longer
#: ones flow, after a page break if less than :data:`MIN_SPLIT_PT` points are left.
KEEP_WHOLE = 0.4
MIN_SPLIT_PT = 60
#: Blocks of text longer than this are laid out as flowing text without measuring them whole.
SHORT_CHARS = 4_000
#: Text in a table cell is cut to this many characters (a cell cannot break across pages).
CELL_CHARS = 1_000
#: Items made into flowables together when the layout reaches them (a :class:`Batch`).
PARAGRAPH_BATCH = 20
NOTE_BATCH = 100
EVIDENCE_BATCH = 50
NOTE_KINDS = {
    "interpretation": "interpretation",
    "evidence": "evidence",
    "question": "question",
    "counter-reading": "counter-reading",
    "free": "note",
}


def citation(film: FilmCopy | None) -> str:
    """One line citing the film copy: title (year), release, runtime."""
    if film is None:
        return "No film copy is recorded in this project."
    title = film.title or (film.path.stem if film.path else "Untitled film")
    year = f" ({film.year})" if film.year else ""
    release = f". {film.release.rstrip('.')}" if film.release else ""
    runtime = f". Runtime {format_ms(film.duration_ms, 'short')}" if film.duration_ms else ""
    return f"{title}{year}{release}{runtime}."


def scope(ctx: ReportContext) -> str:
    """Markup of one sentence saying what a report of one scene holds, or "" for a whole one."""
    scene = ctx.scene
    if scene is None:
        return ""
    return (
        f"<b>Scope.</b> This report covers one scene, {esc(scene.name, rtl=False)} "
        f"({esc(span_text(scene.start_ms, scene.end_ms))}): only the paragraphs, links, notes, "
        "beats and evidence whose times overlap it are shown, a range that starts before the "
        "scene or ends after it included."
    )


def cover(ctx: ReportContext, date_text: str) -> list[Flowable]:
    s, d = ctx.styles, ctx.data
    film = d.film.title if d.film and d.film.title else d.title
    year = f" ({d.film.year})" if d.film and d.film.year else ""
    out: list[Flowable] = [Spacer(1, ctx.frame_height * 0.1)]
    out.append(ctx.para(f'<font color="{hexcolor(ACCENT)}">{esc(film)}{year}</font>', s.cover_line))
    out.append(Spacer(1, 10))
    out.append(ctx.para(esc(d.essay_title or d.title or "Untitled essay"), s.cover_title))
    if d.essay_dek:
        out.append(ctx.para(esc(d.essay_dek), s.cover_dek))
    if d.author:
        out.append(ctx.para(esc(d.author), s.cover_line))
    out.append(ctx.para(esc(date_text), s.cover_line))
    if ctx.cover_ms is not None and ctx.stills.get(ctx.cover_ms) is not None:
        width = min(ctx.frame_width, ctx.frame_height * 0.36 / ctx.aspect)
        out += [Spacer(1, 24), ctx.still(ctx.cover_ms, width)]
    out.append(Spacer(1, 24))
    out.append(ctx.para(f"<b>Film copy cited.</b> {esc(citation(d.film), rtl=False)}", s.small))
    if ctx.scene is not None:
        out.append(ctx.para(scope(ctx), s.small))
    out.extend(warning_box(ctx))
    out.append(PageBreak())
    return out


def warning_box(ctx: ReportContext) -> list[Flowable]:
    if not ctx.warnings:
        return []
    rows = [[ctx.para(f"<b>Warning.</b> {esc(w)}", ctx.styles.cell)] for w in ctx.warnings]
    box = Table(rows, colWidths=[ctx.frame_width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), WARN_FILL),
                ("BOX", (0, 0), (-1, -1), 0.6, CONTRA),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [Spacer(1, 12), box]


def contents(ctx: ReportContext) -> list[Flowable]:
    ctx.contents = Contents(ctx.headings, ctx.styles.toc_levels)
    return [ctx.para("Contents", ctx.styles.h1), ctx.contents, PageBreak()]


# -- the essay --------------------------------------------------------------------------------
def essay(ctx: ReportContext) -> list[Flowable]:
    out: list[Flowable] = [ctx.heading(ctx.data.essay_title or "Essay")]
    if ctx.scene is not None:
        out += [ctx.para(scope(ctx), ctx.styles.small), Spacer(1, 8)]
        if not ctx.data.paragraphs:
            out.append(ctx.para("No paragraph of the essay cites this scene.", ctx.styles.small))
    elif not ctx.data.paragraphs:
        out.append(ctx.para("The project has no essay yet.", ctx.styles.small))
    run: list[tuple[ParagraphItem, bool]] = []  # body paragraphs between headings

    def flush() -> None:
        out.extend(batches(run, PARAGRAPH_BATCH, lambda part: _blocks(ctx, part)))
        run.clear()

    for n, item in enumerate(ctx.data.paragraphs):
        if n == ctx.plan.paragraphs:
            flush()
            out.extend(_essay_stills_stop(ctx))
        if item.kind == "heading":
            flush()
            out.append(CondPageBreak(ctx.frame_height * 0.15))
            out.append(ctx.heading(item.text, level=1, style=ctx.styles.essay_heading))
            if len(item.text) > TOC_CHARS:  # cut: the whole text follows it
                out += text_flowables(item.text, ctx.styles.body, ctx.frame_width)
        else:
            run.append((item, n < ctx.plan.paragraphs))
    flush()
    notes = ctx.data.loose_notes
    if notes:
        out.append(ctx.heading("Notes not attached to a paragraph", level=1))
        out.extend(batches(notes, NOTE_BATCH, lambda part: _loose_notes(ctx, part)))
    return out


def _blocks(ctx: ReportContext, part: Sequence[tuple[ParagraphItem, bool]]) -> list[Flowable]:
    return [f for item, stills in part for f in paragraph_block(ctx, item, stills=stills)]


def _loose_notes(ctx: ReportContext, notes: Sequence[NoteItem]) -> list[Flowable]:
    out: list[Flowable] = []
    for n in notes:
        mark = ctx.mark((span, f"note {n.number}") for span in n.spans)
        out.extend(note_lines(ctx, n, ctx.frame_width, flowing=True, mark=mark))
    return out


def _essay_stills_stop(ctx: ReportContext) -> list[Flowable]:
    """Where the essay's stills stop, if they do."""
    paragraphs = ctx.data.paragraphs
    total = sum(len(p.spans) for p in paragraphs)
    shown = sum(len(p.spans) for p in paragraphs[: ctx.plan.paragraphs])
    if shown == total:
        return []
    text = stop_text("cited times", shown, total, f"at most {ESSAY_STILLS} beside the essay")
    return [ctx.para(esc(text), ctx.styles.small), Spacer(1, 6)]


def paragraph_block(ctx: ReportContext, item: ParagraphItem, *, stills: bool) -> list[Flowable]:
    """A paragraph with its notes, and its stills beside it (or, without ``stills``, the times it
    cites under it); long ones break across pages."""
    cited = [(span, f"¶ {item.number}") for span in item.spans]
    cited += [(span, f"note {n.number}") for n in item.notes for span in n.spans]
    still_w = STILL_COLUMN if item.spans and stills else 0.0
    gap = 10 if still_w else 0
    text_w = ctx.frame_width - NUMBER_COLUMN - still_w
    if len(item.text) + sum(len(n.text) for n in item.notes) <= SHORT_CHARS:
        text: list[Flowable] = [*text_flowables(item.text, ctx.styles.body, text_w - gap)]
        if item.spans and not stills:
            text.append(_cites(ctx, item))
        for n in item.notes:
            text += note_lines(ctx, n, text_w - gap)
        table = _beside(ctx, item, text, text_w, still_w, gap)
        _w, height = table.wrap(ctx.frame_width, ctx.frame_height)
        if height <= ctx.frame_height * KEEP_WHOLE:
            return [KeepTogether([ctx.mark(cited), table])]
    return [CondPageBreak(MIN_SPLIT_PT * 1.5), ctx.mark(cited), *_flowing(ctx, item, stills)]


def _cites(ctx: ReportContext, item: ParagraphItem, indent: float = 0.0) -> Paragraph:
    """The times a paragraph shown without stills cites, in one line."""
    times = ", ".join(span_text(s.start_ms, s.end_ms) for s in item.spans)
    style = ctx.styles.caption
    if indent:
        style = ParagraphStyle("cites-indented", parent=style, leftIndent=indent)
    return ctx.para(f"Cites {esc(times)}", style)


def _beside(
    ctx: ReportContext,
    item: ParagraphItem,
    text: list[Flowable],
    text_w: float,
    still_w: float,
    gap: float,
) -> Table:
    """The number, the text and the stills side by side: for blocks that never break."""
    number = ctx.para(f"¶{item.number}", ctx.styles.caption)
    stills = [
        still_with_caption(ctx, span.start_ms, span.end_ms, still_w)
        for span in (item.spans if still_w else [])
    ]
    table = Table([[number, text, stills]], colWidths=[NUMBER_COLUMN, text_w, still_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (1, 0), (1, 0), gap),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
            ]
        )
    )
    return table


def _flowing(ctx: ReportContext, item: ParagraphItem, stills: bool) -> list[Flowable]:
    """A long block: the number and a row of stills above text that breaks across pages.

    Text in a table cell cannot always break (ReportLab splits a row only in some cases, and
    re-lays the whole cell at every attempt), so long text flows as plain paragraphs, indented
    like the text beside the stills.
    """
    s = ctx.styles
    out: list[Flowable] = [ctx.para(f"¶{item.number}", s.caption)]
    if item.spans and not stills:
        out.append(_cites(ctx, item, NUMBER_COLUMN))
    elif item.spans:
        per_row = max(1, int((ctx.frame_width - NUMBER_COLUMN) // (STILL_COLUMN + 10)))
        cells: list[Flowable | str] = [
            still_with_caption(ctx, span.start_ms, span.end_ms, STILL_COLUMN) for span in item.spans
        ]
        cells += [""] * (-len(cells) % per_row)
        rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
        grid = Table(rows, colWidths=[STILL_COLUMN + 10] * per_row, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), s.fonts.sans),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out += [Indenter(NUMBER_COLUMN), grid, Indenter(-NUMBER_COLUMN)]
    body = ParagraphStyle(f"{s.body.name}-indented", parent=s.body, leftIndent=NUMBER_COLUMN)
    out += text_flowables(item.text, body, ctx.frame_width)
    for n in item.notes:
        out += note_lines(ctx, n, ctx.frame_width, indent=NUMBER_COLUMN, flowing=True)
    out.append(Spacer(1, 12))
    return out


def still_with_caption(ctx: ReportContext, start_ms: int, end_ms: int, width: float) -> Table:
    """A still at ``start_ms`` above its timecode (and frame number); a unit that never splits."""
    label = span_text(start_ms, end_ms)
    frame = ctx.frame_label(start_ms)
    caption = esc(label) + (f' <font color="#888888">· {frame}</font>' if frame else "")
    cell = Table(
        [[ctx.still(start_ms, width)], [ctx.para(caption, ctx.styles.caption)]], colWidths=[width]
    )
    cell.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return cell


def note_lines(
    ctx: ReportContext,
    note: NoteItem,
    width: float,
    indent: float = 0.0,
    *,
    flowing: bool = False,
    mark: Flowable | None = None,
) -> list[Flowable]:
    """A note's heading line and its text, of any length, in a column ``width`` wide; ``flowing``
    (outside a table) keeps the heading on the page of the text's first lines, and the index
    ``mark`` on the page of the heading."""
    head = [f"Note {note.number}", NOTE_KINDS.get(note.kind, "note")]
    head.append(", ".join(span_text(s.start_ms, s.end_ms) for s in note.spans))
    head.append(note.character)
    head_style, text_style = ctx.styles.note_head, ctx.styles.note_text
    if indent:
        head_style = ParagraphStyle(
            f"note-head-{indent}", parent=head_style, leftIndent=head_style.leftIndent + indent
        )
        text_style = ParagraphStyle(
            f"note-text-{indent}", parent=text_style, leftIndent=text_style.leftIndent + indent
        )
    out: list[Flowable] = []
    if flowing:
        keep = head_style.spaceBefore + head_style.leading + 2 * text_style.leading
        out.append(CondPageBreak(keep))
    if mark is not None:
        out.append(mark)
    out.append(TextLine(" · ".join(part for part in head if part), head_style))
    out += text_flowables(note.text, text_style, width)
    return out


# -- readings ---------------------------------------------------------------------------------
def readings(ctx: ReportContext) -> list[Flowable]:
    if not ctx.data.readings:
        return []
    out: list[Flowable] = [PageBreak(), ctx.heading("Readings")]
    ordinal = itertools.count()  # evidence in reading order, for the limit on thumbnails
    for reading in ctx.data.readings:
        out.extend(reading_block(ctx, reading, ordinal))
    total = sum(1 for e in evidence_in_order(ctx.data) if e.spans)
    if total > ctx.plan.evidence:
        limit = f"at most {ctx.plan.evidence} thumbnails"
        text = stop_text("pieces of evidence", ctx.plan.evidence, total, limit)
        out.append(ctx.para(esc(text), ctx.styles.small))
    return out


def reading_block(
    ctx: ReportContext, reading: ReadingItem, ordinal: Iterator[int]
) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [CondPageBreak(ctx.frame_height * 0.2), ctx.heading(reading.title, 1)]
    if reading.scene:
        out.append(ctx.para(f"Scene: {esc(reading.scene)}", s.small))
    if reading.summary:
        out.extend(text_flowables(reading.summary, s.body, ctx.frame_width))
    for label, items, color in (
        ("Supporting evidence", reading.supports, SUPPORT),
        ("Contradicting evidence", reading.contradicts, CONTRA),
    ):
        out.append(ctx.para(f'<font color="{hexcolor(color)}"><b>{label}</b></font>', s.cell_head))
        if not items:
            out.append(ctx.para("none marked", s.small))
        rows = [(e, bool(e.spans) and next(ordinal) < ctx.plan.evidence) for e in items]
        out.extend(batches(rows, EVIDENCE_BATCH, functools.partial(_evidence, ctx, color)))
        out.append(Spacer(1, 6))
    return out


def _evidence(
    ctx: ReportContext, color: Color, rows: Sequence[tuple[EvidenceItem, bool]]
) -> list[Flowable]:
    return [f for e, thumb in rows for f in evidence_row(ctx, e, color, thumb=thumb)]


def excerpt(text: str, limit: int = CELL_CHARS) -> str:
    """``text`` cut to ``limit`` characters at a space, with an ellipsis: for table cells."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip() + " …"


def evidence_row(
    ctx: ReportContext, item: EvidenceItem, color: Color, *, thumb: bool = True
) -> list[Flowable]:
    """A piece of evidence: its still, what it cites (an excerpt: the full text is printed where
    it belongs) and the comment (under the row when too long for a cell)."""
    s = ctx.styles
    where = ", ".join(span_text(sp.start_ms, sp.end_ms) for sp in item.spans)
    text = f"<b>{esc(item.ref)}</b>" + (f" · {esc(where)}" if where else "")
    text += f"<br/>{esc(excerpt(item.text))}"
    long_comment = len(item.comment) > CELL_CHARS
    if item.comment and not long_comment:
        text += f'<br/><font color="{hexcolor(MUTED)}">{esc(item.comment)}</font>'
    still: Flowable | str = ctx.still(item.spans[0].start_ms, 64) if item.spans and thumb else ""
    row = Table([["", still, ctx.para(text, s.cell)]], colWidths=[3, 72, ctx.frame_width - 75])
    row.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), s.fonts.sans),
                ("BACKGROUND", (0, 0), (0, 0), color),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (1, 0), (1, 0), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )
    )
    if not long_comment:
        return [row]
    style = ParagraphStyle("evidence-comment", parent=s.cell, leftIndent=75, textColor=MUTED)
    return [row, *text_flowables(item.comment, style, ctx.frame_width)]


# -- the film copy ----------------------------------------------------------------------------
def film_copy(ctx: ReportContext) -> list[Flowable]:
    s, film = ctx.styles, ctx.data.film
    out: list[Flowable] = [PageBreak(), ctx.heading("Film copy")]
    out.append(ctx.para(f"<b>Cited as.</b> {esc(citation(film), rtl=False)}"))
    if film is not None:
        details = [
            ("File", film.path.name if film.path else "none"),
            ("Label", film.label or "—"),
            ("Picture", f"{film.width}×{film.height}, {float(film.fps):.3f} fps"),
            ("Runtime", format_ms(film.duration_ms, "short")),
            ("Time", describe_time_map(film.time_map)),
        ]
        rows = [[ctx.para(esc(k), s.cell_head), ctx.para(esc(v), s.cell)] for k, v in details]
        table = Table(rows, colWidths=[80, ctx.frame_width - 80])
        table.setStyle(
            TableStyle(
                [("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            )
        )
        out += [Spacer(1, 6), table]
    out.append(Spacer(1, 8))
    out.append(
        ctx.para(
            "Times are film time of the reference copy, printed as minutes:seconds."
            "milliseconds; each still is the exact frame on screen at that time in "
            "the copy above.",
            s.small,
        )
    )
    out.extend(warning_box(ctx))
    return out
