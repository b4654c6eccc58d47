"""``desk apply PROJECT``: scripted edits, one JSON object per line of standard input.

Each line names an edit (``op``) and its fields; it runs as the same command the window runs
(:mod:`desk.store.edits`), is saved at once and acknowledged with ``ok LINE ID``. A line that is not
an edit, names an unknown field or carries a bad value is refused with its line number and the
reason, exit status 1: nothing of that line is applied, and reading stops there. The lines before it
stay applied: each was saved and acknowledged as it came (a script can stream edits and rely on
every ``ok``), and each can be undone with ``desk undo``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable

from desk.cli_help import RawDescriptionFormatter
from desk.cli_usage import where
from desk.errors import KnownError

#: The edits ``desk apply`` runs, by the name a line gives as ``op``.
OPS = (
    "add_paragraph",
    "edit_paragraph",
    "add_note",
    "update_note",
    "delete_note",
    "link",
    "add_beat",
    "update_beat",
    "delete_beat",
    "add_scene",
    "add_character",
    "add_reading",
    "update_reading",
    "delete_reading",
    "add_evidence",
    "update_evidence",
    "remove_evidence",
)

DESCRIPTION = "Apply edits read from standard input, one JSON object per line."

EPILOG = """\
Each line is a JSON object: "op" names the edit, the other keys are its fields. Times are whole
milliseconds of film time, from 0 to the end of the film; a range's end_ms is at or after its
start_ms (left out, the range is a moment). Ids are those desk prints (ok LINE ID) or that
desk dump shows.

  add_paragraph   text; position (0 = first; default: at the end), kind (body | heading)
  edit_paragraph  paragraph_id, text
  add_note        text; start_ms, end_ms, kind (interpretation | evidence | question |
                  counter-reading | free), paragraph_id, character_id
  update_note     note_id; any of text, kind, paragraph_id, character_id (null detaches)
  delete_note     note_id
  link            start_ms and one of paragraph_id, note_id; end_ms, label
  add_beat        start_ms; end_ms, label, description, emotion_id, valence (-1 to 1),
                  intensity (0 to 1), annotator, characters (a list of character ids)
  update_beat     beat_id; any of start_ms, end_ms, label, description, emotion_id, valence,
                  intensity, annotator, characters (the new list)
  delete_beat     beat_id
  add_scene       name, start_ms, end_ms
  add_character   name (not taken yet); color (#rrggbb)
  add_reading     title; summary, scene_id
  update_reading  reading_id; any of title, summary, scene_id
  delete_reading  reading_id (its evidence goes with it)
  add_evidence    reading_id, stance (supports | contradicts), and one of beat_id, note_id,
                  paragraph_id; comment
  update_evidence evidence_id; stance, comment
  remove_evidence evidence_id

Example:

  {"op": "add_paragraph", "text": "Igor hands the ring back."}
  {"op": "link", "paragraph_id": 1, "start_ms": 61000, "end_ms": 64500}
  {"op": "add_character", "name": "Ani", "color": "#d1495b"}
  {"op": "add_beat", "start_ms": 61000, "label": "the ring", "valence": -0.4,
   "intensity": 0.7, "characters": [1]}

(each edit on one line). desk answers "ok 1 1", "ok 2 1", ... as each is saved. A bad line is
refused with its number and reason ("line 4: valence must be between -1 and 1, not 2.") and exit
status 1: nothing of that line is applied and the lines after it are not read; the lines before
it stay applied, each saved as it was acknowledged (desk undo takes them back one by one)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``desk apply PROJECT``."""
    p = sub.add_parser(
        "apply",
        help="apply JSON-lines edits from standard input",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=RawDescriptionFormatter,
    )
    p.set_defaults(handler=cmd_apply)
    p.add_argument("project", help="the project to edit")


def cmd_apply(args: argparse.Namespace) -> int:
    from desk.store import edits
    from desk.store.project import Project

    ops = {name: getattr(edits, name) for name in OPS}
    with Project.open(where(args.project), backup=False) as project:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                fn, fields = request(line, ops)
                row_id, _ = fn(project, **fields)
            except KnownError as exc:
                raise KnownError(f"line {number}: {exc}") from None
            sys.stdout.write(f"ok {number} {row_id}\n")
            sys.stdout.flush()
    return 0


Edit = Callable[..., tuple[int, object]]  # (the new or changed row's id, what changed)


def request(line: str, ops: dict[str, Edit]) -> tuple[Edit, dict]:
    """The edit a line asks for and its fields, once its shape is right: a JSON object with a
    known ``op``, the fields that edit takes and none it does not (their values are the edit's
    to check)."""
    import inspect  # here, not at the top: ``desk --help`` builds the parser from this module
    import json

    try:
        found = json.loads(line)
    except ValueError as exc:
        raise KnownError(f"not JSON ({exc}).") from None
    if not isinstance(found, dict):
        raise KnownError('an edit is a JSON object with an "op", not a list or a value.')
    op = found.pop("op", None)
    if not isinstance(op, str) or op not in ops:
        shown = json.dumps(op) if op is not None else "nothing"
        raise KnownError(f'"op" must be one of {", ".join(OPS)}, not {shown}.')
    fn = ops[op]
    params = list(inspect.signature(fn).parameters.values())[1:]  # after the project
    named = {p.name for p in params if p.kind is not p.VAR_KEYWORD}
    open_ended = any(p.kind is p.VAR_KEYWORD for p in params)  # the edit names its own fields
    unknown = {"project"} & set(found) if open_ended else set(found) - named
    if unknown:
        raise KnownError(f"{op} has no field {_listed(unknown)} (it has {_listed(named)}).")
    missing = [p.name for p in params if p.default is p.empty and p.kind is not p.VAR_KEYWORD]
    missing = [name for name in missing if name not in found]
    if missing:
        raise KnownError(f"{op} needs {_listed(missing)}.")
    return fn, found


def _listed(names: Iterable[str]) -> str:
    items = sorted(names)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
