"""The lecture handout: a PDF with each clip's number, title, still, range, caption and notes.

It is built from the report's parts: the embedded DejaVu fonts and paragraph styles, exact-frame
stills decoded by the frame server's decoder, the still flowable, the page furniture and document
template, and the same write-to-a-temporary-name-then-rename. Every piece of project text is
escaped before it becomes Paragraph markup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desk.core.files import replacing
from desk.core.timecode import format_ms
from desk.errors import KnownError
from desk.export.lecture import ClipItem, Lecture, checked_film
from desk.export.pdf_fonts import register_fonts
from desk.export.report import source_date_epoch
from desk.export.report.doc import ReportDoc
from desk.export.report.flowables import StillImage
from desk.export.report.styles import (
    ACCENT,
    MARGIN_X,
    PAPERS,
    RULE,
    PageFurniture,
    Styles,
    esc,
    hexcolor,
    make_styles,
)
from desk.export.stills import Still, decode_stills

log = logging.getLogger("desk.export")

#: Width of a clip's still, as a share of the text width.
STILL_SHARE = 0.42


def _film_line(lecture: Lecture) -> str:
    film = lecture.film
    title = (film.title if film else "") or lecture.project_title or "the film"
    year = f" ({film.year})" if film and film.year else ""
    return f"{title}{year}"


def _stills(lecture: Lecture, cancel: Callable[[], bool] | None) -> dict[int, Still | None]:
    """The still at each clip's start (the cut, handles aside), keyed by film time."""
    film = checked_film(lecture)
    time_map = lecture.time_map()
    copy = {c.start_ms: time_map.to_copy(c.start_ms) for c in lecture.clips}
    decoded = decode_stills(film, sorted(set(copy.values())), workers=2, cancel=cancel)
    return {t: decoded.get(c) for t, c in copy.items()}


def _clip_block(
    lecture: Lecture,
    clip: ClipItem,
    still: Still | None,
    styles: Styles,
    width: float,
    aspect: float,
) -> Flowable:
    still_w = width * STILL_SHARE
    details = [
        Paragraph(
            f'<font color="{hexcolor(ACCENT)}">{clip.number}.</font> '
            f"{esc(clip.title or f'Clip {clip.number}')}",
            styles.h2,
        ),
        Paragraph(esc(_range_line(lecture, clip)), styles.small),
    ]
    if clip.caption:
        details.append(Paragraph(esc(clip.caption), styles.body))
    for note in clip.notes:
        details.append(Paragraph(f"• {esc(note)}", styles.note))
    reason = "no still" if still is None else ""
    table = Table(
        [[StillImage(still, still_w, aspect, reason, styles), details]],
        colWidths=(still_w + 12, width - still_w - 12),
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (1, 0), (1, 0), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return KeepTogether([table, Spacer(1, 10)])


def _range_line(lecture: Lecture, clip: ClipItem) -> str:
    seconds = (clip.end_ms - clip.start_ms) / 1000
    line = f"{lecture.span_of(clip)}  ·  {seconds:.1f} s"
    extra = [
        f"{format_ms(ms, 'seconds')} s {side}"
        for ms, side in ((clip.handle_before_ms, "before"), (clip.handle_after_ms, "after"))
        if ms
    ]
    return line + ("  ·  shown with " + " and ".join(extra) if extra else "")


def _running_time(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    return format_ms(round(seconds * 1000), "short")


def _story(
    lecture: Lecture, stills: dict[int, Still | None], styles: Styles, width: float
) -> list[Flowable]:
    film = lecture.film
    aspect = film.height / film.width if film and film.width and film.height else 9 / 16
    decoded = next((s for s in stills.values() if s is not None and s.width), None)
    if decoded is not None:  # the picture's true shape: an anamorphic film's is wider
        aspect = decoded.height / decoded.width
    total_s = sum(c.to_ms - c.from_ms for c in lecture.clips) / 1000
    story: list[Flowable] = [
        Paragraph(
            f'<font color="{hexcolor(ACCENT)}">{esc(_film_line(lecture))}</font>',
            styles.cover_line,
        ),
        Spacer(1, 6),
        Paragraph(esc(lecture.name), styles.cover_title),
        Paragraph(
            esc(f"{len(lecture.clips)} clips · {_running_time(total_s)} in all"),
            styles.cover_line,
        ),
        Spacer(1, 18),
    ]
    story += [
        _clip_block(lecture, clip, stills.get(clip.start_ms), styles, width, aspect)
        for clip in lecture.clips
    ]
    return story


def write_handout(
    lecture: Lecture,
    target: Path,
    *,
    paper: str = "a4",
    cancel: Callable[[], bool] | None = None,
    warnings: list[str] | None = None,
) -> Path:
    """Write the handout of a lecture to ``target`` (atomically); returns ``target``."""
    fonts = register_fonts()
    styles = make_styles(fonts)
    try:
        stills = _stills(lecture, cancel)
    except KnownError as exc:
        stills = {}
        message = f"the handout shows no stills: {exc}"
        log.warning("%s", message)
        if warnings is not None:
            warnings.append(message)
    page_w, _ = PAPERS[paper]
    story = _story(lecture, stills, styles, page_w - 2 * MARGIN_X)
    _build(story, target, paper, lecture, styles, cancel)
    return target


def _build(
    story: list[Flowable],
    target: Path,
    paper: str,
    lecture: Lecture,
    styles: Styles,
    cancel: Callable[[], bool] | None,
) -> None:
    furniture = PageFurniture(styles.fonts, lecture.name, _film_line(lecture))
    meta = {
        "title": lecture.name,
        "author": "",
        "subject": f"Lecture clips from {_film_line(lecture)}",
    }
    with replacing(target) as tmp:
        doc = ReportDoc(
            tmp,
            pagesize=PAPERS[paper],
            furniture=furniture,
            invariant=source_date_epoch() is not None,
            meta=meta,
            cancel=cancel,
        )
        doc.build_report(story)
