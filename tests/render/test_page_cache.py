"""The page cache: unchanged costly pages come from the cache, byte-identical to rendering them."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from schemadocs import snapshot
from schemadocs.model import Catalog
from schemadocs.render import contexts, page_cache, slugs
from schemadocs.render.page_cache import PageCache
from schemadocs.render.render_site import render_site


def test_cached_pages_equal_rendered_ones_and_only_changed_parts_render(edge_catalog: Catalog, tmp_path: Path,
                                                                        monkeypatch) -> None:
    monkeypatch.setattr(contexts, "MAX_COLUMN_INDEX_ROWS", 10)  # split the column index by letter
    cache = PageCache(tmp_path / "pages")
    first = render_site(edge_catalog, tmp_path / "diagrams", pages=cache)
    parts = sorted(p for p in first.pages if p.startswith("columns/"))
    pages = [p for p in first.pages if p.endswith(".md")]
    # every page is cached, keyed by its whole context (none holds an object without a value repr),
    # and its clean `.md` copy beside it
    assert len(parts) > 2 and len(cache.used) == 2 * len(pages)
    assert render_site(edge_catalog, tmp_path / "diagrams").pages == first.pages, "cache off: the same pages"

    rendered: list[str] = []
    original = PageCache.render

    def spy(self: PageCache, page, lift=None):  # which pages had to be built and rendered
        built = page.context
        page = dataclasses.replace(page, context=lambda: (rendered.append(page.path), built())[1])
        return original(self, page, lift)

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
    index = [p for p in rendered if p.startswith("columns")]
    assert "columns/z.md" in index and len(set(index)) <= 3, index  # the index, the old and new letters
    assert slugs.relation_page(table.qname) in rendered, "the renamed table's page"
    assert len(set(rendered)) < len(pages) / 2, "the unchanged pages came from the cache"
    assert result.pages == render_site(changed, tmp_path / "diagrams").pages
    after.prune()
    assert {p.stem for p in (tmp_path / "pages").glob("*.md")} == after.used


def test_each_input_that_shapes_a_page_renders_it_again(edge_catalog: Catalog, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    page = contexts.column_index_pages(edge_catalog)[0]
    rendered: list[str] = []
    lazy = dataclasses.replace(page, context=lambda: (rendered.append(page.path), page.context())[1])

    def renders() -> int:  # how many times the page was built: 1 rendered, 0 from the cache
        page_cache.render_inputs.cache_clear()
        before = len(rendered)
        PageCache(tmp_path / "pages").render(lazy)
        return len(rendered) - before

    real_version, real_files = page_cache.installed_version, page_cache.code_files
    names = [name for name, _ in real_files()]
    try:
        assert renders() == 1 and renders() == 0
        for dist in page_cache.DISTRIBUTIONS:
            assert real_version(dist) != "absent", dist
            monkeypatch.setattr(page_cache, "installed_version", lambda d, dist=dist: "0-other" if d == dist else real_version(d))
            assert renders() == 1 and renders() == 0, dist
        monkeypatch.setattr(page_cache, "installed_version", real_version)
        for changed in ("schemadocs/model.py", "schemadocs.render/slugs.py", "schemadocs.render/templates.py",
                        "schemadocs.render/contexts.py", "schemadocs.templates/columns.md.j2"):
            assert changed in names
            monkeypatch.setattr(page_cache, "code_files", lambda changed=changed: [
                (name, data + b"\n# changed\n" if name == changed else data) for name, data in real_files()])
            assert renders() == 1 and renders() == 0, changed
        monkeypatch.setattr(page_cache, "code_files", real_files)
        monkeypatch.setattr(sys, "version", sys.version + " (another build)")
        assert renders() == 1 and renders() == 0, "Python"
        monkeypatch.undo()
        assert renders() == 0, "back to the real inputs: the first entry again"
    finally:
        monkeypatch.undo()
        page_cache.render_inputs.cache_clear()


def test_the_hashed_code_covers_every_package_rendering_imports(edge_catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "catalog.json").write_text(snapshot.dumps(edge_catalog), encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from schemadocs import snapshot\n"
        "from schemadocs.build import build_changes\n"
        "from schemadocs.render.page_cache import PageCache\n"
        "from schemadocs.render.render_site import render_site\n"
        "tmp = Path(sys.argv[1])\n"
        "catalog = snapshot.load(tmp / 'catalog.json')\n"
        "render_site(catalog, tmp / 'cache', draw=False, changes=build_changes(catalog, tmp / 'catalog.json'),\n"
        "            pages=PageCache(tmp / 'cache' / 'pages', tmp / 'cache' / 'fragments'))\n"
        "print('\\n'.join({m.__package__ for n, m in list(sys.modules.items()) if n.startswith('schemadocs')}))\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    imported = set(done.stdout.split())
    assert {"schemadocs", "schemadocs.render", "schemadocs.templates", "schemadocs.lineage", "schemadocs.diff"} <= imported
    assert imported <= set(page_cache.CODE_PACKAGES), imported - set(page_cache.CODE_PACKAGES)
