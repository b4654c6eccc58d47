"""CSV: one row per annotation, in a file that spreadsheets open as it is.

Writing. UTF-8 with a byte-order mark (so Excel reads the accents right), commas, CRLF line ends
and a header row of :data:`COLUMNS`. Times are ``HH:MM:SS.mmm`` (``00:01:23.500``); ``duration``
is there for reading and sorting. The rows, by ``type``:

- ``paragraph``: one row per time link (one without times when it has none): ``text``, ``kind``
  (``body`` or ``heading``), the link's ``label``.
- ``scene``: ``label`` (its name), ``text`` (its description).
- ``beat``: ``label``, ``text`` (its description), ``emotion``, ``valence`` (-1 to 1),
  ``intensity`` (0 to 1), ``characters`` (``Ani, Igor``), ``annotator``.
- ``note``: one row per time link, all with the note's uid: ``text``, ``kind``, ``characters``
  (its one character), ``paragraph`` (the uid of its paragraph), ``created``, the link's ``label``.
- ``cue``: a line of a reference tier: ``text``, ``characters`` (the speaker), ``tier`` (its name)
  and ``kind``; ``uid`` is the tier's, so the lines of one tier share it.

Uids are written as UUIDs (``3d5464cb-2909-4ee4-9693-bb29e1f3be84``), which no spreadsheet takes
for a number. A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
``'`` gets a leading ``'``, so a spreadsheet shows it as text instead of running it as a formula;
the reader takes that ``'`` off again. A CSV has no place for readings, the essay's title and dek,
the colours of characters and emotions, the film, nor a tier's language, source and empty tiers:
:func:`write_csv` says so when a project has any.

Reading. What a spreadsheet saves back: with or without the byte-order mark (or UTF-16 with one,
as Excel's "Unicode text"), ``,``, ``;`` or tab between cells (found from the header, or from an
Excel ``sep=`` line), any line ends, cells over several lines, columns in any order and any case,
other columns ignored, blank rows skipped. Times in any form that
:func:`~desk.core.timecode.parse_timecode` reads (``00:01:23.500``, ``00:01:23,500``, ``01:23.5``,
``83.5``); ``end`` may be left empty for a moment, or given by ``duration``. Numbers may have a
decimal comma. A file that is not UTF-8 is read in the legacy encoding it most likely is in
(Windows-1252 first). Only ``start`` or ``text`` is needed in the header: a row without a ``type``
is a note, and rows without a uid are one annotation each. A uid that is not a UUID (``n1``)
groups rows all the same and becomes the same desk uid on every import. Anything wrong raises
:class:`~desk.errors.ImportFormatError` naming the row as a spreadsheet numbers it (the header
is row 1).
"""

from desk.interchange.csvfile.columns import ALIASES, COLUMNS, TYPES, uid_of
from desk.interchange.csvfile.reading import read_csv, stream_csv
from desk.interchange.csvfile.writing import write_csv

__all__ = ["ALIASES", "COLUMNS", "TYPES", "read_csv", "stream_csv", "uid_of", "write_csv"]
