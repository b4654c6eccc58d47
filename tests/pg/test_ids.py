"""Each window numbers its new rows from ids it reserved in blocks from the class's sequences, so
an insert needs no answer from the server. The ids of different windows, of rows inserted
together and of rows inserted by hand in SQL never collide, also after the server restarts."""

from __future__ import annotations

from pathlib import Path

from desk.store import edits, models
from desk.store.commands import Tx
from desk.store.project import Project
from tests.pg.classes import new_class
from tests.pg.server import Server


def _as(where: str, role: str) -> str:
    return where.replace("user=ms_lee", f"user={role}")


def _many(project: Project, count: int) -> range:
    def apply(tx: Tx) -> range:
        rows = [{"kind": "free", "text": f"imported {n}"} for n in range(count)]
        return tx.insert_many(models.Note, rows)

    ids, _ = project.run("Import notes", apply)
    return ids


def _notes(project: Project, text: str, count: int) -> list[int]:
    return [edits.add_note(project, f"{text} {n}", start_ms=n)[0] for n in range(count)]


def test_rows_inserted_together_follow_every_window_s_reserved_ids(
    pg_server: Server, tmp_path: Path
) -> None:
    where = new_class(pg_server, tmp_path)
    with Project.open(_as(where, "ana")) as ana, Project.open(_as(where, "ben")) as ben:
        ana_ids = _notes(ana, "ana", 1)  # reserves a block of note ids
        ben_ids = _notes(ben, "ben", 1)  # and ben the next
        imported = _many(ben, 100)
        # past both blocks, though neither is used up: the rest stays each window's own
        assert imported[0] > max(ana_ids + ben_ids)
        ana_ids += _notes(ana, "ana", 40)  # on past the block's end
        ben_ids += _notes(ben, "ben", 40)
        pg_server.psql(  # by hand, from the sequence as any insert without an id
            f"INSERT INTO {where.rsplit('class=', 1)[1]}.note (kind, text, created_at, uid) "
            "VALUES ('free', 'by hand', '', 'by-hand')",
            role="ms_lee",
        )
        pg_server.kill()  # the reservations not yet used may be handed out again after this
        pg_server.start()
        ana_ids += _notes(ana, "ana after", 40)
        ben_ids += _notes(ben, "ben after", 40)
        imported_after = _many(ana, 50)
    every = [*ana_ids, *ben_ids, *imported, *imported_after]
    assert len(set(every)) == len(every)
    with Project.open(where) as teacher:
        kept = {
            (owner, text.split(" ")[0])
            for owner, text in teacher.query("SELECT owner, text FROM note WHERE owner <> 'ms_lee'")
        }
        counts = dict(
            teacher.query("SELECT owner, count(*) FROM note WHERE owner <> 'ms_lee' GROUP BY owner")
        )
        assert teacher.query("SELECT count(*) FROM note WHERE text = 'by hand'") == [(1,)]
        linked = teacher.query(
            "SELECT count(*) FROM time_link l JOIN note n ON n.id = l.note_id "
            "WHERE n.owner <> 'ms_lee'"
        )
    assert counts == {"ana": 81 + 50, "ben": 81 + 100}
    assert ("ana", "imported") in kept
    assert ("ben", "imported") in kept
    assert linked == [(162,)]
    # the ids each window was told are the rows that are there
    with Project.open(_as(where, "ana")) as ana:
        found = {r[0] for r in ana.query("SELECT id FROM note WHERE owner = 'ana'")}
    assert found == {*ana_ids[: 1 + 40 + 40], *imported_after}
