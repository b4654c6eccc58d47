"""The sound a project plays: its film's audio tracks named as a viewer reads them ("English —
Commentary"), listed in Playback → Audio track and in the player's track box.

The choice is the project's (stored on its film copy as the stream's index): playback, the
loudness lane and clips all use the track chosen. Languages are named by Qt's locale data, which
reads both the ISO 639-2 codes films carry ("eng", "fre", "ger") and the two-letter ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    from desk.media.probe import AudioTrack  # PyAV is loaded with the film, not at start-up

MENU_TITLE = "Audio track"


def language_name(code: str | None) -> str | None:
    """The language a track's code names, in English; None for none or "undetermined"."""
    if not code:
        return None
    language = QLocale.codeToLanguage(code, QLocale.LanguageCodeType.AnyLanguageCode)
    if language in (QLocale.Language.AnyLanguage, QLocale.Language.C):
        return None if code.lower() in ("und", "mul", "zxx", "mis") else code
    return QLocale.languageToString(language)


def track_names(tracks: tuple[AudioTrack, ...]) -> list[str]:
    """Each track's name: its language and title ("English — Commentary"), "Track n" when the file
    says neither, and the track's number after names two tracks share."""
    names = []
    for number, track in enumerate(tracks, start=1):
        parts = [p for p in (language_name(track.language), track.title) if p]
        names.append(" — ".join(parts) if parts else f"Track {number}")
    return [
        f"{name} (track {number})" if names.count(name) > 1 else name
        for number, name in enumerate(names, start=1)
    ]


class AudioMenu(QMenu):
    """Playback → Audio track: one checkable entry per track of the film played."""

    #: The stream index of the track the user chose.
    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(MENU_TITLE, parent)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.tracks: tuple[AudioTrack, ...] = ()
        self.set_tracks((), None)

    def set_tracks(self, tracks: tuple[AudioTrack, ...], current: int | None) -> None:
        """List ``tracks``, ``current`` (a stream index; None: the first) checked."""
        self.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        self.tracks = tracks
        for track, name in zip(tracks, track_names(tracks), strict=True):
            action = QAction(name, self, checkable=True)
            action.setData(track.index)
            action.triggered.connect(lambda _=False, i=track.index: self.chosen.emit(i))
            self._group.addAction(action)
            self.addAction(action)
        if not tracks:
            self.addAction("No sound").setEnabled(False)
        self.show_choice(current)

    def show_choice(self, current: int | None) -> None:
        """Check the entry of stream ``current`` (None: the first track)."""
        actions = self._group.actions()
        for action in actions:
            action.setChecked(action.data() == current)
        if actions and not any(a.isChecked() for a in actions):
            actions[0].setChecked(True)

    def order_of(self, index: int | None) -> int:
        """Where stream ``index`` comes among the film's audio tracks (0 when not among them)."""
        found = [n for n, t in enumerate(self.tracks) if t.index == index]
        return found[0] if found else 0

    def next_index(self, current: int | None) -> int | None:
        """The stream after ``current``, round to the first; None for a film with no sound."""
        if not self.tracks:
            return None
        return self.tracks[(self.order_of(current) + 1) % len(self.tracks)].index
