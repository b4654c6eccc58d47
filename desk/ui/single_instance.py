"""One desk at a time per data folder: a second `desk open FILE` hands it to the running one.

The running desk holds a lock file in the data folder and listens on a local socket
(``QLocalServer``: a Unix socket, a named pipe on Windows) named after that folder. A second start
that cannot take the lock connects, sends the project's absolute path (or an empty line: show the
window), waits for the running desk to acknowledge, and ends with exit status 0; the running desk
opens the file as File → Open does and comes to the front. This is what a double-click on a
``.desk`` file in a file manager does while desk is open. ``QLockFile`` notices a lock left by a
desk that crashed (its process is gone) and takes it over, so a crash never blocks the next start.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desk.errors import KnownError
from desk.paths import data_dir
from desk.store.server import is_server_address

log = logging.getLogger("desk.ui")

#: How long a second desk waits for the first to answer (it may be busy starting).
ANSWER_TIMEOUT_MS = 5000


def server_name(folder: Path) -> str:
    """The local socket's name for one data folder (a short name: socket paths are limited)."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"desk-{digest}"


class Instance(QObject):
    """The running desk's claim on its data folder, and its ear for files sent by later starts."""

    def __init__(self, lock: QLockFile, name: str) -> None:
        super().__init__()
        self._lock = lock
        self.name = name
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._accept)
        self._receiver: Callable[[Path | str | None], None] = lambda _path: None

    @classmethod
    def claim(cls) -> Instance | None:
        """This process's claim, or None when another desk already runs on this data folder."""
        folder = data_dir()
        lock = QLockFile(str(folder / "desk.instance.lock"))
        lock.setStaleLockTime(0)  # only a lock whose process is gone is stale, however old
        if not lock.tryLock(0):
            return None
        return cls(lock, server_name(folder))

    def serve(self, receiver: Callable[[Path | str | None], None]) -> None:
        """Listen, and call ``receiver`` with each file (or None: show the window) that a later
        start sends. Needs the application object (the socket is watched by its event loop)."""
        self._receiver = receiver
        QLocalServer.removeServer(self.name)  # a socket file left by a desk that crashed
        if not self._server.listen(self.name):
            log.warning("cannot listen for files from other desk starts: %s",
                        self._server.errorString())  # fmt: skip

    def release(self) -> None:
        self._server.close()
        self._lock.unlock()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():  # the line may have come with the connection
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        text = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self._receiver((text if is_server_address(text) else Path(text)) if text else None)


def hand_over(project: Path | str | None) -> None:
    """Send ``project`` to the desk already running on this data folder; raise if it won't take
    it (it is still starting after the timeout, or hangs)."""
    name = server_name(data_dir())
    sent = project.resolve() if isinstance(project, Path) else project  # or a class's address
    line = (str(sent) if sent is not None else "").encode("utf-8") + b"\n"
    deadline = QDeadlineTimer(ANSWER_TIMEOUT_MS)
    while not deadline.hasExpired():
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(max(1, deadline.remainingTime())):
            socket.write(line)
            socket.waitForBytesWritten(max(1, deadline.remainingTime()))
            while not socket.canReadLine() and socket.waitForReadyRead(
                max(1, deadline.remainingTime())
            ):
                pass
            if bytes(socket.readLine().data()).startswith(b"ok"):
                return
        QThread.msleep(100)  # the running desk may not be listening yet
    raise KnownError(
        "another desk is running on the same data folder but does not answer; close it "
        "and start desk again."
    )
