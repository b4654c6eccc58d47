"""Film analysis for the timeline: start it, follow it, cache it, and turn cuts into shots.

Results are cached in the project's ``analysis`` table for the film copy they were measured on
(derived data, outside the undo history); detected cuts also replace the project's detected shots,
as one undoable edit. Analysis works in the copy's time; what comes out of here is film time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, Signal

from desk.core.timemap import TimeMap
from desk.media.analysis import CUT_PARAMS, Envelope, loudness_params
from desk.store import analysis_cache as cache
from desk.store import edits, queries
from desk.ui.session import Session
from desk.ui.timeline.model import Film
from desk.ui.timeline.worker import AnalysisJob

log = logging.getLogger("desk.ui.timeline")


class AnalysisRunner(QObject):
    """Runs one analysis job at a time for a timeline and reports in film time."""

    #: (origin_ms: float, step_ms: float, lufs: numpy array) in film time.
    loudness_ready = Signal(float, float, object)
    #: (cut times, numpy int64 array of film ms) once stored as the project's shots.
    cuts_ready = Signal(object)
    progress = Signal(float)
    busy_changed = Signal(bool)
    #: (one sentence) for the user.
    failed = Signal(str)

    def __init__(self, session: Session, initiator: object, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.initiator = session, initiator
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job: AnalysisJob | None = None
        self.film: Film | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def load_cached(self, film: Film) -> None:
        """Show the cached loudness of ``film``'s copy, if it was measured before."""
        if film.media_id is None:
            return
        lufs = cache.latest(self.session.project, film.media_id, cache.LOUDNESS)
        if lufs is not None:
            self._emit_loudness(film, Envelope(lufs))

    def start(self, film: Film, path: Path, *, force: bool = False) -> bool:
        """Analyse ``path`` (the copy ``film`` describes) unless results are cached."""
        if self.job is not None or film.media_id is None:
            return False
        project = self.session.project
        kinds = []
        lufs = (
            None
            if force
            else cache.read(
                project, film.media_id, cache.LOUDNESS, loudness_params(film.audio_track)
            )
        )
        if lufs is None:
            kinds.append("loudness")
        else:
            self._emit_loudness(film, Envelope(lufs))
        cuts = None if force else cache.read(project, film.media_id, cache.CUTS, CUT_PARAMS)
        if cuts is None:
            kinds.append("cuts")
        else:
            self._shots_from(film, cuts)  # as found before (an undo may have taken them away)
        if not kinds:
            return False
        self.film = film
        self.job = AnalysisJob(path, tuple(kinds), film.audio_track)
        self.job.signals.progress.connect(self.progress)
        self.job.signals.loudness.connect(self._on_loudness)
        self.job.signals.cuts.connect(self._on_cuts)
        self.job.signals.failed.connect(self.failed)
        self.job.signals.finished.connect(self._on_finished)
        self.busy_changed.emit(True)
        self.pool.start(self.job)
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def shutdown(self) -> None:
        """Cancel the running job and wait for its thread to stop."""
        self.cancel()
        self.pool.waitForDone()

    # -- results -----------------------------------------------------------------------------
    def _on_loudness(self, envelope: Envelope) -> None:
        film = self.film
        if film is None or film.media_id is None:
            return
        params = loudness_params(film.audio_track)
        cache.write(self.session.project, film.media_id, cache.LOUDNESS, params, envelope.lufs)
        self._emit_loudness(film, envelope)

    def _on_cuts(self, cuts: np.ndarray) -> None:
        film = self.film
        if film is None or film.media_id is None:
            return
        cache.write(self.session.project, film.media_id, cache.CUTS, CUT_PARAMS, cuts)
        self._shots_from(film, cuts)

    def _shots_from(self, film: Film, cuts: np.ndarray) -> None:
        """Make the project's detected shots those the cuts (copy time) delimit, if they differ."""
        to_film = _mapping(film)
        film_cuts = np.asarray([to_film(int(c)) for c in cuts], dtype=np.int64)
        inside = sorted(int(c) for c in film_cuts if 0 < c < film.duration_ms)
        project = self.session.project
        if not project.readonly and queries.detected_cuts(project) != inside:
            self.session.edit(
                edits.replace_shots, film_cuts.tolist(), film.duration_ms, initiator=self.initiator
            )
        self.cuts_ready.emit(film_cuts)

    def _on_finished(self) -> None:
        self.job = None
        self.busy_changed.emit(False)

    def _emit_loudness(self, film: Film, envelope: Envelope) -> None:
        to_film = _mapping(film)
        count = max(1, len(envelope.lufs) - 1)
        origin = to_film(0)
        step = (to_film(count * envelope.step_ms) - origin) / count
        self.loudness_ready.emit(float(origin), float(step), envelope.lufs)


def _mapping(film: Film) -> Callable[[int], int]:
    """Copy time → film time for the analysed copy."""
    try:
        return TimeMap.from_json(json.loads(film.time_map)).to_film
    except ValueError:
        log.warning("the time map of %s is malformed; analysing in its own time", film.path)
        return TimeMap().to_film
