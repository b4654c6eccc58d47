"""Every action of the window, declared once: its name, menu, key, where it works and what it does.

The window's menus, the transport buttons, the keys and the F1 sheet are all built from
:data:`ACTIONS`, and ``desk keys`` prints it, so none of them can disagree with another. This module
knows nothing of Qt (``desk keys`` must not load it); shortcuts are Qt's portable key-sequence text
(``Ctrl+Shift+Left``, ``Esc``), which Qt reads back as is.

Where an action works (its ``context``):

- ``anywhere``: wherever focus is in the window. A single key (Space, J/K/L, I/O, N, B, M, F, the
  arrows) gives way only while text is being typed: a text field or an open editor keeps the keys it
  types with, and Esc leaves it for the player.
- ``essay`` / ``notes`` / ``timeline``: while focus is in that panel (its keys mean something else
  elsewhere).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Context = Literal["anywhere", "essay", "notes", "timeline"]

#: The menus, in the order the menu bar shows them.
MENUS = (
    "File", "Edit", "View", "Playback", "Marks", "Essay", "Notes", "Timeline", "Readings", "Clips",
    "Help",
)  # fmt: skip


@dataclass(frozen=True)
class Action:
    id: str
    name: str
    menu: str
    shortcut: str  # Qt portable text; "" for none
    context: Context
    help: str
    #: On or off (mute, loop) rather than done once.
    checkable: bool = False
    #: A separator goes above it in its menu.
    group_start: bool = False

    def as_dict(self) -> dict[str, object]:
        """What ``desk keys --json`` says of it."""
        fields = asdict(self)
        return {k: fields[k] for k in ("id", "name", "menu", "shortcut", "context", "help")}


def _a(
    id: str,  # noqa: A002 - the table's own word for it
    name: str,
    menu: str,
    shortcut: str,
    help: str,  # noqa: A002
    *,
    context: Context = "anywhere",
    checkable: bool = False,
    group_start: bool = False,
) -> Action:
    return Action(id, name, menu, shortcut, context, help, checkable, group_start)


ACTIONS: tuple[Action, ...] = (
    _a("file.new", "New project from a film…", "File", "Ctrl+Shift+N",
       "Make a project for a film you choose; its film plays without asking."),
    _a("file.open", "Open project…", "File", "Ctrl+O", "Open a .desk project or a .deskz bundle."),
    _a("file.open_class", "Open class project…", "File", "",
       "Open a class's project on a PostgreSQL server: postgresql://HOST/DB?class=NAME."),
    _a("file.sample", "Open the sample project", "File", "",
       "The final scene of Anora, on a stand-in film."),
    _a("file.save_copy", "Save a copy as…", "File", "Ctrl+Shift+S",
       "Copy the open project to another file (it stays open here).", group_start=True),
    _a("file.locate", "Locate the film…", "File", "",
       "Find a moved film in a folder, by its contents."),
    _a("file.align", "Align another copy of the film…", "File", "",
       "Play another copy (a DVD, a streaming release) with every link kept in place."),
    _a("file.report", "Export report (PDF)…", "File", "Ctrl+E",
       "The essay with the exact frames it cites, as a PDF.", group_start=True),
    _a("file.present", "Present a clip list…", "File", "Ctrl+Shift+P",
       "Play a clip list full screen, clip by clip."),
    _a("file.quit", "Quit", "File", "Ctrl+Q", "Close desk; every edit is already saved.",
       group_start=True),
    _a("edit.undo", "Undo", "Edit", "Ctrl+Z", "Undo the last edit (it stays undoable after "
       "reopening)."),
    _a("edit.redo", "Redo", "Edit", "Ctrl+Shift+Z", "Redo the edit just undone."),
    _a("edit.search", "Search…", "Edit", "Ctrl+F",
       "Search the essay, notes, beats and dialogue; a result sends the player there.",
       group_start=True),
    _a("edit.characters", "Characters…", "Edit", "",
       "Add, rename, recolour and delete the project's characters; deleting one says first "
       "what names it.", group_start=True),
    _a("view.dark", "Dark palette", "View", "", "Light text on dark."),
    _a("view.light", "Light palette", "View", "", "Dark text on light."),
    _a("view.reset_layout", "Reset layout", "View", "",
       "Every panel shown again, in the places a first start gives them.", group_start=True),
    _a("play.toggle", "Play / pause", "Playback", "Space",
       "Play, or pause on the exact frame."),
    _a("play.slower", "Slower", "Playback", "J", "Play slower (down to 0.25×)."),
    _a("play.stop", "Stop", "Playback", "K", "Stop on the exact frame."),
    _a("play.faster", "Faster", "Playback", "L", "Play faster (up to 4×)."),
    _a("play.frame_back", "One frame back", "Playback", "Left",
       "The previous frame, exactly.", group_start=True),
    _a("play.frame_forward", "One frame forward", "Playback", "Right",
       "The next frame, exactly."),
    _a("play.second_back", "One second back", "Playback", "Shift+Left", "Jump 1 s back."),
    _a("play.second_forward", "One second forward", "Playback", "Shift+Right",
       "Jump 1 s forward."),
    _a("play.five_back", "Five seconds back", "Playback", "Ctrl+Left", "Jump 5 s back."),
    _a("play.five_forward", "Five seconds forward", "Playback", "Ctrl+Right",
       "Jump 5 s forward."),
    _a("play.minute_back", "One minute back", "Playback", "Ctrl+Shift+Left", "Jump 1 min back."),
    _a("play.minute_forward", "One minute forward", "Playback", "Ctrl+Shift+Right",
       "Jump 1 min forward."),
    _a("play.goto", "Go to a timecode…", "Playback", "Ctrl+G",
       "Type a time any common way: 1:23.5, 83.5s, SMPTE 00:01:23:12.", group_start=True),
    _a("play.loop", "Loop between the marks", "Playback", "Ctrl+Shift+A",
       "Play the I/O range over and over.", checkable=True),
    _a("play.mute", "Mute", "Playback", "M", "Sound off or on.", checkable=True),
    _a("play.audio_track", "Next audio track", "Playback", "A",
       "Play the film's next audio track (a commentary, a dub); the project keeps the choice, "
       "and its loudness and clips use that track. Playback → Audio track lists them all."),
    _a("play.full_screen", "Full screen", "Playback", "F", "The film alone, full screen."),
    _a("play.back_to_player", "Back to the player", "Playback", "Esc",
       "Leave full screen, or the text field or editor for the player; with neither to leave, "
       "clear the marks.",
       group_start=True),
    _a("marks.in", "Mark in", "Marks", "I",
       "The I/O range starts at the playhead; notes, beats and links then cover the range."),
    _a("marks.out", "Mark out", "Marks", "O", "The I/O range ends at the playhead."),
    _a("marks.clear", "Clear the marks", "Marks", "Alt+X",
       "No I/O range: notes and beats go at the playhead again."),
    _a("essay.link_frame", "Link the paragraph to the current frame", "Essay", "Ctrl+L",
       "Pin the selected paragraph to the frame on screen.", context="essay"),
    _a("essay.link_marks", "Link the paragraph to the I/O range", "Essay", "Ctrl+Shift+L",
       "Pin the selected paragraph to the marked range.", context="essay"),
    _a("essay.new", "New paragraph", "Essay", "Ctrl+N", "A paragraph after the selected one.",
       context="essay", group_start=True),
    _a("essay.up", "Move the paragraph up", "Essay", "Ctrl+Up", "Swap it with the one above.",
       context="essay"),
    _a("essay.down", "Move the paragraph down", "Essay", "Ctrl+Down",
       "Swap it with the one below.", context="essay"),
    _a("essay.split", "Split the paragraph at the cursor", "Essay", "Ctrl+Return",
       "While editing: the text after the cursor becomes a new paragraph.", context="essay"),
    _a("essay.merge", "Merge with the paragraph above", "Essay", "Ctrl+Backspace",
       "Join the selected paragraph to the one above (while editing, it deletes a word).",
       context="essay"),
    _a("essay.delete", "Delete the paragraph", "Essay", "Ctrl+Del",
       "Delete the selected paragraph (undoable; while editing, it deletes a word).",
       context="essay"),
    _a("notes.add", "Note…", "Notes", "N",
       "Type a note at this moment (on the I/O range when marked); playback goes on, and Enter "
       "saves it and returns to the player."),
    _a("notes.delete", "Delete the selected notes", "Notes", "Del",
       "Delete the notes selected in the notes list, each one undo step.", context="notes"),
    _a("beats.add", "Beat", "Timeline", "B",
       "A beat for the chosen character (the lane last pointed at): over the I/O range when "
       "marked, else from the playhead to the next shot cut, 2 s when no cut comes within 10 s, "
       "and never past the film's end."),
    _a("beats.delete", "Delete the selected beat", "Timeline", "Del",
       "Delete the beat selected on the timeline (undoable).", context="timeline"),
    _a("timeline.analyse", "Analyse the film", "Timeline", "",
       "Measure the loudness and find the shot cuts (once per copy), off the window's thread.",
       group_start=True),
    _a("timeline.export", "Export the timeline view…", "Timeline", "",
       "The timeline as shown, as a PNG or SVG picture."),
    _a("reading.new", "New reading…", "Readings", "",
       "Add a competing interpretation of a scene, named in a dialog."),
    _a("clips.new_list", "New clip list…", "Clips", "", "Start a clip list for a lecture."),
    _a("clips.add_marks", "Add the I/O range as a clip", "Clips", "",
       "A clip from the I mark to the O mark's frame, that frame included.", group_start=True),
    _a("clips.add_scene", "Add a scene as a clip…", "Clips", "", "A clip of a whole scene."),
    _a("clips.add_beats", "Add a run of beats as a clip…", "Clips", "",
       "One clip from a beat's start to the end of a later beat's last frame."),
    _a("clips.add_paragraph", "Add a paragraph's links as clips…", "Clips", "",
       "One clip per moment a paragraph cites."),
    _a("clips.handles", "Default handles…", "Clips", "",
       "Film shown before and after each new clip.", group_start=True),
    _a("clips.export", "Export the clip list…", "Clips", "",
       "MP4 clips, a playlist of them, a reel and a handout, with progress and Cancel."),
    _a("help.keys", "Keyboard shortcuts", "Help", "F1", "This list of every action and its key."),
    _a("help.guide", "User guide", "Help", "", "How to use desk, in a page of its own."),
    _a("help.about", "About desk…", "Help", "",
       "Version, licence, libVLC and PyAV, and where data and settings live."),
)  # fmt: skip

BY_ID = {action.id: action for action in ACTIONS}


def action(action_id: str) -> Action:
    """The action ``action_id`` (a KeyError names an unknown one)."""
    return BY_ID[action_id]


def as_text() -> str:
    """The table as ``desk keys`` prints it: by menu, the key, the name and where it works."""
    lines: list[str] = []
    for menu in MENUS:
        lines.append(menu)
        for entry in (a for a in ACTIONS if a.menu == menu):
            where = "" if entry.context == "anywhere" else f"  (in the {entry.context})"
            lines.append(f"  {entry.shortcut or '':<18}{entry.name}{where}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def as_json() -> list[dict[str, object]]:
    """The table as ``desk keys --json`` prints it."""
    return [entry.as_dict() for entry in ACTIONS]


def markdown_table() -> str:
    """The table as the README's key list (and the user guide's) shows it."""
    rows = ["| Key | Action | Menu | Where |", "|---|---|---|---|"]
    for entry in ACTIONS:
        key = f"`{entry.shortcut}`" if entry.shortcut else ""
        rows.append(f"| {key} | {entry.name} | {entry.menu} | {entry.context} |")
    return "\n".join(rows) + "\n"
