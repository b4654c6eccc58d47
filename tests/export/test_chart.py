"""The emotional-arc chart as a file: valid SVG naming the characters, a PNG of the right size."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.graphics.shapes import Group, String

from desk.export import pdf_fonts, pdf_text
from desk.export.chart_files import drawing_to_svg, export_chart
from desk.export.errors import ExportError
from desk.export.report.chart import arc_drawing, series, tick_times
from desk.export.report.data import BeatItem, CharacterItem, SceneItem
from desk.store import edits
from desk.store.project import Project

SVG = "{http://www.w3.org/2000/svg}"
#: Character names in scripts DejaVu lacks, and one it has.
NAMES = ["אני", "عامر", "花子", "민준", "🦊", "Ваня"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project without a film: two scenes, three characters, beats in the second scene."""
    path = tmp_path / "arc.desk"
    with Project.create(path) as p:
        edits.add_scene(p, "Drive", 0, 18_000)
        edits.add_scene(p, "The final scene", 18_000, 120_000)
        ani, _ = edits.add_character(p, "Ani", "#d1495b")
        igor, _ = edits.add_character(p, "Igor", "#3d7ea6")
        vanya, _ = edits.add_character(p, "Ваня")
        # A colour desk's editors refuse, as a project from elsewhere may carry it.
        p.conn.execute("UPDATE character SET color = 'not a colour' WHERE id = ?", (vanya,))
        for start, end, who, valence, intensity in [
            (20_000, 26_000, [igor], 0.45, 0.35),
            (22_000, 28_000, [ani], -0.15, 0.3),
            (68_000, 72_000, [ani, vanya], -0.6, 0.85),
            (78_000, 100_000, [ani], -0.9, 1.0),
        ]:
            edits.add_beat(
                p,
                start_ms=start,
                end_ms=end,
                characters=who,
                valence=valence,
                intensity=intensity,
                label="b",
            )
    return path


def test_svg_is_valid_xml_naming_every_character(project: Path, tmp_path: Path) -> None:
    out = export_chart(project, tmp_path / "arc.svg")
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Ani", "Igor", "Ваня"} <= texts
    assert root.findtext(f"{SVG}title") == "Emotional arc: The final scene"
    assert "font-family: DejaVu Sans" in out.read_text(encoding="utf-8")


def test_png_has_the_right_size_and_is_drawn(project: Path, tmp_path: Path) -> None:
    out = export_chart(project, tmp_path / "arc.png")
    with Image.open(out) as image:
        assert image.size == (960, 600)
        pixels = np.asarray(image.convert("RGB")).astype(int)
    not_white = (pixels.sum(axis=2) < 700).mean()
    assert 0.01 < not_white < 0.5
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 110) & (pixels[..., 2] < 120)
    assert red.sum() > 200  # Ani's line in her colour


def test_a_chosen_scene_and_bad_requests(project: Path, tmp_path: Path) -> None:
    out = export_chart(project, tmp_path / "drive.svg", scene="drive")
    assert "No beats in this scene" in out.read_text(encoding="utf-8")
    with pytest.raises(ExportError, match="no scene called"):
        export_chart(project, tmp_path / "x.svg", scene="missing")
    with pytest.raises(ExportError, match=r"\.svg or \.png"):
        export_chart(project, tmp_path / "arc.gif")
    with pytest.raises(ExportError, match="does not exist"):
        export_chart(project, tmp_path / "nowhere" / "arc.svg")
    assert not list(tmp_path.glob("*.part"))
    assert not (tmp_path / "x.svg").exists()
    assert not (tmp_path / "arc.gif").exists()


def test_the_command_line_writes_charts(project: Path, tmp_path: Path) -> None:
    from desk.cli import main

    assert main(["export", "chart", str(project), "-o", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert main(["export", "chart", str(project), "-o", str(tmp_path / "c.txt")]) == 1


def test_time_ticks_are_round_and_inside_the_scene() -> None:
    assert tick_times(18_000, 120_000) == [30_000, 45_000, 60_000, 75_000, 90_000, 105_000, 120_000]
    assert tick_times(0, 7_200_000) == [i * 1_200_000 for i in range(7)]
    assert tick_times(5_000, 5_000) == [5_000]


def test_an_empty_scene_still_draws() -> None:
    scene = SceneItem(1, "Empty", 0, 0, "")
    assert series(scene) == []
    drawing = arc_drawing(scene, width=300, height=200)
    assert (drawing.width, drawing.height) == (300, 200)


def world_scene() -> SceneItem:
    """A scene with a Japanese name whose beats are felt by characters named in many scripts."""
    people = [CharacterItem(n + 1, name, "#3d7ea6") for n, name in enumerate(NAMES)]
    beats = [
        BeatItem(
            n + 1, n + 1, n * 2_000, n * 2_000 + 1_500, "b", "", "joy", "#f4a259", 0.2, 0.5, [c]
        )
        for n, c in enumerate(people)
    ]
    return SceneItem(1, "最後の場面", 0, 12_000, "", beats)


def strings(group: Group) -> list[String]:
    out = []
    for item in group.contents:
        if isinstance(item, String):
            out.append(item)
        elif isinstance(item, Group):
            out += strings(item)
    return out


def test_every_chart_label_is_drawn_in_a_font_that_has_it() -> None:
    scene = world_scene()
    drawing = arc_drawing(scene, title=f"Emotional arc: {scene.name}")
    drawn = strings(drawing)
    for s in drawn:
        chars = pdf_fonts.font_chars(s.fontName)
        assert all(ord(c) in chars for c in s.text if not c.isspace()), (s.fontName, s.text)
    text = "".join(s.text for s in drawn)
    for name in [*NAMES, scene.name]:
        assert pdf_text.visual(name) in text
    fallbacks = {s.fontName for s in drawn} - {"DeskSans", "DeskSans-Bold"}
    assert fallbacks == {"DeskHebrew", "DeskArabic", "DeskCJK", "DeskEmoji"}


def test_an_svg_chart_names_other_scripts_fonts_and_keeps_their_order() -> None:
    svg = drawing_to_svg(arc_drawing(world_scene()), "arc")
    families = {f.family for f in pdf_fonts.fallback_fonts()}
    assert len(families) == 4
    for family in families:
        assert f"font-family: {family};" in svg
    assert "font-family: Desk" not in svg
    # Drawn in display order, as in the PDF, and held there against a renderer's own reordering.
    assert f">\u202d{pdf_text.visual('אני')}\u202c<" in svg
    assert ">花子<" in svg
