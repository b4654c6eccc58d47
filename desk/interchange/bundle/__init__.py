"""The desk bundle (``.deskz``): a project to share, with its lecture clips if wanted.

A bundle is a zip file holding

- ``manifest.json`` (first): the format's name, the bundle version, the project's schema version
  and title, and the film the times refer to, by fingerprint, title, duration, rate and size;
- ``project.desk``: a consistent copy of the project, with its film paths cut to the file name and
  unconfirmed, without the undo history (it holds deleted text and old paths), the analysis cache
  or the words of deleted text in the search index, but with its merge base: the annotations as
  the bundle it was made from or last merged held them (:mod:`desk.interchange.base`), those the
  project has since deleted as a digest only (the versions of the others travel: a teacher's
  bundle shows the class the last merged student's versions of the annotations both share);
- ``clips/NAME.mp4``: lecture clips exported from the project, when asked for.

No path of the sender travels: the receiver relinks their own copy of the film, found by its
fingerprint. A bundle is merged into a project (:func:`merge_bundle`: the annotations, matched by
uid and compared three-way with the bundle's base, conflicts reported) or becomes a new project
(:func:`open_as_project`: everything, clip lists and clip files included, with the bundle's
annotations as its merge base).

A received bundle is untrusted input. :func:`open_bundle` accepts only the expected member names,
refuses encrypted members, members larger than their limit and members compressed suspiciously
well (zip bombs), unpacks the project into a private temporary folder, puts it through desk's own
checks (header, ``quick_check``, migration of an older schema in that copy), checks that its
foreign keys hold and its values have the types desk writes, and that it is about the film the
manifest names. Whatever fails is one sentence: :class:`~desk.errors.ImportFormatError`, or a
:class:`~desk.errors.ProjectError` when the project inside is the cause. Nothing is written to the
user's project before all of this has passed.
"""

from __future__ import annotations

from desk.interchange.bundle.layout import (
    BUNDLE_VERSION,
    CLIP_SUFFIX,
    CLIPS,
    FORMAT,
    MANIFEST,
    MAX_CLIP_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_PROJECT_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    PROJECT,
    RATIO_FLOOR,
)
from desk.interchange.bundle.manifest import BundleFilm, Manifest
from desk.interchange.bundle.merging import merge_bundle
from desk.interchange.bundle.new_project import Opened, open_as_project
from desk.interchange.bundle.opening import Bundle, open_bundle
from desk.interchange.bundle.writing import write_bundle
from desk.store.bundle_files import file_name

__all__ = [
    "BUNDLE_VERSION",
    "CLIPS",
    "CLIP_SUFFIX",
    "FORMAT",
    "MANIFEST",
    "MAX_CLIP_BYTES",
    "MAX_MANIFEST_BYTES",
    "MAX_MEMBERS",
    "MAX_PROJECT_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "PROJECT",
    "RATIO_FLOOR",
    "Bundle",
    "BundleFilm",
    "Manifest",
    "Opened",
    "file_name",
    "merge_bundle",
    "open_as_project",
    "open_bundle",
    "write_bundle",
]
