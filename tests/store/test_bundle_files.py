"""Project files that travel: a portable copy keeps none of the sender's folders or history, a
received one that does not hold together is found out, and a new project takes a received one's
rows cleaned."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from desk.store import (
    analysis_cache,
    annotation_rows,
    bundle_files,
    edits,
    models,
    queries,
    search,
)
from desk.store.project import Project

SENDERS_FILM = "/home/sean/films/Anora (2024).mkv"


@pytest.fixture
def sent(tmp_path: Path) -> Path:
    """A copy of a critic's project, as a bundle carries it before it is made portable."""
    with Project.create(tmp_path / "anora.desk", title="Anora") as project:
        film, _ = edits.add_media(
            project, path=SENDERS_FILM, fingerprint="v1:anora", is_reference=True
        )
        edits.add_paragraph(project, "Igor hands the ring back.")
        draft, _ = edits.add_paragraph(project, "A draft about the sender's divorce.")
        edits.delete_paragraph(project, draft)
        project.run(
            "Add tier",
            lambda tx: tx.insert(
                models.Tier, name="English", source="C:\\Users\\sean\\subs\\anora.en.srt"
            ),
        )
        analysis_cache.write(project, film, "loudness", {"window": 400}, np.zeros(8))
        project.save_copy(tmp_path / "copy.desk")
    return tmp_path / "copy.desk"


def test_a_portable_copy_names_its_files_only_and_keeps_no_history(sent: Path) -> None:
    bundle_files.make_portable(sent)

    with Project.open(sent, readonly=True) as copy:
        media = queries.reference_media(copy)
        (tier,) = annotation_rows.tiers(copy)
        assert media is not None
        assert (media.path, media.path_confirmed) == ("Anora (2024).mkv", False)
        assert tier.source == "anora.en.srt"
        assert copy.undo_labels() == (None, None)
        assert analysis_cache.latest(copy, media.id, "loudness") is None
        assert [h.kind for h in search.search(copy.conn, "ring")] == ["paragraph"]
        assert search.search(copy.conn, "divorce") == []
    # rebuilt: no freed page keeps the old paths, nor the undo history or the search index
    # anything of the deleted draft
    assert b"/home/sean" not in sent.read_bytes()
    assert b"A draft about" not in sent.read_bytes()
    assert b"divorce" not in sent.read_bytes()


def test_a_received_project_whose_references_do_not_hold_is_found_out(sent: Path) -> None:
    with Project.open(sent, readonly=True) as received:
        assert bundle_files.holds_together(received)
        assert bundle_files.table_with_foreign_values(received) is None
    conn = sqlite3.connect(sent)  # foreign keys are off by default: a doctored file
    conn.execute(
        "INSERT INTO note (kind, text, paragraph_id, created_at) VALUES ('free', '', 99, '')"
    )
    conn.commit()
    conn.close()

    with Project.open(sent, readonly=True) as received:
        assert not bundle_files.holds_together(received)


def test_a_received_project_with_values_desk_never_writes_names_their_table(sent: Path) -> None:
    conn = sqlite3.connect(sent)
    conn.execute("INSERT INTO beat (start_ms, end_ms, label, description, valence, intensity, "
                 "annotator) VALUES ('1 min', '2 min', '', '', 0, 0.5, '')")  # fmt: skip
    conn.commit()
    conn.close()

    with Project.open(sent, readonly=True) as received:
        assert bundle_files.table_with_foreign_values(received) == "beat"


def test_checking_a_received_project_stops_at_its_deadline(sent: Path) -> None:
    conn = sqlite3.connect(sent)  # enough rows for SQLite to look at the clock while checking
    conn.executemany(
        "INSERT INTO note (kind, text, created_at) VALUES ('free', ?, '')",
        ((f"note {i}",) for i in range(20_000)),
    )
    conn.commit()
    conn.close()

    with Project.open(sent, readonly=True) as received:
        with pytest.raises(sqlite3.OperationalError, match="interrupt"):
            bundle_files.table_with_foreign_values(received, deadline=time.monotonic() - 1)
        with pytest.raises(sqlite3.OperationalError, match="interrupt"):
            bundle_files.holds_together(received, deadline=time.monotonic() - 1)
        assert bundle_files.holds_together(received, deadline=time.monotonic() + 600)


def test_a_new_project_takes_the_received_rows_cleaned_and_points_at_the_found_film(
    sent: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(sent)  # a sender's text reversing what follows it
    conn.execute("UPDATE paragraph SET text = 'Igor hands \u202ethe ring back.'")
    conn.commit()
    conn.close()
    found = tmp_path / "here" / "anora.mkv"
    target = tmp_path / "received.desk"

    with Project.open(sent, readonly=True) as received:
        counts = bundle_files.new_project_from(received, target, film=found)

    assert (counts["paragraph"], counts["tier"], counts["media"], counts["note"]) == (1, 1, 1, 0)
    with Project.open(target, backup=False) as made:
        media = queries.reference_media(made)
        essay = annotation_rows.essay_heading(made)
        assert media is not None
        assert essay is not None
        assert (media.path, media.path_confirmed) == (str(found), False)
        paragraphs = annotation_rows.paragraphs_of(made, essay.id)
        assert [p.text for p in paragraphs] == ["Igor hands the ring back."]
        assert made.undo_labels() == (None, None)


def test_rows_a_new_project_cannot_hold_leave_nothing_in_it(sent: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(sent)
    conn.execute("INSERT INTO time_link (note_id, start_ms, end_ms, label) VALUES (99, 0, 0, '')")
    conn.commit()
    conn.close()
    target = tmp_path / "received.desk"

    with Project.open(sent, readonly=True) as received, pytest.raises(sqlite3.IntegrityError):
        bundle_files.new_project_from(received, target, film=None)

    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone() == (
        0,
    )
    conn.close()


def test_a_file_name_is_the_last_part_of_a_path_from_any_system() -> None:
    assert bundle_files.file_name("C:\\films\\a.mkv") == "a.mkv"
    assert bundle_files.file_name("/home/sean/films/a.mkv") == "a.mkv"
    assert bundle_files.file_name("a.mkv") == "a.mkv"
