"""Take the README's picture of a class: the teacher's window on a class project whose students
have marked the final scene's beats, their arcs overlaid on the timeline.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshot_class.py docs/

Starts a throwaway PostgreSQL (as the tests do), shares the sample with a class of three, has
each student mark how Ani and Igor feel through the final scene, opens the class in desk's window
as the teacher and writes class.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/pg/server.py
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import settle, shoot  # noqa: E402

from tests.pg.server import STUDENTS, make_server, remove  # noqa: E402

#: How each student reads Ani and Igor through the final scene: (ms, Ani's valence, Igor's).
READINGS = {
    "ana": [(22_000, 0.3, 0.5), (45_000, 0.5, 0.6), (69_500, -0.2, 0.1), (95_000, -0.6, 0.3)],
    "ben": [(22_000, -0.3, 0.2), (45_000, -0.4, 0.4), (69_500, -0.8, -0.2), (95_000, -0.9, 0.0)],
    "cy": [(22_000, 0.0, 0.6), (45_000, 0.2, 0.7), (69_500, -0.5, 0.5), (95_000, -0.3, 0.6)],
}


def mark(url: str) -> None:
    from desk.store import edits
    from desk.store.project import Project

    for role, beats in READINGS.items():
        with Project.open(url.replace("user=ms_lee", f"user={role}")) as student:
            ids = dict(student.query("SELECT name, id FROM character"))
            for start_ms, ani, igor in beats:
                for who, valence in (("Ani", ani), ("Igor", igor)):
                    edits.add_beat(
                        student, start_ms=start_ms, end_ms=start_ms + 4_000,
                        label=role, valence=valence, intensity=0.6,
                        characters=[ids[who]],
                    )  # fmt: skip


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp()
    os.environ["DESK_DATA_DIR"] = data
    os.environ["XDG_CONFIG_HOME"] = data
    from PySide6.QtWidgets import QApplication

    from desk.sample import write_sample
    from desk.store.class_project import share

    server = make_server()
    try:
        local = write_sample(Path(data) / "sample", scale=0.5)
        share(local, server.url("ms_lee"), "film_studies", list(STUDENTS), share_work=True)
        url = server.url("ms_lee", "film_studies")
        mark(url)
        app = QApplication([])
        from desk.ui.main_window import MainWindow

        window = MainWindow()
        window.resize(1580, 960)
        window.move(0, 0)
        window.show()
        assert window.open_project(url, trusted_media=True)
        settle(app, 2500)
        assert window.workspace is not None
        assert window.session is not None
        window.workspace.player.seek(69_500)
        window.docks["timeline"].raise_()
        scene = window.session.project.query("SELECT id FROM scene WHERE name = 'The final scene'")
        window.workspace.timeline.focus_scene(scene[0][0])
        shoot(app, window, out / "class.png")
        window.close_project()
        window.close()
    finally:
        remove(server)


if __name__ == "__main__":
    main()
