"""The reader's tasks of issue 12, done in a real browser, each answer checked against the model.

In: the built demo site (`demo_site`) and the Lago and AdventureWorks corpus sites
(`corpus_site`, built once per session; their catalog read back from the site's own
`catalog.json`), served on localhost and driven in Debian's Chromium by Playwright (the
`browser` fixture of test_browser.py). Out: pass when a reader finds, on the page itself,
every table referencing a hub, the whole downstream closure of a column (the CLI's
`lineage --downstream`), the base sources of a view column (the CLI's upstream leaves), the
list of undocumented columns from the home page, the `*_id` columns no index leads through the
Columns page's filter; when no table at 1440 px is wider than the content column without a
scrollbar above it; and when a phone (390×844) reads a table's name, type and comment first
without the page scrolling sideways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemadocs import snapshot
from schemadocs.lineage.closure import downstream_levels
from schemadocs.lineage.lineage_graph import lineage_graph
from schemadocs.lineage.trace import Trace, trace
from schemadocs.model import Catalog, ColumnRef, QualifiedName
from schemadocs.render.slugs import relation_page
from tests.corpus import entries
from schemadocs.serve import served
from tests.render.test_browser import TIMEOUT_MS, browser, settle  # noqa: F401  (browser: a fixture)

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
CORPUS = [e for e in ("lago", "adventureworks") if e in entries()]


def html_path(qname: QualifiedName) -> str:
    return "/" + relation_page(qname).removesuffix(".md") + ".html"


@pytest.fixture(scope="module")
def demo_url(demo_site: Path) -> Iterator[str]:
    with served(demo_site) as url:
        yield url


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """A factory of pages that fail the test on a console error or a request outside the site."""
    opened: list[tuple[Any, list[str]]] = []

    def make(url: str, viewport: dict[str, int] = WIDE) -> Any:
        page = browser.new_page(viewport=viewport)
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url, wait_until="load")
        page.wait_for_function("() => document.querySelector('article') !== null")
        opened.append((page, errors))
        return page
    yield make
    for page, errors in opened:
        page.close()
        assert errors == [], errors


def visible_texts(page: Any, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent.trim())")


def test_the_full_downstream_closure_of_a_column_by_depth(open_page: Any, demo_url: str, demo_catalog: Catalog) -> None:
    column = ColumnRef("app", "order_items", "line_total")
    graph = lineage_graph(demo_catalog)
    cli = _nodes(trace(graph, column, upstream=False)) - {str(column)}  # what `lineage --downstream` prints
    page = open_page(demo_url + html_path(column.relation))
    row = page.locator("table[data-sd=dependents] tr", has=page.locator("td:first-child a[href$='#col-line_total']"))
    for summary in row.locator("summary").all():
        summary.click()  # a long closure sits in a disclosure: open it as a reader would
    levels = [row.locator(f".sd-level[data-depth='{i}'] a").all_inner_texts()
              for i in range(1, row.locator(".sd-level").count() + 1)]
    assert set().union(*map(set, levels)) == cli and len(cli) >= 6, "every view column the CLI finds"
    assert levels == [sorted(map(str, level)) for level in downstream_levels(graph, column)], "grouped by depth"
    assert row.locator(".sd-level").last.is_visible()


def test_a_view_column_shows_its_base_sources(open_page: Any, demo_url: str, demo_catalog: Catalog) -> None:
    view = QualifiedName("analytics", "tenant_scorecard_snapshot")
    column = ColumnRef(view.schema, view.name, "lifetime_gmv")
    leaves = {str(n.node) for n in _leaves(trace(lineage_graph(demo_catalog), column, upstream=True))
              if isinstance(n.node, ColumnRef)}
    page = open_page(demo_url + html_path(view))
    row = page.locator("table[data-sd=column-lineage] tbody tr", has=page.locator("td:first-child a[href$='#col-lifetime_gmv']"))
    direct, base = row.locator("td").nth(1), row.locator("td").nth(2)
    assert set(base.locator("a").all_inner_texts()) == leaves == {"app.order_items.line_total"}
    assert direct.locator("a").all_inner_texts() == ["tenant_scorecard.lifetime_gmv"], "the direct source beside it"


def test_every_table_referencing_a_hub_is_listed(open_page: Any, demo_url: str, demo_catalog: Catalog) -> None:
    hub = QualifiedName("app", "tenants")
    expected = {src.qname for src, _ in demo_catalog.referenced_by[hub]}
    page = open_page(demo_url + html_path(hub))
    rows = page.locator("table[data-sd=relationships] tbody tr", has_text="referenced by")
    shown = {_qualified(t, hub.schema) for t in rows.locator("td:nth-child(2)").all_inner_texts()}
    assert shown == expected and rows.count() == len(demo_catalog.referenced_by[hub])


@pytest.mark.parametrize("entry", [e for e in CORPUS if e == "lago"])
def test_a_large_hub_lists_every_referencing_table_grouped(open_page: Any, corpus_site: Any, entry: str) -> None:
    _, site = corpus_site(entry)
    catalog = snapshot.load(site / "catalog.json")
    hub = max((q for q in catalog.referenced_by if catalog.relation(q)), key=lambda q: (len(catalog.referenced_by[q]), q))
    incoming = catalog.referenced_by[hub]
    assert len(incoming) > 100, f"{hub}: the hub the issue measured"
    with served(site) as url:
        page = open_page(url + html_path(hub))
        disclosure = page.locator("details.sd-referencing")
        assert f"{len(incoming)} foreign keys" in disclosure.locator("summary").inner_text()
        disclosure.locator("summary").click()
        rows = disclosure.locator("table[data-sd=referenced-by] tbody tr")
        rows.last.wait_for(state="visible")
        shown = {_qualified(t, hub.schema) for t in rows.locator("td:first-child").all_inner_texts()}
        assert shown == {src.qname for src, _ in incoming}
        assert rows.count() == len(shown), "one row per referencing table"
        keys = sum(len(re.findall(r"\(", t)) for t in rows.locator("td:nth-child(2)").all_inner_texts())
        assert keys == len(incoming), "every foreign key, none cut"
        _leave(page)


def test_the_undocumented_list_from_the_home_page(open_page: Any, demo_url: str, demo_catalog: Catalog) -> None:
    page = open_page(demo_url + "/index.html")
    link = page.locator("table[data-sd=coverage] a[href$='#columns']")
    missing = sum(1 for r in demo_catalog.documented for c in r.columns if not c.comment)
    assert link.inner_text() == f"{missing} without"
    link.click()
    page.wait_for_url("**/undocumented.html#columns")
    listed = set()
    for row in page.locator("table[data-sd=undocumented-columns] tbody tr").all():
        relation = row.locator("td").first.inner_text()
        listed |= {(relation, c) for c in row.locator("td").nth(3).locator("a").all_inner_texts()}
    assert listed == {(str(r.qname), c.name) for r in demo_catalog.documented for c in r.columns if not c.comment}
    tables = set(page.locator("table[data-sd=undocumented-relations] tbody td:first-child").all_inner_texts())
    assert tables == {str(r.qname) for r in demo_catalog.documented if not r.comment}


def test_the_columns_filter_finds_unindexed_id_columns(open_page: Any, demo_url: str, demo_catalog: Catalog) -> None:
    expected = {(c.name, str(r.qname)) for r in demo_catalog.documented if not r.kind.is_view
                for c in r.columns if c.name.endswith("_id") and not any(c.name in i.columns for i in r.indexes)}
    assert expected, "the demo has foreign-key-like columns no index covers"
    page = open_page(demo_url + "/columns.html")
    form = page.locator("form[data-sd-filter=column-index]")
    form.locator("input[name=column]").fill("*_id")
    form.locator("select[name=indexed]").select_option("no")
    rows = page.locator("table[data-sd=column-index] tbody tr:not([hidden])")
    shown = {(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text()) for r in rows.all()}
    assert shown == expected
    assert form.locator("output").inner_text() == f"{len(expected)} of {len(_listed(demo_catalog))} shown"
    page.goto(demo_url + "/columns.html?column=*_id&indexed=no", wait_until="load")  # a link can carry the question
    assert page.locator("table[data-sd=column-index] tbody tr:not([hidden])").count() == len(expected)
    heading = page.locator("table[data-sd=column-index] th", has_text="Relation")
    heading.click()  # sortable: the vendored tablesort
    assert heading.get_attribute("aria-sort") in ("ascending", "descending")
    rows = page.locator("table[data-sd=column-index] tbody tr:not([hidden])")
    assert {(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text()) for r in rows.all()} == expected


FIT = """() => {
  const box = document.querySelector('article').getBoundingClientRect();
  return Array.from(document.querySelectorAll('article table')).filter(t => t.offsetParent !== null).map(t => {
    const r = t.getBoundingClientRect();
    let scroller = null;
    for (let e = t; e && e.tagName !== 'ARTICLE'; e = e.parentElement) {
      if (/auto|scroll/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1) { scroller = e; break; }
    }
    const top = scroller && scroller.previousElementSibling;
    return {table: t.dataset.sd || '', fits: r.width <= box.width + 1,
            clipped: !!scroller && scroller.getBoundingClientRect().right <= box.right + 20,
            topbar: !!top && top.classList.contains('sd-scroll-top')};
  });
}"""


def _fit_problems(page: Any, url: str) -> list[str]:
    page.goto(url, wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.sdShown")  # the site's scripts ran (boot.js)
    return [f"{url}: table {t['table']}" for t in page.evaluate(FIT)
            if not t["fits"] and not (t["clipped"] and t["topbar"])]


def _sample_pages(catalog: Catalog) -> list[str]:
    """The pages the issue found cut off: the Columns page, the widest relation pages (most
    columns, constraints and indexes), the largest hub, a schema page."""
    ranked = sorted(catalog.documented, key=lambda r: (-(len(r.columns) + len(r.constraints) + len(r.indexes)), r.qname))
    hubs = sorted(catalog.referenced_by, key=lambda q: (-len(catalog.referenced_by[q]), q))[:1]
    pages = ["/columns.html", "/undocumented.html", f"/schemas/{ranked[0].schema}/index.html"]
    return pages + [html_path(r.qname) for r in ranked[:4]] + [html_path(q) for q in hubs if catalog.relation(q)]


def test_no_table_is_wider_than_the_page_without_a_scrollbar_on_top(open_page: Any, demo_url: str,
                                                                     demo_catalog: Catalog) -> None:
    page = open_page(demo_url + "/index.html")
    problems = [p for path in _sample_pages(demo_catalog) for p in _fit_problems(page, demo_url + path)]
    assert problems == []


@pytest.mark.parametrize("entry", CORPUS)
def test_corpus_tables_fit_or_scroll_from_the_top(open_page: Any, corpus_site: Any, entry: str) -> None:
    _, site = corpus_site(entry)
    catalog = snapshot.load(site / "catalog.json")
    with served(site) as url:
        page = open_page(url + "/index.html")
        problems = [p for path in _sample_pages(catalog) for p in _fit_problems(page, url + path)]
        _leave(page)
    assert problems == []


def _leave(page: Any) -> None:
    """Leave the page once settled, before its server stops."""
    settle(page)
    page.goto("about:blank")


def test_a_phone_reads_name_type_and_comment_first(open_page: Any, demo_url: str) -> None:
    page = open_page(demo_url + html_path(QualifiedName("app", "orders")), PHONE)
    headings = page.locator("table[data-sd=columns] thead th").all_inner_texts()
    assert headings[:3] == ["Name", "Type", "Comment"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "no sideways page scroll"
    cell = page.locator("#col-order_no td").nth(2)
    box = cell.bounding_box()
    assert cell.inner_text().startswith("Per-tenant order number")
    assert box is not None and 0 <= box["x"] and box["x"] + min(box["width"], 40) <= PHONE["width"], \
        "the comment starts on screen"


def _listed(catalog: Catalog) -> list[tuple[str, str]]:
    return [(c.name, str(r.qname)) for r in catalog.documented for c in r.columns]


def _nodes(tree: Trace) -> set[str]:
    return {str(tree.node)} | {n for child in tree.children for n in _nodes(child)}


def _leaves(tree: Trace) -> list[Trace]:
    return [tree] if not tree.children else [leaf for child in tree.children for leaf in _leaves(child)]


def _qualified(text: str, schema: str) -> QualifiedName:
    """A relation as a page shows it: `name` in the page's own schema, else `schema.name`."""
    parts = text.strip().split(".")
    return QualifiedName(schema, parts[0]) if len(parts) == 1 else QualifiedName(parts[0], ".".join(parts[1:]))


def test_a_schema_page_answers_which_relations_are_big_and_connected(open_page: Any, demo_url: str,
                                                                     demo_catalog: Catalog) -> None:
    page = open_page(demo_url + "/schemas/app/index.html")
    table = page.locator("table[data-sd=relations]")
    assert table.locator("thead th").all_inner_texts()[:7] == ["Name", "Kind", "Rows", "Total size", "Columns", "FK out", "FK in"]
    tenants = table.locator("tbody tr", has=page.locator("td:first-child a", has_text=re.compile("^tenants$")))
    cells = tenants.locator("td").all_inner_texts()
    rel = demo_catalog.relation(QualifiedName("app", "tenants"))
    assert rel is not None and rel.stats is not None
    assert cells[4:7] == [str(len(rel.columns)), str(len(rel.declared_foreign_keys)),
                          str(len(demo_catalog.referenced_by[rel.qname]))]
    assert cells[3] != "", "its total size"
    page.locator("input.sd-quick-filter").fill("partition)")
    shown = table.locator("tbody tr:not([hidden]) td:first-child").all_inner_texts()
    assert sorted(shown) == sorted(r.name for r in demo_catalog.in_schema("app") if r.partition_of)
