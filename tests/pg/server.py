"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` package, ``initdb`` into a
temporary folder, listening on a Unix socket in that folder only (no TCP port), stopped at the end.

Tests run as root, and PostgreSQL refuses to run as root: the cluster is made and run by the
``postgres`` system user then, in a folder that user owns. Local connections are trusted (the
socket is reachable only through the folder), so each test connects as the role it plays, named
by ``PGUSER`` or the address, exactly as desk finds its credentials on a real server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATABASE = "course"
TEACHER = "ms_lee"
STUDENTS = ("ana", "ben", "cy")
#: A role that logs in but is in no class.
STRANGER = "dora"


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@dataclass
class Server:
    folder: Path
    port: int = 5432

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, role: str, class_name: str | None = None, database: str = DATABASE) -> str:
        """The address desk is given: the socket folder as ``host``; never a password."""
        query = f"host={self.folder}&port={self.port}&user={role}"
        if class_name is not None:
            query += f"&class={class_name}"
        return f"postgresql:///{database}?{query}"

    def conninfo(self, role: str, database: str = DATABASE) -> str:
        return f"host={self.folder} port={self.port} user={role} dbname={database}"

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_as_postgres(), *argv], check=True, capture_output=True, text=True)

    def start(self) -> None:
        pg_ctl = find_bin("pg_ctl")
        assert pg_ctl is not None
        options = f"-c listen_addresses='' -k {self.folder} -p {self.port}"
        self._run(
            pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.folder / "log"),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        pg_ctl = find_bin("pg_ctl")
        assert pg_ctl is not None
        self._run(pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")

    def kill(self) -> None:
        """Stop the server as a crash would: no checkpoint, no goodbye to clients."""
        self.stop("immediate")

    def psql(self, sql: str, role: str = "postgres", database: str = DATABASE) -> str:
        psql = find_bin("psql")
        assert psql is not None
        done = subprocess.run(
            [
                psql,
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.folder),
                "-p",
                str(self.port),
                "-U",
                role,
                "-d",
                database,
                "-At",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


def _as_postgres() -> list[str]:
    """How to run a server program as the ``postgres`` user when the tests run as root."""
    return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def make_server() -> Server:
    """Initialise and start a cluster with the course database, a teacher and students."""
    initdb = find_bin("initdb")
    assert initdb is not None
    folder = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    os.chmod(folder, 0o755)
    if os.getuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    server = Server(folder)
    server._run(
        initdb,
        "-D",
        str(server.data),
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        "--no-instructions",
    )
    server.start()
    server.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
    roles = "; ".join(f"CREATE ROLE {r} LOGIN" for r in (TEACHER, *STUDENTS, STRANGER))
    server.psql(roles)
    # What a department gives a teacher: the right to make schemas in the course's database.
    server.psql(f"GRANT CREATE ON DATABASE {DATABASE} TO {TEACHER}")
    return server


def remove(server: Server) -> None:
    try:
        server.stop()
    finally:
        shutil.rmtree(server.folder, ignore_errors=True)
