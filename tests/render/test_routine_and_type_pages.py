"""Function, procedure and type pages: one per routine name (overloads share it) and one per
enum, domain and composite type, each linked from its schema, its users and its callers."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from schemadocs.model import Catalog, QualifiedName
from schemadocs.render.slugs import relation_page, routine_anchor, routine_page, schema_page, type_page

Q = QualifiedName


def page(site: Path, md_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / md_path.replace(".md", ".html")).read_text(), "html.parser")


def linked(soup: BeautifulSoup, from_page: str, to_page: str) -> bool:
    """Whether `soup` (the page `from_page`) links to the page `to_page` (any anchor)."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page)).replace(".md", ".html")
    return any(a["href"].split("#")[0] == target for a in soup.select("article a[href]"))


def test_every_routine_has_a_section_on_its_page(demo_site: Path, demo_catalog: Catalog) -> None:
    assert demo_catalog.routines
    for f in demo_catalog.routines:
        path = routine_page(f.schema, f.name)
        soup = page(demo_site, path)
        section = soup.find(id=routine_anchor(f.name, f.arguments))
        assert section is not None and f"{f.name}({f.arguments})" in section.text
        assert linked(page(demo_site, schema_page(f.schema)), schema_page(f.schema), path)
        if f.comment:
            assert f.comment[:30] in soup.get_text()


def test_trigger_functions_link_both_ways(demo_site: Path, demo_catalog: Catalog) -> None:
    triggered = [(rel, t) for rel in demo_catalog.relations for t in rel.triggers]
    assert triggered
    for rel, trigger in triggered:
        path = routine_page(trigger.function.schema, trigger.function.name)
        table = page(demo_site, relation_page(rel.qname))
        assert linked(table, relation_page(rel.qname), path), f"{rel.qname} links its trigger function"
        callers = page(demo_site, path).select_one("table[data-sd=routine-lineage]").get_text(" ")
        assert f"{trigger.name}" in callers


def test_routine_page_shows_what_the_body_writes(demo_site: Path) -> None:
    path = routine_page("app", "audit_row_change")
    soup = page(demo_site, path)
    lineage = soup.select_one("table[data-sd=routine-lineage]")
    writes = next(tr for tr in lineage.select("tr") if tr.th.text == "Writes")
    assert linked(writes, path, relation_page(Q("app", "audit_log")))
    assert "INSERT INTO app.audit_log" in " ".join(soup.select_one("pre code").get_text().split())


def used_by(soup: Any) -> set[str]:
    """The columns a type page lists as its users (grouped by schema and relation): schema.relation.column."""
    found = set()
    for tr in soup.select("table[data-sd=used-by] tbody tr"):
        schema, relation, columns = tr.select("td")
        found |= {f"{schema.text}.{relation.text}.{a.text}" for a in columns.select("a")}
    return found


def test_enum_page_lists_labels_in_order_and_its_columns(demo_site: Path, demo_catalog: Catalog) -> None:
    (status,) = demo_catalog.enums
    path = type_page(status.qname)
    soup = page(demo_site, path)
    assert [tr.td.text for tr in soup.select("table[data-sd=type-items] tr")] == list(status.labels)
    users = used_by(soup)
    assert "billing.invoices.status" in users
    expected = {f"{r.qname}.{c.name}" for r in demo_catalog.relations if r.partition_of is None
                for c in r.columns if c.type == f"{status.schema}.{status.name}"}
    assert users == expected
    invoices = page(demo_site, relation_page(Q("billing", "invoices")))
    cell = invoices.find(id="col-status").select("td")[1]
    assert cell.a and cell.a["href"] == "types/invoice_status.html"


def test_domain_and_composite_pages_show_their_definition_and_users(edge_site: Path, edge_catalog: Catalog) -> None:
    domain = page(edge_site, type_page(Q("coverage", "positive_int")))
    assert "integer NOT NULL DEFAULT 1" in domain.select_one(".sd-type-definition").text
    assert [tr.td.text for tr in domain.select("table[data-sd=type-items] tr")] == ["positive"]
    assert used_by(domain) == {"coverage.accounts.qty"}
    composite = page(edge_site, type_page(Q("coverage", "money_amount")))
    assert [tr.td.text for tr in composite.select("table[data-sd=type-items] tr")] == ["amount", "currency"]
    assert used_by(composite) == {"coverage.accounts.balance"}
    listed = {a.text for a in page(edge_site, schema_page("coverage")).select("table[data-sd=types] a")}
    assert listed == {"positive_int", "money_amount"}


def test_hostile_routine_and_type_names(edge_site: Path, edge_catalog: Catalog) -> None:
    name = "fn/../<b>x</b>"
    overloads = [f for f in edge_catalog.routines if f.name == name]
    assert len(overloads) == 2
    path = routine_page("weird", name)
    assert "/.." not in path and "<" not in path
    soup = page(edge_site, path)
    for f in overloads:
        assert soup.find(id=routine_anchor(f.name, f.arguments)), f.arguments
    article = soup.select_one("article")
    assert not article.select("img, script, b"), "names and comments never become HTML"
    assert "{% raw %}" in article.text and "<img src=x onerror=alert(1)>" in article.text
    returns = next(tr for tr in article.select("table[data-sd=routine] tr") if tr.th.text == "Returns")
    assert linked(returns, path, type_page(Q("weird", "Mood")))
    upper, lower = type_page(Q("weird", "Mood")), type_page(Q("weird", "mood"))
    assert upper.lower() != lower.lower(), "names differing only in case get distinct pages"
    mood = page(edge_site, lower)
    assert any(a.text.startswith(f"weird.{name}(") for a in mood.select("ul.sd-used-by a")), "a function taking it"
    shouty = page(edge_site, upper)
    assert not shouty.select("article script, article b") and "{{ 7*7 }}" in shouty.text
