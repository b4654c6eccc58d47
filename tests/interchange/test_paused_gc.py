"""The cycle collector, paused while a sheet is merged, runs again however the import ends."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from desk.errors import ImportFormatError
from desk.interchange.formats import import_file
from desk.interchange.paused_gc import cycles_uncollected
from desk.store.project import Project


def test_the_collector_is_paused_during_an_import_and_runs_again_after_a_bad_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.interchange import merge

    seen: list[bool] = []
    add_notes = merge._add_notes
    monkeypatch.setattr(
        merge, "_add_notes", lambda *args: seen.append(gc.isenabled()) or add_notes(*args)
    )
    sheet = tmp_path / "notes.csv"
    sheet.write_text("type,start,end,text\r\nnote,1,2,Snow\r\nnote,3,2,Backwards\r\n", "utf-8")
    with Project.create(tmp_path / "film.desk") as project:
        with pytest.raises(ImportFormatError, match="row 3"):
            import_file(project, "csv", sheet)
        assert gc.isenabled()
        sheet.write_text("type,start,end,text\r\nnote,1,2,Snow\r\n", "utf-8")
        import_file(project, "csv", sheet)
    assert seen
    assert not any(seen)
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outer_one_and_keep_a_collector_that_was_off() -> None:
    with cycles_uncollected():
        with cycles_uncollected():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycles_uncollected():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
