"""ELAN annotation files (``.eaf``, EAF 3.0): desk's annotations as ELAN tiers, and the tiers of
any ELAN file as reference tiers.

What desk writes. Times are milliseconds. ELAN allows no overlapping annotations on a tier, so
annotations that overlap go to further lanes (``Essay 2``, ...) of the same linguistic type.

=====================  ==============================  =====================================
desk                   tier (linguistic type)          annotation value
=====================  ==============================  =====================================
paragraph, per link    ``Essay`` (desk-essay)          the paragraph's text
note, per link         ``Notes: question (Ani)``       the note's text; PARTICIPANT is the
                       (desk-note-question)            character it is about
beat, per character    ``Beats (Ani)`` (desk-beat)     the beat's label; PARTICIPANT is the
                                                       character, ANNOTATOR the annotator
scene                  ``Scenes`` (desk-scene)         the scene's name
reference tier         its name, one ELAN tier per     the cue's text; PARTICIPANT is the
                       speaker (type: its kind)        speaker, LANG_REF its language
=====================  ==============================  =====================================

An annotation's other fields are dependent tiers (Symbolic_Association: one value per parent
annotation, same span), each written when some annotation has a value: ``desk id`` (the uid, so
that a round trip keeps identity), ``paragraph number`` (the paragraph's place in the essay),
``kind`` (of a paragraph that is not body text), ``paragraph`` (the number of the paragraph a
note belongs to), ``created``, ``link label``, ``emotion`` (from a controlled vocabulary of the
project's emotions), ``valence``, ``intensity`` and ``description``. A moment (a link that
starts and ends on the same millisecond) is a 1 ms annotation, since ELAN keeps no empty ones;
a 1 ms annotation on one of desk's tiers reads back as a moment. HEADER properties named
``desk:...`` hold the essay's title and dek, the film's fingerprint, title and year, the colours
of characters and emotions (JSON) and, for each reference tier, its uid, name, kind, language,
source and the ELAN tiers it was split into (JSON). A reference tier read from an ELAN file is
written back as the tier it was (:mod:`~desk.interchange.eaf.structure`): its parent tier,
linguistic type and constraint, vocabulary and languages, reference annotations as references.

What an ELAN file does not carry: readings and their evidence; paragraphs and notes without a
time link; a note's paragraph when that paragraph has no time link; the film's duration, frame
rate and file (no MEDIA_DESCRIPTOR: the user links their copy in ELAN); the order of notes and of
beats that start together, which come back in time order. The writer's warnings name what a
project loses.

Reading. desk's own tiers (known by linguistic type, not by name) become paragraphs, notes,
beats and scenes again; annotations with the same desk id are one item (a beat on the tiers of
two characters is felt by both). Every other tier becomes a reference tier of cues (speaker: the
tier's PARTICIPANT; kind: its linguistic type; language: its LANG_REF) that keeps its ELAN
structure, or, with ``Options.as_ == "notes"``, notes (one per distinct text and speaker). An
annotation without text is left out with a count, unless a dependent annotation refers to it;
what the file holds that desk has no place for (licence, media descriptors, external references,
other header properties, ...) is named with counts in the warnings. A reference annotation
takes its parent's span, or an equal part of it under Symbolic_Subdivision (in
PREVIOUS_ANNOTATION order); a time slot without a value gets a time spaced evenly between the
nearest slots with one along the chain of annotations on its tier (Time_Subdivision, Included_In).
Frame-counted files (PAL, NTSC) are converted. A file that is not XML, declares a DTD, is not an
ANNOTATION_DOCUMENT, refers to anything it does not define, has a negative or reversed time or a
cycle of tiers is refused with the line at fault; nothing else about it is required. The file
is read as a stream (:mod:`~desk.interchange.eaf.document`).
"""

from desk.interchange.eaf.builder import SCHEMA_URL
from desk.interchange.eaf.names import (
    BEAT,
    EMOTIONS_CV,
    ESSAY,
    FIELDS,
    MOMENT_MS,
    NOTE,
    SCENE,
    STEREOTYPES,
)
from desk.interchange.eaf.reader import read_eaf
from desk.interchange.eaf.writer import write_eaf

__all__ = [
    "BEAT",
    "EMOTIONS_CV",
    "ESSAY",
    "FIELDS",
    "MOMENT_MS",
    "NOTE",
    "SCENE",
    "SCHEMA_URL",
    "STEREOTYPES",
    "read_eaf",
    "write_eaf",
]
