"""Playback backends behind one small interface with declared capabilities.

libVLC plays anything, with sound; Qt Multimedia is the fallback when libVLC is missing or fails to
start, and :func:`open_backend` says so once. Neither is trusted for the exact frame when paused:
the player view shows the frame server's picture then. What a backend cannot do raises
:class:`Unsupported`; the UI asks :attr:`Backend.capabilities` first. Times here are *copy*
milliseconds (the file's own time).

Each backend corrects its own engine's quirks behind :class:`Backend`, so the player view needs
nothing but the protocol: libVLC's clock, just after a seek, reads up to a frame before where it
was sent (:meth:`VlcBackend.time_ms` counts that as being there); libVLC ignores a seek until
playback has started, so :meth:`VlcBackend.seek` holds the target and sends it again once libVLC
reports playing; libVLC's "not playing" also means "not started yet", so the end of the film is
asked of :meth:`Backend.ended` (and there libVLC's clock, which stops short, reads the film's
length); and where Qt draws on no screen
(its offscreen and minimal platforms) libVLC gets dummy outputs; Qt Multimedia hands its pictures
to :meth:`Backend.show_pictures` instead of drawing into a window.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from enum import Flag, auto
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from desk.errors import KnownError

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QImage

log = logging.getLogger("desk.media.playback")

#: libVLC's default file caching (1000 ms) makes every seek lag that long; local files need little.
FILE_CACHING_MS = 150
#: How far past libVLC's last reported time its clock is carried forward while playing: libVLC 3
#: moves its reported time in steps (a quarter of a second apart here), so a time read between two
#: steps is the time of the last step plus what has played since; longer than a few steps without
#: a new time means playback is held up (buffering), and the clock waits for libVLC's.
CARRY_MS = 1000
#: How long after a seek is sent a time libVLC reports that it could not have played to from the
#: target counts as its position before the seek: starting to play from a pause, libVLC 3 may
#: report its old time, or 0, for a moment after ``set_time`` (seen here 30 ms after it).
SENT_STALE_S = 1.0

#: libVLC's demuxer for MPEG program streams (DVD VOBs, ``.mpg``): its libavformat one, falling
#: back to any other if a build lacks it. libVLC 3 reports as its time the demuxer's, and its own
#: PS demuxer's is the time of the packets it has just read, 0.3 to 0.7 s ahead of the picture
#: on screen (measured here, libVLC 3.0.24 under Xvfb: a paused DVD VOB jumped 6 to 18 frames
#: forward); libavformat's follows the output as Matroska's and MP4's do.
PROGRAM_STREAM_DEMUX = "avformat,any"


def demuxer_for(path: Path, container: str | None = None) -> str | None:
    """The libVLC demuxer whose clock keeps to the picture in ``path`` (None: libVLC's choice;
    also if the file cannot be read here, as the probe says, not the player). ``container`` is
    the film's container format as PyAV named it when the film was opened already
    (:class:`~desk.media.probe.FilmHeader`): then the file is not opened again to ask."""
    if container is not None:
        return _demuxer_of(container)
    import av

    try:
        # Only the container's name is wanted, on the thread that loads the film: a few KB name
        # it, where reading the streams as the probe does reads up to FFmpeg's 5 MB and 5 s.
        with av.open(str(path), options={"probesize": "2048", "analyzeduration": "0"}) as opened:
            name = opened.format.name
    except (av.FFmpegError, OSError):
        return None
    return _demuxer_of(name)


def _demuxer_of(container: str) -> str | None:
    names = set(container.split(","))
    return PROGRAM_STREAM_DEMUX if "mpeg" in names else None  # PyAV's name for MPEG-PS, VOB too


class Capability(Flag):
    SEEK = auto()
    RATE = auto()
    STEP_FORWARD = auto()
    AUDIO_TRACKS = auto()
    EMBED = auto()


class Unsupported(KnownError):
    """The playback backend cannot do what was asked."""


class PlaybackUnavailable(KnownError):
    """No playback backend could start."""


@dataclass(frozen=True)
class AudioTrackChoice:
    id: int
    name: str


class Backend(Protocol):
    """What the player view needs from a playback engine."""

    name: str
    capabilities: Capability

    def load(self, path: Path, frame_ms: float, *, container: str | None = None) -> None:
        """Open a film whose frames last ``frame_ms``; ``container`` is its container format as
        PyAV named it, if it is known already."""

    def embed(self, window_id: int) -> None:
        """Draw into this native window (:attr:`Capability.EMBED`)."""

    def show_pictures(self, show: Callable[[QImage], None]) -> None:
        """Hand each picture played to ``show`` (a backend without :attr:`Capability.EMBED`)."""

    def play(self) -> None:
        """Play from where the last :meth:`seek` sent it (or from where it paused)."""

    def pause(self) -> None: ...
    def is_playing(self) -> bool: ...
    def ended(self) -> bool:
        """Whether playback stopped at the end of the film."""

    def time_ms(self) -> int:
        """Where playback is, in copy ms."""

    def seek(self, copy_ms: int) -> None:
        """Go to ``copy_ms``, playing or not; the next :meth:`play` starts there."""

    def pictures_shown(self) -> int | None:
        """How many pictures the video output has shown of the film (None: it cannot count)."""

    def set_rate(self, rate: float) -> None: ...
    def set_volume(self, percent: int) -> None: ...
    def set_muted(self, muted: bool) -> None: ...
    def audio_tracks(self) -> list[AudioTrackChoice]: ...
    def set_audio_track(self, track_id: int) -> None: ...
    def choose_audio(self, order: int) -> None:
        """Play the film's ``order``-th audio stream (0: the first, in the container's order),
        from now on and in every film loaded after."""
        ...

    def close(self) -> None: ...


class VlcBackend:
    """libVLC 3 through python-vlc, drawing into a native window of ours."""

    name = "libVLC"
    capabilities = (
        Capability.SEEK
        | Capability.RATE
        | Capability.STEP_FORWARD
        | Capability.AUDIO_TRACKS
        | Capability.EMBED
    )

    #: Every instance's options: no title over the film, no chatter, and no Xlib calls of its own
    #: (Qt owns the X connection).
    ARGS: tuple[str, ...] = ("--no-video-title-show", "--quiet", "--no-xlib")
    #: Where there is no screen: libVLC's own outputs would open windows of their own, or fail.
    HEADLESS_ARGS = ("--vout=dummy", "--aout=dummy")

    def __init__(self, *, headless: bool = False) -> None:
        try:
            import vlc
        except (ImportError, OSError, NotImplementedError) as exc:  # python-vlc raises the last
            raise PlaybackUnavailable(f"libVLC is not available ({exc}).") from exc  # if no libvlc
        except SystemExit as exc:  # python-vlc's way to reject its environment variables
            raise PlaybackUnavailable(
                "libVLC is not available (python-vlc could not load it from PYTHON_VLC_LIB_PATH "
                "or PYTHON_VLC_MODULE_PATH)."
            ) from exc
        self._vlc = vlc
        args = (*self.ARGS, *(self.HEADLESS_ARGS if headless else ()))
        instance = vlc.Instance(list(args))
        if instance is None:
            raise PlaybackUnavailable("libVLC is installed but failed to start.")
        self._instance = instance
        self._player = instance.media_player_new()
        self._frame_ms = 1000 / 24
        self._sent_to: int | None = None  # the copy time last sent to, until playback leaves it
        self._sent_when = 0.0  # when it was sent (time.monotonic())
        self._held: int | None = None  # sent to while not playing: sent again once playing
        self._audio_order: int | None = None
        self._rate = 1.0
        # libVLC's last reported time and the moment it reported it (set from libVLC's thread)
        self._step: tuple[int, float] | None = None
        self._paused_at: int | None = None  # the time at the moment of pausing, until moved
        events = self._player.event_manager()
        events.event_attach(vlc.EventType.MediaPlayerTimeChanged, self._on_time_changed)

    def _on_time_changed(self, event: Any) -> None:
        self._step = (int(event.u.new_time), time.monotonic())

    def load(self, path: Path, frame_ms: float, *, container: str | None = None) -> None:
        media = self._instance.media_new_path(str(path))
        media.add_option(f":file-caching={FILE_CACHING_MS}")
        demux = demuxer_for(path, container)
        if demux is not None:
            media.add_option(f":demux={demux}")
        if self._audio_order is not None:  # the sound chosen, from the first moment played
            media.add_option(f":audio-track={self._audio_order}")
        self._player.set_media(media)
        self._frame_ms = frame_ms
        self._sent_to = self._held = self._paused_at = None
        self._step = None

    def embed(self, window_id: int) -> None:
        import sys

        if sys.platform.startswith("linux"):
            self._player.set_xwindow(window_id)
        elif sys.platform == "win32":
            self._player.set_hwnd(window_id)
        elif sys.platform == "darwin":
            self._player.set_nsobject(window_id)

    def show_pictures(self, show: Callable[[QImage], None]) -> None:
        raise Unsupported("libVLC draws into a window, it hands over no pictures.")

    def play(self) -> None:
        if self.ended():
            # An ended libVLC stays Ended until its new playback starts, a moment later: whoever
            # polls would take the film for over at once. Stopped, it starts afresh from where
            # it is sent (the seek held for it).
            self._player.stop()
        self._paused_at = None
        self._player.play()

    def pause(self) -> None:
        """Pause, keeping the time of this moment (carried past libVLC's last step) as where
        libVLC is: its own clock stops at that step, behind the picture it had shown."""
        playing = bool(self._player.is_playing())
        at = self.time_ms()
        self._player.set_pause(1)
        if playing:
            self._paused_at = at

    def is_playing(self) -> bool:
        playing = bool(self._player.is_playing())
        if playing and self._held is not None:
            self._send_held()
        return playing

    def ended(self) -> bool:
        return bool(self._player.get_state() == self._vlc.State.Ended)

    def _send_held(self) -> None:
        """libVLC has started playing: now it goes where it was sent before."""
        held, self._held = self._held, None
        if held is not None:
            self._sent_to, self._sent_when = held, time.monotonic()
            self._player.set_time(held)

    def time_ms(self) -> int:
        """Where libVLC is. Until a held seek is sent (:meth:`seek`), where it was sent. Just
        after a seek it reports where it was sent, or a moment up to a frame before; that counts
        as being there (the clock is not carried forward from it: the picture may not have moved
        yet), until it reports anything else; for a second after a seek, a time it could
        not have played to from there is still where it was before. At the end of the film its
        clock stops a few frames short (100-250 ms here): the end is the film's length."""
        if self._held is not None and not self.is_playing():
            return self._held
        if self.ended() and self._player.get_length() > 0:
            return int(self._player.get_length())
        if self._paused_at is not None:
            return self._paused_at
        copy_ms = max(0, int(self._player.get_time()))
        sent = self._sent_to
        if sent is not None:
            if sent - self._frame_ms < copy_ms <= sent:
                return sent
            since = time.monotonic() - self._sent_when
            if since < SENT_STALE_S and not sent <= copy_ms <= sent + since * 1000 * self._rate:
                return sent  # where it was before (or 0): it has not got there yet
            self._sent_to = None  # under way from there
        return self._carried(copy_ms)

    def _carried(self, copy_ms: int) -> int:
        """``copy_ms`` carried forward by what has played since libVLC reported it."""
        step = self._step
        if step is None or step[0] != copy_ms or not self._player.is_playing():
            return copy_ms
        played = (time.monotonic() - step[1]) * 1000 * self._rate
        return copy_ms + int(min(played, CARRY_MS))

    def seek(self, copy_ms: int) -> None:
        """libVLC ignores ``set_time`` until playback has started, and a paused libVLC lands a
        few frames off; sent while not playing, the target is held and sent again (by
        :meth:`is_playing` or :meth:`time_ms`) as soon as libVLC reports playing."""
        self._sent_to, self._sent_when = int(copy_ms), time.monotonic()
        self._held = None if self._player.is_playing() else int(copy_ms)
        self._paused_at = None
        self._step = None
        self._player.set_time(int(copy_ms))

    def set_rate(self, rate: float) -> None:
        self._rate = rate
        self._player.set_rate(rate)

    def set_volume(self, percent: int) -> None:
        self._player.audio_set_volume(int(percent))

    def set_muted(self, muted: bool) -> None:
        self._player.audio_set_mute(muted)

    def audio_tracks(self) -> list[AudioTrackChoice]:
        found = self._player.audio_get_track_description() or []
        return [
            AudioTrackChoice(int(i), n.decode() if isinstance(n, bytes) else str(n))
            for i, n in found
            if int(i) >= 0
        ]

    def set_audio_track(self, track_id: int) -> None:
        self._player.audio_set_track(track_id)

    def choose_audio(self, order: int) -> None:
        """``:audio-track`` counts audio streams in the container's order; once playing, libVLC
        names its tracks by ids of its own, listed in that order."""
        self._audio_order = order
        tracks = self.audio_tracks()
        if 0 <= order < len(tracks):
            self._player.audio_set_track(tracks[order].id)

    def pictures_shown(self) -> int:
        """How many pictures libVLC's video output has shown of the film (its own count; `desk
        check --play` uses it to tell a working libVLC from one that plays without a picture)."""
        media = self._player.get_media()
        stats = self._vlc.MediaStats()
        if media is None or not media.get_stats(stats):
            return 0
        return int(stats.displayed_pictures)

    @staticmethod
    def version() -> str:
        import vlc

        return bytes(vlc.libvlc_get_version()).decode("utf-8", "replace")

    def close(self) -> None:
        self._player.stop()
        self._player.release()
        self._instance.release()


def _quiet_qt_ffmpeg() -> None:
    """Qt Multimedia's FFmpeg backend prints each film's stream table (``av_dump_format``) on
    stderr at FFmpeg's default log level; the copy of FFmpeg that ships inside PySide6 is told to
    report errors only. A Qt built against the system's FFmpeg is left as it is."""
    import ctypes

    try:
        import PySide6
    except ImportError:
        return
    for library in sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libavutil.so.*")):
        try:
            ctypes.CDLL(str(library)).av_log_set_level(AV_LOG_ERROR)
        except (OSError, AttributeError):
            continue
        return


#: FFmpeg's log level for errors (libavutil/log.h).
AV_LOG_ERROR = 16


class QtBackend:
    """Qt Multimedia, used when libVLC is missing; frames arrive through a ``QVideoSink``."""

    name = "Qt Multimedia"
    capabilities = Capability.SEEK | Capability.RATE | Capability.AUDIO_TRACKS

    def __init__(self) -> None:
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoSink
        except ImportError as exc:
            raise PlaybackUnavailable(f"Qt Multimedia is not available ({exc}).") from exc
        self._player = QMediaPlayer()
        _quiet_qt_ffmpeg()  # once Qt has loaded its FFmpeg (which needs the OpenSSL Qt loads)
        if not self._player.isAvailable():
            raise PlaybackUnavailable("Qt Multimedia has no media backend here.")
        self._audio = QAudioOutput()
        self._audio_order: int | None = None
        self._player.setAudioOutput(self._audio)
        self.sink = QVideoSink()
        self._player.setVideoSink(self.sink)
        # Qt loads a film in the background and drops a position set before it is loaded: the
        # position sent meanwhile is held and set once the film is loaded.
        self._held: int | None = None
        self._player.mediaStatusChanged.connect(self._on_status)

    def _loading(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        status = self._player.mediaStatus()
        return status in (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia)

    def _on_status(self) -> None:
        if self._held is not None and not self._loading():
            held, self._held = self._held, None
            self._player.setPosition(held)

    def load(self, path: Path, frame_ms: float, *, container: str | None = None) -> None:
        from PySide6.QtCore import QUrl

        self._held = None
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        if self._audio_order is not None:
            self._player.setActiveAudioTrack(self._audio_order)

    def embed(self, window_id: int) -> None:
        raise Unsupported("Qt Multimedia draws through a video sink, not into a window.")

    def show_pictures(self, show: Callable[[QImage], None]) -> None:
        self.sink.videoFrameChanged.connect(lambda frame: show(frame.toImage()))

    def play(self) -> None:
        self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def is_playing(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        return bool(self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState)

    def ended(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        return bool(self._player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia)

    def time_ms(self) -> int:
        return self._held if self._held is not None else int(self._player.position())

    def seek(self, copy_ms: int) -> None:
        if self._loading():
            self._held = int(copy_ms)
        else:
            self._player.setPosition(int(copy_ms))

    def set_rate(self, rate: float) -> None:
        self._player.setPlaybackRate(rate)

    def set_volume(self, percent: int) -> None:
        self._audio.setVolume(percent / 100)

    def set_muted(self, muted: bool) -> None:
        self._audio.setMuted(muted)

    def audio_tracks(self) -> list[AudioTrackChoice]:
        return [
            AudioTrackChoice(i, str(t.stringValue(t.Key.Language)) or f"Track {i + 1}")
            for i, t in enumerate(self._player.audioTracks())
        ]

    def set_audio_track(self, track_id: int) -> None:
        self._player.setActiveAudioTrack(track_id)

    def choose_audio(self, order: int) -> None:
        self._audio_order = order
        self._player.setActiveAudioTrack(order)

    def pictures_shown(self) -> int | None:
        """None: Qt Multimedia keeps no count of the pictures it has shown."""
        return None

    def close(self) -> None:
        self._player.stop()


@dataclass
class _Failures:
    """Why a backend failed to start in this process; it is neither tried nor reported again."""

    reasons: dict[str, str] = field(default_factory=dict)


_failures = _Failures()


def forget_failures() -> None:
    """Try every backend again at the next :func:`open_backend`, and report a failure again."""
    _failures.reasons.clear()


def _screenless() -> bool:
    """Whether Qt draws on no screen a viewer sees (its offscreen and minimal platforms)."""
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.platformName() in ("offscreen", "minimal")


def open_backend(prefer: str = "vlc") -> tuple[Backend, str]:
    """The best backend that starts, and what to tell the user: why libVLC did not start, the
    first time it fails ('' otherwise). Once libVLC has failed, it is not tried again.

    Raises :class:`PlaybackUnavailable` if no backend starts.
    """
    notice = ""
    if prefer == "vlc" and VlcBackend.name not in _failures.reasons:
        try:
            return VlcBackend(headless=_screenless()), ""
        except PlaybackUnavailable as exc:
            _failures.reasons[VlcBackend.name] = str(exc)
            notice = f"{exc} desk plays through Qt Multimedia instead."
            log.warning("%s", notice)
    try:
        return QtBackend(), notice
    except PlaybackUnavailable as exc:
        earlier = _failures.reasons.get(VlcBackend.name) if prefer == "vlc" else None
        raise PlaybackUnavailable(f"{earlier} {exc}" if earlier else str(exc)) from exc
