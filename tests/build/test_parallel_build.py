"""A cold build in several MkDocs processes gives the site one process gives, byte for byte,
search index included (`schemadocs.mkdocs_parallel`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs import mkdocs_parallel
from schemadocs.build import build
from schemadocs.model import Catalog
from tests.build.test_incremental import _project, site_files


def test_three_processes_build_the_single_process_site(demo_catalog: Catalog, demo_site: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = mkdocs_parallel.build_parallel
    monkeypatch.setattr(mkdocs_parallel, "build_parallel", lambda *a, **k: calls.append(a[5]) or original(*a, **k))  # a[5]: jobs
    monkeypatch.setenv(mkdocs_parallel.JOBS_ENV, "3")
    result = build(demo_catalog, tmp_path / "site", _project(tmp_path))
    assert calls == [3] and result.rebuilt_files is None
    parallel, single = site_files(tmp_path / "site"), site_files(demo_site)
    assert sorted(parallel) == sorted(single)
    assert [p for p in single if parallel[p] != single[p]] == []
    # its build record lets the next build take the incremental path: nothing changed, nothing rendered
    assert build(demo_catalog, tmp_path / "site", tmp_path / "mkdocs.yml").rebuilt_files == 0


def test_jobs_follow_the_size_of_the_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(mkdocs_parallel.JOBS_ENV, raising=False)
    assert mkdocs_parallel.jobs_for(50) == 1
    monkeypatch.setattr(mkdocs_parallel.os, "cpu_count", lambda: 2)
    assert mkdocs_parallel.jobs_for(20 * mkdocs_parallel.MIN_PAGES_PER_JOB) == 2
    monkeypatch.setenv(mkdocs_parallel.JOBS_ENV, "4")
    assert mkdocs_parallel.jobs_for(50) == 4
