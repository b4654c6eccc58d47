"""Take the README's screenshots: the sample project in a real window on a (virtual) X screen.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py docs/

Writes workspace.png (player, essay, notes, and the timeline with the emotional arc of the final
scene in focus mode), timeline.png (the timeline dock alone, on the same scene) and readings.png
(the competing readings with their evidence).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication


def settle(app: QApplication, ms: int = 800) -> None:
    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < ms:
        app.processEvents()


def shoot(app: QApplication, window: object, target: Path) -> None:
    settle(app)
    geometry = window.frameGeometry()  # type: ignore[attr-defined]
    pixmap = app.primaryScreen().grabWindow(
        0, geometry.x(), geometry.y(), geometry.width(), geometry.height()
    )
    pixmap.save(str(target))


#: A few lines of dialogue for the screenshot's reference tier (desk's own stand-in text).
DIALOGUE = """WEBVTT - Dialogue (en)

00:01:02.000 --> 00:01:04.500
<v Igor>The car is warm now.

00:01:06.000 --> 00:01:08.200
<v Ani>Don't.

00:01:12.000 --> 00:01:15.000
<v Igor>It's okay. It's okay.

00:01:24.000 --> 00:01:26.500
[wipers]
"""


def show_dialogue(session: object, folder: Path) -> None:
    """Import a short subtitle file, so the timeline shows a dialogue lane."""
    from desk.ui.interchange_menu import run_import

    vtt = folder / "dialogue.en.vtt"
    vtt.write_text(DIALOGUE, "utf-8")
    run_import(session, "vtt", vtt)  # type: ignore[arg-type]


def sample_window() -> tuple[QApplication, Any, Path]:
    """desk's window on the sample project, as a first run opens it, in fresh data and settings
    folders; with the application and the folder the screenshots go to (the first argument)."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp()
    os.environ["DESK_DATA_DIR"] = data
    os.environ["XDG_CONFIG_HOME"] = data
    app = QApplication([])
    from desk.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1580, 960)
    window.move(0, 0)
    window.show()
    window.start(None)  # first run: renders and opens the sample project
    assert window.workspace is not None
    settle(app, 1500)
    return app, window, out


def main() -> None:
    app, window, out = sample_window()
    workspace = window.workspace
    workspace.player.seek(69_500)  # she refuses the kiss
    settle(app, 1500)
    window.docks["readings"].raise_()
    shoot(app, window, out / "readings.png")
    window.docks["timeline"].raise_()
    assert window.session is not None
    show_dialogue(window.session, Path(os.environ["DESK_DATA_DIR"]))
    scene = window.session.project.query("SELECT id FROM scene WHERE name = 'The final scene'")
    workspace.timeline.focus_scene(scene[0][0])
    shoot(app, window, out / "workspace.png")
    settle(app)
    workspace.timeline.grab().save(str(out / "timeline.png"))
    window.close()


if __name__ == "__main__":
    main()
