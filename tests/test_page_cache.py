"""The page cache: unchanged costly pages come from the cache, byte-identical to rendering them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from schemadocs.model import Catalog
from schemadocs.render import contexts
from schemadocs.render.page_cache import PageCache
from schemadocs.render.render_site import render_site


def test_cached_pages_equal_rendered_ones_and_only_changed_parts_render(edge_catalog: Catalog, tmp_path: Path,
                                                                        monkeypatch) -> None:
    monkeypatch.setattr(contexts, "MAX_COLUMN_INDEX_ROWS", 10)  # split the column index by letter
    cache = PageCache(tmp_path / "pages")
    first = render_site(edge_catalog, tmp_path / "diagrams", pages=cache)
    parts = sorted(p for p in first.pages if p.startswith("columns/"))
    assert len(parts) > 2 and len(cache.used) == len(parts) + 1
    assert render_site(edge_catalog, tmp_path / "diagrams").pages == first.pages, "cache off: the same pages"

    rendered: list[str] = []
    original = PageCache.render

    def spy(self: PageCache, page):  # which pages had to be built and rendered
        built = page.context
        page = dataclasses.replace(page, context=lambda: (rendered.append(page.path), built())[1])
        return original(self, page)

    monkeypatch.setattr(PageCache, "render", spy)
    again = render_site(edge_catalog, tmp_path / "diagrams", pages=PageCache(tmp_path / "pages"))
    assert again.pages == first.pages and rendered == []

    table = next(r for r in edge_catalog.relations if r.columns and r.partition_of is None)
    renamed = dataclasses.replace(table, columns=(dataclasses.replace(table.columns[0], name="zz_renamed"),
                                                  *table.columns[1:]))
    changed = dataclasses.replace(edge_catalog, relations=tuple(renamed if r is table else r
                                                                for r in edge_catalog.relations))
    after = PageCache(tmp_path / "pages")
    result = render_site(changed, tmp_path / "diagrams", pages=after)
    assert "columns/z.md" in rendered and len(rendered) <= 3, rendered  # the index, the old and new letters
    assert result.pages == render_site(changed, tmp_path / "diagrams").pages
    after.prune()
    assert {p.stem for p in (tmp_path / "pages").glob("*.md")} == after.used
