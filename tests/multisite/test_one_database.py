"""A project that lists one database (or none) keeps today's site: the demo built from --dsn and
from a project file whose `databases:` names the same database are the same, file by file and
byte for byte (the build record aside, which names the docs dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.build.test_incremental import site_files
from tests.conftest import DEFAULT_MKDOCS
from tests.inprocess import run_cli


def build(root: Path, *args: str) -> dict[str, bytes]:
    (root / "site_src").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(f"INHERIT: {DEFAULT_MKDOCS}\nsite_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    code, err = run_cli("build", "--no-stats", "--mkdocs-config", str(root / "mkdocs.yml"), "--out", str(root / "site"),
                        *args)
    assert code == 0, err
    return site_files(root / "site")


def test_one_database_project_builds_todays_site_byte_for_byte(demo_dsn: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    today = build(tmp_path / "dsn", "--dsn", demo_dsn)
    monkeypatch.setenv("SD_TEST_DEMO_DSN", demo_dsn)
    (tmp_path / "schemadocs.yml").write_text("databases:\n  - name: demo\n    dsn_env: SD_TEST_DEMO_DSN\n",
                                             encoding="utf-8")
    listed = build(tmp_path / "project", "--config", str(tmp_path / "schemadocs.yml"))
    assert "index.html" in today and "schemas/app/orders.html" in today and "catalog.json" in today
    assert sorted(listed) == sorted(today)
    assert [path for path in today if listed[path] != today[path]] == []


def test_lint_reads_the_project_file_once(demo_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint` on a project file's database loads the file once (its databases, checks, relations
    and notes all come from that one reading), and its notes are read into a project once."""
    from schemadocs.project import file, spec

    monkeypatch.setenv("SD_TEST_DEMO_DSN", demo_dsn)
    config = tmp_path / "schemadocs.yml"
    config.write_text("databases:\n  - name: demo\n    dsn_env: SD_TEST_DEMO_DSN\n"
                      "schemas:\n  app:\n    tables:\n      orders: {description: One row per checkout}\n",
                      encoding="utf-8")
    loads, reads = [], []
    real_load, real_read = file.load, spec.read
    monkeypatch.setattr(file, "load", lambda path: (loads.append(path), real_load(path))[1])
    monkeypatch.setattr(spec, "read", lambda project: (reads.append(project), real_read(project))[1])
    code, err = run_cli("lint", "--no-stats", "--config", str(config), "--fail-on", "never")
    assert code == 0, err
    assert loads == [config]
    assert len(reads) == 1
