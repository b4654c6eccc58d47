"""Scripted edits and the command line's small things: a bad line is refused by number and reason
with nothing of it applied, a closed pipe ends quietly, every option says what it does."""

from __future__ import annotations

import argparse
import inspect
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk import cli_apply
from desk.cli import build_parser, main
from desk.store import edits
from desk.store.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project about a three-minute film, with one paragraph."""
    path = tmp_path / "anora.desk"
    with Project.create(path, title="Anora") as made:
        edits.add_media(made, path="anora.mkv", duration_ms=180_000, is_reference=True)
        edits.add_paragraph(made, "Igor hands the ring back.")
    return path


def apply(
    project: Path, lines: list[str], capsys: pytest.CaptureFixture[str], monkeypatch
) -> tuple[int, list[str], str]:
    """``desk apply`` in this process (the same main() as the command): status, out, err."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    status = main(["apply", str(project)])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def counts(project: Path) -> dict[str, int]:
    with Project.open(project, readonly=True) as opened:
        tables = ("paragraph", "note", "time_link", "beat", "character", "journal")
        return {t: opened.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables}


@pytest.fixture
def crash_log() -> Path:
    from desk.paths import data_dir

    return data_dir() / "crash.log"


def test_a_bad_line_is_refused_by_number_and_nothing_of_it_applied(
    project: Path, capsys, monkeypatch, crash_log: Path
) -> None:
    lines = [
        json.dumps({"op": "add_character", "name": "Ani", "color": "#d1495b"}),
        json.dumps({"op": "link", "paragraph_id": 1, "start_ms": 61_000, "end_ms": 64_500}),
        json.dumps({"op": "add_beat", "start_ms": 61_000, "valence": 2, "characters": [1]}),
        json.dumps({"op": "add_note", "text": "never read"}),
    ]
    before = counts(project)
    status, out, err = apply(project, lines, capsys, monkeypatch)
    assert status == 1
    assert out == ["ok 1 1", "ok 2 1"]
    assert err == "desk: line 3: valence must be between -1 and 1, not 2.\n"
    after = counts(project)
    assert after["character"] == before["character"] + 1  # acknowledged lines stay applied
    assert after["time_link"] == before["time_link"] + 1
    assert (after["beat"], after["note"]) == (0, 0)  # nothing of line 3, and line 4 unread
    assert after["journal"] == before["journal"] + 2
    assert not crash_log.exists()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", 'an edit is a JSON object with an "op"'),
        ("null", 'an edit is a JSON object with an "op"'),
        ('{"op": "drop_table"}', '"op" must be one of add_paragraph'),
        ('{"text": "no op"}', '"op" must be one of'),
        ('{"op": "add_note"}', "add_note needs text"),
        ('{"op": "add_note", "text": "x", "mood": 1}', "add_note has no field mood"),
        ('{"op": "add_beat", "start_ms": 0, "mood": 1}', "a beat has no field mood"),
        ('{"op": "add_beat", "start_ms": 0, "project": 1}', "add_beat has no field project"),
        ('{"op": "add_note", "text": 5}', "text must be a string, not 5"),
        ('{"op": "add_note", "text": "x", "start_ms": "1:00"}', 'whole number, not "1:00"'),
        ('{"op": "add_note", "text": "x", "start_ms": 1e300}', "whole number, not 1e+300"),
        ('{"op": "add_note", "text": "x", "start_ms": 9223372036854775808}', "too large"),
        ('{"op": "add_note", "text": "x", "start_ms": 181000}', "past the end of the film"),
        ('{"op": "add_beat", "start_ms": 0, "intensity": NaN}', "between 0 and 1, not nan"),
        ('{"op": "add_beat", "start_ms": 5, "end_ms": 1}', "end_ms 1 is before start_ms 5"),
        ('{"op": "add_beat", "start_ms": 0, "characters": [7]}', "there is no character 7"),
        ('{"op": "link", "start_ms": 0, "paragraph_id": 99}', "there is no paragraph 99"),
        ('{"op": "delete_note", "note_id": 42}', "there is no note 42"),
        ('{"op": "add_evidence", "reading_id": 1, "stance": "supports"}', "no reading 1"),
        ('{"op": "add_character", "name": ""}', "name must not be empty"),
    ],
)
def test_hostile_lines_are_told_as_the_users_mistake(
    project: Path, line: str, reason: str, capsys, monkeypatch, crash_log: Path
) -> None:
    before = counts(project)
    status, out, err = apply(project, [line], capsys, monkeypatch)
    assert status == 1
    assert out == []
    assert err.startswith("desk: line 1: ")
    assert reason in err
    assert len(err.splitlines()) == 1
    assert "internal error" not in err
    assert not crash_log.exists()
    assert counts(project) == before


def test_apply_help_shows_every_edit_and_its_fields_with_an_example() -> None:
    epilog = cli_apply.EPILOG
    for op in cli_apply.OPS:
        fn = getattr(edits, op)
        found = re.search(rf"^  {op} .*(\n {{3,}}.*)*", epilog, re.MULTILINE)  # with its wraps
        assert found is not None, f"{op} is not described"
        entry = found[0]
        for name in list(inspect.signature(fn).parameters)[1:]:
            if name != "fields":
                assert name in entry, f"{op}: {name} is not described"
    for name in edits.BEAT_FIELDS + edits.NOTE_FIELDS:
        assert name in epilog
    example = [line.strip() for line in epilog.splitlines() if line.strip().startswith('{"op"')]
    assert json.loads(example[0]) == {"op": "add_paragraph", "text": "Igor hands the ring back."}
    shown = subprocess.run(
        [sys.executable, "-m", "desk", "apply", "--help"], capture_output=True, text=True
    )
    assert shown.returncode == 0
    assert '{"op": "link", "paragraph_id": 1, "start_ms": 61000, "end_ms": 64500}' in shown.stdout
    assert "the lines before\nit stay applied" in shown.stdout  # the layout is kept as written


def test_every_command_and_option_says_what_it_does() -> None:
    def silent(parser: argparse.ArgumentParser, path: str) -> Iterator[str]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {a.dest for a in action._choices_actions if a.help}
                for name, sub in action.choices.items():
                    if name not in helped:
                        yield f"{path} {name}"
                    yield from silent(sub, f"{path} {name}")
            elif not action.help:
                yield f"{path} {'/'.join(action.option_strings) or action.dest}"

    assert list(silent(build_parser(), "desk")) == []


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (found,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(found.choices)


def test_the_help_is_the_same_when_desk_builds_only_the_command_it_runs() -> None:
    """desk builds the parser of the command it is given alone: every command is still listed
    with its help, and each command's own help and choices are those of the whole parser."""
    whole = build_parser()
    assert build_parser(["--help"]).format_help() == whole.format_help()
    for name, full in commands(whole).items():
        alone = commands(build_parser([name, "--help"]))[name]
        assert alone.format_help() == full.format_help(), name
        if name == "export":  # a command with commands of its own lists them all
            assert commands(alone).keys() == commands(full).keys() >= {"report", "csv"}
    report = commands(commands(build_parser(["export", "report", "--help"]))["export"])
    assert (
        report["report"].format_help()
        == commands(commands(whole)["export"])["report"].format_help()
    )
    assert not isinstance(report["csv"], argparse.ArgumentParser)  # named by no word: not built


@pytest.mark.parametrize(
    "asked", [["--version"], ["--help"], ["info", "--help"], ["export", "report", "--help"]]
)
def test_the_version_and_the_help_are_told_without_loading_the_heavy_parts(
    asked: list[str],
) -> None:
    """Before a command touches a file it imports no database, media, PDF, XML or window
    library: the answer comes at Python's own start-up speed."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desk", *asked],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    if asked == ["--version"]:
        assert done.stdout.strip() == "desk 0.1.0"
        assert "textwrap" not in imported  # a line, not help text to wrap
    else:
        assert done.stdout.startswith("usage: desk")
    assert "desk.cli" in imported  # the measurement saw desk's own imports
    heavy = {"sqlmodel", "sqlalchemy", "PySide6", "av", "numpy", "reportlab", "lxml", "vlc"}
    assert not heavy & {name.split(".")[0] for name in imported}
    # What the parser needs is argparse alone: no package metadata (the email parser), no
    # inspect (dataclasses import it), no logging.
    assert not {"importlib.metadata", "inspect", "dataclasses", "logging"} & imported


def test_desk_says_the_version_the_package_is_installed_as(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from importlib.metadata import version as installed

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"desk {installed('desk')}"


def test_a_reader_that_stops_reading_ends_desk_quietly(project: Path, crash_log: Path) -> None:
    """``desk info P | head -1``: the pipe closes before desk writes."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "desk", "info", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait() == 1
    assert err == b""
    assert not crash_log.exists()
