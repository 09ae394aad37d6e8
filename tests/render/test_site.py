"""The built site, checked as a user meets it: parsed HTML, followed links, hostile input."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from schemadocs.build import build
from schemadocs.errors import BuildError
from schemadocs.model import QualifiedName, RelationKind
from schemadocs.render import contexts
from schemadocs.render.diagrams import dot_program
from schemadocs.render.render_site import render_site
from schemadocs.render.slugs import column_anchor, relation_page
from tests.conftest import ROOT, build_in
from tests.sitecheck import check_links

Q = QualifiedName
MAX_INDEX_BYTES_PER_PAGE = 700  # 10,000 tables make ~13,000 pages: this keeps the index under 10 MB


def html_of(site: Path, qname: QualifiedName) -> BeautifulSoup:
    return BeautifulSoup((site / relation_page(qname).replace(".md", ".html")).read_text(), "html.parser")


@pytest.mark.parametrize("which", ["demo_site", "edge_site"])
def test_no_broken_internal_links(which, request):
    report = check_links(request.getfixturevalue(which))
    assert report.pages > 10 and report.links > 100
    assert report.broken == []


def test_every_page_is_there(demo_site, demo_catalog):
    assert (demo_site / "index.html").exists()
    for schema in demo_catalog.schemas:
        assert (demo_site / "schemas" / schema.name / "index.html").exists()
    for rel in demo_catalog.relations:
        assert (demo_site / relation_page(rel.qname).replace(".md", ".html")).exists(), rel.qname
    home = BeautifulSoup((demo_site / "index.html").read_text(), "html.parser")
    assert home.select_one("article h1").text.strip().rstrip("¶") == demo_catalog.database
    assert {"app", "billing", "analytics"} <= {a.text for a in home.select("table[data-sd=schemas] a")}


def test_table_page_shows_columns_keys_and_relationships(demo_site, demo_catalog):
    rel = demo_catalog.relation(Q("app", "order_items"))
    page = html_of(demo_site, rel.qname)
    rows = page.select("table[data-sd=columns] tbody tr")
    assert [r["id"] for r in rows] == [column_anchor(c.name) for c in rel.columns]
    tenant = page.find(id=column_anchor("tenant_id"))
    assert {"PK", "FK"} <= {b.text for b in tenant.select(".sd-badge")}
    assert tenant.find("a", href="orders.html#col-tenant_id"), "FK links to the target column"
    assert page.find(string=rel.comment.split("\n")[0].strip()[:20]) or rel.comment[:20] in page.text
    assert "order_items_order_fkey" in page.select_one("table[data-sd=relationships]").text
    assert page.select("table[data-sd=constraints] tr") and page.select("table[data-sd=indexes] tr")


def test_table_page_has_a_clickable_er_diagram(demo_site):
    page = html_of(demo_site, Q("app", "orders"))
    svg = page.select_one(".sd-diagram svg")
    assert svg is not None
    targets = {a.get("xlink:href") or a.get("href") for a in svg.find_all("a")} - {None}
    assert {"tenants.html", "users.html", "order_items.html", "orders.html"} <= {t.split("#")[0] for t in targets}


def test_view_page_shows_sql_and_reads(demo_site, demo_catalog):
    view = demo_catalog.relation(Q("analytics", "tenant_scorecard"))
    page = html_of(demo_site, view.qname)
    code = page.select_one("pre code, div.highlight pre")
    assert code is not None and "tenant_monthly_revenue" in code.text
    assert {a["href"] for a in page.select("table[data-sd=reads] a")} >= {"tenant_monthly_revenue.html", "../app/tenants.html"}
    base = html_of(demo_site, Q("analytics", "tenant_monthly_revenue"))
    assert base.select_one("ul.sd-read-by a[href='tenant_scorecard.html']")


def test_hostile_comments_never_become_html(edge_site, edge_catalog):
    for page in edge_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        content = soup.select_one("article") or soup
        assert not any("alert" in (s.string or "") for s in content.find_all("script")), page
        assert not content.find_all(attrs={"onerror": True}), page
        assert not content.find_all("img", src="x"), page
        for a in content.find_all("a", href=True):
            assert not a["href"].lower().startswith(("javascript:", "data:", "vbscript:")), page
    text = "".join(p.read_text() for p in edge_site.rglob("*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, "the comment is shown, escaped"
    assert "{{ 7*7 }}" in text and "{% raw %}" in text, "Jinja syntax is shown, not run"


def test_hostile_names_get_pages(edge_site, edge_catalog):
    for rel in edge_catalog.relations:
        page = html_of(edge_site, rel.qname)
        assert rel.name in page.select_one("article h1").text.replace("\\", "")


def test_rendering_twice_gives_identical_bytes(edge_catalog, tmp_path):
    first = render_site(edge_catalog, tmp_path / "cache")
    second = render_site(edge_catalog, tmp_path / "cache2")
    assert first.pages == second.pages


def test_hand_written_pages_are_kept_and_linked(demo_catalog, tmp_path):
    (tmp_path / "site_src").mkdir()
    (tmp_path / "site_src" / "runbook.md").write_text("# Runbook\n\nHand-written.\n")
    site = build_in(tmp_path, demo_catalog)
    assert (tmp_path / "site_src" / "runbook.md").read_text() == "# Runbook\n\nHand-written.\n"
    assert "Hand-written." in (site / "runbook.html").read_text()
    assert BeautifulSoup((site / "index.html").read_text(), "html.parser").select_one("nav a[href='runbook.html']")
    generated = (tmp_path / "site_src" / ".schemadocs-manifest.json").read_text()
    assert "runbook.md" not in generated and "index.md" in generated


def test_stale_generated_pages_are_removed(demo_catalog, edge_catalog, tmp_path):
    build_in(tmp_path, edge_catalog)
    build_in(tmp_path, demo_catalog)
    assert not (tmp_path / "site_src" / "schemas" / "weird").exists() or not any(
        (tmp_path / "site_src" / "schemas" / "weird").rglob("*.md"))
    assert not (tmp_path / "site" / "schemas" / "weird").exists()


def test_hand_written_page_in_the_way_is_refused(demo_catalog, tmp_path):
    (tmp_path / "site_src").mkdir()
    (tmp_path / "site_src" / "index.md").write_text("# mine\n")
    with pytest.raises(BuildError, match="hand-written"):
        build_in(tmp_path, demo_catalog)
    assert (tmp_path / "site_src" / "index.md").read_text() == "# mine\n"


def test_failed_build_leaves_previous_site_untouched(demo_catalog, tmp_path):
    site = build_in(tmp_path, demo_catalog)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}
    (tmp_path / "site_src" / "broken.md").write_text("# Broken\n\n[missing](nowhere.md)\n")
    with pytest.raises(BuildError, match="untouched"):
        build(demo_catalog, site, tmp_path / "mkdocs.yml")
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_without_graphviz_diagrams_fall_back_to_mermaid(demo_catalog, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SCHEMADOCS_DOT", "/nonexistent/dot")
    with caplog.at_level(logging.WARNING, logger="schemadocs"):
        site = build_in(tmp_path, demo_catalog)
    warnings = [r for r in caplog.records if "Graphviz" in r.getMessage()]
    assert len(warnings) == 1 and "install Graphviz" in warnings[0].getMessage()
    page = html_of(site, Q("app", "orders"))
    mermaid = page.select_one("pre.mermaid code")
    assert mermaid is not None and mermaid.text.startswith("flowchart LR") and "click n1" in mermaid.text
    assert page.select_one(".sd-diagram svg") is None


def test_without_system_graphviz_graphviz_pure_draws_the_diagrams(demo_catalog, tmp_path, monkeypatch):
    monkeypatch.delenv("SCHEMADOCS_DOT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))  # no `dot` anywhere on PATH
    assert Path(dot_program() or "").name == "graphviz-pure"
    site = build_in(tmp_path, demo_catalog)
    page = html_of(site, Q("app", "order_items"))
    svg = page.select_one(".sd-diagram svg")
    assert svg is not None and page.select_one("pre.mermaid") is None
    targets = {a.get("xlink:href") for a in svg.find_all("a")} - {None}
    assert {"orders.html", "products.html", "orders.html#col-order_no"} <= targets
    titles = {a.get("xlink:title") for a in svg.find_all("a")}
    assert {"app.orders", "app.products"} <= titles


def test_views_are_kinds_we_document(demo_catalog):
    assert {r.kind for r in demo_catalog.relations if r.reads} <= {RelationKind.VIEW, RelationKind.MATERIALIZED_VIEW}


def test_view_page_has_column_lineage_and_diagram(demo_site):
    page = html_of(demo_site, Q("analytics", "tenant_scorecard"))
    rows = page.select("table[data-sd=column-lineage] tbody tr")
    assert rows and rows[0].find("a")["href"] == "#col-tenant_id"
    assert rows[0].select("td")[1].find("a")["href"] == "../app/tenants.html#col-id"
    svg = page.select_one("h2#lineage-diagram ~ div.sd-diagram svg")
    targets = {a.get("xlink:href") for a in svg.find_all("a")} - {None}
    assert {"tenant_monthly_revenue.html", "tenant_scorecard_snapshot.html", "../app/tenants.html"} <= targets


def test_table_page_lists_column_dependents(demo_site):
    page = html_of(demo_site, Q("app", "order_items"))
    table = page.select_one("table[data-sd=dependents]")
    assert table is not None
    feeds = {a["href"] for a in table.select("a")}
    assert "../analytics/order_totals.html#col-units" in feeds


def test_lineage_overview_lays_out_layers(demo_site, demo_catalog):
    page = BeautifulSoup((demo_site / "lineage.html").read_text(), "html.parser")
    headings = [h.text.strip().rstrip("¶") for h in page.select("article h2")]
    assert headings[0] == "Base relations" and headings[-1] == "Views, level 4"
    assert page.select_one(".sd-diagram svg") is not None
    listed = {a.text for a in page.select("ul.sd-layer a")}
    assert listed == {str(r.qname) for r in demo_catalog.relations if r.kind.is_view} | {
        str(x.target) for r in demo_catalog.relations for x in r.reads}


def search_index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def search_terms(index: dict, doc: dict) -> set[str]:
    """The terms mkdocs-material's search makes of one document: tags are boundaries, then its separator."""
    separator = re.compile(index["config"]["separator"])
    text = re.sub(r"<[^>]*>", " ", f"{doc['title']} {doc['text']}")
    return {t.lower() for t in separator.split(html.unescape(text)) if t}


def test_search_index_holds_names_not_every_cell(demo_site):
    index = search_index(demo_site)
    pages = {d["location"].split("#")[0] for d in index["docs"]}
    size = (demo_site / "search" / "search_index.json").stat().st_size
    assert size / len(pages) < MAX_INDEX_BYTES_PER_PAGE, f"{size} bytes for {len(pages)} pages"
    text = " ".join(d["text"] for d in index["docs"])
    for left_out in ("CREATE INDEX", "PRIMARY KEY", "timestamp with time zone", "sequential scans", "ON DELETE CASCADE"):
        assert left_out not in text, f"{left_out!r} is indexed"
    sections = {d["location"].split("#")[1] for d in index["docs"] if "#" in d["location"]}
    assert "col-line_total" in sections and not sections & {"columns", "indexes", "constraints",
                                                            "relationships-diagram", "statistics"}


@pytest.mark.parametrize("column", ["tenant_id", "line_total", "order_no"])
def test_a_column_name_finds_every_table_that_has_it(demo_site, demo_catalog, column):
    index = search_index(demo_site)
    found = {d["location"] for d in index["docs"] if column in search_terms(index, d)}
    having = {relation_page(r.qname).replace(".md", ".html") + f"#col-{column}" for r in demo_catalog.relations
              if any(c.name == column for c in r.columns)}  # partitions too: each hit lands on the column's row
    assert having and having <= found


def test_a_relation_is_found_by_its_name_and_comment(demo_site, demo_catalog):
    index = search_index(demo_site)
    rel = demo_catalog.relation(Q("app", "tenants"))
    doc = next(d for d in index["docs"] if d["location"] == "schemas/app/tenants.html")
    assert {"tenants", "app", "customer", "platform"} <= search_terms(index, doc), rel.comment


@pytest.mark.parametrize("which", ["demo_site", "edge_site"])
def test_column_index_lists_every_column_with_a_working_link(which, request):
    site = request.getfixturevalue(which)
    catalog = request.getfixturevalue(which.replace("site", "catalog"))
    page = BeautifulSoup((site / "columns.html").read_text(encoding="utf-8"), "html.parser")
    rows = page.select("table[data-sd=column-index] tbody tr")
    expected = sorted((c.name, str(r.qname)) for r in catalog.relations if r.partition_of is None for c in r.columns)
    assert sorted((r.select("td")[0].text, r.select("td")[1].text) for r in rows) == expected
    for row in rows:
        name, href = row.select("td")[0].text, row.select_one("td a")["href"]
        assert href.endswith("#" + column_anchor(name)), href
    assert BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(
        "nav a[href='columns.html']"), "the column index is in the navigation"
    assert [b for b in check_links(site).broken if b.startswith("columns.html")] == []


def test_a_large_column_index_is_split_by_initial_letter(edge_catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(contexts, "MAX_COLUMN_INDEX_ROWS", 10)
    site = build_in(tmp_path, edge_catalog)
    index = BeautifulSoup((site / "columns.html").read_text(encoding="utf-8"), "html.parser")
    parts = [a["href"] for a in index.select("table[data-sd=column-index-parts] a")]
    assert len(parts) > 1 and all(p.startswith("columns/") for p in parts)
    assert index.select("table[data-sd=column-index] tbody tr") == []
    listed = []
    for href in parts:
        part = BeautifulSoup((site / href).read_text(encoding="utf-8"), "html.parser")
        rows = part.select("table[data-sd=column-index] tbody tr")
        assert rows, href
        listed += [(r.select("td")[0].text, r.select("td")[1].text) for r in rows]
    assert sorted(listed) == sorted((c.name, str(r.qname)) for r in edge_catalog.relations
                                    if r.partition_of is None for c in r.columns)
    assert [b for b in check_links(site).broken if b.startswith("columns")] == []
    markdown = (tmp_path / "site_src" / "columns" / parts[0].split("/")[-1].replace(".html", ".md")).read_text()
    assert "<!-- schemadocs-html " in markdown and "<tr" not in markdown, "rows join after MkDocs, as a fragment"


def test_the_repository_commits_no_generated_page(demo_catalog, tmp_path):
    """site_src/ in git holds only hand-written pages: a generated one committed there would
    make `schemadocs demo` on a fresh clone refuse to overwrite it."""
    import subprocess

    root = ROOT
    tracked = subprocess.run(["git", "ls-files", "site_src"], cwd=root, capture_output=True, text=True, check=True)
    files = {line.removeprefix("site_src/") for line in tracked.stdout.splitlines()}
    assert "about.md" in files
    from schemadocs.build import HISTORY_FILE, SNAPSHOT_FILE

    generated = set(render_site(demo_catalog, tmp_path / "cache").pages) | {SNAPSHOT_FILE, HISTORY_FILE}
    assert files & generated == set()
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *(f"site_src/{p}" for p in sorted(generated))],
                             cwd=root, capture_output=True, text=True)
    assert set(ignored.stdout.split()) == {f"site_src/{p}" for p in generated}, "every generated path is git-ignored"


def test_home_page_shows_coverage_and_top_tables(demo_site, demo_catalog):
    home = BeautifulSoup((demo_site / "index.html").read_text(), "html.parser")
    documented = [r for r in demo_catalog.relations if r.partition_of is None]
    row = home.select_one("table[data-sd=coverage] tr")
    assert row.td.text == f"{sum(1 for r in documented if r.comment)} of {len(documented)}"
    top = [a.text for a in home.select("table[data-sd=most-connected] a")]
    assert top[0] == "app.tenants", "every tenant-scoped table points at app.tenants"
    sizes = [a.text for a in home.select("table[data-sd=largest] a")]
    assert len(sizes) == 10 and all(demo_catalog.relation(QualifiedName(*s.split("."))) for s in sizes)
