"""The PostgreSQL server the class tests share: made once per run, stopped at its end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg.server import Server, find_bin, make_server, remove


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    if find_bin("initdb") is None or find_bin("pg_ctl") is None:
        pytest.skip("PostgreSQL's server programs (Debian's postgresql package) are not installed")
    pytest.importorskip("psycopg", reason="psycopg (desk's PostgreSQL driver) is not installed")
    server = make_server()
    try:
        yield server
    finally:
        remove(server)
