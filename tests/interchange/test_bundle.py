"""The desk bundle: a teacher shares a project, a student opens it, edits, and sends it back."""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import struct
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.cli import main
from desk.errors import ExportError, ImportFormatError, ProjectError, ProjectTooNew
from desk.interchange.bundle import (
    MANIFEST,
    PROJECT,
    layout,
    merge_bundle,
    open_as_project,
    open_bundle,
    write_bundle,
)
from desk.interchange.formats import Options
from desk.interchange.model import Snapshot
from desk.interchange.snapshot_read import read_snapshot
from desk.media.probe import fingerprint
from desk.store import clip_lists, edits, queries, schema
from desk.store.project import Project
from desk.store.search import search
from tests.interchange.conftest import fill_reference
from tests.interchange.fuzzing import fuzz, valid_and_target

KNOWN = (ImportFormatError, ProjectError)


def without_film(snap: Snapshot) -> Snapshot:
    return replace(snap, film=type(snap.film)())


def bundle_of(project: Project, path: Path, clips: Path | None = None) -> Path:
    write_bundle(project, path, Options(clips=clips))
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(
    source: Path,
    target: Path,
    *,
    drop: tuple[str, ...] = (),
    manifest: dict[str, object] | None = None,
    replace_with: dict[str, bytes] | None = None,
    add: tuple[tuple[str, bytes], ...] = (),
) -> Path:
    """Another bundle made from ``source``: members dropped, replaced, added, manifest edited."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in members(source).items():
                if name in drop:
                    continue
                if name == MANIFEST and manifest is not None:
                    data = json.dumps({**json.loads(data), **manifest}).encode()
                out.writestr(name, (replace_with or {}).get(name, data))
            for name, data in add:
                out.writestr(name, data)
    return target


def inner_project(bundle: Path, folder: Path) -> Path:
    copy = folder / "inside.desk"
    copy.write_bytes(members(bundle)[PROJECT])
    return copy


@pytest.fixture
def shared(reference: Project, tmp_path: Path) -> Path:
    """The teacher's project as a bundle."""
    return bundle_of(reference, tmp_path / "lecture.deskz")


@pytest.fixture
def closed_project(tmp_path: Path) -> Path:
    path = tmp_path / "teacher.desk"
    with Project.create(path) as project:
        fill_reference(project)
    return path


# -- sharing and merging ----------------------------------------------------------------------
def test_a_bundle_merged_into_an_empty_project_brings_every_annotation(
    reference: Project, empty: Project, shared: Path
) -> None:
    summary = merge_bundle(empty, shared, Options())
    assert (summary.conflicts, summary.duplicates, summary.warnings) == ([], 0, [])
    assert without_film(read_snapshot(empty)) == without_film(read_snapshot(reference))
    assert empty.undo_labels()[0] == "Merge lecture.deskz"


def test_merging_the_same_bundle_twice_adds_nothing(empty: Project, shared: Path) -> None:
    merge_bundle(empty, shared, Options())
    before = queries.dump(empty)
    again = merge_bundle(empty, shared, Options())
    assert again.added == {}
    assert again.duplicates > 0
    assert not again.changes
    assert queries.dump(empty) == before


def test_a_students_copy_merged_back_takes_the_students_edit_and_adds_two_notes(
    reference: Project, shared: Path, tmp_path: Path
) -> None:
    open_as_project(tmp_path / "student.desk", shared)
    with Project.open(tmp_path / "student.desk", backup=False) as student:
        (first,) = student.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]
        edits.update_note(student, first, text="Igor is the only one who sees her.")
        edits.add_note(student, "The wipers stop when she stops.", start_ms=60_000)
        edits.add_note(student, "Snow on the windscreen, again.")
        homework = bundle_of(student, tmp_path / "homework.deskz")
    summary = merge_bundle(reference, homework, Options())
    assert summary.added == {"note": 2}
    assert summary.updated == {"note": 1}
    assert (summary.conflicts, summary.warnings) == ([], [])
    texts = {t for (t,) in reference.query("SELECT text FROM note")}
    assert {
        "Igor is the only one who sees her.",
        "The wipers stop when she stops.",
        "Snow on the windscreen, again.",
    } <= texts
    assert merge_bundle(reference, homework, Options()).added == {}


def test_taking_the_students_version_replaces_the_teachers_note(
    reference: Project, shared: Path, tmp_path: Path
) -> None:
    open_as_project(tmp_path / "student.desk", shared)
    with Project.open(tmp_path / "student.desk", backup=False) as student:
        (first,) = student.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]
        edits.update_note(student, first, text="Rewritten by the student.")
        homework = bundle_of(student, tmp_path / "homework.deskz")
    (first,) = reference.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]
    edits.update_note(reference, first, text="Rewritten by the teacher.")
    summary = merge_bundle(reference, homework, Options(on_conflict="theirs"))
    assert len(summary.conflicts) == 1
    assert ("Rewritten by the student.",) in reference.query("SELECT text FROM note")


def test_a_bundle_made_on_another_copy_of_the_film_is_merged_with_a_warning(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    edits.add_media(empty, path="/mine/anora.mp4", fingerprint="v1:ffff", is_reference=True)
    summary = merge_bundle(empty, bundle_of(reference, tmp_path / "a.deskz"), Options())
    assert summary.added["note"] > 0
    assert summary.warnings == [
        "the bundle was made on another copy of the film; its times are taken as they are."
    ]


# -- what travels -----------------------------------------------------------------------------
def test_the_bundle_names_the_film_by_fingerprint_and_holds_no_path_of_the_sender(
    reference: Project, shared: Path, tmp_path: Path
) -> None:
    names = list(members(shared))
    assert names == [MANIFEST, PROJECT]
    manifest = json.loads(members(shared)[MANIFEST])
    assert manifest["format"] == "desk-bundle"
    assert (manifest["bundle_version"], manifest["schema_version"]) == (1, schema.LATEST)
    assert manifest["film"] == {
        "fingerprint": "v1:0123abcd",
        "title": "",
        "year": None,
        "duration_ms": 8_340_000,
        "fps_num": 24000,
        "fps_den": 1001,
        "size_bytes": 0,
    }
    for data in members(shared).values():
        assert b"/films/" not in data
        assert str(tmp_path).encode() not in data
    with Project.open(inner_project(shared, tmp_path), readonly=True) as inside:
        assert inside.rows("SELECT path, path_confirmed FROM media") == [
            {"path": "anora.mkv", "path_confirmed": 0}
        ]
        assert inside.query("SELECT count(*) FROM journal") == [(0,)]


def test_clips_go_in_when_asked_and_come_out_beside_the_new_project(
    reference: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "week-3"
    folder.mkdir()
    (folder / "01-the-ring.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 ring")
    (folder / "02-the-bags.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 bags")
    (folder / "week-3.xspf").write_text("<playlist/>")
    summary = write_bundle(reference, tmp_path / "week-3.deskz", Options(clips=folder))
    assert summary.warnings == [
        "1 other file in week-3 (playlists, handouts) left out: a bundle carries only the MP4 "
        "clips."
    ]
    with zipfile.ZipFile(tmp_path / "week-3.deskz") as archive:
        stored = {i.filename: i.compress_type for i in archive.infolist()}
    assert stored["clips/01-the-ring.mp4"] == zipfile.ZIP_STORED
    assert json.loads(members(tmp_path / "week-3.deskz")[MANIFEST])["clips"] == [
        "01-the-ring.mp4",
        "02-the-bags.mp4",
    ]
    home = tmp_path / "home"
    home.mkdir()
    opened = open_as_project(home / "week-3.desk", tmp_path / "week-3.deskz")
    assert opened.clips == home / "week-3-clips"
    assert sorted(p.name for p in opened.clips.iterdir()) == ["01-the-ring.mp4", "02-the-bags.mp4"]
    assert (opened.clips / "02-the-bags.mp4").read_bytes() == b"\x00\x00\x00\x18ftypmp42 bags"


def test_a_clips_folder_without_clips_writes_no_bundle(reference: Project, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="holds no exported clips"):
        write_bundle(reference, tmp_path / "a.deskz", Options(clips=tmp_path))
    with pytest.raises(ExportError, match="does not exist"):
        write_bundle(reference, tmp_path / "a.deskz", Options(clips=tmp_path / "nowhere"))
    assert list(tmp_path.glob("*.deskz*")) == []


def test_a_bundle_never_replaces_its_own_project(reference: Project) -> None:
    before = reference.path.read_bytes()
    with pytest.raises(ExportError, match="desk never replaces"):
        write_bundle(reference, reference.path, Options())
    assert reference.path.read_bytes() == before


# -- opening a bundle as a new project ----------------------------------------------------------
def test_a_received_bundle_becomes_a_new_project_with_its_clip_lists_and_an_unconfirmed_film(
    reference: Project, tmp_path: Path
) -> None:
    week, _ = clip_lists.add_clip_list(reference, "Week 3")
    clip_lists.add_clip(reference, week, 8_000_000, 8_030_000, title="The ring")
    opened = open_as_project(tmp_path / "mine.desk", bundle_of(reference, tmp_path / "a.deskz"))
    assert opened.describe() == (
        "10 paragraphs, 8 notes, 12 beats, 3 scenes, 3 readings, 1 tier, 1 clip list, 1 clip"
    )
    assert opened.film is None
    with Project.open(tmp_path / "mine.desk", backup=False) as mine:
        ours, theirs = queries.dump(reference), queries.dump(mine)
        assert theirs["media"] == [{**ours["media"][0], "path": "anora.mkv", "path_confirmed": 0}]
        for table in ("media", "schema_version"):
            ours.pop(table), theirs.pop(table)
        assert ours.pop("merge_base") == []
        base = theirs.pop("merge_base")
        assert len(base) == 10 + 8 + 12 + 3 + 3 + 1 + len(ours["character"]) + 1  # the title
        assert theirs == ours
        assert mine.undo_labels() == (None, None)
        assert search(mine.conn, "wipers")


def test_a_bidi_override_in_a_received_bundle_does_not_reach_the_new_project(
    reference: Project, tmp_path: Path
) -> None:
    bundle = bundle_of(reference, tmp_path / "a.deskz")
    inside = inner_project(bundle, tmp_path)
    with sqlite3.connect(inside) as conn:
        conn.execute("UPDATE note SET text = 'she \u202erefuses\u202c him' WHERE id = 1")
        conn.execute("UPDATE paragraph SET text = 'A\u2067 reading\u2069' WHERE id = 1")
    conn.close()
    tampered = rezip(bundle, tmp_path / "b.deskz", replace_with={PROJECT: inside.read_bytes()})
    open_as_project(tmp_path / "mine.desk", tampered)
    with Project.open(tmp_path / "mine.desk", backup=False) as mine:
        assert mine.query("SELECT text FROM note WHERE id = 1") == [("she refuses him",)]
        assert mine.query("SELECT text FROM paragraph WHERE id = 1") == [("A reading",)]


def test_clip_lists_are_not_merged_and_the_merge_says_so(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    week, _ = clip_lists.add_clip_list(reference, "Week 3")
    clip_lists.add_clip(reference, week, 8_000_000, 8_030_000, title="The ring")
    summary = merge_bundle(empty, bundle_of(reference, tmp_path / "a.deskz"), Options())
    assert summary.warnings == [
        "the bundle's clip lists 'Week 3' are not merged (a merge takes the annotations); open "
        "the bundle as a new project to use them."
    ]
    assert clip_lists.clip_lists(empty) == []


def test_the_film_beside_the_bundle_is_found_by_its_fingerprint(
    reference: Project, tmp_path: Path
) -> None:
    film = tmp_path / "my-copy-of-anora.mp4"
    film.write_bytes(bytes(range(256)) * 64)
    (media_id,) = reference.query("SELECT id FROM media")[0]
    edits.update_media(
        reference, media_id, fingerprint=fingerprint(film), size_bytes=film.stat().st_size
    )
    (tmp_path / "decoy.mp4").write_bytes(bytes(256 * 64))
    bundle = bundle_of(reference, tmp_path / "a.deskz")
    opened = open_as_project(tmp_path / "mine.desk", bundle)
    assert opened.film == film.resolve()
    with Project.open(tmp_path / "mine.desk", readonly=True) as mine:
        assert mine.rows("SELECT path, path_confirmed FROM media") == [
            {"path": str(film.resolve()), "path_confirmed": 0}
        ]


def test_a_bundle_is_not_opened_over_an_existing_project(
    shared: Path, closed_project: Path
) -> None:
    before = closed_project.read_bytes()
    with pytest.raises(ProjectError, match="already exists"):
        open_as_project(closed_project, shared)
    assert closed_project.read_bytes() == before


def test_a_bundle_goes_round_and_comes_back_the_same(shared: Path, tmp_path: Path) -> None:
    open_as_project(tmp_path / "again.desk", shared)
    with Project.open(tmp_path / "again.desk", readonly=True) as again:
        second = bundle_of(again, tmp_path / "again.deskz")
    first, back = (json.loads(members(p)[MANIFEST]) for p in (shared, second))
    assert {**first, "created_at": "", "title": ""} == {**back, "created_at": "", "title": ""}
    with open_bundle(shared) as one, open_bundle(second) as two:
        assert read_snapshot(one.project) == read_snapshot(two.project)


def test_an_older_bundle_is_migrated_in_its_own_copy(empty: Project, tmp_path: Path) -> None:
    bundle = _old_bundle(tmp_path)
    summary = merge_bundle(empty, bundle, Options())
    assert summary.added == {"note": 1}
    assert list(tmp_path.glob("*.desk-backups")) == []


# -- refusals ---------------------------------------------------------------------------------
def _header_version(data: bytes, version: int) -> bytes:
    return data[:60] + struct.pack(">I", version) + data[64:]


def _declared_size(bundle: Path, member: str, size: int) -> bytes:
    """The bundle's bytes with ``member``'s uncompressed size in the central directory lied."""
    data = bytearray(bundle.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        (name_length,) = struct.unpack("<H", data[at + 28 : at + 30])
        if data[at + 46 : at + 46 + name_length] == member.encode():
            data[at + 24 : at + 28] = struct.pack("<I", size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def _damaged_project(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + b"\xa5" * 8192 + data[middle + 8192 :]


def _foreign_database(folder: Path) -> bytes:
    conn = sqlite3.connect(folder / "foreign.db")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return (folder / "foreign.db").read_bytes()


def _project(bundle: Path) -> bytes:
    return members(bundle)[PROJECT]


Maker = Callable[[Path, Path], object]

#: How each bad bundle is made from a good one (``shared``, ``target``), and what desk says.
REFUSALS: dict[str, tuple[Maker, str]] = {
    "not a zip": (
        lambda s, t: t.write_text("An essay about Anora, not a bundle."),
        "not a zip file",
    ),
    "no manifest": (lambda s, t: rezip(s, t, drop=(MANIFEST,)), "has no manifest.json"),
    "no project": (lambda s, t: rezip(s, t, drop=(PROJECT,)), "holds no project"),
    "manifest not json": (
        lambda s, t: rezip(s, t, replace_with={MANIFEST: b"{'format': desk"}),
        "not valid JSON",
    ),
    "foreign manifest": (
        lambda s, t: rezip(s, t, manifest={"format": "epub"}),
        "is not a desk bundle",
    ),
    "newer bundle": (
        lambda s, t: rezip(s, t, manifest={"bundle_version": 2}),
        "made by a newer desk",
    ),
    "newer schema": (
        lambda s, t: rezip(
            s, t, replace_with={PROJECT: _header_version(_project(s), schema.LATEST + 1)}
        ),
        "made by a newer desk",
    ),
    "traversal": (
        lambda s, t: rezip(s, t, add=(("../../.bashrc", b"echo owned"),)),
        "of unsafe name",
    ),
    "absolute": (
        lambda s, t: rezip(s, t, add=(("/etc/cron.d/desk", b"* * * * * root true"),)),
        "of unsafe name",
    ),
    "traversal clip": (
        lambda s, t: rezip(s, t, add=(("clips/../../evil.mp4", b"x"),)),
        "of unsafe name",
    ),
    "unexpected member": (
        lambda s, t: rezip(s, t, add=(("notes.txt", b"hello"),)),
        "of unknown name",
    ),
    "duplicate member": (
        lambda s, t: rezip(s, t, add=((PROJECT, _project(s)),)),
        "two files of the same name",
    ),
    "oversized member declared": (
        lambda s, t: t.write_bytes(_declared_size(s, PROJECT, 3 * 2**30)),
        "desk reads up to",
    ),
    "zip bomb": (
        lambda s, t: rezip(s, t, replace_with={PROJECT: bytes(16 * 2**20)}),
        "zip bomb",
    ),
    "corrupt project": (
        lambda s, t: rezip(s, t, replace_with={PROJECT: _damaged_project(_project(s))}),
        "damaged",
    ),
    "foreign database": (
        lambda s, t: rezip(s, t, replace_with={PROJECT: _foreign_database(t.parent)}),
        "is damaged or is not a desk project",
    ),
    "fingerprint mismatch": (
        lambda s, t: rezip(s, t, manifest={"film": {"fingerprint": "v1:feedface"}}),
        "names another film",
    ),
    "clip not in manifest": (
        lambda s, t: rezip(s, t, add=(("clips/01-the-ring.mp4", b"x"),)),
        "not the ones its manifest lists",
    ),
}


@pytest.mark.parametrize(("make", "message"), REFUSALS.values(), ids=list(REFUSALS))
def test_a_bad_bundle_is_refused_with_one_sentence_and_the_project_is_untouched(
    make: Maker,
    message: str,
    shared: Path,
    closed_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "bad.deskz"
    make(shared, bad)
    before = closed_project.read_bytes()
    assert main(["import", "deskz", str(closed_project), str(bad)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "internal error" not in err
    assert closed_project.read_bytes() == before
    assert main(["import", "deskz", str(tmp_path / "new.desk"), str(bad)]) == 1
    assert not (tmp_path / "new.desk").exists()
    assert list(tmp_path.glob(".new.desk*")) == []


def test_a_bundle_of_many_small_zero_filled_clips_is_refused_before_anything_is_written(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 900 clips of 1 MiB of zeros, each at the ratio floor, pack into about 1 MB
    names = [f"{k:03}.mp4" for k in range(900)]
    clip = bytes(layout.RATIO_FLOOR)
    bomb = rezip(
        shared,
        tmp_path / "bomb.deskz",
        manifest={"clips": names},
        add=tuple((f"clips/{name}", clip) for name in names),
    )
    assert bomb.stat().st_size < 2 * 2**20
    target = tmp_path / "student.desk"
    assert main(["import", "deskz", str(target), str(bomb)]) == 1
    err = capsys.readouterr().err
    assert "unpacks to 900 MB from" in err
    assert "as a zip bomb does; it was not opened." in err
    assert not target.exists()
    assert not target.with_name("student-clips").exists()


def test_a_bundle_from_a_newer_desk_says_to_update(shared: Path, empty: Project) -> None:
    newer = rezip(shared, shared.with_name("newer.deskz"), manifest={"schema_version": 99})
    with pytest.raises(ProjectTooNew, match="update desk to open it"):
        merge_bundle(empty, newer, Options())


#: A trigger that never ends, fired by the upgrade of schema 3 (which gives every note a uid).
FOREVER = (
    "CREATE TRIGGER t_forever AFTER UPDATE ON note BEGIN INSERT INTO note (kind, text, "
    "created_at) SELECT 'free', 'x', '' FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
    "SELECT x + 1 FROM c) SELECT x FROM c) WHERE x < 0; END"
)


def _old_bundle(folder: Path, *extra: str) -> Path:
    """A bundle holding a schema-3 project, with ``extra`` statements run in it."""
    old = folder / "v3.desk"
    conn = sqlite3.connect(old)
    conn.executescript(schema.frozen_schema(3))
    conn.execute(
        "INSERT INTO project (id, title, author, film_title, film_release, created_at)"
        " VALUES (1, 'Old', '', 'Anora', '', '')"
    )
    conn.execute("INSERT INTO note (kind, text, created_at) VALUES ('free', 'Snow.', '')")
    for statement in extra:
        conn.execute(statement)
    conn.commit()
    conn.close()
    manifest = {"format": "desk-bundle", "bundle_version": 1, "schema_version": 3, "film": None}
    bundle = folder / "old.deskz"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(MANIFEST, json.dumps(manifest))
        archive.write(old, PROJECT)
    old.unlink()
    return bundle


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder desk unpacks bundles into, to see what it leaves there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_old_bundle_with_a_trigger_that_never_ends_is_refused_at_once_leaving_nothing(
    closed_project: Path,
    tmp_path: Path,
    private_tmp: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = _old_bundle(tmp_path, FOREVER)
    before = closed_project.read_bytes()
    files = sorted(tmp_path.iterdir())
    for target in (closed_project, tmp_path / "new.desk"):
        started = time.monotonic()
        assert main(["import", "deskz", str(target), str(bundle)]) == 1
        assert time.monotonic() - started < 1.0
        assert capsys.readouterr().err.splitlines() == [
            "desk: the project inside 'old.deskz' is not a desk project as this version writes "
            'it: it has an extra trigger "t_forever"; it was not opened.'
        ]
    assert closed_project.read_bytes() == before
    assert list(private_tmp.iterdir()) == []
    assert sorted(tmp_path.iterdir()) == files  # no new project, no .part file


def test_a_bundle_that_takes_too_long_to_open_is_refused_leaving_nothing(
    closed_project: Path,
    tmp_path: Path,
    private_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = _old_bundle(tmp_path)
    files = sorted(tmp_path.iterdir())
    monkeypatch.setattr(layout, "MAX_OPEN_SECONDS", 0.0)
    assert main(["import", "deskz", str(tmp_path / "new.desk"), str(bundle)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "desk: 'old.deskz' took too long to open (over 0 s); it was not opened."
    ]
    assert list(private_tmp.iterdir()) == []
    assert sorted(tmp_path.iterdir()) == files


# -- the command line -------------------------------------------------------------------------
def test_share_open_and_merge_back_from_the_command_line(
    closed_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "lecture.deskz"
    assert main(["export", "deskz", str(closed_project), "-o", str(bundle)]) == 0
    assert capsys.readouterr().out == f"wrote {bundle}\n"
    student = tmp_path / "student.desk"
    assert main(["import", "deskz", str(student), str(bundle)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"created {student} from lecture.deskz: "
        "10 paragraphs, 8 notes, 12 beats, 3 scenes, 3 readings, 1 tier"
    )
    assert out[1] == f"film: not linked; relink your own copy with: desk relink {student} FILM"
    with Project.open(student, backup=False) as project:
        (first,) = project.query("SELECT id FROM note ORDER BY id LIMIT 1")[0]
        edits.update_note(project, first, text="Changed at home.")
    homework = tmp_path / "homework.deskz"
    assert main(["export", "deskz", str(student), "-o", str(homework)]) == 0
    with Project.open(closed_project, backup=False) as project:
        (first, before) = project.query("SELECT id, text FROM note ORDER BY id LIMIT 1")[0]
        edits.update_note(project, first, text="Changed in class.")
    capsys.readouterr()
    assert main(["import", "deskz", str(closed_project), str(homework)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("imported homework.deskz: nothing new; ")
    assert out[0].endswith("; 1 in conflict")
    assert out[1].startswith("  conflict, note ")
    assert out[1].endswith(" (kept the project's):")
    assert out[2:] == [
        f"    base:    {before}",
        "    project: Changed in class.",
        "    file:    Changed at home.",
    ]


# -- fuzzing ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzzing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Project, Path]]:
    """A valid bundle, a project to merge into, and a folder for the mutants."""
    folder = tmp_path_factory.mktemp("fuzz")
    made = valid_and_target(folder, lambda teacher: bundle_of(teacher, folder / "lecture.deskz"))
    with made as (bundle, target):
        yield bundle, target, folder


def _merge_or_refuse(target: Project, bundle: Path) -> None:
    with contextlib.suppress(KNOWN):
        merge_bundle(target, bundle, Options())


_opened = itertools.count()


def _open_or_refuse(bundle: Path) -> None:
    """Open the bundle as a new project; what desk makes of it opens again."""
    made = bundle.with_name(f"opened-{next(_opened)}.desk")
    with contextlib.suppress(KNOWN):
        open_as_project(made, bundle)
    if made.exists():
        Project.open(made, backup=False).close()


FUZZ = fuzz(max_examples=40)
flips = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8)


def _mutate(data: bytes, changes: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for at, value in changes:
        out[at % len(out)] = value
    return bytes(out[:cut] if cut else out)


@FUZZ
@given(changes=flips, cut=st.none() | st.integers(min_value=1))
def test_mutated_bundle_bytes_are_merged_or_refused_never_a_crash(
    fuzzing: tuple[Path, Project, Path], changes: list[tuple[int, int]], cut: int | None
) -> None:
    bundle, target, folder = fuzzing
    mutant = folder / "mutant.deskz"
    mutant.write_bytes(_mutate(bundle.read_bytes(), changes, cut))
    _merge_or_refuse(target, mutant)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
manifest_keys = st.sampled_from(
    ["format", "bundle_version", "schema_version", "title", "film", "clips", "created_at"]
)


@FUZZ
@given(fields=st.dictionaries(manifest_keys, json_values, min_size=1, max_size=4))
def test_any_manifest_is_read_or_refused_never_a_crash(
    fuzzing: tuple[Path, Project, Path], fields: dict[str, object]
) -> None:
    bundle, target, folder = fuzzing
    _merge_or_refuse(target, rezip(bundle, folder / "manifest.deskz", manifest=fields))


def _project_mutants(examples: int) -> object:
    @fuzz(max_examples=examples)
    @given(changes=flips, in_header=st.booleans(), as_new=st.booleans())
    def run(
        fuzzing: tuple[Path, Project, Path],
        changes: list[tuple[int, int]],
        in_header: bool,
        as_new: bool,
    ) -> None:
        bundle, target, folder = fuzzing
        data = members(bundle)[PROJECT]
        if in_header:  # the SQLite header and the schema page, where damage matters most
            changes = [(at % 8192, value) for at, value in changes]
        mutant = _mutate(data, changes, None)
        damaged = rezip(bundle, folder / "p.deskz", replace_with={PROJECT: mutant})
        if as_new:
            _open_or_refuse(damaged)
        else:
            _merge_or_refuse(target, damaged)

    return run


test_a_damaged_project_inside_is_merged_or_refused_never_a_crash = _project_mutants(40)
test_a_damaged_project_inside_many_times_over = pytest.mark.slow(_project_mutants(1000))
