"""Take the README's screenshot of merging a student's bundle, on a (virtual) X screen:

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_merge.py docs/

The sample project is shared as a bundle, a student's copy of it is edited and sent back while
the teacher edits too, and merging it shows the conflicts as File → Import → Merge a desk
bundle… does: merge.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import sample_window, settle  # noqa: E402


def main() -> None:
    app, window, out = sample_window()
    from desk.interchange.bundle import open_as_project, write_bundle
    from desk.interchange.formats import Options
    from desk.store import edits
    from desk.store.project import Project
    from desk.ui.interchange_menu import run_import
    from desk.ui.merge_dialog import ConflictDialog

    assert window.session is not None
    teacher = window.session.project
    folder = Path(tempfile.mkdtemp())
    write_bundle(teacher, folder / "lecture.deskz", Options())
    open_as_project(folder / "student.desk", folder / "lecture.deskz")
    notes = teacher.query("SELECT id, text FROM note ORDER BY id LIMIT 3")
    with Project.open(folder / "student.desk", backup=False) as student:
        ids = {text: row for row, text in student.query("SELECT id, text FROM note")}
        (ring, _), (silence, _), (bags, _) = notes
        edits.update_note(student, ids[notes[0][1]], text="He holds the ring out; she has to "
                          "take it herself, which is the point.")  # fmt: skip
        edits.update_note(student, ids[notes[1][1]], kind="interpretation")
        edits.delete_note(student, ids[notes[2][1]])
        write_bundle(student, folder / "homework.deskz", Options())
    edits.update_note(teacher, ring, text="The ring is held out, not given: she must reach.")
    edits.update_note(teacher, silence, kind="counter-reading")
    edits.update_note(teacher, bags, text=notes[2][1] + " (He did it before, for money.)")

    # What File → Import → Merge a desk bundle… does, without the file dialog.
    summary = run_import(window.session, "deskz", folder / "homework.deskz")
    dialog = ConflictDialog(summary.conflicts, window)
    dialog.show()
    settle(app)
    dialog.grab().save(str(out / "merge.png"))
    dialog.close()
    window.close()


if __name__ == "__main__":
    main()
