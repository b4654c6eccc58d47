"""Files desk writes appear whole, with the permissions any other program would give them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desk.core.files import _PART_NAME, new_file, replacing, write_atomically
from desk.errors import ExportError


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_a_written_file_follows_the_users_umask(tmp_path: Path, umask_027: None) -> None:
    target = tmp_path / "report.pdf"
    write_atomically(target, b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.umask(0o027) == 0o027  # left as it was


def test_a_failed_write_leaves_the_old_file_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")

    def stopped_halfway() -> None:
        with replacing(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        stopped_halfway()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_atomically(tmp_path / "gone" / "clip.mp4", b"")


def test_a_new_file_has_a_name_of_its_own_and_is_its_owners_alone(tmp_path: Path) -> None:
    """As tempfile.mkstemp makes one: never an existing name, never through a link."""
    made = []
    for _ in range(20):
        fd, path = new_file(tmp_path, prefix=".still.png.", suffix=".part.png")
        os.close(fd)
        made.append(path)
        assert path.parent == tmp_path
        assert _PART_NAME.fullmatch(path.name)  # swept as desk's own if a write is killed
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.read_bytes() == b""
    assert len(set(made)) == 20
