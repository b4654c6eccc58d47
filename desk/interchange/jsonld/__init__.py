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
Media Fragments: ``t=12.5,15.04`` for a range, in seconds with at most three decimals, so every
millisecond comes back exactly. Media Fragments read ``t=12.5`` as "from 12.5 s to the end", so a
moment is written as the one frame it shows (``t=12.5,12.542`` at 24 fps) with ``deskMoment: true``
on its target, and reads back as a moment. A link's label is the target's ``label``. An annotation
without time links targets the whole film. The collection carries the essay's title (``label``) and
``dek``, the ``film`` (fingerprint, title, year, duration, frame rate), the ``tiers``, and the
colours of ``characters`` and ``emotions``. Nothing desk annotates is left out.

Reading. Besides desk's own files, the reader takes what other tools write: a collection (with
embedded pages, or ``items`` directly), a page, an ``@graph``, a list of annotations or a single
one; targets as objects or as IRIs with a ``#t=`` fragment, times as seconds, ``npt:`` clock times
(``t=npt:00:01:02.5,00:01:05``) or ``smpte`` frames, ``t=10,10`` for a moment and ``t=,5`` for a
range from the start; ``t=10`` runs to the end of the project's film (a moment, with a warning, when
the film's length is not known), except in desk's own files, which wrote moments so once; bodies as
objects, lists, strings, ``bodyValue``, ``Choice`` or ``text/html`` (read for its text). An
annotation without ``deskKind`` becomes a note: of kind ``question`` when its motivation is
``questioning``, otherwise ``free``; its text is its bodies' text, its tags follow on a last line,
its ``created`` is kept, and a target without a time gives no link; its creator is not kept. An
``id`` that is not ``urn:uuid:`` is turned into a uid that is the same on every import, so importing
a file twice adds nothing. A collection's ``label`` becomes the essay's title only in a file whose
context is desk's. The film's fingerprint comes from the collection or from ``urn:desk:film:``
targets. Anything malformed raises :class:`~desk.errors.ImportFormatError` naming the annotation
(its number, from 1, and its id) and the field, the JSON path of a node that is not an annotation or
whose ``type`` is not a name (``$.first.items[3].type``), or the line and column of a JSON syntax
error."""

from desk.interchange.jsonld.fragments import media_fragment_times
from desk.interchange.jsonld.node import Fail
from desk.interchange.jsonld.reader import read_jsonld
from desk.interchange.jsonld.values import uid_of
from desk.interchange.jsonld.vocabulary import (
    ANNO_CONTEXT,
    DESK_CONTEXT,
    DESK_NS,
    FILM_IRI,
    MEDIA_FRAGMENTS,
)
from desk.interchange.jsonld.writer import film_iri, to_document, write_jsonld
from desk.interchange.model import MAX_FILM_MS

__all__ = [
    "ANNO_CONTEXT",
    "DESK_CONTEXT",
    "DESK_NS",
    "FILM_IRI",
    "MAX_FILM_MS",
    "MEDIA_FRAGMENTS",
    "Fail",
    "film_iri",
    "media_fragment_times",
    "read_jsonld",
    "to_document",
    "uid_of",
    "write_jsonld",
]
