"""A class of 30 on one PostgreSQL server: edits at once, live updates, a crash, a large class.

    .venv/bin/python bench/bench_class.py [--seconds 60] [--students 30] [--pause-ms 0] [--no-kill]
        [--commit-delay-us 0] [--commit-siblings 5] [--listener-nice 0]

Starts a throwaway PostgreSQL (as the tests do: ``initdb`` into a temporary folder, a Unix
socket only), shares the sample with a class of ``--students`` roles, and runs one process per
student for ``--seconds``: each adds notes and beats through desk's commands, alternating with a
bare psycopg ``INSERT`` of the same note in autocommit (the baseline: the server's own cost of
one committed row), and records each acknowledged edit with its round trip. Meanwhile a teacher's
connection listens, as the window does, and times how long each edit takes to reach it. Half way
through, the server is killed (``pg_ctl -m immediate``: no checkpoint, clients cut off) and
restarted; the students' processes carry on, reconnecting by themselves.

First, one student alone on the server shows where an edit's time goes: each wait for the server
(the statements sent since the last wait, and the one whose answer is needed) and the commit,
beside a bare insert. ``--pause-ms`` makes each student pause between edits, as people do (0: edit
flat out, which keeps the two cores busy with 30 processes and measures their queue; 1000, a
class's pace). Each student makes a few edits before the clock starts (connections, caches and
reserved ids warm, as in a window open for a while). ``--commit-delay-us`` and
``--commit-siblings`` set the server's ``commit_delay`` and ``commit_siblings`` (a commit waits
that long for others to share its flush to disk when that many are open); ``--listener-nice``
runs the listening thread and its server process at that niceness (−10: ahead of the 30
students, as a teacher's window is on a machine of its own).

Then it prints: edits acknowledged, the p50/p95 round trip of desk's edits against the bare
inserts (target p95 ≤ 50 ms), the p50/p95/max delay before the teacher's connection hears of an
edit (target ≤ 1 s), whether any acknowledged edit is missing after the restart (target: none),
and the time to open a class of 30 × 2,000 annotations and read its timeline (target ≤ 2 s).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/pg/server.py

from tests.pg.server import Server, make_server, remove  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def student(
    url: str,
    conninfo: str,
    class_name: str,
    seconds: float,
    pause_s: float,
    out: str,
    start: object,
) -> None:
    """One student's process: desk edits and bare inserts, taking turns, until time is up."""
    import psycopg

    from desk.errors import KnownError
    from desk.store import edits
    from desk.store.project import Project

    acknowledged: list[tuple[str, int, float, float]] = []  # (table, id, ms, acked at)
    bare_ms: list[float] = []
    failed = 0
    project = Project.open(url)
    bare = psycopg.connect(conninfo, autocommit=True)
    bare.execute(f"SET search_path TO {class_name}")
    ani = project.query("SELECT id FROM character ORDER BY id LIMIT 1")[0][0]
    for n in range(3):  # warm: not timed
        edits.add_note(project, f"warm {n}", start_ms=n * 100)
        edits.add_beat(project, start_ms=n * 100, label="warm", characters=[ani])
        bare.execute("INSERT INTO note (kind, text, created_at, uid) VALUES ('free', 'w', '', '')")
    start.wait(300)  # type: ignore[attr-defined]  # all students start at once
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        time.sleep(pause_s)
        started = time.perf_counter()
        try:
            if n % 2:
                row_id, _ = edits.add_note(project, f"note {n}", start_ms=n * 100)
                table = "note"
            else:
                row_id, _ = edits.add_beat(
                    project, start_ms=n * 100, label=f"beat {n}", valence=0.1, characters=[ani]
                )
                table = "beat"
        except KnownError:  # the server is down: not acknowledged, tried again
            failed += 1
            time.sleep(0.2)
            continue
        acknowledged.append(
            (table, int(row_id), (time.perf_counter() - started) * 1000, time.time())
        )
        started = time.perf_counter()
        try:
            bare.execute(
                "INSERT INTO note (kind, text, created_at, uid) VALUES ('free', %s, '', '')",
                (f"bare {n}",),
            )
            bare_ms.append((time.perf_counter() - started) * 1000)
        except psycopg.OperationalError:
            try:
                bare.close()
                bare = psycopg.connect(conninfo, autocommit=True)
                bare.execute(f"SET search_path TO {class_name}")
            except psycopg.OperationalError:
                time.sleep(0.2)
    project.close()
    Path(out).write_text(json.dumps({"acked": acknowledged, "bare": bare_ms, "failed": failed}))


#: The table of each kind of thing desk announces, for the kinds the students add.
_TABLES = {"notes": "note", "beats": "beat"}


def listen(
    server: Server,
    class_name: str,
    heard: dict[tuple[str, int], float],
    stop: threading.Event,
    nice: int,
) -> None:
    """The teacher's window, as far as hearing edits goes: when each (table, id) arrived."""
    import os

    import psycopg

    if nice:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    while not stop.is_set():
        try:
            with psycopg.connect(server.conninfo("ms_lee"), autocommit=True) as conn:
                if nice:
                    os.setpriority(os.PRIO_PROCESS, conn.info.backend_pid, nice)
                conn.execute(f"LISTEN desk_{class_name}")
                while not stop.is_set():
                    for notice in conn.notifies(timeout=0.2):
                        now = time.time()
                        said = json.loads(notice.payload)
                        if "c" in said:  # desk's own: what the edit changed, by kind
                            for kind, table in _TABLES.items():
                                for row_id in said["c"].get(kind, []):
                                    heard.setdefault((table, int(row_id)), now)
                        else:  # a trigger's: one row
                            heard.setdefault((said["t"], int(said["id"])), now)
        except psycopg.OperationalError:
            time.sleep(0.2)


def alone(server: Server, folder: Path, edits_n: int = 300) -> None:
    """Where one edit spends its time with the server to itself (in a class of its own): each
    wait for an answer, named by the statement waited for, and the commit; beside a bare
    insert."""
    import psycopg

    from desk.store import edits
    from desk.store.class_project import share
    from desk.store.project import Project
    from desk.store.server import ServerConnection
    from tests.pg.classes import sample_project

    class_name = "alone"
    share(sample_project(folder / "alone.desk"), server.url("ms_lee"), class_name, [])

    waits: dict[tuple[str, int, str], list[float]] = {}
    phase: list[str] = ["", ""]  # the edit's kind, the last statement sent
    count = [0]

    def timed(name: str, fn: Any) -> Any:
        def wrapper(self: ServerConnection, *args: Any, **kwargs: Any) -> Any:
            if name == "sent":
                phase[1] = " ".join(args[0].split()[:3])
                return fn(self, *args, **kwargs)
            started = time.perf_counter()
            try:
                return fn(self, *args, **kwargs)
            finally:
                label = "COMMIT" if name == "end" else f"wait for {phase[1]}"
                key = (phase[0], count[0], label)
                count[0] += 1
                waits.setdefault(key, []).append((time.perf_counter() - started) * 1000)

        return wrapper

    originals = {n: getattr(ServerConnection, n) for n in ("wait", "_end", "_in_transaction")}
    ServerConnection.wait = timed("wait", originals["wait"])  # type: ignore[method-assign]
    ServerConnection._end = timed("end", originals["_end"])  # type: ignore[method-assign]
    ServerConnection._in_transaction = timed("sent", originals["_in_transaction"])  # type: ignore[method-assign]  # noqa: E501
    whole: dict[str, list[float]] = {"note": [], "beat": [], "bare": []}
    try:
        with Project.open(server.url("ms_lee", class_name)) as project:
            ani = project.query("SELECT id FROM character ORDER BY id LIMIT 1")[0][0]
            bare = psycopg.connect(server.conninfo("ms_lee"), autocommit=True)
            bare.execute(f"SET search_path TO {class_name}")
            for n in range(edits_n):
                count[0] = 0
                phase[0] = "note" if n % 2 else "beat"
                started = time.perf_counter()
                if n % 2:
                    edits.add_note(project, f"alone {n}", start_ms=n * 100)
                else:
                    edits.add_beat(project, start_ms=n * 100, label="alone", characters=[ani])
                whole[phase[0]].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                bare.execute(
                    "INSERT INTO note (kind, text, created_at, uid) VALUES ('free', 'b', '', '')"
                )
                whole["bare"].append((time.perf_counter() - started) * 1000)
            bare.close()
    finally:
        for name, fn in originals.items():
            setattr(ServerConnection, name, fn)
    print(f"one edit alone on the server (median ms; in how many of the {edits_n // 2} edits):")
    for (kind, n, label), ms in sorted(waits.items()):
        print(f"  {kind} {n}: {label[:40]:<40} {statistics.median(ms):6.2f}  ({len(ms)})")
    for kind, ms in whole.items():
        print(f"  {kind} whole: {statistics.median(ms):6.2f}")


def large_class_open(server: Server, folder: Path, students: list[str]) -> float:
    """Seconds to open a class of len(students) × 2,000 annotations and read its timeline."""
    from desk.store.class_project import share
    from desk.store.project import Project
    from desk.store.reads import timeline
    from tests.pg.classes import sample_project

    share(sample_project(folder / "large.desk"), server.url("ms_lee"), "large", students)
    roles = "ARRAY[" + ", ".join(f"'{s}'" for s in students) + "]::name[]"
    # 1,000 notes (each with a link) and 1,000 beats per student, written as each student.
    server.psql(
        "SET search_path TO large; "
        f"INSERT INTO note (kind, text, created_at, uid, owner) SELECT 'free', 'note ' || g, '', "
        f"md5(s || g), s FROM unnest({roles}) AS s, generate_series(1, 1000) AS g; "
        "INSERT INTO time_link (note_id, start_ms, end_ms, label, owner) "
        "SELECT id, id * 50, id * 50, '', owner FROM note; "
        "INSERT INTO beat (start_ms, end_ms, label, description, valence, intensity, annotator, "
        "uid, owner) SELECT g * 100, g * 100, 'beat', '', 0.1, 0.5, s, md5(s || 'b' || g), s "
        f"FROM unnest({roles}) AS s, generate_series(1, 1000) AS g"
    )
    started = time.perf_counter()
    with Project.open(server.url("ms_lee", "large")) as project:
        timeline.beat_columns(project)
        timeline.link_columns(project)
        count = project.query("SELECT count(*) FROM note")[0][0]
    took = time.perf_counter() - started
    print(f"large class: {count} notes, opened and timeline read in {took * 1000:.0f} ms")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--pause-ms", type=float, default=0.0, help="each student's pause")
    parser.add_argument("--no-kill", action="store_true", help="do not kill the server mid-run")
    parser.add_argument("--commit-delay-us", type=int, default=0, help="the server's commit_delay")
    parser.add_argument("--commit-siblings", type=int, default=5, help="its commit_siblings")
    parser.add_argument("--listener-nice", type=int, default=0, help="the listener's niceness")
    args = parser.parse_args()

    from desk.store.class_project import share
    from desk.store.project import Project
    from tests.pg.classes import sample_project

    server = make_server()
    folder = Path(tempfile.mkdtemp(prefix="desk-bench-class-"))
    try:
        server.psql(f"ALTER SYSTEM SET commit_delay = {args.commit_delay_us}")
        server.psql(f"ALTER SYSTEM SET commit_siblings = {args.commit_siblings}")
        server.psql("SELECT pg_reload_conf()")
        print(
            f"pause {args.pause_ms:.0f} ms, commit_delay {args.commit_delay_us} µs, "
            f"commit_siblings {args.commit_siblings}, listener nice {args.listener_nice}"
        )
        roles = [f"s{n:02d}" for n in range(1, args.students + 1)]
        server.psql("; ".join(f"CREATE ROLE {r} LOGIN" for r in roles))
        share(sample_project(folder / "anora.desk"), server.url("ms_lee"), "bench", roles,
              share_work=True)  # fmt: skip
        alone(server, folder)
        heard: dict[tuple[str, int], float] = {}
        stop = threading.Event()
        listener = threading.Thread(
            target=listen, args=(server, "bench", heard, stop, args.listener_nice)
        )
        listener.start()
        time.sleep(0.5)
        ctx = mp.get_context("spawn")
        start = ctx.Barrier(len(roles) + 1)
        procs = [
            ctx.Process(
                target=student,
                args=(
                    server.url(r, "bench"),
                    server.conninfo(r),
                    "bench",
                    args.seconds,
                    args.pause_ms / 1000,
                    str(folder / f"{r}.json"),
                    start,
                ),
            )  # fmt: skip
            for r in roles
        ]
        for p in procs:
            p.start()
        start.wait(300)
        if not args.no_kill:
            time.sleep(args.seconds / 2)
            server.kill()
            print("server killed")
            time.sleep(1.0)
            server.start()
            print("server restarted")
        for p in procs:
            p.join()
        time.sleep(1.0)
        stop.set()
        listener.join()

        results = [json.loads((folder / f"{r}.json").read_text()) for r in roles]
        acked = [tuple(a) for res in results for a in res["acked"]]
        desk_ms = [a[2] for a in acked]
        bare_ms = [b for res in results for b in res["bare"]]
        failed = sum(res["failed"] for res in results)
        with Project.open(server.url("ms_lee", "bench"), readonly=True) as project:
            notes = {r[0] for r in project.query("SELECT id FROM note")}
            beats = {r[0] for r in project.query("SELECT id FROM beat")}
        kept = {"note": notes, "beat": beats}
        lost = [a for a in acked if a[1] not in kept[a[0]]]
        delays = [
            max(0.0, heard[(a[0], a[1])] - a[3]) * 1000 for a in acked if (a[0], a[1]) in heard
        ]
        unheard = sum(1 for a in acked if (a[0], a[1]) not in heard)
        print(
            f"{len(roles)} students, {args.seconds:.0f} s: {len(acked)} edits acknowledged, "
            f"{failed} refused while the server was down, {len(lost)} acknowledged lost"
        )
        print(
            f"round trip, desk edit (note or beat, journaled): p50 "
            f"{percentile(desk_ms, 50):.1f} ms, p95 {percentile(desk_ms, 95):.1f} ms; bare "
            f"INSERT: p50 {percentile(bare_ms, 50):.1f} ms, p95 {percentile(bare_ms, 95):.1f} "
            f"ms (p95 {percentile(desk_ms, 95) / percentile(bare_ms, 95):.2f}×)"
        )
        print(
            f"heard by the teacher's connection: p50 {percentile(delays, 50):.0f} ms, p95 "
            f"{percentile(delays, 95):.0f} ms, max {max(delays, default=0):.0f} ms; "
            f"{unheard} never heard (committed while the listener was reconnecting)"
        )
        print(f"mean desk edit {statistics.fmean(desk_ms):.1f} ms")
        large_class_open(server, folder, [f"s{n:02d}" for n in range(1, 31)])
    finally:
        remove(server)


if __name__ == "__main__":
    main()
