"""What keeps a build's memory low while MkDocs runs: the rendered pages and files are no longer
referenced (`build._render_and_write`), the files for machines wait on disk (`schemadocs.spill`)
and free memory goes back to the system (`schemadocs.release`); the site is unchanged."""

from __future__ import annotations

import gc
import platform
import weakref
from pathlib import Path
from typing import Any

import pytest

from schemadocs import build as build_module
from schemadocs.model import Catalog
from schemadocs.release import release
from schemadocs.spill import PREFIX, Spilled, spilled_dir
from tests.build.test_incremental import _project, site_files


def test_rendered_pages_are_released_before_mkdocs(demo_catalog: Catalog, demo_site: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[weakref.ref[Any]] = []
    seen: dict[str, Any] = {}
    render, run = build_module.render_database, build_module.run_mkdocs

    def render_database(*args: Any, **kwargs: Any) -> Any:
        part = render(*args, **kwargs)
        rendered.extend([weakref.ref(part), weakref.ref(part.site)])
        return part

    def run_mkdocs(*args: Any, **kwargs: Any) -> Any:
        extra = args[5]
        seen["alive"] = [ref() is not None for ref in rendered]
        seen["extra"] = extra
        seen["spilled"] = sorted(p.name for p in extra._folder.iterdir()) if isinstance(extra, Spilled) else None
        return run(*args, **kwargs)

    monkeypatch.setattr(build_module, "render_database", render_database)
    monkeypatch.setattr(build_module, "run_mkdocs", run_mkdocs)
    build_module.build(demo_catalog, tmp_path / "site", _project(tmp_path))
    assert len(rendered) == 2 and seen["alive"] == [False, False], "the pages are still referenced when MkDocs starts"
    extra = seen["extra"]
    assert isinstance(extra, Spilled) and len(seen["spilled"]) == len(extra) > 40  # the .md copies and llms files
    assert not extra._folder.exists(), "the spilled files are removed after the build"
    built, single = site_files(tmp_path / "site"), site_files(demo_site)
    assert sorted(built) == sorted(single) and [p for p in single if built[p] != single[p]] == []


def test_the_catalog_is_frozen_while_the_rendering_is_released(demo_catalog: Catalog, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`release`'s collection walks what the rendering left, not the catalog (frozen for the build)."""
    seen: dict[str, bool] = {}

    def spying() -> bool:
        walked = {id(o) for o in gc.get_objects()}
        seen["catalog walked"] = id(demo_catalog.relations[0]) in walked or id(demo_catalog.relations) in walked
        return release()

    monkeypatch.setattr(build_module, "release", spying)
    build_module.build(demo_catalog, tmp_path / "site", _project(tmp_path))
    assert seen == {"catalog walked": False}
    assert gc.get_freeze_count() == 0 and gc.isenabled(), "the collector is as it was after the build"
    assert gc.is_tracked(demo_catalog.relations[0])


def test_spilled_files_read_back_as_written(tmp_path: Path) -> None:
    files = {"a.md": "line\r\nnext\n", "b/c.txt": "é – \u2028 ✓", "empty.md": ""}
    (tmp_path / f"{PREFIX}killed").mkdir()  # a killed build's leftover is removed
    with spilled_dir(tmp_path) as folder:
        spilled = Spilled(folder, files)
        assert dict(spilled) == files and list(spilled) == list(files) and len(spilled) == 3
        assert [p.name for p in tmp_path.iterdir()] == [folder.name]
    assert list(tmp_path.iterdir()) == []


def test_release_trims_the_heap_on_glibc() -> None:
    assert release() is (platform.libc_ver()[0] == "glibc")
