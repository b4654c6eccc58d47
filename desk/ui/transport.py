"""The playhead shared by the player, the essay, the notes and the timeline.

Every view that shows or moves film time talks to one :class:`Transport`: it asks to
:meth:`~Transport.seek` and listens to ``position_changed``. A view that lets the user drag the
playhead asks to :meth:`~Transport.scrub` while the pointer moves and to seek when it is let go.
Times are film milliseconds; the player maps them to the copy on screen. I/O marks live here too, so
every panel can use the marked range.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Transport(QObject):
    #: (film_ms: int) whenever the playhead moves, by playback, a seek or a step.
    position_changed = Signal(int)
    #: a view asks the player to go somewhere: (film_ms: int)
    seek_requested = Signal(int)
    #: a view drags the playhead: (film_ms: int)
    scrub_requested = Signal(int)
    #: (playing: bool)
    playing_changed = Signal(bool)
    #: (in_ms or -1, out_ms or -1)
    marks_changed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.position_ms = 0
        self.playing = False
        self.in_ms: int | None = None
        self.out_ms: int | None = None
        self.duration_ms = 0
        self.frame_ms = 1000 / 24

    def seek(self, film_ms: int) -> None:
        """Ask the player to show the exact frame at ``film_ms``."""
        self.seek_requested.emit(max(0, int(film_ms)))

    def scrub(self, film_ms: int) -> None:
        """The user drags the playhead to ``film_ms``: the player shows a quick preview (the
        keyframe before it), and the exact frame when the pointer rests. End with :meth:`seek`."""
        self.scrub_requested.emit(max(0, int(film_ms)))

    def report_position(self, film_ms: int) -> None:
        """Called by the player: the playhead is now at ``film_ms``."""
        if film_ms != self.position_ms:
            self.position_ms = film_ms
            self.position_changed.emit(film_ms)

    def report_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self.playing_changed.emit(playing)

    def set_marks(self, in_ms: int | None, out_ms: int | None) -> None:
        self.in_ms, self.out_ms = in_ms, out_ms
        self.marks_changed.emit(-1 if in_ms is None else in_ms, -1 if out_ms is None else out_ms)

    def marked_range(self) -> tuple[int, int] | None:
        """The I/O range, ordered; None unless both marks are set."""
        if self.in_ms is None or self.out_ms is None:
            return None
        return min(self.in_ms, self.out_ms), max(self.in_ms, self.out_ms)
