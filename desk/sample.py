"""The sample project: the final scene of *Anora*, written from ``projects/anora-ending.toml``.

:func:`write_sample` creates ``anora-ending.desk`` and renders its stand-in film (snow, a card per
beat, burned-in timecode, a sound bed that follows the scene's intensity) into a folder, then
analyses the film as "Analyse film" would, so the timeline shows its loudness and cuts at once.
The first run of the GUI, the ``desk sample`` command, the tests and the benchmarks all use it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from desk.core.timecode import parse_timecode
from desk.media.synth import Card
from desk.paths import SAMPLE_NAME, shipped
from desk.store import edits, lookups
from desk.store.commands import Tx
from desk.store.models import (
    Beat,
    BeatCharacter,
    Character,
    Essay,
    Evidence,
    Note,
    Paragraph,
    Reading,
    TimeLink,
)
from desk.store.models import Scene as SceneRow
from desk.store.project import Project

#: The share of :func:`write_sample`'s progress that rendering the film takes (analysis the rest).
RENDER_SHARE = 0.85


def projects_dir() -> Path:
    """The shipped ``projects/`` folder (in a checkout, an installed wheel or a frozen app)."""
    return shipped("projects")


def load_spec(path: Path | None = None) -> dict[str, Any]:
    spec_path = path or projects_dir() / f"{SAMPLE_NAME}.toml"
    with spec_path.open("rb") as f:
        return tomllib.load(f)


def _ms(text: str) -> int:
    return parse_timecode(text)


def _span(pair: list[str]) -> tuple[int, int]:
    return _ms(pair[0]), _ms(pair[1])


def intensity_curve(spec: dict[str, Any]) -> Callable[[float], float]:
    """Loudness of the stand-in's sound bed at ``t`` seconds: the strongest beat under way."""
    spans = [(*_span(b["range"]), float(b["intensity"])) for b in spec["beats"]]

    def curve(t: float) -> float:
        ms = t * 1000
        active = [i for start, end, i in spans if start <= ms < end]
        return 0.08 + 0.6 * max(active, default=0.0)

    return curve


def render_stand_in(
    spec: dict[str, Any],
    path: Path,
    *,
    scale: float = 1.0,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Path:
    """Render the stand-in film; ``scale`` < 1 makes a smaller, faster one (for tests)."""
    from desk.media.synth import render_film

    film = spec["film"]
    cards = []
    for beat in spec["beats"]:
        start, end = _span(beat["range"])
        cards.append(Card(start / 1000, end / 1000, beat["label"].upper()))
    return render_film(
        path,
        width=int(film["width"] * scale) // 2 * 2,
        height=int(film["height"] * scale) // 2 * 2,
        fps=Fraction(film["fps"]),
        duration_s=_ms(film["duration"]) / 1000,
        keyframe_interval=int(film["keyframe_interval"]),
        audio_curve=intensity_curve(spec),
        cards=_without_overlaps(cards),
        background="snow",
        progress=progress,
        cancel=cancel,
    )


def _without_overlaps(cards: list[Card]) -> list[Card]:
    """One card at a time: a card ends where the next begins."""
    cards = sorted(cards, key=lambda c: c.start_s)
    out = []
    for card, following in zip(cards, [*cards[1:], None], strict=True):
        end = min(card.end_s, following.start_s) if following else card.end_s
        out.append(Card(card.start_s, end, card.text))
    return out


def write_sample(
    folder: Path,
    *,
    scale: float = 1.0,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Path:
    """Write the sample project and its stand-in film into ``folder``; return the project path."""
    from desk.film_tasks import analyse_film, new_project

    def share(start: float, size: float) -> Callable[[float], None] | None:
        return None if progress is None else (lambda f: progress(start + size * f))

    spec = load_spec()
    folder.mkdir(parents=True, exist_ok=True)
    film = folder / f"{SAMPLE_NAME}-stand-in.mp4"
    if not film.exists():
        render_stand_in(spec, film, scale=scale, progress=share(0, RENDER_SHARE), cancel=cancel)
    path = folder / f"{SAMPLE_NAME}.desk"
    project = new_project(path, film, title=spec["project"]["title"])
    try:
        edits.update_project(project, **spec["project"])
        fill(project, spec)
    except BaseException:  # a sample without its essay is no sample: the next start writes it anew
        project.close()
        path.unlink(missing_ok=True)
        raise
    try:  # the timeline's loudness and cut lanes are filled from the start
        analyse_film(project, progress=share(RENDER_SHARE, 1 - RENDER_SHARE), cancel=cancel)
    finally:  # even if cancelled: the sample is whole, and starts with a clean history
        project.forget_history()
        project.close()
    return path


def fill(project: Project, spec: dict[str, Any] | None = None) -> None:
    """Add the sample's essay, characters, scenes, beats, notes and readings to a project."""
    chosen = load_spec() if spec is None else spec
    project.run("Fill the sample project", lambda tx: _fill(tx, chosen))


def _fill(tx: Tx, spec: dict[str, Any]) -> None:
    characters = {
        c["name"]: tx.insert(Character, name=c["name"], color=c["color"])
        for c in spec["characters"]
    }
    emotions = lookups.ids_by_name(tx, "emotion")
    scenes = {}
    for position, s in enumerate(spec["scenes"]):
        start, end = _span(s["range"])
        scenes[s["name"]] = tx.insert(
            SceneRow,
            position=position,
            name=s["name"],
            start_ms=start,
            end_ms=end,
            description=s["description"],
        )
    refs: dict[str, int] = {}
    for b in spec["beats"]:
        start, end = _span(b["range"])
        beat_id = tx.insert(
            Beat,
            start_ms=start,
            end_ms=end,
            label=b["label"],
            description=b["description"],
            emotion_id=emotions[b["emotion"]],
            valence=b["valence"],
            intensity=b["intensity"],
        )
        refs[f"beat:{b['key']}"] = beat_id
        for name in b["characters"]:
            tx.insert(BeatCharacter, beat_id=beat_id, character_id=characters[name])
    _fill_essay(tx, spec, refs)
    _fill_notes(tx, spec, refs, characters)
    for position, r in enumerate(spec["readings"]):
        reading_id = tx.insert(
            Reading,
            scene_id=scenes[r["scene"]],
            position=position,
            title=r["title"],
            summary=r["summary"],
        )
        for stance in ("supports", "contradicts"):
            for ref in r[stance]:
                kind, _ = ref.split(":")
                tx.insert(
                    Evidence, reading_id=reading_id, stance=stance, **{f"{kind}_id": refs[ref]}
                )


def _fill_essay(tx: Tx, spec: dict[str, Any], refs: dict[str, int]) -> None:
    essay_id = tx.insert(
        Essay,
        title=spec["essay"]["title"],
        dek=spec["essay"]["dek"],
        author=spec["project"]["author"],
    )
    for position, p in enumerate(spec["essay"]["paragraphs"], start=1):
        pid = tx.insert(Paragraph, essay_id=essay_id, position=position - 1, text=p["text"])
        refs[f"paragraph:{position}"] = pid
        for pair in p["links"]:
            start, end = _span(pair)
            tx.insert(TimeLink, paragraph_id=pid, start_ms=start, end_ms=end)


def _fill_notes(
    tx: Tx, spec: dict[str, Any], refs: dict[str, int], characters: dict[str, int]
) -> None:
    for number, n in enumerate(spec["notes"], start=1):
        note_id = tx.insert(
            Note,
            kind=n["kind"],
            text=n["text"],
            paragraph_id=refs[f"paragraph:{n['paragraph']}"],
            character_id=characters.get(n.get("character", "")),
        )
        refs[f"note:{number}"] = note_id
        start, end = _span(n["at"])
        tx.insert(TimeLink, note_id=note_id, start_ms=start, end_ms=end)
