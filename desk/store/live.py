"""Changes made by others in a class, as they are committed: LISTEN/NOTIFY on a connection of
its own, in a thread, turned into the :class:`~desk.store.changes.Changes` a window's views
already read.

desk announces each of its edits itself, with the edit's own statements: one ``pg_notify`` on
the class's channel naming what changed, as the edit's :class:`~desk.store.changes.Changes`
(:meth:`~desk.store.server.ServerConnection.announce`). Each table of a class also has a trigger
that announces which row of which table changed (:func:`notify_ddl`), for edits made by hand in
SQL; it skips the connections of a desk that announces its own (a session setting says so), so an
edit is announced once, by one statement instead of a trigger's call per row. PostgreSQL delivers
a notification when the edit commits, so nothing that was rolled back is ever announced. A payload
names rows and never carries their text, so the rows a student may not read stay unread: a view
asks the store again, as the student, when told. A class shared by an earlier desk has triggers
that announce every edit, and desk leaves the announcing to them there.

A :class:`Watch` tells its owner when the server stops answering and when it is back; it keeps
trying to reconnect by itself, every second, and reports what arrives after that as usual. What
changed while it was away is reported as every kind changing at once, so views read again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

from desk.store.changes import BY_TABLE, Changed, Changes
from desk.store.commands import KEYS
from desk.store.server import ANNOUNCES, ClassAddress, ServerConnection, channel

log = logging.getLogger("desk.store")

#: How long notifications are gathered into one :class:`Changes` (seconds): an edit of many rows
#: reaches a window as one refresh, well within the second a class expects.
GATHER_S = 0.05
#: How often a lost server is tried again (seconds).
RETRY_S = 1.0


def notify_ddl(class_name: str) -> list[str]:
    """The trigger functions and triggers that announce each committed row change.

    A function per table names the row's key (and a link's owners) directly: turning the whole
    row into JSON to pick them out cost as much as the insert itself for a note with a long text.
    """
    out = []
    for table, key in KEYS.items():
        fields = f"'t', '{table}', 'id', r.{key[0]}"
        if table == "time_link":
            fields += ", 'p', r.paragraph_id, 'n', r.note_id"
        out.append(
            f"""CREATE FUNCTION notify_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE r record;
            BEGIN
              IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
              PERFORM pg_notify('desk_{class_name}', json_build_object({fields})::text);
              RETURN NULL;
            END $$"""
        )
        out.append(
            f"CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW WHEN (current_setting('{ANNOUNCES}', true) IS DISTINCT FROM 'on') "
            f"EXECUTE FUNCTION notify_{table}()"
        )
    return out


def triggers_skip_desk(conn: ServerConnection) -> bool:
    """Whether the class's triggers leave desk's own edits for desk to announce (a class shared
    by an earlier desk announces every edit by its triggers)."""
    found = conn.raw.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'note'::regclass "
        "AND tgname = 'notify_change' AND tgqual IS NOT NULL)"
    ).fetchone()
    return bool(found and found[0])


def add_notice(changes: Changes, payload: str) -> None:
    """Add what one notification says to ``changes``."""
    said = json.loads(payload)
    if isinstance(said.get("c"), dict):  # desk's own announcement of an edit
        kinds = {what.value: what for what in Changed}
        for kind, ids in said["c"].items():
            if kind in kinds:  # no ids: every one of that kind may have changed
                changes.rows.setdefault(kinds[kind], set()).update(int(i) for i in ids)
        return
    table = said.get("t")
    if table not in BY_TABLE or said.get("id") is None:
        return
    changes.add(BY_TABLE[table], int(said["id"]))
    if table == "time_link":  # a link's owner changes with it, as on a file
        if said.get("p") is not None:
            changes.add(Changed.PARAGRAPHS, int(said["p"]))
        if said.get("n") is not None:
            changes.add(Changed.NOTES, int(said["n"]))


def everything() -> Changes:
    """Every kind changed: what a window is told after it was cut off from the server."""
    changes = Changes(label="Changes made while the server could not be reached")
    for what in Changed:
        changes.rows[what] = set()
    return changes


class Watch:
    """Listens to a class's channel in a thread, until :meth:`stop`.

    ``on_changes`` receives what others committed (not what ``own_pid()`` — the backend of the
    window's own connection — did: the window already knows); ``on_connected`` receives False
    when the server is lost and True when it answers again. Both are called on the watch's
    thread.
    """

    def __init__(
        self,
        address: ClassAddress,
        own_pid: Callable[[], int],
        on_changes: Callable[[Changes], None],
        on_connected: Callable[[bool], None],
    ) -> None:
        self._address = address
        self._own_pid = own_pid
        self._on_changes = on_changes
        self._on_connected = on_connected
        self._stopped = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="desk-class-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        import psycopg

        lost = False
        while not self._stopped.is_set():
            try:
                with psycopg.connect(self._address.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {channel(self._address)}")
                    if lost:
                        self._on_connected(True)
                        self._on_changes(everything())
                        lost = False
                    self.listening.set()
                    self._listen(conn)
            except psycopg.OperationalError as exc:
                self.listening.clear()
                if not lost:
                    log.warning("lost the class server: %s", exc)
                    self._on_connected(False)
                    lost = True
                self._stopped.wait(RETRY_S)

    def _listen(self, conn: object) -> None:
        import psycopg

        assert isinstance(conn, psycopg.Connection)
        while not self._stopped.is_set():
            changes = Changes()
            own = self._own_pid()
            for notice in conn.notifies(timeout=GATHER_S):
                if notice.pid != own:
                    add_notice(changes, notice.payload)
            if changes:
                self._on_changes(changes)
