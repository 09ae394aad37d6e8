"""Stored script injection and DOT injection: a schema whose every name and comment is a payload.

In: tests/fixtures/hostile.sql loaded into a real PostgreSQL (names and comments breaking out
of <title>, the navigation, HTML text and attributes, JSON in a page, the search index,
Markdown, Jinja, Graphviz DOT and inline SVG; one schema of 41 tables for the names-only
overview), built into a site with Graphviz, and with Mermaid when `dot` is missing. Out:
pass when the build succeeds, every page loads in headless Chromium without running a
payload (no `window.__xss`, no dialog, no injected element or handler, no javascript: link),
a search for a hostile name lists it as text, and each diagram carries the names as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from schemadocs.introspect.introspect import introspect
from schemadocs.model import Catalog
from schemadocs.render import schema_context
from schemadocs.render.frame_nav import DATA_FILE, read_nav_script
from schemadocs.render.slugs import relation_page, schema_page
from tests.conftest import FIXTURES, build_in
from tests.sitecheck import check_links
from schemadocs.serve import served
from tests.render.test_browser import TIMEOUT_MS, browser  # noqa: F401 (browser: the Chromium fixture)

SMALL = "</title><script>window.__xss=1</script>"  # the schema drawn table by table, with columns
LARGE = '<img src=x onerror="window.__xss=1">'  # 41 tables: the names-only overview
DOT_BREAKERS = ("<b>unclosed", '"];node[label=x', "\\", "\\N", "new\nline", "<<b>>", "{{7*7}}")
PROBE = """() => {
  const bad = [];
  if (window.__xss !== undefined) bad.push('window.__xss was set');
  for (const el of document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]'))
    bad.push('injected element ' + el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('script'))
    if (el.textContent.trim().startsWith('window.__xss')) bad.push('injected script');
  for (const a of document.querySelectorAll('a'))
    if (/^\\s*javascript:/i.test(a.getAttribute('href') || a.getAttribute('xlink:href') || ''))
      bad.push('javascript: link ' + a.outerHTML.slice(0, 80));
  for (const b of document.querySelectorAll('b'))
    if (b.textContent.startsWith('unclosed')) bad.push('injected <b>');
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_catalog(new_database) -> Catalog:
    return introspect(new_database((FIXTURES / "hostile.sql").read_text(encoding="utf-8"), prefix="hostile"))


@pytest.fixture(scope="module")
def hostile_site(hostile_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("hostile"), hostile_catalog)


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with served(hostile_site) as url:
        yield url


def _html(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page.replace(".md", ".html")).read_text(encoding="utf-8"), "html.parser")


def test_the_fixture_covers_every_context(hostile_catalog: Catalog) -> None:
    small = [r for r in hostile_catalog.relations if r.schema == SMALL]
    large = [r for r in hostile_catalog.relations if r.schema == LARGE]
    assert 31 <= len(large) <= 100 and 2 <= len(small) <= 30
    assert {r.name for r in large} >= set(DOT_BREAKERS)
    table = hostile_catalog.relation(next(r.qname for r in small if r.name == SMALL))
    assert table is not None and table.triggers and table.policies and table.indexes and table.comment
    assert any(r.kind.label == "view" for r in small)
    assert [f.name for f in hostile_catalog.routines if f.schema == SMALL]
    assert [t for t in (*hostile_catalog.enums, *hostile_catalog.domains, *hostile_catalog.composite_types)
            if t.schema == SMALL]


def test_the_site_builds_and_every_link_resolves(hostile_site: Path) -> None:
    report = check_links(hostile_site)
    assert report.pages > 50 and report.broken == []


def test_titles_and_navigation_show_names_as_text(hostile_site: Path, hostile_catalog: Catalog) -> None:
    table = next(r for r in hostile_catalog.relations if r.schema == SMALL and r.name == SMALL)
    soup = _html(hostile_site, relation_page(table.qname))
    assert soup.title is not None and soup.title.get_text() == f"{table.qname} - test"
    assert not soup.head.find_all("script", string=re.compile("__xss"))  # type: ignore[union-attr]
    nav = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav a")]
    assert SMALL in nav and LARGE not in nav  # its own schema; the others come from the shared file, set as text
    shared = read_nav_script((hostile_site / DATA_FILE).read_text(encoding="utf-8"))
    assert {SMALL, LARGE} <= {title for entries in shared.values() for _, title in entries}


def test_names_reach_every_diagram_as_text(hostile_site: Path) -> None:
    overview = _html(hostile_site, schema_page(LARGE)).select_one(".sd-diagram svg")
    assert overview is not None, "the names-only overview of a 41-table schema was not drawn"
    texts = {t.get_text() for t in overview.find_all("text")}
    assert {"<b>unclosed", '"];node[label=x', "\\", "\\N", "{{7*7}}", "<<b>>"} <= texts
    detailed = _html(hostile_site, schema_page(SMALL)).select_one(".sd-diagram svg")
    assert detailed is not None
    texts = {t.get_text().strip() for t in detailed.find_all("text")}
    assert {"FK \"];node[label=x", "\\", "{{7*7}}", "<b>unclosed", "a b", "FK line break"} <= texts
    for svg in (s for p in hostile_site.rglob("*.html") for s in BeautifulSoup(p.read_text(), "html.parser").select("svg")):
        for a in svg.find_all("a"):
            href = a.get("xlink:href") or a.get("href") or ""
            assert not re.match(r"\s*[a-zA-Z][a-zA-Z0-9+.-]*:", href), href  # relative: no scheme at all
            assert href.endswith(".html") or ".html#" in href or href.startswith("#col-"), href  # own columns: by anchor


def test_no_page_runs_a_payload(browser: Any, hostile_url: str, hostile_site: Path) -> None:  # noqa: F811
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    dialogs: list[str] = []
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    found: dict[str, list[str]] = {}
    try:
        for path in pages:
            page.goto(f"{hostile_url}/{path}", wait_until="load")
            if bad := page.evaluate(PROBE):
                found[path] = bad
    finally:
        page.close()
    assert len(pages) > 50
    assert found == {} and dialogs == []


def test_search_lists_a_hostile_name_as_text(browser: Any, hostile_url: str) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{hostile_url}/index.html", wait_until="load")
        query = page.locator("input.md-search__input")
        query.click()
        query.press_sequentially("unclosed", delay=20)
        results = page.locator(".md-search-result__list .md-search-result__item")
        results.first.wait_for(state="visible")
        text = page.locator(".md-search-result").inner_text()
        bad = page.evaluate(PROBE)
    finally:
        page.close()
    assert "<b>unclosed" in text
    assert bad == []


def test_subject_areas_of_hostile_tables(browser: Any, hostile_catalog: Catalog, tmp_path: Path,  # noqa: F811
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The large schema split into subject areas (named after hostile hub tables): the map, the
    area pages and their diagrams build, link and run nothing."""
    monkeypatch.setattr(schema_context, "DETAILED_MAX", 2)
    monkeypatch.setattr(schema_context, "COMPACT_MAX", 4)
    monkeypatch.setattr(schema_context, "AREA_MAX", 6)
    site = build_in(tmp_path, hostile_catalog)
    assert check_links(site).broken == []
    areas = sorted(p.relative_to(site).as_posix() for p in site.glob("schemas/*/areas/*.html"))
    area_map = _html(site, schema_page(LARGE)).select_one(".sd-diagram svg")
    assert len(areas) >= 4 and area_map is not None
    assert any(re.fullmatch(r"<i>t\d+ and related tables \(\d+ tables\)", t.get_text()) for t in area_map.find_all("text"))
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found: dict[str, list[str]] = {}
    try:
        with served(site) as url:
            for path in [schema_page(LARGE).replace(".md", ".html"), *areas]:
                page.goto(f"{url}/{path}", wait_until="load")
                if bad := page.evaluate(PROBE):
                    found[path] = bad
    finally:
        page.close()
    assert found == {}


def test_without_graphviz_the_mermaid_labels_are_text(hostile_catalog: Catalog, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMADOCS_DOT", "no-such-dot-program")
    site = build_in(tmp_path, hostile_catalog)
    block = _html(site, schema_page(LARGE)).select_one("pre.mermaid code")
    assert block is not None and not block.find_all(True)
    labels = re.findall(r'\["([^"]*)"\]', block.get_text())
    assert "#lt;b#gt;unclosed" in labels and "#quot;];node[label=x" in labels
