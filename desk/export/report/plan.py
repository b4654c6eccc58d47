"""Which stills a report shows: every one a section cites, up to a limit per section.

Each still is a decode from the film and a picture in the PDF, so a project with thousands of links
would give a report that takes minutes and hundreds of megabytes. Each section shows stills up to
its limit, in reading order, and says where they stop (:func:`stop_text`); the times past it are
still printed, and listed in the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from desk.export.report.data import EvidenceItem, ReportData, SceneItem

#: Most stills beside the essay's paragraphs.
ESSAY_STILLS = 300
#: Most beats of the arc's table shown with a still.
BEAT_STILLS = 120
#: Most pieces of evidence shown with a thumbnail.
EVIDENCE_STILLS = 120
#: Most scenes with a still board (12 stills each at most).
BOARD_SCENES = 24


@dataclass(frozen=True)
class StillPlan:
    """How many items of each section are shown with their stills, counted from the start."""

    paragraphs: int
    beats: int
    evidence: int
    boards: int


def evidence_in_order(data: ReportData) -> Iterator[EvidenceItem]:
    """Every piece of evidence in the order the report prints it."""
    for reading in data.readings:
        yield from reading.supports
        yield from reading.contradicts


def plan(data: ReportData, arc: SceneItem | None) -> StillPlan:
    """The stills of ``data`` within each section's limit; ``arc`` is the scene charted."""
    paragraphs, shown = 0, 0
    for p in data.paragraphs:
        if shown + len(p.spans) > ESSAY_STILLS:
            break
        shown += len(p.spans)
        paragraphs += 1
    return StillPlan(
        paragraphs=paragraphs,
        beats=min(BEAT_STILLS, len(arc.beats) if arc else 0),
        evidence=EVIDENCE_STILLS,
        boards=BOARD_SCENES,
    )


def board_times(scene: SceneItem) -> list[int]:
    """The film times of a scene's still board: evenly spread over it, mid-slice."""
    span = scene.end_ms - scene.start_ms
    if span <= 0:
        return [scene.start_ms]
    count = 12 if span >= 30_000 else 8
    return [scene.start_ms + (2 * i + 1) * span // (2 * count) for i in range(count)]


def still_times(data: ReportData, arc: SceneItem | None, chosen: StillPlan) -> list[int]:
    """Every film time the report shows a still of."""
    times = {span.start_ms for p in data.paragraphs[: chosen.paragraphs] for span in p.spans}
    times |= {b.start_ms for b in (arc.beats[: chosen.beats] if arc else [])}
    with_spans = (e for e in evidence_in_order(data) if e.spans)
    for n, e in enumerate(with_spans):
        if n >= chosen.evidence:
            break
        times.add(e.spans[0].start_ms)
    for scene in data.scenes[: chosen.boards]:
        times.update(board_times(scene))
    return sorted(times)


def stop_text(what: str, shown: int, total: int, limit: str) -> str:
    """One sentence saying where a section's stills stop: ``what`` past ``limit``."""
    return (
        f"Stills stop here: the report shows the first {shown} of {total} {what} with "
        f"stills ({limit}); the rest are printed with their times."
    )
