"""The interchange formats, by the name the command line takes, with a word for the user.

Apart from :mod:`desk.interchange.formats` so that the command line can build its help without
importing the store and SQLModel (seconds on a slow machine, for every command).
"""

FORMATS: dict[str, str] = {
    "eaf": "ELAN annotation file",
    "vtt": "WebVTT subtitles",
    "srt": "SubRip subtitles",
    "jsonld": "W3C Web Annotation (JSON-LD)",
    "csv": "CSV spreadsheet",
    "deskz": "desk bundle",
}
