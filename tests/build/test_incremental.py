"""Incremental builds: after a one-table change only the changed pages are rendered, and the
site is the one a full build makes, search index included."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
import pytest

from schemadocs import incremental
from schemadocs.build import build
from schemadocs.incremental import STAMP
from schemadocs.model import Catalog, Column, QualifiedName
from tests.conftest import DEFAULT_MKDOCS, build_in

CHANGED = QualifiedName("app", "orders")


def one_table_migration(catalog: Catalog) -> Catalog:
    """ALTER TABLE app.orders ADD COLUMN gift_note text, with a comment on it and on the table."""
    def migrate(rel):  # type: ignore[no-untyped-def]
        if rel.qname != CHANGED:
            return rel
        added = Column(name="gift_note", type="text", nullable=True, comment="Printed on the packing slip.",
                       position=len(rel.columns) + 1)
        return dataclasses.replace(rel, columns=(*rel.columns, added), comment="Orders, now with gift notes.")
    return dataclasses.replace(catalog, relations=tuple(migrate(r) for r in catalog.relations))


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name not in (STAMP, "sitemap.xml.gz")}


def test_one_table_migration_rebuilds_only_what_changed(demo_catalog: Catalog, tmp_path: Path) -> None:
    first = build(demo_catalog, (tmp_path / "a" / "site"), _project(tmp_path / "a"))
    assert first.rebuilt_files is None, "the first build is a full one"
    migrated = one_table_migration(demo_catalog)
    again = build(migrated, tmp_path / "a" / "site", tmp_path / "a" / "mkdocs.yml")
    # the table, its schema page, home (counts), the column index, the Undocumented page, the
    # column-without-comment rule page (the table gained a comment), its three ER neighbours (their
    # diagrams show its columns) and what those pages' diagrams are made of: 12 of the demo's 60-odd
    assert again.rebuilt_files is not None and 1 <= again.rebuilt_files <= 12, again.rebuilt_files

    full = build_in(tmp_path / "b", migrated)
    incremental, expected = site_files(tmp_path / "a" / "site"), site_files(full)
    assert set(incremental) == set(expected)
    index = "search/search_index.json"
    assert json.loads(incremental.pop(index)) == json.loads(expected.pop(index))
    assert [p for p in expected if incremental[p] != expected[p]] == []
    page = (tmp_path / "a" / "site" / "schemas" / "app" / "orders.html").read_text(encoding="utf-8")
    assert 'id="col-gift_note"' in page and "gift notes" in page


def test_advancing_statistics_are_copied_not_rendered(demo_catalog: Catalog, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: after a one-table migration on a live database every table's `xid_age` has
    advanced, so most `api/` files change; MkDocs still renders only the few changed pages
    (counted as it decides, page by page), and the site is a cold build's, byte for byte."""
    build(demo_catalog, tmp_path / "a" / "site", _project(tmp_path / "a"))
    aged = [r for r in demo_catalog.relations if r.stats is not None and r.stats.xid_age is not None]
    assert len(aged) >= 10, "the demo's tables carry statistics"
    migrated = one_table_migration(_older(demo_catalog, 25))
    rendered: list[str] = []
    original = mkdocs_build._build_page

    def counting(page, config, doc_files, nav, env, dirty=False, excluded=False):  # type: ignore[no-untyped-def]
        if not dirty or page.file.is_modified():  # MkDocs' own test: the page is rendered
            rendered.append(page.file.src_uri)
        return original(page, config, doc_files, nav, env, dirty, excluded)

    monkeypatch.setattr(mkdocs_build, "_build_page", counting)
    again = build(migrated, tmp_path / "a" / "site", tmp_path / "a" / "mkdocs.yml")
    monkeypatch.undo()
    pages = sum(1 for _ in (tmp_path / "a" / "site_src").rglob("*.md"))
    assert again.rendered_pages == len(rendered), (again.rendered_pages, rendered)
    # the same 9 of the demo's 45 pages as without the statistics: the table, its schema page, home,
    # the column index, the Undocumented page, a rule page and the three ER neighbours
    assert "schemas/app/orders.md" in rendered and len(rendered) <= 12 and len(rendered) < 0.25 * pages, rendered
    assert again.rebuilt_files is not None and again.rebuilt_files - len(rendered) >= len(aged), \
        "each aged table's api/ file changed and was copied"
    full = build_in(tmp_path / "b", migrated)
    incremental, expected = site_files(tmp_path / "a" / "site"), site_files(full)
    assert set(incremental) == set(expected)
    assert [p for p in expected if incremental[p] != expected[p]] == []


def test_changed_static_files_alone_never_force_a_full_build(demo_catalog: Catalog, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The share that forces a full build counts pages only: statistics advancing change each
    table's api/ JSON but no page. With the share lowered below the changed files' share (the
    demo has too few tables to pass one half), the build still renders nothing."""
    build(demo_catalog, tmp_path / "site", _project(tmp_path))
    files = sum(1 for p in (tmp_path / "site_src").rglob("*") if p.is_file())
    monkeypatch.setattr(incremental, "MAX_CHANGED_SHARE", 0.1)
    again = build(_older(demo_catalog, 25), tmp_path / "site", tmp_path / "mkdocs.yml")
    monkeypatch.undo()
    assert again.rebuilt_files is not None and again.rebuilt_files > 0.1 * files, (again.rebuilt_files, files)
    assert again.rendered_pages == 0, "an incremental build that renders no page"
    assert site_files(tmp_path / "site") == site_files(build_in(tmp_path / "cold", _older(demo_catalog, 25)))


def _older(catalog: Catalog, transactions: int) -> Catalog:
    """The catalog as introspected `transactions` transactions later: every table's xid_age grown."""
    def age(rel):  # type: ignore[no-untyped-def]
        if rel.stats is None or rel.stats.xid_age is None:
            return rel
        return dataclasses.replace(rel, stats=dataclasses.replace(rel.stats, xid_age=rel.stats.xid_age + transactions))
    return dataclasses.replace(catalog, relations=tuple(age(r) for r in catalog.relations))


def test_nothing_changed_renders_nothing(demo_catalog: Catalog, tmp_path: Path) -> None:
    build(demo_catalog, tmp_path / "site", _project(tmp_path))
    before = site_files(tmp_path / "site")
    assert build(demo_catalog, tmp_path / "site", tmp_path / "mkdocs.yml").rebuilt_files == 0
    assert site_files(tmp_path / "site") == before


def test_a_config_change_means_a_full_build(demo_catalog: Catalog, tmp_path: Path) -> None:
    config = _project(tmp_path)
    build(demo_catalog, tmp_path / "site", config)
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: test", "site_name: renamed"),
                      encoding="utf-8")
    assert build(demo_catalog, tmp_path / "site", config).rebuilt_files is None
    assert "renamed" in (tmp_path / "site" / "schemas" / "app" / "orders.html").read_text(encoding="utf-8")


def test_hand_written_pages_are_rendered_every_time(demo_catalog: Catalog, tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "site_src" / "runbook.md").write_text("# Runbook\n\n[orders](schemas/app/orders.md#col-tenant_id)\n",
                                                      encoding="utf-8")
    build(demo_catalog, tmp_path / "site", config)
    assert build(demo_catalog, tmp_path / "site", config).rebuilt_files == 1


def _project(root: Path) -> Path:
    (root / "site_src").mkdir(parents=True, exist_ok=True)
    config = root / "mkdocs.yml"
    config.write_text(f"INHERIT: {DEFAULT_MKDOCS}\n"
                      "site_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    return config
