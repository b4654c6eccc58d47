"""Reading a project into a :class:`~desk.interchange.model.Snapshot`: everything of it that
interchange formats carry, in a stable order, with references between annotations as uids.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from desk.store import annotation_rows as rows
from desk.store import queries
from desk.store.project import Project


def _links(project: Project, owner: rows.LinkOwner) -> dict[int, tuple[Link, ...]]:
    out: dict[int, list[Link]] = {}
    for owner_id, start, end, label in rows.links_of(project, owner):
        out.setdefault(owner_id, []).append(Link(start, end, label))
    return {k: tuple(v) for k, v in out.items()}


def _film(project: Project) -> Film:
    details = rows.project_details(project)
    media = queries.reference_media(project)
    if media is None:
        return Film(title=details.film_title, year=details.film_year)
    return Film(
        fingerprint=media.fingerprint,
        title=details.film_title,
        year=details.film_year,
        duration_ms=media.duration_ms,
        fps_num=media.fps_num,
        fps_den=media.fps_den,
    )


def read_snapshot(project: Project) -> Snapshot:
    """Everything of the project that interchange formats carry, in a stable order."""
    snap = Snapshot(film=_film(project))
    essay = rows.essay_heading(project)
    characters = rows.characters(project)
    names = {c.id: c.name for c in characters}
    snap.characters = {c.name: c.color for c in characters}
    snap.emotions = {e.name: e.color for e in rows.emotions(project)}
    paragraph_uid: dict[int, str] = {}
    if essay is not None:
        snap.title, snap.dek = essay.title, essay.dek
        links = _links(project, "paragraph")
        for p in rows.paragraphs_of(project, essay.id):
            paragraph_uid[p.id] = p.uid
            snap.paragraphs.append(Paragraph(p.text, p.kind, links.get(p.id, ()), p.uid))
    note_links = _links(project, "note")
    notes = rows.notes(project)
    for nid, kind, text, pid, cid, created, uid in notes:
        snap.notes.append(
            Note(
                text,
                kind,
                note_links.get(nid, ()),
                names.get(cid, "") if cid is not None else "",
                paragraph_uid.get(pid, "") if pid is not None else "",
                created,
                uid,
            )
        )
    beats = rows.beats(project)
    snap.beats = _beats(project, beats, names)
    scenes = rows.scenes(project)
    snap.scenes = [Scene(s.name, s.start_ms, s.end_ms, s.description, s.uid) for s in scenes]
    uids = _Uids(
        beat={b.id: b.uid for b in beats},
        note={n.id: n.uid for n in notes},
        paragraph=paragraph_uid,
        scene={s.id: s.uid for s in scenes},
    )
    snap.readings = _readings(project, uids)
    snap.tiers = _tiers(project)
    return snap


def _beats(project: Project, beats: list[rows.BeatRow], names: dict[int, str]) -> list[Beat]:
    felt: dict[int, list[str]] = {}
    for bid, cid in rows.beat_characters(project):
        felt.setdefault(bid, []).append(names[cid])
    # Interchange files list beats by start and then in the order they were made (the store
    # reads them in film order, by start and then end).
    return [
        Beat(
            b.start_ms,
            b.end_ms,
            b.label,
            b.description,
            b.emotion or "",
            b.valence,
            b.intensity,
            b.annotator,
            tuple(sorted(felt.get(b.id, ()))),
            b.uid,
        )
        for b in sorted(beats, key=lambda b: (b.start_ms, b.id))
    ]


@dataclass(frozen=True)
class _Uids:
    """The uids of the annotations a reading may cite, by row id."""

    beat: dict[int, str]
    note: dict[int, str]
    paragraph: dict[int, str]
    scene: dict[int, str]


def _readings(project: Project, uids: _Uids) -> list[Reading]:
    evidence: dict[int, list[Evidence]] = {}
    for e in rows.evidence(project):
        beat = uids.beat.get(e.beat_id) if e.beat_id is not None else None
        note = uids.note.get(e.note_id) if e.note_id is not None else None
        found: Evidence
        if beat:
            found = Evidence("beat", beat, e.stance, e.comment)
        elif note:
            found = Evidence("note", note, e.stance, e.comment)
        else:
            paragraph = uids.paragraph.get(e.paragraph_id) if e.paragraph_id is not None else None
            found = Evidence("paragraph", paragraph or "", e.stance, e.comment)
        evidence.setdefault(e.reading_id, []).append(found)
    return [
        Reading(
            r.title,
            r.summary,
            (uids.scene.get(r.scene_id) if r.scene_id is not None else None) or "",
            tuple(evidence.get(r.id, ())),
            r.uid,
        )
        for r in rows.readings(project)
    ]


def _tiers(project: Project) -> list[Tier]:
    cues: dict[int, list[Cue]] = {}
    for c in rows.cues(project):
        cues.setdefault(c.tier_id, []).append(Cue(c.start_ms, c.end_ms, c.text, c.speaker))
    return [
        Tier(t.name, tuple(cues.get(t.id, ())), t.kind, t.language, t.source, t.uid, t.elan)
        for t in rows.tiers(project)
    ]
