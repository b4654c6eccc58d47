"""desk's help reads exactly as argparse lays it out, at every terminal width, for every command."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from desk.cli import build_parser
from desk.cli_help import HelpFormatter, RawDescriptionFormatter


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from every_parser(sub)


@pytest.mark.parametrize("columns", [24, 52, 80, 101, 200])
def test_every_help_is_wrapped_line_for_line_as_argparse_wraps_it(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    parsers = list(every_parser(build_parser()))
    assert len(parsers) > 30
    for parser in parsers:
        ours = parser.format_help()
        kind = parser.formatter_class
        assert kind in (HelpFormatter, RawDescriptionFormatter)
        parser.formatter_class = (
            argparse.RawDescriptionHelpFormatter
            if kind is RawDescriptionFormatter
            else argparse.HelpFormatter
        )
        assert ours == parser.format_help(), parser.prog


@pytest.mark.parametrize("width", [1, 5, 11, 30])
def test_text_with_hyphens_and_long_words_wraps_as_argparse_wraps_it(width: int) -> None:
    text = (
        "a time past the end takes the film's last frame --clamp, e.g. 1:23.500 or 83.5s; "
        "read-only JSON-LD exports, W3C Web-Annotation  and   an extraordinarily-long-word"
    )
    ours, plain = HelpFormatter("desk", width=80), argparse.HelpFormatter("desk", width=80)
    assert ours._split_lines(text, width) == plain._split_lines(text, width)
    assert ours._fill_text(text, width + 4, "  ") == plain._fill_text(text, width + 4, "  ")
