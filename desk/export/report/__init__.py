"""The PDF report of a project: the essay with exact-frame stills, the emotional arc, readings.

:func:`export_report` reads the project (read-only), decodes every still the report shows in
parallel from the film copy, lays the report out with ReportLab and writes it under a temporary
name in the target folder, renamed into place only when complete: a failed or cancelled export
leaves nothing behind. With ``SOURCE_DATE_EPOCH`` set, the same project and settings give the same
bytes (fixed dates, no random document id).

A film that is missing or unreadable still yields a report: grey boxes stand where the stills
would be, and a warning says why, in the report and in the log. So does a film cut short (a broken
download): the links past the end that can be read show a grey box, and a warning says where the
film ends.

The modules, in the order the report is made: :mod:`.data` reads the project, :mod:`.plan` picks
the stills, :mod:`.context` holds what the sections share, :mod:`.sections` and :mod:`.boards`
build the flowables (:mod:`.chart` draws the arc, :mod:`.index` and :mod:`.contents` the back and
front matter) from :mod:`.styles` and :mod:`.flowables`, :mod:`.doc` lays them out, and
:mod:`.writer` runs it all.
"""

from desk.export.report.writer import (
    CancelCheck,
    Progress,
    ReportResult,
    cover_date,
    default_workers,
    export_report,
    source_date_epoch,
)

__all__ = [
    "CancelCheck",
    "Progress",
    "ReportResult",
    "cover_date",
    "default_workers",
    "export_report",
    "source_date_epoch",
]
