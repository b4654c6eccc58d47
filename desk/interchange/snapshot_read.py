"""Reading a project into a :class:`~desk.interchange.model.Snapshot`: everything of it that
interchange formats carry, in a stable order, with references between annotations as uids.
"""

from __future__ import annotations

from typing import Any

from desk.interchange.model import (
    Beat,
    Cue,
    Evidence,
    Film,
    Link,
    Note,
    Paragraph,
    Reading,
    Scene,
    Snapshot,
    Tier,
)
from desk.store.project import Project


def _links(project: Project, owner: str) -> dict[int, tuple[Link, ...]]:
    out: dict[int, list[Link]] = {}
    for owner_id, start, end, label in project.query(
        f"SELECT {owner}_id, start_ms, end_ms, label FROM time_link "
        f"WHERE {owner}_id IS NOT NULL ORDER BY start_ms, end_ms, id"
    ):
        out.setdefault(owner_id, []).append(Link(start, end, label))
    return {k: tuple(v) for k, v in out.items()}


def read_snapshot(project: Project) -> Snapshot:
    """Everything of the project that interchange formats carry, in a stable order."""
    snap = Snapshot()
    meta = project.rows("SELECT film_title, film_year FROM project ORDER BY id LIMIT 1")
    media = project.rows(
        "SELECT fingerprint, duration_ms, fps_num, fps_den FROM media "
        "ORDER BY is_reference DESC, id LIMIT 1"
    )
    film: dict[str, Any] = {}
    if meta:
        film.update(title=meta[0]["film_title"], year=meta[0]["film_year"])
    if media:
        film.update(media[0])
    snap.film = Film(**film)
    essay = project.rows("SELECT id, title, dek FROM essay ORDER BY id LIMIT 1")
    characters = {i: n for i, n in project.query("SELECT id, name FROM character")}
    snap.characters = {n: c for n, c in project.query("SELECT name, color FROM character")}
    snap.emotions = {n: c for n, c in project.query("SELECT name, color FROM emotion")}
    paragraph_uid: dict[int, str] = {}
    if essay:
        snap.title, snap.dek = essay[0]["title"], essay[0]["dek"]
        links = _links(project, "paragraph")
        for pid, kind, text, uid in project.query(
            "SELECT id, kind, text, uid FROM paragraph WHERE essay_id = ? ORDER BY position, id",
            essay[0]["id"],
        ):
            paragraph_uid[pid] = uid
            snap.paragraphs.append(Paragraph(text, kind, links.get(pid, ()), uid))
    note_links = _links(project, "note")
    for nid, kind, text, pid, cid, created, uid in project.query(
        "SELECT id, kind, text, paragraph_id, character_id, created_at, uid FROM note ORDER BY id"
    ):
        snap.notes.append(
            Note(
                text,
                kind,
                note_links.get(nid, ()),
                characters.get(cid, ""),
                paragraph_uid.get(pid, ""),
                created,
                uid,
            )
        )
    snap.beats = _read_beats(project, characters)
    snap.scenes = [
        Scene(name, start, end, description, uid)
        for name, start, end, description, uid in project.query(
            "SELECT name, start_ms, end_ms, description, uid FROM scene ORDER BY position, id"
        )
    ]
    snap.readings = _read_readings(project)
    snap.tiers = _read_tiers(project)
    return snap


def _read_beats(project: Project, characters: dict[int, str]) -> list[Beat]:
    felt: dict[int, list[str]] = {}
    for bid, cid in project.query(
        "SELECT beat_id, character_id FROM beat_character ORDER BY beat_id, character_id"
    ):
        felt.setdefault(bid, []).append(characters[cid])
    return [
        Beat(
            start,
            end,
            label,
            desc,
            emotion or "",
            valence,
            intensity,
            annotator,
            tuple(sorted(felt.get(bid, ()))),
            uid,
        )  # fmt: skip
        for bid, start, end, label, desc, emotion, valence, intensity, annotator, uid in (
            project.query(
                "SELECT b.id, start_ms, end_ms, label, description, e.name, valence, intensity,"
                " annotator, uid FROM beat b LEFT JOIN emotion e ON e.id = b.emotion_id"
                " ORDER BY start_ms, b.id"
            )
        )
    ]


def _read_readings(project: Project) -> list[Reading]:
    evidence: dict[int, list[Evidence]] = {}
    for rid, stance, comment, beat, note, paragraph in project.query(
        "SELECT reading_id, stance, comment, b.uid, n.uid, p.uid FROM evidence e"
        " LEFT JOIN beat b ON b.id = e.beat_id LEFT JOIN note n ON n.id = e.note_id"
        " LEFT JOIN paragraph p ON p.id = e.paragraph_id ORDER BY reading_id, e.id"
    ):
        found: Evidence
        if beat:
            found = Evidence("beat", beat, stance, comment)
        elif note:
            found = Evidence("note", note, stance, comment)
        else:
            found = Evidence("paragraph", paragraph, stance, comment)
        evidence.setdefault(rid, []).append(found)
    return [
        Reading(title, summary, scene or "", tuple(evidence.get(rid, ())), uid)
        for rid, title, summary, scene, uid in project.query(
            "SELECT r.id, title, summary, s.uid, r.uid FROM reading r"
            " LEFT JOIN scene s ON s.id = r.scene_id ORDER BY r.position, r.id"
        )
    ]


def _read_tiers(project: Project) -> list[Tier]:
    cues: dict[int, list[Cue]] = {}
    for tid, start, end, text, speaker in project.query(
        "SELECT tier_id, start_ms, end_ms, text, speaker FROM cue ORDER BY tier_id, start_ms, id"
    ):
        cues.setdefault(tid, []).append(Cue(start, end, text, speaker))
    return [
        Tier(name, tuple(cues.get(tid, ())), kind, language, source, uid)
        for tid, name, kind, language, source, uid in project.query(
            "SELECT id, name, kind, language, source, uid FROM tier ORDER BY id"
        )
    ]
