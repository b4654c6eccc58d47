"""WebVTT and SubRip subtitles: notes, paragraphs or dialogue as timed cues, and subtitle files
read back as a reference tier of dialogue or as notes. webvtt-py and srt parse and write the
files; this package maps them to snapshots and checks what the (lenient) parsers accept.

Writing (``Options.what``):

- ``notes``: one cue per time link of a note. In WebVTT the cue identifier is the note's uid
  (``<uid>/2``, ``<uid>/3`` for its further links), its character a voice span ``<v Ani>`` and its
  kind a prefix ``[question]`` (free notes have none). SubRip has no identifiers or voices, so the
  kind and the character are a prefix of the text: ``[question] Ani: Is her silence…``.
- ``paragraphs``: one cue per time link of a paragraph, with the paragraph's text (WebVTT
  identifier ``p3``, ``p3/2``: the paragraph's number).
- ``dialogue``: the cues of the reference tier named ``Options.tier`` (the first by default), the
  speaker as a voice span (WebVTT) or a ``Name:`` prefix (SubRip); in WebVTT the header names the
  tier (``WEBVTT - Dialogue (en)``) and gives its ``Language:``.

Cues are written in the order they are shown. A moment (``end == start``) is shown for
:data:`MOMENT_SHOWN_MS`; WebVTT ends its identifier with `` moment`` so it reads back as a moment,
SubRip brings it back as a range that long. Notes or paragraphs without a link or text have
nothing to show and are counted in a warning.

Reading (``Options.as_``):

- ``dialogue``: one new reference tier named ``Options.tier``, else the WebVTT header's title
  (``WEBVTT - title``), else after the file (``anora.en.srt`` → ``anora (en)``); its language from
  the WebVTT ``Language:`` header or a language code before the suffix (``.en.srt``,
  ``.pt-BR.sdh.vtt``). A cue holding several speakers' turns becomes one cue per turn, with the
  same times. A turn starts at a voice span ``<v Name>`` or at a line opening with a dialogue dash
  (``- ``); its speaker is the voice, else a leading ``Name:`` (``Name :`` in French) of up to three
  capitalised words at the start of the turn (``IGOR:``, ``Mr. Smith (O.S.):``, the aside staying
  in the text).
- ``notes``: cues with the same text, kind, character (and WebVTT uid) become one note with a
  link per cue; the kind and the character are read back from the prefixes and voices above (the
  first voice or speaker of a cue; a dash before it is dropped, other dashes are kept as text).

A voice span is read after a leading dash and inside formatting (``- <v Ani>``, ``<i><v Ani>``).

Text is stored plain: tags (``<i>``, ``<font …>``, ``{\\an8}``) are stripped, WebVTT character
references decoded, control characters dropped, lines trimmed and blank lines dropped. WebVTT
escapes ``&``, ``<`` and ``>`` (so ``-->`` cannot end a cue) and writes the first character of
text that would otherwise read as a speaker, a dash or a kind prefix as a character reference, so
what it writes reads back the same. SubRip has no escapes: a speaker-less cue whose text begins
like ``Name: `` or ``- `` reads back with that speaker or as two turns, text that looks like a tag
is read as formatting, and a character's name must begin with a capital to be read back.

Files are UTF-8 (a byte-order mark is honoured, UTF-16 and UTF-32 too); a file that is not UTF-8
is read as Windows-1252 (the usual legacy encoding of SubRip files), else as what
charset-normalizer finds, with a warning. Binary data, a file without cues, a cue ending before it
starts, times past 1,000 hours, more than :data:`MAX_CUES` cues or a cue longer than
:data:`MAX_CUE_CHARS` characters are refused, naming the line (or the subtitle) at fault. WebVTT is
written as UTF-8; SubRip as UTF-8 with a byte-order mark and CRLF line ends, as subtitle editors
write it, so players do not guess another encoding.
"""

from __future__ import annotations

from desk.interchange.subtitles.decoding import decode
from desk.interchange.subtitles.reading import (
    MAX_CUE_CHARS,
    MAX_CUES,
    MAX_TIME_MS,
    read_srt,
    read_vtt,
)
from desk.interchange.subtitles.text import clean_text
from desk.interchange.subtitles.writing import MOMENT_SHOWN_MS, write_srt, write_vtt

__all__ = [
    "MAX_CUES",
    "MAX_CUE_CHARS",
    "MAX_TIME_MS",
    "MOMENT_SHOWN_MS",
    "clean_text",
    "decode",
    "read_srt",
    "read_vtt",
    "write_srt",
    "write_vtt",
]
