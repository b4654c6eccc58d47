"""What the window needs before it can open, checked so that a missing piece is one sentence.

Qt aborts the process (``qFatal``, exit 134) when it has no screen or no platform plugin; desk
says which piece is missing and exits with 1 instead. The data folder (the sample's stand-in
film, the crash log) must be writable before anything is rendered into it.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from desk.errors import KnownError

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType

NO_SCREEN_HINT = (
    "run desk on a desktop, or on a virtual screen with `xvfb-run desk`; "
    "the commands that need no window work anywhere (desk --help)"
)


class StartupError(KnownError):
    """The window cannot open here: no screen, no Qt platform plugin, no writable data folder."""


def check_screen() -> None:
    """On Linux and the BSDs, a window needs X11 or Wayland unless Qt was told another platform."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise StartupError(f"there is no screen to open the window on: {NO_SCREEN_HINT}.")


def check_data_folder() -> None:
    """The data folder exists and takes a new file."""
    from desk.paths import data_dir

    folder = data_dir()
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".desk-write-check-"):
            pass
    except OSError as exc:
        raise StartupError(
            f"desk cannot write to its data folder {folder} ({exc.strerror or exc}); "
            "make it writable, or set DESK_DATA_DIR to a folder you can write."
        ) from exc


@contextmanager
def fatal_qt_messages_told() -> Iterator[None]:
    """While the QApplication is being made, a fatal Qt message (no display, no platform plugin)
    becomes one line on stderr and exit status 1, instead of an abort. Qt's warnings before it
    are held back: the first of them names the cause and goes in the line;
    if all goes well they are passed on as usual."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    held: list[tuple[QtMsgType, QMessageLogContext, str]] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind != QtMsgType.QtFatalMsg:
            held.append((kind, context, message))
            return
        causes = [m.strip() for _, _, m in held if m.strip()] or [message.strip()]
        cause = causes[0].splitlines()[0].rstrip(".")
        sys.stderr.write(f"desk: the window cannot open ({cause}); {NO_SCREEN_HINT}.\n")
        sys.stderr.flush()
        os._exit(1)

    previous: Callable[..., None] | None = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        for kind, context, message in held:
            if previous is not None:
                previous(kind, context, message)
            else:
                sys.stderr.write(f"{message}\n")


def keep_no_module_sources() -> None:
    """PySide6's look at each module imported after it reads the module's file, and keeps nothing.

    PySide6 looks at every module imported after it for the text "PySide6" (to learn whether the
    module may use PySide6's opt-in ``__feature__`` switches), reading its source through
    ``inspect.getsource``: ``linecache`` decodes the file, splits it into lines and keeps them for
    good (some 30 MB of text for the libraries desk loads), some 0.2 ms a module, 30 ms of the
    start-up's. The same question is asked of the file's bytes, for a module with a ``.py`` file
    (the text is ASCII in every encoding Python reads source in); any other module is left to
    PySide6's own check, and the lines it read are dropped after it. A traceback reads the lines
    it shows afresh."""
    import linecache

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, "keeps_no_source", False):
        return  # not this PySide6, or done already

    def uses_pyside(module: object) -> bool:
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.endswith(".py"):
            try:
                with open(file, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass  # PySide6's check says what it says of a module whose file is gone
        before = len(linecache.cache)
        try:
            return bool(check(module))
        finally:  # what was read for this module came last: the cache keeps insertion order
            for name in list(linecache.cache)[before:]:
                del linecache.cache[name]

    uses_pyside.keeps_no_source = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    linecache.clearcache()  # the sources read between PySide6's import and now


def keep_out_of_collection() -> None:
    """Put every object alive now out of the cyclic garbage collector's reach (``gc.freeze``).

    What start-up made (modules, Qt's wrappers, the window) lives about as long as desk, and each
    full collection while a large project opens walked all of it again. Called once, at start-up:
    garbage not yet collected then goes with it and is never collected, a bounded cost."""
    gc.freeze()
