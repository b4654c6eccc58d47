"""One open project's widgets: the player and the panels, wired to one transport and one session.

The film's first frame comes first: the workspace shows the player at once and builds the panels
(whose edits bring in SQLModel), the late panels (the timeline: pyqtgraph) and the frame
thumbnails only once that frame is on screen, one step per turn of the event loop. The docks exist
from the start, empty (:class:`desk.ui.panels.PanelSet`), so the window keeps its layout while they
fill. Whether a film may play is :mod:`desk.ui.film_trust`; finding a missing one,
:mod:`~.relink_flow`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from desk.core.timemap import TimeMap
from desk.store import queries
from desk.store.changes import Changed
from desk.store.reads import outline
from desk.ui import relink_flow
from desk.ui.after_paint import after_next_paint
from desk.ui.film_trust import FilmTrust, ask_to_play
from desk.ui.panels import PanelOf, PanelSet, Tools
from desk.ui.player_view import PlayerView
from desk.ui.session import Session
from desk.ui.thumbnails import Thumbnails
from desk.ui.transport import Transport

if TYPE_CHECKING:
    from desk.store.changes import Changes
    from desk.ui.actions import Actions
    from desk.ui.essay_panel import EssayPanel
    from desk.ui.notes_panel import NotesPanel
    from desk.ui.readings_panel import ReadingsPanel
    from desk.ui.scenes_panel import ScenesPanel
    from desk.ui.timeline import TimelineWidget

#: The panels wait this long at most for the film's first frame (a film that decodes slowly).
FIRST_FRAME_WAIT_MS = 2000


class Workspace:
    def __init__(
        self, session: Session, window: QMainWindow, actions: Actions, *, trusted_media: bool
    ) -> None:
        self.session = session
        self.actions = actions
        self.window = window
        media = queries.reference_media(session.project) if trusted_media else None
        self.film_trust = FilmTrust([media.path] if media else [])
        self.film: Path | None = None
        self._thumbnails_pending: tuple[Path, TimeMap] | None = None
        self._closed = False
        self._rest_started = False
        self._waiting_for_paint = False
        self.transport = Transport(window)
        self.thumbnails = Thumbnails(window)
        self.player = PlayerView(self.transport, actions=actions)
        self.player.frame_shown.connect(self._on_frame_shown)
        self.player.frame_times_progress.connect(self._show_frame_times_progress)
        self.player.audio_track_chosen.connect(self._keep_audio_track)
        self.player.playback_notice.connect(self._tell_about_playback)
        self._film_notice = ""  # what the status bar says of the film loaded
        self._loaded: tuple[object, ...] | None = None  # the media row the player was pointed at
        session.changes_applied.connect(self._on_changes)
        #: The docks' contents: holders that the panels fill once the first frame is shown.
        tools = Tools(session, self.transport, self.thumbnails, actions, self._to_player)
        self.panels = PanelSet(tools, window)

    essay: PanelOf[EssayPanel] = PanelOf("essay")
    notes: PanelOf[NotesPanel] = PanelOf("notes")
    scenes: PanelOf[ScenesPanel] = PanelOf("scenes")
    readings: PanelOf[ReadingsPanel] = PanelOf("readings")
    timeline: PanelOf[TimelineWidget] = PanelOf("timeline")

    def _to_player(self) -> None:
        self.player.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- after the first frame -----------------------------------------------------------------
    def _on_frame_shown(self) -> None:
        if not self._rest_started:
            if not self._waiting_for_paint:  # the panels follow once the frame is painted
                self._waiting_for_paint = True
                after_next_paint(self.player.picture, self._build_rest)
        elif self._thumbnails_pending is not None:  # a relinked film
            self._start_thumbnails()

    def _build_rest(self) -> None:
        """The panels now; the late panels and the thumbnails on the next turns of the loop."""
        if self._closed or self._rest_started:
            return
        self._rest_started = True
        self.player.start_playback()  # libVLC first: the film plays before the panels are up
        # The timeline's largest reads run while the other panels are built (numpy comes in
        # with them, after the first frame).
        from desk.store.reads import timeline as timeline_reads

        self.session.read_ahead(timeline_reads.link_rows)
        self.panels.build(late=False)
        QTimer.singleShot(0, self._after_panels)

    def _after_panels(self) -> None:
        if self._closed:
            return
        self.panels.build(late=True)
        # The essay's chips ask for the stills they show as they are painted; asking for the
        # next 500 ahead of scrolling (a time map each) waits until every panel is built.
        QTimer.singleShot(0, self._start_thumbnails)

    # -- media ---------------------------------------------------------------------------------
    def _media_row(self) -> tuple[object, ...] | None:
        media = queries.reference_media(self.session.project)
        return media.playback if media is not None else None

    def _on_changes(self, changes: Changes) -> None:
        """Undoing or redoing a relink points the player at the film the project names again.

        (Whoever relinks in the first place reloads the player itself, once the user has chosen.)
        """
        undone_or_redone = changes.initiator is None and changes.touches(Changed.FILM)
        if undone_or_redone and self._media_row() != self._loaded:
            self.load_media(offer_relink=False)
        elif undone_or_redone and self.player.server is not None:
            media = queries.reference_media(self.session.project)  # its sound may be another
            if media is not None and media.audio_track != self.player.audio_track:
                self.player.show_audio_track(media.audio_track)

    def _keep_audio_track(self, index: int) -> None:
        """The project plays, measures and cuts clips with the sound the user chose."""
        media = queries.reference_media(self.session.project)
        if media is None or media.audio_track == index:
            return
        from desk.store import edits  # SQLModel comes in with the first edit, after the first frame

        self.session.edit(edits.update_media, media.id, audio_track=index, initiator=self.player)
        name = next((a.text() for a in self.player.audio_menu.actions() if a.data() == index), "")
        self.window.statusBar().showMessage(
            f"Audio: {name}. Analyse the film again for the loudness of this track.", 8000
        )

    def load_media(self, *, offer_relink: bool = True) -> None:
        """Show the film's first frame, or say why not; then the rest of the workspace.

        A missing film is offered for relinking unless ``offer_relink`` is false.
        """
        media = queries.reference_media(self.session.project)
        self._loaded = media.playback if media is not None else None
        if media is None:
            self._drop_film()
            self.player.show_message("This project has no film yet.")
            self._build_rest()
            return
        path = Path(media.path)
        if not path.is_file():
            self._drop_film()
            self.player.show_message(f"The film is missing: {path}")
            self._build_rest()
            if offer_relink and relink_flow.wants_relink(self.window, media):
                self.relink(media)
            return
        if not self.film_trust.known(path):
            self._build_rest()  # the panels stand behind the question
        if not self.film_trust.confirmed(path, lambda film: ask_to_play(self.window, film)):
            self._drop_film()  # not the film played until now either: the project names another
            self.player.show_message("The film was not opened.")
            return
        self._play(media, path)

    def _drop_film(self) -> None:
        """Nothing plays, decodes stills or is analysed from the film shown until now."""
        self.player.close_media()
        self.thumbnails.close()
        self._thumbnails_pending = None
        self.film = None
        self.panels.set_film(None)

    def _show_frame_times_progress(self, done: float) -> None:
        """The film's frame times, read once per copy on first opening, in the status bar."""
        bar = self.window.statusBar()
        if done < 1.0:
            bar.showMessage(f"Reading the film's frame times… {done:.0%}")
        else:
            bar.showMessage("The film's frame times are read: frame numbers are exact.", 5000)

    def _play(self, media: queries.Media, path: Path) -> None:
        if media.clock_pending:  # a project from before desk counted on the container's clock
            from desk.film_tasks import settle_clock

            settle_clock(self.session.project, path)
            media = queries.reference_media(self.session.project) or media
            self._loaded = media.playback
        time_map = media.film_map
        fps = (media.fps_num, media.fps_den)
        # Until the first frame is painted, libVLC waits (it starts in _build_rest).
        message = self.player.load(
            path,
            time_map,
            fps,
            media.duration_ms,
            media.audio_track,
            playback_later=not self._rest_started,
        )
        self.film = path
        self.panels.set_film(path)
        # Thumbnails wait for the first exact frame, so their decoding does not delay it.
        self._thumbnails_pending = (path, time_map)
        if not self._rest_started:
            if self.player.server is None:  # no frame will come; the player says why
                self._build_rest()
            else:
                QTimer.singleShot(FIRST_FRAME_WAIT_MS, self._build_rest)
        self._film_notice = relink_flow.changed_since_added(media, path)
        self._tell_about_playback(message)

    def _tell_about_playback(self, notice: str) -> None:
        """The film's notices in the status bar: changed since it was added, how it plays."""
        message = " ".join(m for m in (self._film_notice, notice) if m)
        if message:
            self.window.statusBar().showMessage(message, 15000)

    def _start_thumbnails(self) -> None:
        if self._thumbnails_pending is None:  # already started, or the project was closed
            return
        path, time_map = self._thumbnails_pending
        self._thumbnails_pending = None
        self.thumbnails.load(path, time_map)
        self.thumbnails.prefetch(  # the essay's chips first; other stills load when shown
            outline.paragraph_link_starts(self.session.project, limit=500)
        )

    def relink(self, media: queries.Media) -> None:
        """Find the film in a folder the user picks, then play it."""
        found = relink_flow.relink(self.window, self.session, media, initiator=self)
        if found is not None:
            self.film_trust.trust(found)  # the user chose it
            self.load_media()

    def close_media(self) -> None:
        self._closed = True
        self._thumbnails_pending = None
        self.panels.close()
        self.actions.release(self.player)
        self.player.close_media()
        self.thumbnails.close()
        for obj in (self.transport, self.thumbnails):  # the window outlives them
            obj.deleteLater()
