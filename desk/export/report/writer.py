"""Writing the report: read the project, decode its stills, lay it out, write the PDF in place.

The package's docstring (:mod:`desk.export.report`) says what the report holds and how a failed
or cancelled export leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus import Flowable

from desk.core.files import replacing
from desk.core.outputs import check_target
from desk.core.timemap import TimeMap
from desk.errors import FilmError, KnownError
from desk.export.errors import ExportError
from desk.export.pdf_fonts import register_fonts
from desk.export.report import boards as report_boards
from desk.export.report import data as report_data
from desk.export.report import plan as report_plan
from desk.export.report import sections as report_sections
from desk.export.report.context import ReportContext, timecode
from desk.export.report.data import ReportData, SceneItem
from desk.export.report.doc import ReportDoc
from desk.export.report.styles import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAPERS,
    PageFurniture,
    make_styles,
)
from desk.export.stills import copy_time_map, decode_stills
from desk.media.probe import probe
from desk.store.project import Project

log = logging.getLogger("desk.export")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Share of the progress bar given to decoding stills (the rest is layout).
DECODE_SHARE = 0.6

Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class ReportResult:
    """What an export produced, for the caller to show or log."""

    path: Path
    pages: int
    stills: int
    warnings: list[str] = field(default_factory=list)
    decode_s: float = 0.0
    total_s: float = 0.0


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 2))


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, None when unset; refuses a value that is not a number."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ExportError(f"SOURCE_DATE_EPOCH must be whole seconds, not '{text}'.") from None


def cover_date(epoch: int | None) -> str:
    """The date printed on the cover: from ``SOURCE_DATE_EPOCH`` (UTC) if set, else today."""
    t = time.gmtime(epoch) if epoch is not None else time.localtime()
    return f"{t.tm_mday} {MONTHS[t.tm_mon - 1]} {t.tm_year}"


def export_report(
    project_path: Path | str,
    output: Path,
    *,
    paper: str = "a4",
    scene: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> ReportResult:
    """Write the report of the project at ``project_path`` to ``output`` (a PDF)."""
    started = time.perf_counter()
    output = Path(output)
    if paper not in PAPERS:
        raise ExportError(f"the paper size must be one of {', '.join(PAPERS)}, not '{paper}'.")
    if not output.parent.is_dir():
        raise ExportError(f"cannot write {output}: the folder {output.parent} does not exist.")
    check_target(output)  # before the stills are decoded: a refused target costs nothing
    epoch = source_date_epoch()
    fonts = register_fonts()
    with Project.open(project_path, readonly=True) as project:
        data = report_data.load(project)
    chosen = report_data.pick_scene(data.scenes, scene)
    if scene is not None and chosen is not None:
        data = report_data.within(data, chosen)
    page_w, page_h = PAPERS[paper]
    ctx = ReportContext(
        data, make_styles(fonts), page_w - 2 * MARGIN_X, page_h - MARGIN_TOP - MARGIN_BOTTOM
    )
    ctx.cover_ms = cover_time(data, chosen)
    ctx.scene = chosen if scene is not None else None
    ctx.plan = report_plan.plan(data, chosen)
    times = report_plan.still_times(data, chosen, ctx.plan)
    decoding = time.perf_counter()
    attach_stills(
        ctx,
        sorted({*times, *([ctx.cover_ms] if ctx.cover_ms is not None else [])}),
        workers or default_workers(),
        _scaled(progress, 0.0, DECODE_SHARE),
        cancel,
    )
    decode_s = time.perf_counter() - decoding
    story = assemble(ctx, chosen, cover_date(epoch))
    pages = _write(
        ctx,
        story,
        output,
        paper,
        epoch is not None,
        _scaled(progress, DECODE_SHARE, 1.0),
        cancel,
    )
    if progress is not None:
        progress(1.0)
    result = ReportResult(
        output,
        pages,
        sum(s is not None for s in ctx.stills.values()),
        list(ctx.warnings),
        decode_s,
        time.perf_counter() - started,
    )
    log.info(
        "wrote %s: %d pages, %d stills in %.1f s (decoding %.1f s)",
        output,
        pages,
        result.stills,
        result.total_s,
        decode_s,
    )
    return result


def _scaled(progress: Progress | None, low: float, high: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction: progress(low + (high - low) * fraction)


def cover_time(data: ReportData, chosen: SceneItem | None) -> int | None:
    """The still on the cover: the first time the essay cites, else the chosen scene's start."""
    cited = [span.start_ms for p in data.paragraphs for span in p.spans]
    if cited:
        return cited[0]
    return chosen.start_ms if chosen is not None else None


def _film_problem(ctx: ReportContext) -> tuple[str, str] | None:
    """(placeholder text, warning) when stills cannot come from the film, else None."""
    film = ctx.data.film
    if film is None:
        return "no film", "The project records no film copy, so the stills are placeholders."
    if not film.confirmed:
        return "film not confirmed", (
            f"The film path {film.path} has not been confirmed in desk yet, so the stills are "
            "placeholders; open the project and confirm the film first."
        )
    if film.path is None or not film.path.is_file():
        return "film missing", (
            f"The film file {film.path} was not found, so the stills are placeholders; relink "
            "the project to a copy of the film and export again."
        )
    return None


def attach_stills(
    ctx: ReportContext,
    times: list[int],
    workers: int,
    progress: Progress | None,
    cancel: CancelCheck | None,
) -> None:
    """Decode the stills at ``times`` into the context, or record why there are none."""
    film = ctx.data.film
    if film is not None and film.width and film.height:
        ctx.aspect = film.height / film.width
    problem = _film_problem(ctx)
    if problem is not None or film is None or film.path is None:
        reason, warning = problem or ("no film", "The project records no film copy.")
        _without_stills(ctx, times, reason, warning)
        return
    time_map = copy_time_map(film.time_map)
    copy = {t: time_map.to_copy(t) for t in times}
    outside = [t for t, c in copy.items() if c < 0 or (film.duration_ms and c >= film.duration_ms)]
    for t in outside:
        ctx.missing[t] = "not in this copy"
        del copy[t]
    if outside:
        ctx.warnings.append(
            f"{len(outside)} cited times fall outside the film copy and show no "
            "still; check the copy's time map."
        )
    _past_readable_end(ctx, film.path, time_map, copy)
    try:
        stills = decode_stills(
            film.path, sorted(set(copy.values())), workers=workers, progress=progress, cancel=cancel
        )
    except (KnownError, TimeoutError) as exc:
        _without_stills(
            ctx,
            list(copy),
            "film unreadable",
            f"The film {film.path.name} could not be decoded ({exc}).",
        )
        return
    decoded = next(iter(stills.values()), None)
    if decoded is not None and decoded.width:
        # The picture's true shape: an anamorphic film's is wider than its stored pixels.
        ctx.aspect = decoded.height / decoded.width
    for t, c in copy.items():
        ctx.stills[t] = stills.get(c)
        if ctx.stills[t] is None:
            ctx.missing[t] = "no frame"


def _readable_end_ms(film: Path) -> int | None:
    """Where a film cut short stops being readable, in copy ms; None for a whole film (or one
    that cannot be probed: decoding its stills then says what is wrong)."""
    try:
        info = probe(film)
    except FilmError as exc:
        log.info("%s could not be probed: %s", film.name, exc)
        return None
    return info.duration_ms if info.truncated else None


def _past_readable_end(
    ctx: ReportContext, film: Path, time_map: TimeMap, copy: dict[int, int]
) -> None:
    """Take the times a film cut short cannot show out of ``copy``: placeholders, one warning."""
    end_ms = _readable_end_ms(film)
    if end_ms is None:
        return
    past = [t for t, c in copy.items() if c >= end_ms]
    for t in past:
        ctx.stills[t] = None
        ctx.missing[t] = "past the film's end"
        del copy[t]
    ends = f"The film {film.name} seems cut short: it ends at {timecode(time_map.to_film(end_ms))}"
    if past:
        links = "cited time" if len(past) == 1 else "cited times"
        warning = f"{ends}, so the {len(past)} {links} after that show no still."
    else:
        warning = f"{ends}; no still in this report falls after that."
    ctx.warnings.append(warning)
    log.warning("%s", warning)


def _without_stills(ctx: ReportContext, times: list[int], reason: str, warning: str) -> None:
    for t in times:
        ctx.stills[t] = None
        ctx.missing[t] = reason
    ctx.warnings.append(warning)
    log.warning("%s", warning)


def assemble(ctx: ReportContext, chosen: SceneItem | None, date_text: str) -> list[Flowable]:
    """The whole story, in reading order (long sections as batches made during the layout)."""
    return [
        *report_sections.cover(ctx, date_text),
        *report_sections.contents(ctx),
        *report_sections.essay(ctx),
        *report_boards.arc(ctx, chosen),
        *report_sections.readings(ctx),
        *report_boards.boards(ctx),
        *report_sections.film_copy(ctx),
        *report_boards.index(ctx),
    ]


def _write(
    ctx: ReportContext,
    story: list[Flowable],
    output: Path,
    paper: str,
    invariant: bool,
    progress: Progress | None,
    cancel: CancelCheck | None,
) -> int:
    """Lay out the story into a temporary file beside ``output`` and rename it into place."""
    d = ctx.data
    film = d.film.title if d.film and d.film.title else d.title
    meta = {
        "title": d.essay_title or d.title,
        "author": d.author,
        "subject": f"A scene-by-scene analysis of {film}",
    }
    furniture = PageFurniture(ctx.styles.fonts, d.essay_title or d.title, film)
    with replacing(output) as tmp:
        doc = ReportDoc(
            tmp,
            pagesize=PAPERS[paper],
            furniture=furniture,
            invariant=invariant,
            meta=meta,
            progress=progress,
            cancel=cancel,
        )
        return doc.build_report(story, ctx.contents)  # the page count; published on exit
