"""W3C Web Annotation (JSON-LD): every annotation of a project as an ``Annotation`` whose targets
are Media Fragments (``t=12.5,15.04``) of the film.

Writing. The file is one ``AnnotationCollection`` with its annotations in an embedded first page
(``first: {type: AnnotationPage, items: [...]}``), the layout the Web Annotation model defines for
a collection and that its readers follow. ``@context`` is ``http://www.w3.org/ns/anno.jsonld``
plus :data:`DESK_CONTEXT`, which names desk's own terms in the namespace :data:`DESK_NS`. Each
annotation's ``id`` is ``urn:uuid:`` and its desk uid; ``deskKind`` says what it is in desk:

- ``paragraph`` (``commenting``): the paragraph's text as a ``TextualBody``, ``blockKind`` when
  it is a heading, one target per time link.
- ``note`` (``commenting``, or ``questioning`` for a question): its text, its character as a
  ``tagging`` body, ``noteKind``, ``paragraph`` (the id of its paragraph), ``created``, one target
  per time link, so a note with several links stays one annotation.
- ``beat`` (``classifying``): ``label``, the description (``describing``), the emotion
  (``classifying``), each character who feels it (``tagging``), ``valence``, ``intensity``, the
  annotator as ``creator``.
- ``scene`` (``describing``): ``label`` (its name), the description.
- ``reading`` (``assessing``): ``label`` (its title), the summary; its target is the id of its
  scene's annotation; ``evidence`` lists, in order, ``{stance, cites, citesKind, comment}`` where
  ``cites`` is the id of a beat, note or paragraph annotation. Evidence stays inside the reading
  so that a reading travels whole.
- ``cue`` (``describing``): one line of a reference tier: its text (with the tier's language),
  ``speaker``, ``tier`` (the id of a tier described by the collection's ``tiers``).

A target is a ``SpecificResource`` whose ``source`` is the film, ``urn:desk:film:`` and its
fingerprint (``urn:desk:film`` when the film is unknown), with a ``FragmentSelector`` conforming to
Media Fragments: ``t=12.5,15.04`` for a range, ``t=12.5`` for a moment, in seconds with at most
three decimals, so every millisecond comes back exactly; a link's label is the target's
``label``. An annotation without time links targets the whole film. The collection carries the
essay's title (``label``) and ``dek``, the ``film`` (fingerprint, title, year, duration, frame
rate), the ``tiers``, and the colours of ``characters`` and ``emotions``. Nothing desk annotates
is left out.

Reading. Besides desk's own files, the reader takes what other tools write: a collection (with
embedded pages, or ``items`` directly), a page, an ``@graph``, a list of annotations or a single
one; targets as objects or as IRIs with a ``#t=`` fragment, times as seconds, ``npt:`` clock times
(``t=npt:00:01:02.5,00:01:05``) or ``smpte`` frames, ``t=10`` or ``t=10,10`` for a moment and
``t=,5`` for a range from the start; bodies as objects, lists, strings, ``bodyValue``, ``Choice``
or ``text/html`` (read for its text). An annotation without ``deskKind`` becomes a note: of kind
``question`` when its motivation is ``questioning``, otherwise ``free``; its text is its bodies'
text, its tags follow on a last line, its ``created`` is kept, and a target without a time gives
no link; its creator is not kept. An ``id`` that is not ``urn:uuid:`` is turned into a uid that
is the same on every import, so importing a file twice adds nothing. A collection's ``label``
becomes the essay's title only in a file whose context is desk's. The film's fingerprint comes
from the collection or from ``urn:desk:film:`` targets. Anything malformed raises
:class:`~desk.errors.ImportFormatError` naming the annotation (its number, from 1, and its id)
and the field, or the line and column of a JSON syntax error.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NoReturn, cast
from urllib.parse import quote, unquote

from desk.core.timecode import MAX_FPS, FrameRate, TimecodeError, format_ms, parse_timecode
from desk.errors import ImportFormatError
from desk.interchange.model import (
    Beat,
    Cue,
    Evidence,
    Film,
    Link,
    Note,
    Paragraph,
    Reading,
    Scene,
    Snapshot,
    Tier,
)
from desk.store.models import BlockKind, NoteKind, Stance

if TYPE_CHECKING:
    from desk.interchange.formats import Options, Parsed, Written

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
#: desk's own terms live here; the IRI names them and is never fetched.
DESK_NS = "https://desk.invalid/ns#"
FILM_IRI = "urn:desk:film"
DESK_CONTEXT: dict[str, Any] = {
    "desk": DESK_NS,
    "deskKind": "desk:kind",
    "blockKind": "desk:blockKind",
    "noteKind": "desk:noteKind",
    "paragraph": {"@id": "desk:paragraph", "@type": "@id"},
    "valence": "desk:valence",
    "intensity": "desk:intensity",
    "evidence": {"@id": "desk:evidence", "@container": "@list"},
    "stance": "desk:stance",
    "cites": {"@id": "desk:cites", "@type": "@id"},
    "citesKind": "desk:citesKind",
    "comment": "desk:comment",
    "speaker": "desk:speaker",
    "tier": {"@id": "desk:tier", "@type": "@id"},
    "tiers": {"@id": "desk:tiers", "@container": "@list"},
    "tierKind": "desk:tierKind",
    "tierSource": "desk:tierSource",
    "dek": "desk:dek",
    "film": "desk:film",
    "year": "desk:year",
    "durationMs": "desk:durationMs",
    "frameRate": "desk:frameRate",
    "characters": "desk:characters",
    "emotions": "desk:emotions",
    "color": "desk:color",
}
#: Times beyond this (1000 hours) are refused: no film is that long.
MAX_FILM_MS = 1000 * 3600 * 1000
_DESK_KINDS = ("paragraph", "note", "beat", "scene", "reading", "cue")
_NOT_TEXT = ("tagging", "classifying")


# -- writing ----------------------------------------------------------------------------------
def _urn(uid: str, seed: str = "") -> str:
    """The IRI of an annotation with this desk uid (a stable one made from ``seed`` if it has
    none)."""
    try:
        return f"urn:uuid:{uuid.UUID(hex=uid)}"
    except ValueError:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, DESK_NS + (uid or seed))}"


def film_iri(fingerprint: str) -> str:
    return f"{FILM_IRI}:{quote(fingerprint, safe=':')}" if fingerprint else FILM_IRI


def _seconds(ms: int) -> str:
    return format_ms(ms, "seconds")


def _target(film: str, start_ms: int, end_ms: int, label: str = "") -> dict[str, Any]:
    times = _seconds(start_ms) if start_ms == end_ms else f"{_seconds(start_ms)},{_seconds(end_ms)}"
    selector = {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": f"t={times}"}
    target: dict[str, Any] = {"type": "SpecificResource", "source": film, "selector": selector}
    if label:
        target["label"] = label
    return target


def _targets(film: str, links: tuple[Link, ...]) -> Any:
    return _one_or_many([_target(film, x.start_ms, x.end_ms, x.label) for x in links]) or film


def _body(value: str, purpose: str, language: str = "") -> dict[str, str]:
    body = {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": purpose}
    if language:
        body["language"] = language
    return body


def _one_or_many(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _annotation(uid: str, kind: str, motivation: str, seed: str = "", **fields: Any) -> dict:
    node = {"id": _urn(uid, seed), "type": "Annotation", "deskKind": kind, "motivation": motivation}
    fields["body"] = _one_or_many([b for b in fields["body"] if b["value"]])
    node.update({k: v for k, v in fields.items() if v not in ("", None, [])})
    return node


def _items(snap: Snapshot, film: str) -> Iterator[dict[str, Any]]:
    for p in snap.paragraphs:
        yield _annotation(
            p.uid,
            "paragraph",
            "commenting",
            p.text,
            blockKind="" if p.kind == BlockKind.BODY else p.kind,
            body=[_body(p.text, "commenting")],
            target=_targets(film, p.links),
        )
    for s in snap.scenes:
        yield _annotation(
            s.uid,
            "scene",
            "describing",
            s.name,
            label=s.name,
            body=[_body(s.description, "describing")],
            target=_target(film, s.start_ms, s.end_ms),
        )
    for b in snap.beats:
        yield _annotation(
            b.uid,
            "beat",
            "classifying",
            b.label,
            label=b.label,
            body=[
                _body(b.description, "describing"),
                _body(b.emotion, "classifying"),
                *(_body(name, "tagging") for name in b.characters),
            ],
            target=_target(film, b.start_ms, b.end_ms),
            valence=b.valence,
            intensity=b.intensity,
            creator={"type": "Person", "name": b.annotator} if b.annotator else None,
        )
    for n in snap.notes:
        motivation = "questioning" if n.kind == NoteKind.QUESTION else "commenting"
        yield _annotation(
            n.uid,
            "note",
            motivation,
            n.text,
            noteKind=n.kind,
            body=[_body(n.text, motivation), _body(n.character, "tagging")],
            target=_targets(film, n.links),
            created=n.created_at,
            paragraph=_urn(n.paragraph) if n.paragraph else "",
        )
    for r in snap.readings:
        evidence = [
            {
                "stance": e.stance,
                "cites": _urn(e.target),
                "citesKind": e.target_kind,
                **({"comment": e.comment} if e.comment else {}),
            }
            for e in r.evidence
        ]
        yield _annotation(
            r.uid,
            "reading",
            "assessing",
            r.title,
            label=r.title,
            body=[_body(r.summary, "assessing")],
            target=_urn(r.scene) if r.scene else film,
            evidence=evidence,
        )
    for t in snap.tiers:
        for number, c in enumerate(t.cues):
            yield _annotation(
                "",
                "cue",
                "describing",
                f"{_urn(t.uid, t.name)} cue {number}",
                body=[_body(c.text, "describing", t.language)],
                target=_target(film, c.start_ms, c.end_ms),
                speaker=c.speaker,
                tier=_urn(t.uid, t.name),
            )


def _frame_rate(film: Film) -> str:
    return str(film.fps_num) if film.fps_den == 1 else f"{film.fps_num}/{film.fps_den}"


def to_document(snap: Snapshot) -> dict[str, Any]:
    """The snapshot as a JSON-LD ``AnnotationCollection``."""
    film = film_iri(snap.film.fingerprint)
    items = list(_items(snap, film))
    f = snap.film
    film_node = {
        "id": film,
        "label": f.title,
        "year": f.year,
        "durationMs": f.duration_ms,
        "frameRate": _frame_rate(f),
    }
    tiers = [
        {
            "id": _urn(t.uid, t.name),
            "label": t.name,
            "tierKind": t.kind,
            "language": t.language,
            "tierSource": t.source,
        }
        for t in snap.tiers
    ]
    seed = f"{film} {snap.title}"
    doc: dict[str, Any] = {
        "@context": [ANNO_CONTEXT, DESK_CONTEXT],
        "id": _urn("", f"collection {seed}"),
        "type": "AnnotationCollection",
        "label": snap.title,
        "dek": snap.dek,
        "generator": {"type": "Software", "name": "desk"},
        "film": {k: v for k, v in film_node.items() if v not in ("", None)},
        "characters": [{"label": n, "color": c} for n, c in snap.characters.items()],
        "emotions": [{"label": n, "color": c} for n, c in snap.emotions.items()],
        "tiers": [{k: v for k, v in t.items() if v} for t in tiers],
        "total": len(items),
        "first": {
            "id": _urn("", f"page {seed}"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
    return {k: v for k, v in doc.items() if v not in ("", [])}


def write_jsonld(snapshot: Snapshot, options: Options) -> Written:
    from desk.interchange.formats import Written

    text = json.dumps(to_document(snapshot), ensure_ascii=False, indent=2)
    return Written((text + "\n").encode("utf-8"))


# -- reading: values --------------------------------------------------------------------------
def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    names = {dict: "an object", list: "a list", str: "text", type(None): "null"}
    return names.get(type(value), "a number")


def _printable(text: str, limit: int = 40) -> str:
    """Text cut short for a message, safe to print whatever it holds."""
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _show(value: Any) -> str:
    """A short rendering of a JSON value for a message."""
    if isinstance(value, dict | list):
        return "{...}" if isinstance(value, dict) else "[...]"
    if isinstance(value, str):
        return '"' + _printable(value) + '"'
    return _printable(json.dumps(value))


def _term(value: str) -> str:
    """A vocabulary word without its prefix: ``oa:commenting`` and its full IRI are both
    ``commenting``."""
    return re.split(r"[#:/]", value)[-1]


def _values(kinds: type[StrEnum]) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict[str, Any]) -> set[str]:
    return {_term(t) for t in _as_list(node.get("type", node.get("@type"))) if isinstance(t, str)}


def uid_of(iri: str) -> str:
    """The desk uid for an id: the UUID of a ``urn:uuid:``, otherwise one made from the id that
    is the same on every import."""
    if iri.lower().startswith("urn:uuid:"):
        try:
            return uuid.UUID(iri[9:]).hex
        except ValueError:
            pass
    return uuid.uuid5(uuid.NAMESPACE_URL, iri).hex


def _valid(value: str) -> bool:
    """Whether text is valid Unicode (JSON can spell a lone surrogate; no text can hold one)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6])\s*>", re.IGNORECASE)
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?")


def _html_text(value: str) -> str:
    """The text of an HTML fragment (nothing it refers to is fetched)."""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", value)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# -- reading: the time a target names ---------------------------------------------------------
_NPT = re.compile(r"\d+(?:\.\d*)?|\.\d+|(?:\d+:)?\d{1,2}:\d{1,2}(?:\.\d*)?")
_SMPTE_TIME = re.compile(r"(\d+):(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?")
_SMPTE_RATES = {
    "smpte": Fraction(30),
    "smpte-25": Fraction(25),
    "smpte-30-drop": Fraction(30000, 1001),
}


def _time_ms(text: str, scheme: str) -> int:
    if len(text) > 32:
        raise TimecodeError(text)
    if scheme == "npt":
        if not _NPT.fullmatch(text):
            raise TimecodeError(text)
        ms = parse_timecode(text)
    else:
        match = _SMPTE_TIME.fullmatch(text)
        if match is None:
            raise TimecodeError(text)
        h, m, s, f = match.groups()
        sep = ";" if scheme.endswith("drop") else ":"
        ms = parse_timecode(f"{h}:{m}:{s}{sep}{f or '00'}", FrameRate(_SMPTE_RATES[scheme]))
    if ms > MAX_FILM_MS:
        raise TimecodeError(text)
    return ms


def media_fragment_times(fragment: str) -> tuple[int, int] | None:
    """``(start_ms, end_ms)`` from a media fragment's ``t=`` (``None`` when it has none); raises
    :class:`ValueError` saying why when its ``t=`` is malformed."""
    times = None
    for part in fragment.lstrip("#").split("&"):
        name, _, value = part.partition("=")
        if unquote(name).strip() == "t":
            times = unquote(value).strip()
    if times is None:
        return None
    shown = _show(f"t={times}")
    scheme, colon, rest = times.partition(":")
    if colon and scheme == "clock":
        raise ValueError(f"is {shown}, a wall-clock time, not a time in the film")
    if colon and scheme in ("npt", *_SMPTE_RATES):
        times = rest
    else:
        scheme = "npt"
    begin, comma, end = times.partition(",")
    try:
        start = _time_ms(begin, scheme) if begin or not comma else 0
        stop = _time_ms(end, scheme) if comma else start
    except ValueError:
        raise ValueError(f"is {shown}, not a time in the Media Fragments syntax") from None
    if stop < start:
        raise ValueError(f"is {shown}, which ends before it starts")
    return start, stop


# -- reading: annotations ---------------------------------------------------------------------
Fail = Callable[[str, str], NoReturn]


class _Node:
    """Typed access to one JSON object, naming the key at fault when a value is wrong."""

    def __init__(self, node: dict[str, Any], fail: Fail):
        self.node = node
        self.fail = fail

    def get(self, key: str, kinds: tuple[type, ...], default: Any = None) -> Any:
        value = self.node.get(key)
        if value is None:  # null is as good as absent
            return default
        if not isinstance(value, kinds) or isinstance(value, bool):
            names = {str: "text", dict: "an object", list: "a list", int: "a whole number"}
            wanted = names.get(kinds[0], "a number")
            self.fail(key, f"is {_kind_of(value)} ({_show(value)}), not {wanted}")
        return value

    def text(self, key: str, default: str = "") -> str:
        value: str = self.get(key, (str,), default)
        if not _valid(value):
            self.fail(key, "holds a character that is not valid Unicode")
        return value

    def number_in(self, key: str, low: float, high: float, default: float) -> float:
        value = self.get(key, (int, float), default)
        if not low <= value <= high:
            self.fail(key, f"is {_show(value)}, not a number from {low:g} to {high:g}")
        return float(value)

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in allowed:
            self.fail(key, f"is {_show(value)}, not one of {', '.join(allowed)}")
        return value

    def ref(self, key: str) -> str:
        value = self.text(key)
        return uid_of(value) if value else ""

    def nodes(self, key: str) -> Iterator[_Node]:
        """The objects a key holds (one or a list), each naming faults as part of ``key``."""
        for value in _as_list(self.get(key, (list, dict))):
            if not isinstance(value, dict):
                self.fail(key, f"holds {_kind_of(value)} ({_show(value)}), not an object")

            def fail(inner: str, problem: str, key: str = key) -> NoReturn:
                self.fail(key, f"has a '{inner}' that {problem}")

            yield _Node(value, fail)


@dataclass(frozen=True)
class _Body:
    text: str
    purpose: str = ""


@dataclass(frozen=True)
class _Target:
    source: str  # the IRI of what is annotated, without its fragment
    times: tuple[int, int] | None
    label: str = ""


class _Annotation(_Node):
    """One annotation of the file: its bodies and targets, and its place in the file."""

    def __init__(self, node: dict[str, Any], number: int, where: str):
        super().__init__(node, self._fail)
        self.number = number
        self.where = where
        self.id = ""
        self.id = self.text("id", node.get("@id", ""))
        self.bodies = self._bodies()
        self.targets = self._targets()

    def _fail(self, key: str, problem: str) -> NoReturn:
        name = f" ({_printable(self.id, 60)})" if self.id else ""
        raise ImportFormatError(f"{self.where}annotation {self.number}{name}: '{key}' {problem}.")

    def motivations(self) -> list[str]:
        return [_term(m) for m in _as_list(self.node.get("motivation")) if isinstance(m, str)]

    def _bodies(self) -> list[_Body]:
        found = [_Body(self.text("bodyValue"))] if "bodyValue" in self.node else []
        key = next((k for k in ("body", "hasBody", "oa:hasBody") if k in self.node), "body")
        return found + [self._body(key, value) for value in _as_list(self.node.get(key))]

    def _body(self, key: str, value: Any) -> _Body:
        if isinstance(value, str):
            value = {"value": value}
        if not isinstance(value, dict):
            self.fail(key, f"holds {_kind_of(value)} ({_show(value)}), not a body")
        if "Choice" in _types(value):
            choices = [v for v in _as_list(value.get("items")) if isinstance(v, dict)]
            value = choices[0] if choices else {}
        if isinstance(value.get("value"), dict):
            value = {**value, "value": value["value"].get("@value", "")}
        body = _Node(value, lambda k, p: self.fail(key, f"has a '{k}' that {p}"))
        # a body with no value of its own is an external resource: its IRI stands for it
        found = [k for k in ("value", "id", "source") if isinstance(value.get(k), str)]
        text = body.text(found[0] if found else "value")
        if "html" in body.text("format").lower():
            text = _html_text(text)
        purposes = [_term(p) for p in _as_list(value.get("purpose")) if isinstance(p, str)]
        return _Body(text, purposes[0] if purposes else "")

    def body_text(self, excluding: tuple[str, ...] = ("tagging", "classifying")) -> str:
        return "\n\n".join(b.text for b in self.bodies if b.purpose not in excluding and b.text)

    def tags(self, purpose: str = "tagging") -> list[str]:
        return [b.text.strip() for b in self.bodies if b.purpose == purpose and b.text.strip()]

    def _targets(self) -> list[_Target]:
        key = next((k for k in ("target", "hasTarget", "oa:hasTarget") if k in self.node), "")
        values = _as_list(self.node.get(key)) if key else []
        if not values:
            self.fail("target", "is missing: every annotation has one")
        return [self._target(value) for value in values]

    def _target(self, value: Any) -> _Target:
        def bad(problem: str) -> NoReturn:
            self.fail("target", problem)

        if isinstance(value, str):
            value = {"id": value}
        if not isinstance(value, dict):
            bad(f"holds {_kind_of(value)} ({_show(value)}), not a resource")
        target = _Node(value, lambda k, p: bad(f"has a '{k}' that {p}"))
        source = value.get("source")
        if isinstance(source, dict):
            target = _Node(source, target.fail)
            key = "id"
        else:
            key = "source" if "source" in value else "id"
        iri, _, fragment = target.text(key).partition("#")
        try:
            times = media_fragment_times(fragment)
            for selector in _selectors(value.get("selector")):
                chosen = selector.get("value")
                if isinstance(chosen, str) and "t=" in chosen:
                    times = media_fragment_times(chosen) or times
        except ValueError as exc:
            bad(str(exc))
        return _Target(iri, times, _Node(value, target.fail).text("label"))

    def links(self) -> tuple[Link, ...]:
        return tuple(Link(*t.times, t.label) for t in self.targets if t.times is not None)

    def one_range(self) -> tuple[int, int]:
        timed = [t.times for t in self.targets if t.times is not None]
        if len(timed) != 1:
            self.fail("target", f"names {len(timed)} times in the film, where it needs one")
        return timed[0]

    def creator(self) -> str:
        for value in _as_list(self.node.get("creator")):
            if isinstance(value, dict):
                value = value.get("name", value.get("nickname", value.get("id")))
            if isinstance(value, str) and value.strip() and _valid(value):
                return value.strip()
        return ""


def _selectors(value: Any) -> Iterator[dict[str, Any]]:
    """Selectors and the selectors that refine them, a few levels deep."""
    pending = [s for s in _as_list(value) if isinstance(s, dict)]
    for _ in range(64):
        if not pending:
            return
        selector = pending.pop(0)
        yield selector
        pending.extend(s for s in _as_list(selector.get("refinedBy")) if isinstance(s, dict))


# -- reading: the document --------------------------------------------------------------------
def _load(data: bytes, subject: str) -> Any:
    def reject(value: str) -> NoReturn:
        raise ValueError(f"{value} is not a number JSON allows")

    try:
        text = data.decode(json.detect_encoding(data))
        return json.loads(text.removeprefix("\ufeff"), parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{subject} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{subject} is not UTF-8 text (byte {exc.start + 1}).") from None
    except RecursionError:
        raise ImportFormatError(f"{subject} nests its JSON too deeply to be read.") from None
    except ValueError as exc:
        raise ImportFormatError(f"{subject} is not valid JSON: {exc}.") from None


_GROUPS = {"AnnotationCollection", "AnnotationPage"}


def _is_annotation(node: Any) -> bool:
    return isinstance(node, dict) and (
        "Annotation" in _types(node) or ("target" in node and not _types(node))
    )


@dataclass
class _Document:
    """The annotations of a file and what its collection says about them."""

    subject: str
    nodes: list[Any] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    context: Any = None
    warnings: list[str] = field(default_factory=list)

    def read(self, doc: Any) -> None:
        if isinstance(doc, dict):
            self.context = doc.get("@context")
            if isinstance(doc.get("@graph"), list):
                doc = doc["@graph"]
        if isinstance(doc, list):
            for node in doc:
                if isinstance(node, dict) and _types(node) & _GROUPS:
                    self.collection(node)
                else:
                    self.nodes.append(node)
        elif _is_annotation(doc):
            self.nodes.append(doc)
        elif isinstance(doc, dict) and (_types(doc) & _GROUPS or "first" in doc):
            self.collection(doc)
        else:
            raise ImportFormatError(
                f"{self.subject} is not a W3C Web Annotation file: it holds no Annotation, "
                "AnnotationPage or AnnotationCollection."
            )

    def collection(self, node: dict[str, Any]) -> None:
        self.meta = self.meta or node
        self.context = self.context or node.get("@context")
        pages: list[dict[str, Any]] = [node] if "items" in node else []
        page = node.get("first")
        if isinstance(page, str):
            raise ImportFormatError(
                f"{self.subject} points to its annotations at {_show(page)} instead of holding "
                "them; desk reads only the annotations a file holds."
            )
        while isinstance(page, dict) and len(pages) < 100_000:
            pages.append(page)
            page = page.get("next")
        if isinstance(page, str):
            self.warnings.append(
                f"the file's further annotations at {_show(page)} are not in it, so they were "
                "not read."
            )
        for each in pages:
            items = each.get("items", [])
            if not isinstance(items, list):
                raise ImportFormatError(
                    f"{self.subject}: 'items' is {_kind_of(items)}, not a list."
                )
            self.nodes.extend(items)

    def is_desk(self) -> bool:
        """Whether desk wrote the file (its context names desk's namespace)."""
        return any(
            c == DESK_NS or (isinstance(c, dict) and c.get("desk") == DESK_NS)
            for c in _as_list(self.context)
        )


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
    reader = _Reader(f"{source}, " if source else "")
    reader.collection(document.meta, document.is_desk())
    for number, node in enumerate(document.nodes, 1):
        if not _is_annotation(node):
            raise ImportFormatError(
                f"{reader.where}annotation {number} is {_kind_of(node)} ({_show(node)}), not an "
                "Annotation."
            )
        reader.annotation(_Annotation(node, number, reader.where))
    snap, warnings = reader.finish()
    return Parsed(snap, document.warnings + warnings)
