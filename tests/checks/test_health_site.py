"""The Health pages as readers meet them: counts on the home page, every rule run listed, a
page per rule with findings linked to their objects, and a Health section on the pages of
the tables that have findings (and on no other page)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.introspect.introspect import introspect
from tests.conftest import build_in
from tests.sitecheck import check_links

SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.keyed (id int PRIMARY KEY);
CREATE TABLE shop."<img src=x onerror=alert(1)>" (note text);
CREATE TABLE shop.loose (note text);
CREATE VIEW shop.v AS SELECT note FROM shop.loose;
"""


@pytest.fixture(scope="module")
def health_site(new_database, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    catalog = introspect(new_database(SQL, prefix="health"))
    return build_in(tmp_path_factory.mktemp("health"), catalog), catalog


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_health_pages_list_the_findings_and_link_their_objects(health_site) -> None:
    site, catalog = health_site
    report = lint(catalog, Settings())
    expected = {(f.rule, f.object) for f in report.findings}
    assert ("no-primary-key", "shop.loose") in expected and ("no-primary-key", "shop.keyed") not in expected
    overview = page(site, "health.html")
    listed = {a.text for a in overview.select('table[data-sd="health-rules"] a')}
    assert listed == {f.rule for f in report.findings}
    rule = page(site, "health/no-primary-key.html")
    rows = rule.select('table[data-sd="findings"] tbody tr')
    assert {r.select("td")[2].get_text() for r in rows} == {o for r, o in expected if r == "no-primary-key"}
    hostile = next(r for r in rows if "onerror" in r.get_text())
    assert hostile.select_one("td:nth-of-type(3) a")["href"].startswith("../schemas/shop/")
    assert rule.find("img") is None  # the hostile name is text
    assert check_links(site).broken == []


def test_only_pages_with_findings_get_a_health_section_and_home_counts_them(health_site) -> None:
    site, catalog = health_site
    report = lint(catalog, Settings())
    subjects = {f.subject.name for f in report.findings if f.subject}
    for name, slug in (("loose", "loose"), ("keyed", "keyed"), ("v", "v")):
        section = page(site, f"schemas/shop/{slug}.html").find(id="health")
        assert (section is not None) == (name in subjects), name
    counts = {th.get_text(): td.get_text() for th, td in
              (tr.select("th, td") for tr in page(site, "index.html").select('table[data-sd="health"] tr'))}
    assert counts == {level: str(sum(f.level.value == level for f in report.findings))
                      for level in ("error", "warning", "info")}


def test_a_rule_page_past_its_cap_links_every_finding_as_json(new_database, tmp_path_factory, monkeypatch) -> None:
    """A rule page lists at most MAX_ROWS findings (5,000): the rest are one link away, in
    api/health/<rule>.json, which holds every finding of the rule (here the cap is 1 of 2)."""
    from schemadocs.render import health_context
    monkeypatch.setattr(health_context, "MAX_ROWS", 1)
    catalog = introspect(new_database(SQL, prefix="healthcap"))
    site = build_in(tmp_path_factory.mktemp("healthcap"), catalog)
    expected = sorted(f.object for f in lint(catalog, Settings()).findings if f.rule == "no-primary-key")
    assert len(expected) == 2
    rule = page(site, "health/no-primary-key.html")
    assert len(rule.select('table[data-sd="findings"] tbody tr')) == 1
    more = rule.select_one("p.sd-findings-data")
    assert more.get_text().startswith("And 1 more, not listed here")
    data = json.loads((site / "health" / more.a["href"]).resolve().read_text(encoding="utf-8"))
    assert data["rule"] == "no-primary-key" and sorted(f["object"] for f in data["findings"]) == expected
    assert (site / data["html"]).is_file()
    assert check_links(site).broken == []
