"""A W3C Web Annotation file as a snapshot: the collection's essay, film, colours and tiers,
then each annotation as a paragraph, scene, beat, note, reading or cue.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NoReturn, cast
from urllib.parse import unquote

from desk.core.timecode import MAX_FPS
from desk.errors import ImportFormatError
from desk.interchange.jsonld.annotation import _Annotation
from desk.interchange.jsonld.document import _Document, _is_annotation, _load, check_type
from desk.interchange.jsonld.node import _Node
from desk.interchange.jsonld.values import _kind_of, _show, _values, uid_of
from desk.interchange.jsonld.vocabulary import FILM_IRI
from desk.interchange.model import (
    MAX_FILM_MS,
    Beat,
    Cue,
    Evidence,
    Film,
    Note,
    Paragraph,
    Reading,
    Scene,
    Snapshot,
    Tier,
)
from desk.store.models import BlockKind, NoteKind, Stance

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Parsed

_DESK_KINDS = ("paragraph", "note", "beat", "scene", "reading", "cue")
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?")


class _Reader:
    """Builds a snapshot from a document's collection and its annotations, one at a time."""

    def __init__(self, where: str):
        self.where = where
        self.snap = Snapshot()
        self.tiers: dict[str, Tier] = {}
        self.cues: dict[str, list[Cue]] = {}
        self.sources: set[str] = set()
        self.untimed = 0
        self.seen: dict[str, int] = {}

    def _fail_top(self, key: str, problem: str) -> NoReturn:
        raise ImportFormatError(f"{self.where}the collection's '{key}' {problem}.")

    def collection(self, meta: dict[str, Any], is_desk: bool) -> None:
        top = _Node(meta, self._fail_top)
        if is_desk:
            self.snap.title = top.text("label")
        self.snap.dek = top.text("dek")
        for film in top.nodes("film"):
            self.snap.film = self._film(film)
        for key in ("characters", "emotions"):
            for entry in top.nodes(key):
                colour = entry.text("color")
                if not _COLOUR.fullmatch(colour):
                    entry.fail("color", f"is {_show(colour)}, not a colour such as #d1495b")
                getattr(self.snap, key)[entry.text("label")] = colour
        for entry in top.nodes("tiers"):
            iri = entry.text("id")
            self.tiers[iri] = Tier(
                entry.text("label"),
                (),
                entry.text("tierKind", "dialogue"),
                entry.text("language"),
                entry.text("tierSource"),
                uid_of(iri) if iri else "",
            )

    def _film(self, film: _Node) -> Film:
        year = film.get("year", (int,))
        if year is not None and not 1800 <= year <= 9999:
            film.fail("year", f"is {year}, not a year")
        duration = round(film.number_in("durationMs", 0, MAX_FILM_MS, 0))
        rate = re.fullmatch(r"(\d{1,9})(?:/(\d{1,9}))?", film.text("frameRate", "24"))
        num, den = (int(rate[1]), int(rate[2] or 1)) if rate else (0, 0)
        if not (den and 0 < num / den <= MAX_FPS):
            film.fail("frameRate", "is not a frame rate such as 25 or 24000/1001")
        return Film(_fingerprint(film.text("id")), film.text("label"), year, duration, num, den)

    def annotation(self, a: _Annotation) -> None:
        uid = uid_of(a.id) if a.id else ""
        if uid in self.seen:
            a.fail("id", f"is the same as annotation {self.seen[uid]}'s")
        if uid:
            self.seen[uid] = a.number
        kind = a.text("deskKind")
        if kind and kind not in _DESK_KINDS:
            a.fail("deskKind", f"is {_show(kind)}, not one of {', '.join(_DESK_KINDS)}")
        if kind != "reading":
            self.sources.update(t.source for t in a.targets)
        if kind == "paragraph":
            block = a.choice("blockKind", _values(BlockKind), BlockKind.BODY.value)
            self.snap.paragraphs.append(Paragraph(a.body_text(), block, a.links(), uid))
        elif kind == "scene":
            start, end = a.one_range()
            self.snap.scenes.append(Scene(a.text("label"), start, end, a.body_text(), uid))
        elif kind == "beat":
            self.snap.beats.append(self._beat(a, uid))
        elif kind == "reading":
            self.snap.readings.append(self._reading(a, uid))
        elif kind == "cue":
            self._cue(a)
        elif kind == "note":
            self.snap.notes.append(self._note(a, uid))
        else:
            self.snap.notes.append(self._foreign(a, uid))

    def _beat(self, a: _Annotation, uid: str) -> Beat:
        start, end = a.one_range()
        emotions = a.tags("classifying")
        if len(emotions) > 1:
            a.fail("body", f"gives {len(emotions)} emotions, where a beat has one")
        return Beat(
            start,
            end,
            a.text("label"),
            a.body_text(),
            "".join(emotions),
            a.number_in("valence", -1, 1, 0.0),
            a.number_in("intensity", 0, 1, 0.5),
            a.creator(),
            tuple(sorted(set(a.tags()))),
            uid,
        )

    def _note(self, a: _Annotation, uid: str) -> Note:
        default = "question" if "questioning" in a.motivations() else "free"
        characters = a.tags()
        if len(characters) > 1:
            a.fail("body", f"tags {len(characters)} characters, where a note has one")
        return Note(
            a.body_text(),
            a.choice("noteKind", _values(NoteKind), default),
            a.links(),
            "".join(characters),
            a.ref("paragraph"),
            a.text("created"),
            uid,
        )

    def _foreign(self, a: _Annotation, uid: str) -> Note:
        """An annotation another tool wrote: a note with its bodies' text and its tags."""
        tags = a.tags()
        text = "\n\n".join(
            part
            for part in (a.body_text(("tagging",)), "Tags: " + ", ".join(tags) if tags else "")
            if part
        )
        kind = "question" if "questioning" in a.motivations() else "free"
        links = a.links()
        self.untimed += not links
        return Note(text, kind, links, created_at=a.text("created"), uid=uid)

    def _reading(self, a: _Annotation, uid: str) -> Reading:
        scenes = [t.source for t in a.targets if t.source.lower().startswith("urn:uuid:")]
        evidence = []
        for e in a.nodes("evidence"):
            cites = e.ref("cites")
            if not cites:
                e.fail("cites", "is missing")
            kind = cast(Any, e.choice("citesKind", ("beat", "note", "paragraph"), ""))
            stance = e.choice("stance", _values(Stance), Stance.SUPPORTS.value)
            evidence.append(Evidence(kind, cites, stance, e.text("comment")))
        summary = a.body_text()
        return Reading(
            a.text("label"), summary, uid_of(scenes[0]) if scenes else "", tuple(evidence), uid
        )

    def _cue(self, a: _Annotation) -> None:
        start, end = a.one_range()
        tier = a.text("tier")
        if tier not in self.tiers:
            a.fail("tier", f"is {_show(tier)}, not one of the tiers the collection lists")
        self.cues.setdefault(tier, []).append(Cue(start, end, a.body_text(), a.text("speaker")))

    def finish(self) -> tuple[Snapshot, list[str]]:
        snap = self.snap
        snap.tiers = [
            Tier(t.name, tuple(self.cues.get(iri, ())), t.kind, t.language, t.source, t.uid)
            for iri, t in self.tiers.items()
        ]
        films = {s for s in self.sources if s == FILM_IRI or s.startswith(FILM_IRI + ":")}
        if not snap.film.fingerprint and len(films) == 1:
            snap.film = Film(fingerprint=_fingerprint(films.pop()))
        warnings = []
        if len(self.sources) > 1:
            warnings.append(
                f"the annotations are on {len(self.sources)} different films or files; desk takes "
                "all their times as times in this project's film."
            )
        if self.untimed == 1:
            warnings.append("1 annotation names no time in the film; it became a note without one.")
        elif self.untimed:
            warnings.append(
                f"{self.untimed} annotations name no time in the film; they became notes without "
                "one."
            )
        return snap, warnings


def _fingerprint(iri: str) -> str:
    return unquote(iri[len(FILM_IRI) + 1 :]) if iri.startswith(FILM_IRI + ":") else ""


def read_jsonld(data: bytes, options: Options, source: str) -> Parsed:
    """A W3C Web Annotation file (desk's or another tool's) as a snapshot."""
    from desk.interchange.formats import MAX_IMPORT_BYTES, Parsed

    subject = f"'{source}'" if source else "the file"
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(
            f"{subject} is larger than the {MAX_IMPORT_BYTES // 2**20} MB desk imports."
        )
    document = _Document(subject)
    document.read(_load(data, subject))
    is_desk = document.is_desk()
    reader = _Reader(f"{source}, " if source else "")
    reader.collection(document.meta, is_desk)
    unended = 0
    for number, (node, path) in enumerate(zip(document.nodes, document.paths, strict=True), 1):
        check_type(node, reader.where, path)
        if not _is_annotation(node):
            raise ImportFormatError(
                f"{reader.where}annotation {number} ({path}) is {_kind_of(node)} ({_show(node)}), "
                "not an Annotation."
            )
        found = _Annotation(
            node, number, reader.where, moments=is_desk, film_end_ms=options.film_end_ms
        )
        reader.annotation(found)
        unended += found.unended
    snap, warnings = reader.finish()
    if unended:
        warnings.append(
            f"{unended} time{'s' if unended > 1 else ''} in the file "
            f"give{'' if unended > 1 else 's'} a start and no end, which means up to the film's "
            "end; the film's length is not known, so they became moments."
        )
    return Parsed(snap, document.warnings + warnings)
