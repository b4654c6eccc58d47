"""The teacher's edits: clip lists for a lecture, as commands over the store.

A clip list is a named, ordered list of clips; a clip is a range of film time with handles (extra
film shown before and after it), a title and a caption. Clips are made from a scene, a run of beats
(from the first beat's start to the last beat's end), a paragraph's links (one clip per link) or
any range such as the player's I/O marks.

A clip is stored as a range ``[start_ms, end_ms)`` of film time, as links are, and shown as editors
read it: its out point is the **last frame it shows** (inclusive). A clip from the I/O marks takes
the frame on screen at the out mark as its last frame, so it ends where that frame ends; a clip of
beats 5–6 ends where beat 6 ends, with beat 6's last frame in it. A clip must last at least
:data:`MIN_CLIP_MS` with its handles: shorter, it is over before a class has seen it, and it is
refused with a sentence that says to give it handles (a one-frame link makes a clip only with them).

Each public edit takes an open :class:`~desk.store.project.Project`, applies one undoable, durable
command and returns ``(id, changes)``, as :mod:`desk.store.edits` does. Times are integer
milliseconds of film time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desk.core.timecode import FrameRate, format_ms
from desk.errors import ProjectError
from desk.store import checks, queries, tables
from desk.store.changes import Changes
from desk.store.commands import Tx
from desk.store.project import Project

Result = tuple[int, Changes]
#: Longest title made from a paragraph's text.
TITLE_CHARS = 60
#: The shortest clip, handles included: less is over before a class has seen it.
MIN_CLIP_MS = 1000


def _range(start_ms: int, end_ms: int | None) -> tuple[int, int]:
    end = start_ms if end_ms is None else end_ms
    if start_ms < 0 or end < start_ms:
        raise ProjectError(f"not a valid clip range: {start_ms}–{end} ms.")
    return int(start_ms), int(end)


def _handles(fields: dict[str, Any]) -> None:
    for key in ("handle_before_ms", "handle_after_ms"):
        if key in fields and int(fields[key]) < 0:
            raise ProjectError(f"a clip's handles cannot be negative ({key} = {fields[key]}).")


def _long_enough(start_ms: int, end_ms: int, fields: dict[str, Any]) -> None:
    """Refuse a clip that, with its handles, lasts less than :data:`MIN_CLIP_MS`."""
    before, after = int(fields.get("handle_before_ms", 0)), int(fields.get("handle_after_ms", 0))
    shown_ms = end_ms + after - max(0, start_ms - before)
    if shown_ms < MIN_CLIP_MS:
        span = f"{format_ms(start_ms, 'short_ms')}–{format_ms(end_ms, 'short_ms')}"
        raise ProjectError(
            f"the clip {span} lasts {shown_ms / 1000:.3f} s with its handles, less than a second: "
            "give it handles (before and after) or mark a longer range."
        )


def last_frame_ms(end_ms: int, rate: FrameRate | None) -> int:
    """Where the last frame of a clip ending (exclusive) at ``end_ms`` starts: its out point as
    shown. Without a frame rate, the millisecond before the end."""
    return max(0, end_ms - 1) if rate is None else rate.snap_ms(max(0, end_ms - 1))


def film_rate(project: Project) -> FrameRate | None:
    """The frame rate of the project's reference film, when it is known."""
    media = queries.reference_media(project)
    if media is None or media.fps_num <= 0 or media.fps_den <= 0:
        return None
    return FrameRate(media.fps)


def short_title(text: str, limit: int = TITLE_CHARS) -> str:
    """The opening of ``text`` as a title: one line, cut at a word, with an ellipsis if cut."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


# -- reading ----------------------------------------------------------------------------------
def clip_lists(project: Project) -> list[dict[str, Any]]:
    """Every clip list, in order, with its number of clips."""
    return project.rows(
        "SELECT l.id, l.name, l.position, count(c.id) AS clips FROM clip_list l "
        "LEFT JOIN clip c ON c.clip_list_id = l.id GROUP BY l.id ORDER BY l.position, l.id"
    )


def clips_of(project: Project, list_id: int) -> list[dict[str, Any]]:
    """The clips of one list, in lecture order."""
    return project.rows("SELECT * FROM clip WHERE clip_list_id = ? ORDER BY position, id", list_id)


def find_clip_list(project: Project, name: str) -> int | None:
    """The id of the list called ``name`` (case-insensitive), or None."""
    wanted = name.strip().casefold()
    for row in clip_lists(project):
        if str(row["name"]).strip().casefold() == wanted:
            return int(row["id"])
    return None


def scene_named(project: Project, name: str) -> int:
    """The id of the scene called ``name`` (case-insensitive)."""
    rows = project.query("SELECT id, name FROM scene ORDER BY position, id")
    for scene_id, scene_name in rows:
        if str(scene_name).strip().casefold() == name.strip().casefold():
            return int(scene_id)
    known = ", ".join(f"'{n}'" for _, n in rows) or "none"
    raise ProjectError(f"the project has no scene called '{name}' (scenes: {known}).")


def beats_numbered(project: Project, first: int, last: int) -> list[int]:
    """Ids of beats ``first`` to ``last``, counted from 1 in film order (as the report numbers
    them)."""
    ids = [r[0] for r in project.query("SELECT id FROM beat ORDER BY start_ms, end_ms, id")]
    if not 1 <= first <= last <= len(ids):
        raise ProjectError(f"the project has beats 1 to {len(ids)}, not {first} to {last}.")
    return [int(i) for i in ids[first - 1 : last]]


def paragraph_numbered(project: Project, number: int) -> int:
    """The id of body paragraph ``number`` (counted from 1, headings not counted)."""
    rows = project.query(
        "SELECT p.id FROM paragraph p JOIN essay e ON e.id = p.essay_id "
        "WHERE p.kind != 'heading' ORDER BY e.id, p.position, p.id"
    )
    if not 1 <= number <= len(rows):
        raise ProjectError(f"the essay has paragraphs 1 to {len(rows)}, not {number}.")
    return int(rows[number - 1][0])


# -- lists ------------------------------------------------------------------------------------
def add_clip_list(project: Project, name: str) -> Result:
    def apply(tx: Tx) -> int:
        count = tx.conn.execute("SELECT count(*) FROM clip_list").fetchone()[0]
        return tx.insert(tables.ClipList, name=name, position=count)

    return project.run("Add clip list", apply)


def ensure_clip_list(project: Project, name: str) -> Result:
    """The list called ``name``, made if there is none (then ``changes`` is empty)."""
    found = find_clip_list(project, name)
    return (found, Changes()) if found is not None else add_clip_list(project, name)


def rename_clip_list(project: Project, list_id: int, name: str) -> Result:
    def apply(tx: Tx) -> int:
        tx.update(tables.ClipList, list_id, name=name)
        return list_id

    return project.run("Rename clip list", apply)


def move_clip_list(project: Project, list_id: int, position: int) -> Result:
    def apply(tx: Tx) -> int:
        ids = [i for i in _list_order(tx) if i != list_id]
        ids.insert(max(0, min(position, len(ids))), list_id)
        _renumber(tx, tables.ClipList, ids)
        return list_id

    return project.run("Move clip list", apply)


def delete_clip_list(project: Project, list_id: int) -> Result:
    """Delete a list and its clips (one command: undo brings both back)."""

    def apply(tx: Tx) -> int:
        tx.delete_where(tables.Clip, "clip_list_id = ?", list_id)
        tx.delete(tables.ClipList, list_id)
        _renumber(tx, tables.ClipList, _list_order(tx))
        return list_id

    return project.run("Delete clip list", apply)


# -- clips ------------------------------------------------------------------------------------
def add_clip(
    project: Project,
    list_id: int,
    start_ms: int,
    end_ms: int,
    *,
    position: int | None = None,
    label: str = "Add clip",
    **fields: Any,
) -> Result:
    """A clip of ``[start_ms, end_ms)`` at ``position`` in the list (default: at the end).

    ``fields`` may set ``title``, ``caption``, ``handle_before_ms`` and ``handle_after_ms``.
    """
    start, end = _range(start_ms, end_ms)
    _handles(fields)
    return project.run(label, lambda tx: _insert(tx, list_id, [(start, end, fields)], position))


def clip_from_marks(
    project: Project, list_id: int, in_ms: int, out_ms: int, **fields: Any
) -> Result:
    """A clip over the player's I/O marks (in either order). The out mark is inclusive: the frame
    on screen at the later mark is the clip's last frame, so the clip ends where that frame ends."""
    start, out = sorted((int(in_ms), int(out_ms)))
    rate = film_rate(project)
    end = out + 1 if rate is None else rate.start_ms(rate.frame_at(out) + 1)
    return add_clip(project, list_id, start, end, label="Add clip from marks", **fields)


def clip_from_scene(project: Project, list_id: int, scene_id: int, **fields: Any) -> Result:
    """A clip of a whole scene, titled with the scene's name unless a title is given."""
    found = project.query("SELECT name, start_ms, end_ms FROM scene WHERE id = ?", scene_id)
    if not found:
        raise ProjectError(f"the project has no scene {scene_id}.")
    name, start, end = found[0]
    fields.setdefault("title", str(name))
    return add_clip(project, list_id, int(start), int(end), label="Add clip of scene", **fields)


def clip_from_beats(
    project: Project, list_id: int, beat_ids: Sequence[int], **fields: Any
) -> Result:
    """One clip over a run of beats: from the first beat's start to the last beat's end."""
    if not beat_ids:
        raise ProjectError("choose at least one beat to make a clip of.")
    marks = ", ".join("?" * len(beat_ids))
    rows = project.query(
        f"SELECT label, start_ms, end_ms FROM beat WHERE id IN ({marks}) ORDER BY start_ms, id",
        *beat_ids,
    )
    if len(rows) != len(set(beat_ids)):
        raise ProjectError("some of the chosen beats are not in the project.")
    labels = [str(r[0]) for r in rows if r[0]]  # beats added with B have no label yet
    default = f"{labels[0]} … {labels[-1]}" if len(labels) > 1 else "".join(labels)
    fields.setdefault("title", default)
    start, end = min(int(r[1]) for r in rows), max(int(r[2]) for r in rows)
    return add_clip(project, list_id, start, end, label="Add clip of beats", **fields)


def clips_from_paragraph(
    project: Project,
    list_id: int,
    paragraph_id: int,
    *,
    position: int | None = None,
    **fields: Any,
) -> Result:
    """One clip per time link of a paragraph, in film order; returns the first clip's id.

    Each clip is titled with its link's label, or else with the paragraph's opening words.
    """
    found = project.query("SELECT text FROM paragraph WHERE id = ?", paragraph_id)
    if not found:
        raise ProjectError(f"the project has no paragraph {paragraph_id}.")
    links = project.query(
        "SELECT start_ms, end_ms, label FROM time_link WHERE paragraph_id = ? "
        "ORDER BY start_ms, end_ms, id",
        paragraph_id,
    )
    if not links:
        raise ProjectError("the paragraph is not linked to the film, so it has no clips to make.")
    _handles(fields)
    opening = short_title(str(found[0][0]))
    specs = [(int(s), int(e), {"title": str(label) or opening, **fields}) for s, e, label in links]
    return project.run("Add clips of paragraph", lambda tx: _insert(tx, list_id, specs, position))


def update_clip(project: Project, clip_id: int, **fields: Any) -> Result:
    """Change a clip's range, handles, title or caption."""
    _handles(fields)

    def apply(tx: Tx) -> int:
        row = {**tx.get(tables.Clip, clip_id), **fields}
        _range(int(row["start_ms"]), int(row["end_ms"]))
        checks.span(tx.conn, row["start_ms"], row["end_ms"])  # inside the film
        _long_enough(int(row["start_ms"]), int(row["end_ms"]), row)
        tx.update(tables.Clip, clip_id, **fields)
        return clip_id

    return project.run("Edit clip", apply)


def move_clip(project: Project, clip_id: int, position: int) -> Result:
    def apply(tx: Tx) -> int:
        list_id = tx.get(tables.Clip, clip_id)["clip_list_id"]
        ids = [i for i in _clip_order(tx, list_id) if i != clip_id]
        ids.insert(max(0, min(position, len(ids))), clip_id)
        _renumber(tx, tables.Clip, ids)
        return clip_id

    return project.run("Move clip", apply)


def delete_clip(project: Project, clip_id: int) -> Result:
    def apply(tx: Tx) -> int:
        list_id = tx.get(tables.Clip, clip_id)["clip_list_id"]
        tx.delete(tables.Clip, clip_id)
        _renumber(tx, tables.Clip, _clip_order(tx, list_id))
        return clip_id

    return project.run("Delete clip", apply)


# -- helpers ----------------------------------------------------------------------------------
def _insert(
    tx: Tx,
    list_id: int,
    specs: Sequence[tuple[int, int, dict[str, Any]]],
    position: int | None,
) -> int:
    """Insert clips at ``position`` (default: the end), moving later clips down; the first id."""
    try:
        tx.get(tables.ClipList, list_id)
    except LookupError:
        raise ProjectError(f"the project has no clip list {list_id}.") from None
    for start, end, extra in specs:
        checks.span(tx.conn, start, end)  # inside the film, when its length is known
        _long_enough(start, end, extra)
    ids = _clip_order(tx, list_id)
    at = len(ids) if position is None else max(0, min(int(position), len(ids)))
    _renumber(tx, tables.Clip, ids[at:], start=at + len(specs))
    new = [
        tx.insert(
            tables.Clip,
            clip_list_id=list_id,
            position=at + offset,
            start_ms=start,
            end_ms=end,
            **fields,
        )
        for offset, (start, end, fields) in enumerate(specs)
    ]
    return new[0]


def _clip_order(tx: Tx, list_id: int) -> list[int]:
    rows = tx.conn.execute(
        "SELECT id FROM clip WHERE clip_list_id = ? ORDER BY position, id", (list_id,)
    )
    return [r[0] for r in rows.fetchall()]


def _list_order(tx: Tx) -> list[int]:
    return [r[0] for r in tx.conn.execute("SELECT id FROM clip_list ORDER BY position, id")]


def _renumber(tx: Tx, model: Any, ids: Sequence[int], start: int = 0) -> None:
    for offset, row_id in enumerate(ids):
        tx.update(model, row_id, position=start + offset)
