"""Keep every test out of the user's folders and settings, and off the real screen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication(qapp: object) -> object:
    """Create the QApplication first, so code that needs only a QGuiApplication reuses it."""
    return qapp


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test has its own data folder and settings (recent projects, confirmed films...)."""
    from PySide6.QtCore import QSettings

    data = tmp_path_factory.mktemp("desk-data")
    old = os.environ.get("DESK_DATA_DIR")
    os.environ["DESK_DATA_DIR"] = str(data)
    os.environ["XDG_CONFIG_HOME"] = str(data / "config")
    # Qt reads XDG_CONFIG_HOME once; settings opened from now on use this test's folder.
    for format_ in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(format_, QSettings.Scope.UserScope, str(data / "config"))
    yield
    if old is None:
        os.environ.pop("DESK_DATA_DIR", None)
    else:
        os.environ["DESK_DATA_DIR"] = old


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "anora.desk"
