"""Large synthetic projects for the benchmarks and the tests of large reports: thousands of
paragraphs, notes, beats and links.

Written straight through SQL in one transaction (no journal), then indexed for search; a project
of 100,000 notes takes a few seconds to write.
"""

from __future__ import annotations

import random
from pathlib import Path

from desk.store.models import FILL_UIDS
from desk.store.project import Project
from desk.store.schema import UID_TABLES
from desk.store.search import reindex_all

WORDS = [
    *[
        "snow",
        "ring",
        "kiss",
        "car",
        "door",
        "bags",
        "silence",
        "refusal",
        "wipers",
        "breath",
        "chest",
        "grief",
        "anger",
    ],
    *[
        "tenderness",
        "hope",
        "debt",
        "price",
        "gesture",
        "window",
        "street",
        "night",
        "house",
        "prince",
        "fairytale",
    ],
]


LINK_SQL = (
    "INSERT INTO time_link (paragraph_id, note_id, start_ms, end_ms, label) VALUES (?, ?, ?, ?, '')"
)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_large_project(
    path: Path,
    *,
    paragraphs: int = 5_000,
    notes: int = 100_000,
    beats: int = 0,
    scenes: int = 0,
    shots: int = 0,
    duration_ms: int = 7_200_000,
    seed: int = 1,
) -> Path:
    rng = random.Random(seed)
    project = Project.create(path, title="Large project")
    conn = project.conn
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO media (label, path, size_bytes, fingerprint, duration_ms, fps_num, fps_den,"
        " width, height, time_map, is_reference, path_confirmed) VALUES"
        " ('reference copy', '/nonexistent/film.mp4', 0, '', ?, 24, 1, 1920, 1080,"
        ' \'{"kind": "identity"}\', 1, 1)',
        (duration_ms,),
    )
    conn.execute("INSERT INTO essay (id, title, dek, author) VALUES (1, 'Essay', '', '')")
    conn.executemany(
        "INSERT INTO paragraph (essay_id, position, kind, text) VALUES (1, ?, 'body', ?)",
        ((i, sentence(rng, 60)) for i in range(paragraphs)),
    )
    conn.executemany(
        "INSERT INTO note (kind, text, created_at) VALUES ('free', ?, '')",
        ((sentence(rng, 14),) for _ in range(notes)),
    )

    def moment() -> tuple[int, int]:
        start = rng.randrange(0, duration_ms - 10_000)
        return start, start + rng.choice((0, 0, 2_000, 8_000))

    conn.executemany(
        LINK_SQL,
        ((i + 1, None, *moment()) for i in range(paragraphs)),
    )
    conn.executemany(
        LINK_SQL,
        ((None, i + 1, *moment()) for i in range(notes)),
    )
    _beats_scenes_shots(conn, rng, beats, scenes, shots, duration_ms)
    for table in UID_TABLES:
        conn.execute(FILL_UIDS.format(table=table))
    reindex_all(conn)
    conn.execute("COMMIT")
    project.close()
    return path


def _beats_scenes_shots(
    conn: object, rng: random.Random, beats: int, scenes: int, shots: int, duration_ms: int
) -> None:
    if beats:
        conn.executemany(  # type: ignore[attr-defined]
            "INSERT INTO character (name, color) VALUES (?, ?)",
            [("Ani", "#d1495b"), ("Igor", "#3d7ea6"), ("Vanya", "#edae49"), ("Toros", "#66a182")],
        )
        rows = []
        for i in range(beats):
            start = rng.randrange(0, duration_ms - 5_000)
            rows.append((start, start + rng.choice((0, 1_000, 4_000)), f"beat {i}",
                         rng.randint(1, 10), rng.uniform(-1, 1), rng.random()))  # fmt: skip
        conn.executemany(  # type: ignore[attr-defined]
            "INSERT INTO beat (start_ms, end_ms, label, description, emotion_id, valence,"
            " intensity, annotator) VALUES (?, ?, ?, '', ?, ?, ?, '')",
            rows,
        )
        conn.executemany(  # type: ignore[attr-defined]
            "INSERT INTO beat_character (beat_id, character_id) VALUES (?, ?)",
            ((i + 1, i % 4 + 1) for i in range(beats)),
        )
    if scenes:
        step = duration_ms // scenes
        conn.executemany(  # type: ignore[attr-defined]
            "INSERT INTO scene (position, name, start_ms, end_ms, description)"
            " VALUES (?, ?, ?, ?, '')",
            ((i, f"Scene {i + 1}", i * step, (i + 1) * step) for i in range(scenes)),
        )
    if shots:
        step = duration_ms // shots
        conn.executemany(  # type: ignore[attr-defined]
            "INSERT INTO shot (start_ms, end_ms, source) VALUES (?, ?, 'detected')",
            ((i * step, (i + 1) * step) for i in range(shots)),
        )
