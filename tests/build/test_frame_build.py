"""One copy of the page frame in the build (`schemadocs.frame`): a schema added or removed
changes the shared navigation file, not the other schemas' pages (but for the head's link to
the next page in the navigation, on the schema page before it)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from schemadocs.model import Catalog
from schemadocs.render.frame_nav import DATA_FILE, read_nav_script
from tests.build.test_incremental import site_files
from tests.conftest import build_in

GONE = "public"  # the demo's empty schema


def test_a_schema_removed_changes_the_shared_navigation_not_the_other_schemas_pages(
        demo_catalog: Catalog, demo_site: Path, tmp_path: Path) -> None:
    assert GONE in {s.name for s in demo_catalog.schemas}
    smaller = dataclasses.replace(demo_catalog, schemas=tuple(s for s in demo_catalog.schemas if s.name != GONE))
    site = build_in(tmp_path, smaller)
    before, after = site_files(demo_site), site_files(site)
    pages = [p for p in before if p.startswith("schemas/") and p.endswith(".html") and not p.startswith(f"schemas/{GONE}/")]
    assert len(pages) > 20
    assert [p for p in pages if after.get(p) != before[p]] == ["schemas/billing/index.html"]  # the one before it
    assert after["schemas/billing/index.html"] == before["schemas/billing/index.html"].replace(
        b'<link rel="next" href="../public/index.html">\n', b"")
    assert f"schemas/{GONE}/index.html" not in after
    lists_before = read_nav_script(before[DATA_FILE].decode())
    lists_after = read_nav_script(after[DATA_FILE].decode())
    assert lists_before.keys() == lists_after.keys()
    assert [list(entries) for entries in lists_after.values()] == [
        [e for e in entries if e[0] != f"schemas/{GONE}/index.html"] for entries in lists_before.values()]
    assert lists_after != lists_before
