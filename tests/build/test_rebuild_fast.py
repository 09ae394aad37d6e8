"""The cheap incremental rebuild (issue 15): pages read back from the page cache by their whole
context, the previous site's unchanged pages hard-linked into staging (never written through),
the build record trusted by stat, and a large replaced site removed by a detached process."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from schemadocs import detached_remove, incremental, swap
from schemadocs.build import build, cache_of
from schemadocs.errors import BuildError
from schemadocs.incremental import STAMP
from schemadocs.model import Catalog, Column, QualifiedName
from tests.build.test_incremental import _project, one_table_migration, site_files
from tests.conftest import build_in

TENANTS = QualifiedName("app", "tenants")


def _add_column(catalog: Catalog, table: QualifiedName, name: str) -> Catalog:
    def migrate(rel):  # type: ignore[no-untyped-def]
        if rel.qname != table:
            return rel
        added = Column(name=name, type="text", nullable=True, comment="Added by a migration.",
                       position=len(rel.columns) + 1)
        return dataclasses.replace(rel, columns=(*rel.columns, added))
    return dataclasses.replace(catalog, relations=tuple(migrate(r) for r in catalog.relations))


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_a_migration_of_a_neighbour_updates_the_pages_that_show_it(demo_catalog: Catalog, tmp_path: Path) -> None:
    """app.tenants gains a column: the pages of the tables referencing it (their ER diagrams
    draw it with its columns) change too, although their own tables did not; the incremental
    site is a cold build's, byte for byte."""
    site = tmp_path / "a" / "site"
    build(demo_catalog, site, _project(tmp_path / "a"))
    before = _pages(site)
    migrated = _add_column(demo_catalog, TENANTS, "billing_region")
    again = build(migrated, site, tmp_path / "a" / "mkdocs.yml")
    assert again.rendered_pages is not None, "an incremental build"
    after = _pages(site)
    referencing = sorted(f"{r.qname.schema}/{r.qname.name}" for r in demo_catalog.relations
                         if any(fk.target == TENANTS for fk in r.foreign_keys) and r.partition_of is None)
    assert "app/orders" in referencing and "billing/invoices" in referencing
    changed = {p for p in after if before.get(p) != after[p]}
    for name in referencing:
        assert f"schemas/{name}.html" in changed, (name, sorted(changed))
    assert b"billing_region" in after["schemas/app/orders.html"] and b"billing_region" not in before["schemas/app/orders.html"]
    assert len(changed) < len(after) / 2, "most pages are unchanged"
    expected = site_files(build_in(tmp_path / "b", migrated))
    found = site_files(site)
    index = "search/search_index.json"
    assert json.loads(found.pop(index)) == json.loads(expected.pop(index))
    assert set(found) == set(expected) and [p for p in expected if found[p] != expected[p]] == []


def test_unchanged_pages_are_linked_and_a_failed_build_leaves_the_previous_site_whole(
        demo_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The staged copies of unchanged pages share the previous site's files (hard links); a build
    that fails after MkDocs wrote every page leaves each previous file's bytes and time as they were."""
    site = tmp_path / "site"
    build(demo_catalog, site, _project(tmp_path))
    previous = {p: (f.read_bytes(), f.stat().st_mtime_ns, f.stat().st_ino)
                for p, f in ((f.relative_to(site).as_posix(), f) for f in site.rglob("*")) if f.is_file()}
    linked: list[int] = []

    def fail(plan, docs_dir, previous_site, staging):  # type: ignore[no-untyped-def]
        page = staging / "schemas" / "app" / "categories.html"  # unchanged by the migration
        linked.append(page.stat().st_nlink)
        assert page.stat().st_ino == previous["schemas/app/categories.html"][2]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(incremental, "merge_search_index", fail)
    with pytest.raises(BuildError, match="the previous site in .* is untouched"):
        build(one_table_migration(demo_catalog), site, tmp_path / "mkdocs.yml")
    assert linked == [2], "the unchanged page was a hard link of the previous site's"
    now = {p: (f.read_bytes(), f.stat().st_mtime_ns, f.stat().st_ino)
           for p, f in ((f.relative_to(site).as_posix(), f) for f in site.rglob("*")) if f.is_file()}
    assert now == previous
    monkeypatch.undo()
    again = build(one_table_migration(demo_catalog), site, tmp_path / "mkdocs.yml")
    assert again.rendered_pages is not None
    assert (site / "schemas" / "app" / "categories.html").stat().st_ino == previous["schemas/app/categories.html"][2]
    assert (site / "schemas" / "app" / "orders.html").stat().st_ino != previous["schemas/app/orders.html"][2]
    assert b"gift_note" in (site / "schemas" / "app" / "orders.html").read_bytes()
    # the clean .md copies: an unchanged one linked, the changed one written anew
    assert (site / "schemas" / "app" / "categories.md").stat().st_ino == previous["schemas/app/categories.md"][2]
    assert (site / "schemas" / "app" / "orders.md").stat().st_ino != previous["schemas/app/orders.md"][2]
    assert b"gift_note" in (site / "schemas" / "app" / "orders.md").read_bytes()


def test_the_build_record_keeps_each_files_stat_and_an_edit_is_still_seen(demo_catalog: Catalog,
                                                                          tmp_path: Path) -> None:
    """Beside the build record, outside the site (which stays the same bytes build after build),
    the cache keeps every site file's size, time and inode for that record; a file edited to the
    same size is taken for changed (its time moved) and made again."""
    site = tmp_path / "site"
    build(demo_catalog, site, _project(tmp_path))
    record = (site / STAMP).read_bytes()
    kept = json.loads((cache_of(tmp_path / "site_src") / incremental.STAT_FILE).read_text(encoding="utf-8"))
    assert kept["record"] == hashlib.sha256(record).hexdigest()
    assert set(kept["stat"]) == set(json.loads(record)["site"]) and len(kept["stat"]) > 40
    page = site / "schemas" / "app" / "categories.html"
    st = page.stat()
    assert kept["stat"]["schemas/app/categories.html"] == [st.st_size, st.st_mtime_ns, st.st_ino]
    text = page.read_bytes()
    page.write_bytes(text.replace(b"<title>", b"<titlf>", 1))  # same size, other bytes
    while page.stat().st_mtime_ns == st.st_mtime_ns:  # the file clock ticks coarsely: edit again until it moved
        time.sleep(0.01)
        page.write_bytes(text.replace(b"<title>", b"<titlf>", 1))
    assert page.stat().st_size == st.st_size
    build(one_table_migration(demo_catalog), site, tmp_path / "mkdocs.yml")
    assert page.read_bytes() == text


def test_a_large_replaced_site_is_removed_by_a_detached_process_holding_the_lock(tmp_path: Path) -> None:
    work = tmp_path / ".site.building-x"
    (work / "site" / "deep").mkdir(parents=True)
    for i in range(300):
        (work / "site" / "deep" / f"{i}.html").write_text("x", encoding="utf-8")
    (work / "site" / STAMP).write_text("{}" + " " * 100, encoding="utf-8")
    with open(work / swap.LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert not detached_remove.remove_later(work, lock.fileno(), swap.LOCK, [work / "site" / STAMP], above=1000)
        assert detached_remove.remove_later(work, lock.fileno(), swap.LOCK, [work / "site" / STAMP], above=10)
    try:  # our descriptor is closed: the lock is the child's until it has removed the folder
        fd = os.open(work / swap.LOCK, os.O_RDONLY)
    except FileNotFoundError:
        assert not (work / "site").exists()
    else:
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        swap.clean_stale(tmp_path / "site")  # another build meanwhile leaves the folder to its owner
    deadline = time.monotonic() + 60
    while work.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not work.exists()


def test_a_build_hands_a_large_replaced_site_to_the_detached_remover(demo_catalog: Catalog, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detached_remove, "DETACH_ABOVE_BYTES", 0)
    site = tmp_path / "site"
    build(demo_catalog, site, _project(tmp_path))
    handed: list[Path] = []
    original = detached_remove.remove_later

    def spy(work, lock_fd, lock_name, records, above=None):  # type: ignore[no-untyped-def]
        took = original(work, lock_fd, lock_name, records, above)
        if took:
            handed.append(work)
        return took

    monkeypatch.setattr(detached_remove, "remove_later", spy)
    build(one_table_migration(demo_catalog), site, tmp_path / "mkdocs.yml")
    assert len(handed) == 1 and b"gift_note" in (site / "schemas" / "app" / "orders.html").read_bytes()
    deadline = time.monotonic() + 60
    while handed[0].exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not handed[0].exists() and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == []
