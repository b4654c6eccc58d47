"""A bundle's ``manifest.json``: the format, the versions, the title and the film the times
refer to, written as JSON and read back as untrusted input, field by field."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from desk import __version__
from desk.errors import ImportFormatError, ProjectTooNew
from desk.interchange.bundle.layout import BUNDLE_VERSION, FORMAT
from desk.store import queries, schema
from desk.store.annotation_rows import project_details
from desk.store.project import Project


@dataclass(frozen=True)
class BundleFilm:
    """The film a bundle's times refer to; the receiver finds their copy by its fingerprint."""

    fingerprint: str = ""
    title: str = ""
    year: int | None = None
    duration_ms: int = 0
    fps_num: int = 24
    fps_den: int = 1
    size_bytes: int = 0


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: what a bundle holds, readable without unpacking the project."""

    title: str
    schema_version: int
    film: BundleFilm | None = None
    clips: tuple[str, ...] = ()
    bundle_version: int = BUNDLE_VERSION
    created_at: str = ""
    desk_version: str = __version__

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "bundle_version": self.bundle_version, **asdict(self)}
        data["clips"] = list(self.clips)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes, source: str) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            raise ImportFormatError(f"the manifest of '{source}' is not valid JSON.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ImportFormatError(f"'{source}' is not a desk bundle (its manifest is foreign).")
        read = _Fields(data, source)
        version = read.integer("bundle_version", minimum=1)
        if version > BUNDLE_VERSION:
            raise ImportFormatError(
                f"'{source}' was made by a newer desk (bundle version {version}; this desk reads "
                f"up to {BUNDLE_VERSION}); update desk to open it."
            )
        schema_version = read.integer("schema_version", minimum=1)
        if schema_version > schema.LATEST:
            raise ProjectTooNew(
                f"'{source}' was made by a newer desk (schema {schema_version}; this desk reads "
                f"up to {schema.LATEST}); update desk to open it."
            )
        film = data.get("film")
        if film is not None and not isinstance(film, dict):
            raise ImportFormatError(f"the manifest of '{source}' has a bad 'film'.")
        clips = data.get("clips", [])
        if not isinstance(clips, list) or not all(isinstance(c, str) for c in clips):
            raise ImportFormatError(f"the manifest of '{source}' has a bad 'clips'.")
        return cls(
            title=read.text("title"),
            schema_version=schema_version,
            film=None if film is None else _film(_Fields(film, source)),
            clips=tuple(clips),
            bundle_version=version,
            created_at=read.text("created_at"),
            desk_version=read.text("desk_version"),
        )


class _Fields:
    """Typed reads of a manifest's JSON object, each refusing a wrong type with a sentence."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def _bad(self, key: str) -> ImportFormatError:
        return ImportFormatError(f"the manifest of '{self.source}' has a bad '{key}'.")

    def text(self, key: str) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            raise self._bad(key)
        return value

    def integer(self, key: str, *, minimum: int = 0, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value < 2**63:
            raise self._bad(key)
        return value

    def optional_integer(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.integer(key)


def _film(read: _Fields) -> BundleFilm:
    return BundleFilm(
        fingerprint=read.text("fingerprint"),
        title=read.text("title"),
        year=read.optional_integer("year"),
        duration_ms=read.integer("duration_ms", default=0),
        fps_num=read.integer("fps_num", minimum=1, default=24),
        fps_den=read.integer("fps_den", minimum=1, default=1),
        size_bytes=read.integer("size_bytes", default=0),
    )


def _film_of(project: Project) -> BundleFilm | None:
    media = queries.reference_media(project)
    if media is None:
        return None
    details = project_details(project)
    return BundleFilm(
        fingerprint=media.fingerprint,
        title=str(details.film_title),
        year=details.film_year,
        duration_ms=media.duration_ms,
        fps_num=media.fps_num,
        fps_den=media.fps_den,
        size_bytes=media.size_bytes,
    )
