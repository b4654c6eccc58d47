"""Keep every test out of the user's folders and settings, and off the real screen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Skips that depend on who runs the suite, not on what is installed: root cannot test what an
# ordinary user is refused, and Qt Multimedia (the fallback player) may have no working backend.
SKIPS_ON_A_COMPLETE_SETUP = ("needs an unprivileged user", "Qt Multimedia did not play")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With DESK_NO_MISSING_SKIPS set (CI does), a test skipped for a missing file, tool or
    library fails: on a complete set-up everything the suite needs is there."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("DESK_NO_MISSING_SKIPS")):
        return
    if hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
    if not any(allowed in reason for allowed in SKIPS_ON_A_COMPLETE_SETUP):
        report.outcome = "failed"
        report.longrepr = f"skipped on a complete set-up, which CI is: {reason}"


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
