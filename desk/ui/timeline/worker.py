"""Runs the film analysis off the GUI thread and hands the results back by signal.

One :class:`AnalysisJob` measures the loudness envelope and then detects the cuts of one film
file, reporting progress over both; :meth:`AnalysisJob.cancel` stops it at the next frame or
packet. Results and failures arrive as queued signals on the thread that made the job.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from desk.errors import Cancelled, KnownError
from desk.media import analysis

log = logging.getLogger("desk.ui.timeline")


class AnalysisSignals(QObject):
    #: (fraction done, 0..1) over the whole job.
    progress = Signal(float)
    #: (analysis.Envelope) the loudness envelope, in the file's time.
    loudness = Signal(object)
    #: (numpy int64 array) cut times in the file's time.
    cuts = Signal(object)
    #: (one sentence) when the film cannot be analysed.
    failed = Signal(str)
    #: after everything else, whether the job completed, failed or was cancelled.
    finished = Signal()


class AnalysisJob(QRunnable):
    """Measure loudness and/or detect cuts in ``path`` (``kinds`` from "loudness", "cuts");
    the loudness of the audio stream ``audio_track`` (None: the first)."""

    def __init__(self, path: Path, kinds: tuple[str, ...], audio_track: int | None = None) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.path, self.kinds, self.audio_track = path, kinds, audio_track
        self.signals = AnalysisSignals()
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def run(self) -> None:
        try:
            for number, kind in enumerate(self.kinds):
                self._run_one(number, kind)
        except Cancelled:
            log.info("analysis of %s cancelled", self.path.name)
        except KnownError as exc:
            self.signals.failed.emit(str(exc))
        except Exception:
            log.exception("analysis of %s failed", self.path)
            self.signals.failed.emit(f"desk could not analyse {self.path.name} (see the log).")
        finally:
            self.signals.finished.emit()

    def _run_one(self, number: int, kind: str) -> None:
        share = 1 / len(self.kinds)

        def progress(fraction: float) -> None:
            self.signals.progress.emit((number + fraction) * share)

        if kind == "loudness":
            try:
                envelope = analysis.loudness_envelope(
                    self.path,
                    track=self.audio_track,
                    progress=progress,
                    cancel=self._cancelled.is_set,
                )
            except analysis.NoSound:  # a silent film: its cuts are still worth finding
                log.info("%s has no sound to measure", self.path.name)
                return
            self.signals.loudness.emit(envelope)
        elif kind == "cuts":
            cuts = analysis.detect_cuts(self.path, progress=progress, cancel=self._cancelled.is_set)
            self.signals.cuts.emit(cuts)
        else:
            raise ValueError(f"unknown analysis {kind!r}")
