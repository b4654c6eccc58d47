"""W3C Web Annotation (JSON-LD): a project sent out as a collection of annotations on the film
comes back whole, and annotations other tools wrote come in as notes at the right times."""

from __future__ import annotations

import contextlib
import copy
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.cli import main
from desk.errors import ImportFormatError
from desk.interchange.formats import (
    MAX_IMPORT_BYTES,
    Options,
    export_file,
    import_file,
    parse,
    render,
)
from desk.interchange.jsonld import MAX_FILM_MS, media_fragment_times, uid_of
from desk.interchange.merge import apply_snapshot
from desk.interchange.model import Beat, Film, Link, Note, Snapshot
from desk.interchange.snapshot_read import read_snapshot
from desk.store import queries
from desk.store.project import Project
from tests.interchange.conftest import fill_reference
from tests.interchange.fuzzing import fuzz, parse_or_refuse, valid_and_target

DATA = Path(__file__).parent.parent / "data" / "interchange"
FILM = "https://media.example.org/films/anora.mp4"


def without_film(snap: Snapshot) -> Snapshot:
    return replace(snap, film=Film())


def document(snap: Snapshot) -> dict[str, Any]:
    return json.loads(render("jsonld", snap).data)


def items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["first"]["items"]


def read(doc: Any, source: str = "") -> Snapshot:
    return parse("jsonld", json.dumps(doc).encode(), Options(), source).snapshot


def annotation(target: Any = FILM + "#t=1,2", **fields: Any) -> dict[str, Any]:
    return {"type": "Annotation", "target": target, **fields}


# -- round trip -------------------------------------------------------------------------------
def test_a_project_sent_as_web_annotations_comes_back_whole_in_a_new_project(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    path = tmp_path / "anora.jsonld"
    summary = export_file(reference, "jsonld", path)
    assert summary.warnings == []  # the format carries everything
    imported = import_file(empty, "jsonld", path)
    assert imported.warnings == []
    assert without_film(read_snapshot(empty)) == without_film(read_snapshot(reference))


def test_the_film_travels_as_its_fingerprint_with_its_rate_and_duration(
    reference: Project,
) -> None:
    snap = read_snapshot(reference)
    back = parse("jsonld", render("jsonld", snap).data).snapshot
    assert back == snap
    assert back.film == Film("v1:0123abcd", "", None, 8_340_000, 24000, 1001)


def test_importing_the_same_file_twice_adds_nothing(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    path = tmp_path / "anora.jsonld"
    export_file(reference, "jsonld", path)
    import_file(empty, "jsonld", path)
    before = queries.dump(empty)
    again = import_file(empty, "jsonld", path)
    assert again.added == {}
    assert queries.dump(empty) == before


def test_the_file_is_a_collection_of_annotations_other_tools_read(reference: Project) -> None:
    snap = read_snapshot(reference)
    doc = document(snap)
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection"
    assert doc["label"] == "Snow on the Windshield"
    assert doc["first"]["type"] == "AnnotationPage"
    assert doc["total"] == len(items(doc))
    assert {a["type"] for a in items(doc)} == {"Annotation"}
    by_id = {a["id"]: a for a in items(doc)}
    ring = snap.beats[0]
    beat = by_id[f"urn:uuid:{uuid.UUID(ring.uid)}"]
    assert beat["motivation"] == "classifying"
    assert beat["target"] == {
        "type": "SpecificResource",
        "source": "urn:desk:film:v1:0123abcd",
        "selector": {
            "type": "FragmentSelector",
            "conformsTo": "http://www.w3.org/TR/media-frags/",
            "value": "t=20,26",
        },
    }
    assert [(b["purpose"], b["value"]) for b in beat["body"]] == [
        ("describing", ring.description),
        ("classifying", "tenderness"),
        ("tagging", "Igor"),
    ]
    assert (beat["valence"], beat["intensity"]) == (0.45, 0.35)
    note = next(a for a in items(doc) if a["deskKind"] == "note")
    # a moment is the frame it shows (Media Fragments read "t=21" as "21 s to the end")
    assert note["target"]["selector"]["value"] == "t=21,21.042"
    assert note["target"]["deskMoment"] is True


def test_a_note_pinned_to_several_moments_is_one_annotation_with_several_targets(
    empty: Project,
) -> None:
    links = (Link(1_500, 1_500), Link(12_500, 15_040, "the ring"), Link(83_000, 90_001))
    note = Note("She keeps the ring in her fist.", links=links, uid="c" * 32)
    (written,) = items(document(Snapshot(notes=[note])))
    assert [t["selector"]["value"] for t in written["target"]] == [
        "t=1.5,1.542",
        "t=12.5,15.04",
        "t=83,90.001",
    ]
    assert written["target"][1]["label"] == "the ring"
    assert read(document(Snapshot(notes=[note]))).notes == [note]


@given(
    st.lists(
        st.tuples(st.integers(0, MAX_FILM_MS), st.integers(0, 10_000_000)), min_size=1, max_size=5
    )
)
def test_every_millisecond_comes_back_exactly(spans: list[tuple[int, int]]) -> None:
    links = tuple(Link(start, min(start + length, MAX_FILM_MS)) for start, length in spans)
    note = Note("", links=links, uid="d" * 32)
    assert read(document(Snapshot(notes=[note]))).notes == [note]


def test_a_project_without_a_known_film_targets_the_unknown_film() -> None:
    snap = Snapshot(beats=[Beat(0, 1_000, "Snow", uid="e" * 32)])
    (beat,) = items(document(snap))
    assert beat["target"]["source"] == "urn:desk:film"
    assert read(document(snap)) == snap


# -- files other tools write ------------------------------------------------------------------
def test_a_seminar_collection_from_an_annotation_server_becomes_notes(empty: Project) -> None:
    parsed = parse("jsonld", (DATA / "webanno-seminar.jsonld").read_bytes())
    base = "https://annotations.example.org/anno/"
    assert parsed.snapshot.notes == [
        Note("The ring is handed back, not given.", links=(Link(20_000, 26_000),),
             created_at="2025-03-11T10:02:13Z", uid=uid_of(base + "101")),
        Note("Why does she not thank him?", "question", (Link(24_500, 24_500),),  # t=24.5
             uid=uid_of(base + "102")),
        Note("The kiss she refuses.\nWatch her hands & his.\n\nTags: refusal, Ani",
             links=(Link(64_000, 68_250),), uid=uid_of(base + "103")),
        Note("", links=(Link(72_000, 78_000), Link(78_000, 100_000)),
             uid="0b8b6a4e9a434c4b8d0b3b3c4a1f2e10"),
        Note("Snow keeps falling; only the wipers.", links=(Link(100_000, 120_000),)),
        Note("https://reviews.example.org/anora-cinderella", uid=uid_of(base + "106")),
    ]  # fmt: skip
    assert parsed.snapshot.title == ""  # another tool's collection label is not an essay title
    assert parsed.snapshot.film == Film()
    assert parsed.warnings == [
        "the annotations are on 2 different films or files; desk takes all their times as times "
        "in this project's film.",
        "1 annotation names no time in the film; it became a note without one.",
        "1 time in the file gives a start and no end, which means up to the film's end; the "
        "film's length is not known, so they became moments.",
    ]
    summary = import_file(empty, "jsonld", DATA / "webanno-seminar.jsonld")
    assert summary.added == {"note": 6}
    assert empty.query("SELECT count(*) FROM time_link") == [(6,)]


def test_a_video_players_bare_list_of_annotations_becomes_notes() -> None:
    data = (DATA / "webanno-player-export.json").read_bytes()
    parsed = parse("jsonld", data, Options(film_end_ms=130_000))
    notes = [(n.text, n.kind, n.links) for n in parsed.snapshot.notes]
    assert notes == [
        ("He leans in.\n\nTags: kiss", "free", (Link(64_000, 68_000),)),
        ("She climbs onto him – quick, businesslike.", "free", (Link(48_000, 62_000),)),
        ("Snow.", "free", (Link(100_000, 130_000),)),  # t=npt:01:40, up to the film's end
        ("Credits roll in silence.", "free", (Link(120_000, 120_000),)),  # t=120,120
        ("Is this gratitude?", "question", (Link(0, 47_000),)),
    ]
    assert parsed.warnings == []
    assert {type(n.kind) for n in parsed.snapshot.notes} == {str}


def test_an_archives_graph_with_smpte_times_and_refined_selectors_becomes_notes() -> None:
    parsed = parse("jsonld", (DATA / "webanno-archive-graph.jsonld").read_bytes())
    notes = [(n.text, n.links) for n in parsed.snapshot.notes]
    assert notes == [
        ("Igor hands back the ring.", (Link(20_000, 26_480),)),  # frame 12 at 25 fps
        ("Tags: Igor", (Link(30_000, 40_000),)),
    ]


def test_a_moment_in_an_older_desk_file_written_as_t_n_is_still_a_moment() -> None:
    doc = document(Snapshot(notes=[Note("Snow.", links=(Link(21_000, 21_000),), uid="e" * 32)]))
    (note,) = items(doc)
    del note["target"]["deskMoment"]
    note["target"]["selector"]["value"] = "t=21"  # as desk wrote moments before
    assert read(doc).notes[0].links == (Link(21_000, 21_000),)


def test_another_tools_time_without_an_end_runs_to_the_end_of_the_film(
    reference: Project, tmp_path: Path
) -> None:
    source = tmp_path / "player.json"
    source.write_text(json.dumps([annotation(target=FILM + "#t=8000", bodyValue="Credits.")]))
    import_file(reference, "jsonld", source)
    credits = read_snapshot(reference).notes[-1]
    assert (credits.text, credits.links) == ("Credits.", (Link(8_000_000, 8_340_000),))


def test_importing_another_tools_file_twice_adds_nothing(empty: Project) -> None:
    import_file(empty, "jsonld", DATA / "webanno-seminar.jsonld")
    again = import_file(empty, "jsonld", DATA / "webanno-seminar.jsonld")
    assert again.added == {}
    assert again.duplicates == 6


@pytest.mark.parametrize(
    ("fragment", "times"),
    [
        ("t=12.5,15.04", (12_500, 15_040)),
        ("#t=12.5", (12_500, 12_500)),
        ("t=12.5,12.5", (12_500, 12_500)),
        ("t=npt:10,20", (10_000, 20_000)),
        ("t=npt:00:01:02.5,00:01:05", (62_500, 65_000)),
        ("t=01:02.5", (62_500, 62_500)),
        ("t=,5", (0, 5_000)),
        ("t=0.0005", (0, 0)),
        ("t=0.0015", (2, 2)),
        ("t=smpte-30-drop:00:01:00:02", (60_060, 60_060)),
        ("t=npt%3A10%2C20", (10_000, 20_000)),
        ("xywh=10,10,50,50&t=3,4", (3_000, 4_000)),
        ("xywh=10,10,50,50", None),
    ],
)
def test_every_way_of_writing_a_media_fragment_time_is_read(
    fragment: str, times: tuple[int, int] | None
) -> None:
    assert media_fragment_times(fragment) == times


@pytest.mark.parametrize(
    "fragment", ["t=a", "t=10,5", "t=", "t=10,", "t=-1", "t=clock:2011-10-01T23:00:45Z", "t=1e3"]
)
def test_a_malformed_media_fragment_time_is_refused(fragment: str) -> None:
    with pytest.raises(ValueError, match="t="):
        media_fragment_times(fragment)


def test_desk_terms_without_desks_context_still_make_beats() -> None:
    beat = annotation(
        deskKind="beat",
        label="She hits him",
        body=[{"value": "anger", "purpose": "classifying"}, {"value": "Ani", "purpose": "tagging"}],
        valence=-0.8,
        intensity=1,
        creator="Lena",
    )
    assert read([beat]).beats == [
        Beat(1_000, 2_000, "She hits him", "", "anger", -0.8, 1.0, "Lena", ("Ani",))
    ]


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            [annotation(), annotation(deskKind="beat", valence=2)],
            "notes.jsonld, annotation 2: 'valence' is 2, not a number from -1 to 1.",
        ),
        (
            [annotation(id="urn:uuid:" + "a" * 32, deskKind="beat", valence="high")],
            "annotation 1 (urn:uuid:aaaa",
        ),
        (
            [annotation(target=FILM + "#t=9,3")],
            "'target' is \"t=9,3\", which ends before it starts",
        ),
        ([annotation(target=FILM + "#t=soon")], "not a time in the Media Fragments syntax"),
        ([annotation(target=42)], "'target' holds a number (42), not a resource"),
        ([{"type": "Annotation", "body": "No target."}], "'target' is missing"),
        ([annotation(deskKind="hunch")], "'deskKind' is \"hunch\", not one of"),
        ([annotation(deskKind="note", noteKind="rumour")], "'noteKind' is \"rumour\""),
        ([annotation(deskKind="scene", target=FILM)], "names 0 times in the film"),
        ([annotation(id="x:1"), annotation(id="x:1")], "'id' is the same as annotation 1's"),
        ([annotation(bodyValue="\ud800")], "'bodyValue' holds a character that is not valid"),
        ([annotation(body=[1])], "'body' holds a number (1), not a body"),
        ([annotation(deskKind="cue", tier="urn:uuid:x")], "not one of the tiers the collection"),
        ([annotation(), "hello"], 'annotation 2 ($[1]) is text ("hello"), not an Annotation.'),
        (
            {"type": "AnnotationCollection", "items": [annotation(type=5)]},
            'notes.jsonld, $.items[0].type: is a number (5), not a type name such as "Annotation".',
        ),
        (
            {"first": {"items": [annotation(), annotation(type=["Annotation", {}])]}},
            "notes.jsonld, $.first.items[1].type: is a list",
        ),
        ({"type": "AnnotationCollection", "first": "https://x.org/p1"}, "instead of holding"),
        (
            {"type": "AnnotationCollection", "film": {"frameRate": "0"}, "first": {"items": []}},
            "the collection's 'film' has a 'frameRate' that is not a frame rate",
        ),
        ({"title": "An essay"}, "is not a W3C Web Annotation file"),
    ],  # fmt: skip
)
def test_a_malformed_file_is_refused_naming_the_annotation_and_the_field(
    doc: Any, message: str
) -> None:
    with pytest.raises(ImportFormatError) as refused:
        read(doc, "notes.jsonld")
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[\n  {"type": "Annotation",\n   "target" "x"}\n]', "(line 3, column 13)"),
        (b"[1, 2", "is not valid JSON"),
        (b'{"a": NaN}', "NaN is not a number JSON allows"),
        (b'["caf\xe9"]', "is not UTF-8 text (byte 6)."),
        (b"[" * 100_000, "nests its JSON too deeply"),
        (b"[" + b"1" * 5_000 + b"]", "is not valid JSON"),
    ],
)
def test_a_file_that_is_not_json_is_refused_with_where_it_breaks(data: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match="'notes.jsonld'") as refused:
        parse("jsonld", data, Options(), "notes.jsonld")
    assert message in str(refused.value)


def test_a_bad_annotation_at_the_end_of_a_file_leaves_the_project_as_it_was(
    reference: Project, empty: Project, tmp_path: Path
) -> None:
    doc = document(read_snapshot(reference))
    items(doc)[-1]["target"] = "urn:desk:film:v1:0123abcd#t=2,1"
    path = tmp_path / "broken.jsonld"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportFormatError, match=f"annotation {len(items(doc))} "):
        import_file(empty, "jsonld", path)
    assert queries.counts(empty) == dict.fromkeys(queries.COUNTED, 0)
    assert empty.undo_labels() == (None, None)


def test_the_command_line_imports_and_exports_web_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    teacher, student, out = (tmp_path / n for n in ("teacher.desk", "student.desk", "a.json"))
    with Project.create(teacher) as project:
        fill_reference(project)
    Project.create(student).close()
    assert main(["export", "jsonld", str(teacher), "-o", str(out)]) == 0
    assert main(["import", "jsonld", str(student), str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "imported a.json: 10 paragraphs, 3 scenes, 2 characters, 12 beats, 8 notes, 3 readings, "
        "1 tier"
    )
    out.write_text('{"type": "Annotation"}')
    assert main(["import", "jsonld", str(student), str(out)]) == 1
    err = capsys.readouterr().err
    assert "a.json, annotation 1: 'target' is missing: every annotation has one." in err
    assert len(err.strip().splitlines()) == 1


def test_a_file_larger_than_desk_imports_is_refused_before_it_is_read() -> None:
    with pytest.raises(ImportFormatError, match="larger than the 32 MB desk imports"):
        parse("jsonld", b" " * (MAX_IMPORT_BYTES + 1), Options(), "huge.jsonld")


# -- fuzzing ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzzing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Project]]:
    """A valid desk document with one annotation of each kind, and a project to merge into."""
    folder = tmp_path_factory.mktemp("fuzz-jsonld")
    with valid_and_target(folder, lambda teacher: document(read_snapshot(teacher))) as (
        doc,
        target,
    ):
        kinds = {a["deskKind"]: a for a in reversed(items(doc))}
        doc["first"]["items"] = list(kinds.values())
        yield doc, target


FUZZ = fuzz(max_examples=60)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(["t=1,2", "urn:uuid:x", FILM + "#t=npt:1", "beat", "tagging", "#fff"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(data=st.binary(max_size=2_000))
def test_any_bytes_are_read_or_refused_never_a_crash(data: bytes) -> None:
    parse_or_refuse("jsonld", data)


@FUZZ
@given(value=JSON)
def test_any_json_is_read_or_refused_never_a_crash(value: Any) -> None:
    parse_or_refuse("jsonld", json.dumps(value).encode())


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(node, dict | list):
        for key, child in node.items() if isinstance(node, dict) else enumerate(node):
            yield from _paths(child, (*path, key))


@FUZZ
@given(data=st.data())
def test_a_mutated_desk_file_is_merged_or_refused_never_a_crash(
    fuzzing: tuple[dict[str, Any], Project], data: st.DataObject
) -> None:
    valid, target = fuzzing
    doc = copy.deepcopy(valid)
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(paths))
        with contextlib.suppress(KeyError, IndexError, TypeError):
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = data.draw(JSON)
    snap = parse_or_refuse("jsonld", json.dumps(doc).encode())
    if snap is not None:
        with contextlib.suppress(ImportFormatError):
            apply_snapshot(target, snap, "Fuzz", on_conflict="theirs")
