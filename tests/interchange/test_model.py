"""Snapshots of a project and merging them: the common ground of every interchange format."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desk.errors import ImportFormatError
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import Beat, Note, Snapshot
from desk.interchange.snapshot_read import read_snapshot
from desk.store import queries
from desk.store.project import Project


def without_film(snap: Snapshot) -> Snapshot:
    return replace(snap, film=type(snap.film)())


def test_a_snapshot_merged_into_an_empty_project_comes_back_whole(
    reference: Project, empty: Project
) -> None:
    snap = read_snapshot(reference)
    assert len(snap.paragraphs) >= 8
    assert all((snap.beats, snap.notes, snap.scenes, snap.readings, snap.tiers))
    assert any(r.evidence for r in snap.readings)
    summary = apply_snapshot(empty, snap, "Import")
    assert summary.added["paragraph"] == len(snap.paragraphs)
    assert (summary.conflicts, summary.duplicates) == ([], 0)
    assert without_film(read_snapshot(empty)) == without_film(snap)


def test_merging_the_same_snapshot_again_adds_nothing(reference: Project, empty: Project) -> None:
    snap = read_snapshot(reference)
    apply_snapshot(empty, snap, "Import")
    before = queries.dump(empty)
    summary = apply_snapshot(empty, snap, "Import again")
    assert summary.added == {}
    assert summary.duplicates == snap.items()
    assert not summary.changes
    assert queries.dump(empty) == before


def test_annotations_without_uids_are_not_added_twice(empty: Project) -> None:
    snap = Snapshot(notes=[Note("She looks at the ring.", links=())])
    apply_snapshot(empty, snap, "Import")
    summary = apply_snapshot(empty, snap, "Import")
    assert summary.duplicates == 1
    assert empty.query("SELECT count(*) FROM note") == [(1,)]


@pytest.mark.parametrize(
    ("policy", "texts"),
    [
        ("ours", ["Igor hands back the ring."]),
        ("theirs", ["Igor gives her the ring back, unasked."]),
        ("both", ["Igor hands back the ring.", "Igor gives her the ring back, unasked."]),
    ],
)
def test_an_edited_annotation_is_a_conflict_settled_as_asked(
    empty: Project, policy: str, texts: list[str]
) -> None:
    mine = Note("Igor hands back the ring.", uid="a" * 32)
    apply_snapshot(empty, Snapshot(notes=[mine]), "Import")
    theirs = replace(mine, text="Igor gives her the ring back, unasked.")
    summary = apply_snapshot(empty, Snapshot(notes=[theirs]), "Merge", on_conflict=policy)  # type: ignore[arg-type]
    assert [(c.kind, c.ours, c.theirs, c.base) for c in summary.conflicts] == [
        ("note", mine.text, theirs.text, None)
    ]
    assert sorted(t for (t,) in empty.query("SELECT text FROM note")) == sorted(texts)


def test_a_bad_annotation_anywhere_leaves_the_project_as_it_was(
    reference: Project, empty: Project
) -> None:
    snap = read_snapshot(reference)
    snap.beats.append(Beat(5_000, 4_000, "backwards"))
    with pytest.raises(ImportFormatError, match="impossible time range"):
        apply_snapshot(empty, snap, "Import")
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert empty.undo_labels() == (None, None)


def test_an_import_is_one_step_of_undo(reference: Project, empty: Project) -> None:
    apply_snapshot(empty, read_snapshot(reference), "Import ELAN file")
    assert empty.undo_labels()[0] == "Import ELAN file"
    empty.undo()
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert empty.query("SELECT count(*) FROM cue") == [(0,)]
