"""desk's cache folder on Linux is platformdirs' answer, found without importing platformdirs
(``desk frame`` needs the folder and nothing else of it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk.paths import cache_dir

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="desk finds the cache folder itself on Linux only"
)


@pytest.mark.parametrize(
    ("xdg_cache_home", "home"),
    [
        (None, "home"),  # unset: ~/.cache
        ("", "home"),  # empty: as unset
        ("xdg-cache", "home"),  # absolute
        ("relative/cache", "home"),  # relative: ignored, as the XDG rule says
        ("   ", "home"),  # blank: not a path
        (None, "home/"),  # a home written with a trailing slash
        ("xdg-cache/", "home"),
    ],
)
def test_the_cache_folder_is_where_platformdirs_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xdg_cache_home: str | None, home: str
) -> None:
    import platformdirs

    monkeypatch.delenv("DESK_CACHE_DIR", raising=False)
    monkeypatch.delenv("DESK_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", f"{tmp_path}/{home}")
    if xdg_cache_home is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    elif xdg_cache_home.strip() and not xdg_cache_home.startswith("relative"):
        monkeypatch.setenv("XDG_CACHE_HOME", f"{tmp_path}/{xdg_cache_home}")
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg_cache_home)
    expected = platformdirs.user_cache_path("desk", appauthor=False)
    assert cache_dir() == expected
    assert expected.is_dir()
    assert str(expected).startswith(str(tmp_path))  # the user's own folder is never touched


def test_an_overridden_cache_or_data_folder_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "data"))
    assert cache_dir() == tmp_path / "data" / "cache"
    monkeypatch.setenv("DESK_CACHE_DIR", str(tmp_path / "cache"))
    assert cache_dir() == tmp_path / "cache"
