"""Tests keep the developer's settings, and each other's, out of their way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_starts_with_settings_of_its_own(turn: str) -> None:
    settings = QSettings("desk", "desk")
    assert settings.value("recent_projects") is None  # the other turn's value is not here
    settings.setValue("recent_projects", [f"/films/{turn}.desk"])
    settings.sync()
    assert Path(settings.fileName()).is_relative_to(os.environ["DESK_DATA_DIR"])
    assert Path(settings.fileName()).is_file()
