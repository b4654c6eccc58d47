"""Searching a class on the server finds what searching the same project in its file finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.store.project import Project
from desk.store.search import search
from tests.pg.classes import sample_project
from tests.pg.server import Server

#: What a critic looks for in the sample: names, things, a prefix, several words, punctuation.
SEARCHES = ("ring", "Igor", "snow", "kiss", "sob", "she refuses", "the ring", "Ani's", "refus")


@pytest.mark.parametrize("typed", SEARCHES)
def test_a_search_of_the_class_finds_what_the_file_finds(
    pg_server: Server, tmp_path: Path, typed: str, shared_sample: tuple[Path, str]
) -> None:
    local, where = shared_sample
    with Project.open(local, readonly=True) as file:
        expected = [(h.kind, h.ref_id) for h in search(file.conn, typed)]
    with Project.open(where, readonly=True) as on_server:
        found = search(on_server.conn, typed)
    assert expected, "the sample has hits for each search"
    assert [(h.kind, h.ref_id) for h in found] == expected
    assert all("[" in h.snippet for h in found), "each hit shows the words it matched"


@pytest.fixture(scope="module")
def shared_sample(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from desk.store.class_project import share

    local = sample_project(tmp_path_factory.mktemp("search") / "anora.desk")
    share(local, pg_server.url("ms_lee"), "search_class", [])
    return local, pg_server.url("ms_lee", "search_class")
