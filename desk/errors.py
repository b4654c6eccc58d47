"""The two kinds of error: known ones, which the user can act on, and everything else (bugs).

A :class:`KnownError` carries one sentence meant for the user; the CLI prints it on one line and
the GUI shows it in a message box. Anything else is a bug and is logged with its traceback.
"""


class KnownError(Exception):
    """A failure caused by the environment or the user's input, explained in one sentence."""


class ProjectError(KnownError):
    """A project file cannot be created, opened or changed."""


class ProjectTooNew(ProjectError):
    """The project was written by a newer desk."""


class ProjectLocked(ProjectError):
    """Another desk has the project open."""


class ProjectCorrupt(ProjectError):
    """The project file is damaged or is not a desk project."""


class ProjectForeign(ProjectCorrupt):
    """The project's schema is not the one desk writes (an extra trigger or view, a changed
    table); ``problem`` names the first object that differs."""

    def __init__(self, message: str, *, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


class ProjectTooSlow(ProjectError):
    """Checking or upgrading the project ran past its time limit (a crafted file can take
    forever)."""


class ProjectReadOnly(ProjectError):
    """The project cannot be written (its file, folder or disk is read-only): it can be opened
    for viewing and export only."""


class InvalidEdit(ProjectError):
    """An edit with a value out of range, of the wrong type, or naming what does not exist;
    nothing of it is applied."""


class FilmError(KnownError):
    """A film file is missing, damaged or cannot be decoded."""


class ExportError(KnownError):
    """A report, chart, clip or interchange file cannot be written (bad target, bad input)."""


class ImportFormatError(KnownError):
    """An imported file is malformed, empty, binary or too large."""


class Cancelled(Exception):
    """Long work was cancelled by the user; never shown as an error."""
