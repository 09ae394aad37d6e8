"""The project file on the built site: descriptions with their source, owners and labels on
pages (and in the search index), a page per label, per owner and per viewpoint (HTML parsed,
links followed), hostile labels, owners and descriptions shown as text; the site's snapshot
stays the database's."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from schemadocs.render.slugs import slug
from tests.build.test_incremental import _project as mkdocs_in
from tests.sitecheck import check_links
from tests.inprocess import assert_success_or_clean_error, run_cli

SQL = """
CREATE SCHEMA app;
CREATE TABLE app.customers (id int PRIMARY KEY, email text);
COMMENT ON TABLE app.customers IS 'People who buy (db)';
CREATE TABLE app.orders (id int PRIMARY KEY, customer_id int REFERENCES app.customers, note text);
CREATE TABLE app.audit (id int);
CREATE FUNCTION app.total(o int) RETURNS int LANGUAGE sql AS 'SELECT o';
CREATE TYPE app.status AS ENUM ('new', 'paid');
"""

HOSTILE_LABEL = '<img src=x onerror="alert(1)">'
HOSTILE_OWNER = 'Team "A" & <b>B</b>'

PROJECT = f"""\
labels:
  pii: {{description: "Personal data: **handle with care**"}}
schemas:
  app:
    owner: Core team
    description: The application schema
    tables:
      customers:
        description: Customers (file)
        owner: '{HOSTILE_OWNER}'
        labels: [pii, '{HOSTILE_LABEL}']
        columns:
          email: {{description: "Where to write <script>alert(2)</script>", labels: [pii]}}
      orders:
        description: "Orders, from the **file**"
        labels: [gold]
    functions:
      total: {{description: Totals, labels: [gold]}}
    types:
      status: {{description: The status, labels: [deprecated]}}
viewpoints:
  Checkout:
    description: What a purchase touches
    tables: [app.orders]
    labels: [pii]
"""


@pytest.fixture(scope="module")
def site(new_database, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    dsn = new_database(SQL, prefix="proj")
    root = tmp_path_factory.mktemp("projsite")
    (root / "schemadocs.yml").write_text(PROJECT, encoding="utf-8")
    code, err = run_cli("build", "--dsn", dsn, "--config", str(root / "schemadocs.yml"),
                        "--mkdocs-config", str(mkdocs_in(root)), "--out", str(root / "site"))
    assert code == 0, err
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def follow(site: Path, from_page: str, href: str) -> str:
    """The site path a page-relative link points at (which must exist)."""
    target = (site / from_page).parent / urlsplit(href).path
    assert target.is_file(), href
    return str(target.resolve().relative_to(site.resolve()))


def test_descriptions_show_their_source(site: Path) -> None:
    orders = page(site, "schemas/app/orders.html")
    assert orders.select_one(".sd-comment strong").get_text() == "file"  # Markdown rendered
    assert "Description from schemadocs.yml line 15." in orders.select_one(".sd-provenance").get_text()
    customers = page(site, "schemas/app/customers.html")
    assert "People who buy (db)" in customers.get_text() and "Customers (file)" not in customers.get_text()
    provenance = customers.select_one(".sd-provenance").get_text(" ", strip=True)
    assert "Description from the database" in provenance and "database comment wins" in provenance
    assert "email (schemadocs.yml line 13)" in provenance
    heads = [th.get_text() for th in customers.select('table[data-sd="columns"] thead th')]
    email_cell = customers.select_one("tr#col-email").find_all("td")[heads.index("Comment")]
    assert email_cell.get_text() == "Where to write <script>alert(2)</script>" and not email_cell.find("script")
    assert "Totals" in page(site, "schemas/app/functions/total.html").get_text()
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert "(file)" not in json.dumps(catalog) and "Totals" not in json.dumps(catalog)  # the snapshot is the database's


def test_label_and_owner_pages_list_their_objects_and_links_lead_there_and_back(site: Path) -> None:
    customers = page(site, "schemas/app/customers.html")
    labels = {a.get_text(): a["href"] for a in customers.select("a.sd-label")}
    assert set(labels) == {"pii", HOSTILE_LABEL}
    pii_path = follow(site, "schemas/app/customers.html", labels["pii"])
    pii = page(site, pii_path)
    assert pii.select_one(".sd-comment strong").get_text() == "handle with care"
    rows = {a.get_text(): a["href"] for a in pii.select("table[data-sd=project-objects] td:first-child a")}
    assert set(rows) == {"app.customers", "app.customers.email"}
    assert follow(site, pii_path, rows["app.customers"]) == "schemas/app/customers.html"
    assert urlsplit(rows["app.customers.email"]).fragment == "col-email"
    hostile = page(site, follow(site, "schemas/app/customers.html", labels[HOSTILE_LABEL]))
    assert hostile.find("h1").get_text().rstrip("¶") == f"Label: {HOSTILE_LABEL}" and not hostile.select("article img")
    owner_link = customers.select_one("a.sd-owner")
    assert owner_link.get_text() == HOSTILE_OWNER and not owner_link.find("b")
    follow(site, "schemas/app/customers.html", owner_link["href"])
    orders = page(site, "schemas/app/orders.html")
    assert "(from schema app)" in orders.select_one(".sd-project").get_text()
    core_path = follow(site, "schemas/app/orders.html", orders.select_one("a.sd-owner")["href"])
    core = page(site, core_path)
    listed = [tr.find("td").get_text(" ", strip=True) for tr in core.select("table[data-sd=project-objects] tbody tr")]
    assert listed == ["app.audit (from schema app)", "app.orders (from schema app)", "app"]
    gold = page(site, follow(site, "schemas/app/orders.html", orders.select_one("a.sd-label")["href"]))
    assert [a.get_text() for a in gold.select("tbody td:first-child a")] == ["app.orders", "app.total(o integer)"]
    status = page(site, "schemas/app/types/status.html")
    assert [a.get_text() for a in status.select("a.sd-label")] == ["deprecated"]


def test_the_viewpoint_has_its_page_description_and_diagram(site: Path) -> None:
    checkout = page(site, f"viewpoints/{slug('Checkout')}.html")
    assert checkout.find("h1").get_text().rstrip("¶") == "Checkout"
    assert "What a purchase touches" in checkout.get_text()
    assert [a.get_text() for a in checkout.select("table[data-sd=relations] a")] == ["app.customers", "app.orders"]
    assert checkout.select_one(".sd-diagram svg, .sd-diagram .mermaid, .sd-diagram img") is not None
    nav = page(site, "index.html").get_text(" ")
    assert "Viewpoints" in nav and "Labels" in nav and "Owners" in nav


def test_every_link_of_the_site_resolves(site: Path) -> None:
    report = check_links(site)
    assert report.broken == [] and report.pages > 10


def test_labels_and_owners_are_in_the_search_index(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    customers = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("schemas/app/customers.html"))
    assert "pii" in customers and "Team" in customers
    assert "Description from" not in customers  # provenance stays out of search


def test_the_old_and_new_option_names_cannot_both_name_the_project_file(tmp_path: Path) -> None:
    code, err = run_cli("build", "--snapshot", "x.json", "--config", "a.yml", "--project", "b.yml",
                        "--out", str(tmp_path / "s"))
    assert_success_or_clean_error(code, err)
    assert code == 2 and "pass the project file once, with --config" in err
