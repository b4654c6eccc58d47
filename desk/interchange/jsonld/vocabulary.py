"""The words a desk JSON-LD file is written in: the Web Annotation context, the Media
Fragments specification, desk's namespace and context for its own terms, the film's IRI,
and the longest time a file may name.
"""

from __future__ import annotations

from typing import Any

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
    "deskMoment": "desk:moment",
}
