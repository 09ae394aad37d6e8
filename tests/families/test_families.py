"""Schema families on a real database: 300 identical tenant schemas, two near-members (one extra
column, one missing index), a family with hostile names, and a database without families.

One database and one site are made for the whole file (the schemas are created in one SQL batch);
detection, the site, lint and diff are all checked on them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from schemadocs import snapshot
from schemadocs.checks.engine import lint
from schemadocs.diff.describe import describe
from schemadocs.diff.diff import diff
from schemadocs.diff.text import render_text
from schemadocs.errors import ConfigError
from schemadocs.families.collapse import collapse
from schemadocs.families.detect import detect
from schemadocs.families.diff import family_diff
from schemadocs.families.lint import lint_families
from schemadocs.families.settings import FamilySettings, from_project
from schemadocs.families.structure import structures
from schemadocs.model import Catalog, qualified
from schemadocs.render.frame_nav import DATA_FILE, read_nav_script
from schemadocs.project.file import load
from tests.conftest import build_in
from tests.families.fixture import EXTRA, HOSTILE, NOINDEX, TENANTS
from tests.inprocess import run_cli
from tests.sitecheck import check_links

NEAR = {EXTRA: ["extra column customers.nickname text"],
        NOINDEX: ["missing index orders_customer_idx on orders(customer_id)"]}


@pytest.fixture(scope="module")
def tenants_site(tenants: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("families"), tenants)


def test_identical_schemas_form_a_family_and_near_members_show_their_exact_differences(tenants: Catalog) -> None:
    found = detect(tenants)
    names = [f.name for f in found.families]
    assert names == ["tenant_*", 'we\'ird "x" <b>*']
    family = found.families[0]
    assert family.size == TENANTS and family.representative == "tenant_0001"
    assert family.members == tuple(f"tenant_{i:04d}" for i in range(1, TENANTS + 1))
    assert {n.schema: [str(d) for d in n.differences] for n in family.near} == NEAR
    hostile = found.families[1]
    assert hostile.members == HOSTILE and hostile.near == ()
    assert "public" not in found.of_schema  # a schema like no other stays on its own


def test_the_structure_has_the_schema_name_normalised_out_and_ignores_comments(tenants: Catalog) -> None:
    shapes = structures(tenants, ["tenant_0001", "tenant_0002", EXTRA])
    first, second = shapes["tenant_0001"], shapes["tenant_0002"]
    assert first.fingerprint == second.fingerprint  # their comments name their own schema: ignored
    text = b"".join(body for _, body in first.objects)
    assert b"tenant_0001" not in text  # in FK targets, index and view definitions, nextval() defaults
    assert b'"public","plans"' in text  # the shared plans table stays public.plans (a foreign key's target)
    assert shapes[EXTRA].fingerprint != first.fingerprint


def test_settings_change_what_forms_a_family(tenants: Catalog) -> None:
    assert not detect(tenants, FamilySettings(enable=False))
    assert not detect(tenants, FamilySettings(min_members=TENANTS + 1))
    only = detect(tenants, FamilySettings(include=("tenant_*",), max_differences=0))
    assert [f.name for f in only.families] == ["tenant_*"] and only.families[0].near == ()


def test_the_site_documents_each_family_once(tenants_site: Path) -> None:
    schemas = sorted(p.name for p in (tenants_site / "schemas").iterdir())
    assert "tenant_0001" in schemas and "tenant_0002" not in schemas and EXTRA not in schemas
    assert len(schemas) == 3  # public, tenant_0001 and the hostile family's representative
    pages = sorted((tenants_site / "families").glob("*.html"))
    assert len(pages) == 2
    page = next(p for p in pages if p.name.startswith("tenant"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    members = soup.select('table[data-sd="family-members"] tbody tr')
    assert len(members) == TENANTS and members[41].td.get_text() == "tenant_0042"
    assert soup.select_one('table[data-sd="family-members"]').has_attr("data-sd-filterable")
    # The member list is lifted out of the Markdown (render.fragments): MkDocs and its search never parse its rows.
    markdown = (tenants_site.parent / "site_src" / "families" / page.with_suffix(".md").name).read_text(encoding="utf-8")
    assert "tenant_0042" not in markdown and "<!-- schemadocs-html " in markdown
    near = {tr.find_all("td")[0].get_text(): [li.get_text() for li in tr.find_all("li")]
            for tr in soup.select('table[data-sd="family-near"] tbody tr')}
    assert near == NEAR
    relations = [a.get_text() for a in soup.select('table[data-sd="family-relations"] a')]
    assert relations == ["tenant_0001.customer_totals", "tenant_0001.customers", "tenant_0001.orders"]
    home = BeautifulSoup((tenants_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in home.select('table[data-sd="families"] tbody tr')]
    assert rows == [["tenant_*", str(TENANTS), "2", "tenant_0001"], ['we\'ird "x" <b>*', "3", "0", HOSTILE[0]]]
    # The navigation's lists come from the shared file (render.frame_nav), as the page's script reads them.
    shared = read_nav_script((tenants_site / DATA_FILE).read_text(encoding="utf-8"))
    nav = [a["href"] for a in home.select("nav a[href]")] + [path for entries in shared.values() for path, _ in entries]
    assert sorted({href for href in nav if href.startswith("families/")}) == sorted(f"families/{p.name}" for p in pages)
    assert "Families" in [label.get_text(strip=True) for label in home.select("nav label")]
    note = BeautifulSoup((tenants_site / "schemas" / "tenant_0001" / "index.html").read_text(encoding="utf-8"),
                         "html.parser").select_one('[data-sd="family-note"]')
    assert note is not None and f"{TENANTS} schemas of family tenant_*" in note.get_text()
    clean = (page.with_suffix(".md")).read_text(encoding="utf-8")
    assert "`missing index orders_customer_idx on orders(customer_id)`" in clean
    report = check_links(tenants_site)
    assert report.broken == [] and report.pages > 10


def test_hostile_family_names_are_escaped(tenants_site: Path) -> None:
    page = next(p for p in (tenants_site / "families").glob("*.html") if not p.name.startswith("tenant"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("img") is None  # the table named <img src=x onerror=...> stays text
    assert not [b for b in soup.select("article b, .md-content b")]  # and so does <b> in the schemas' names
    assert soup.h1 is not None and soup.h1.get_text().startswith('Family we\'ird "x" <b>*')
    links = [a.get_text() for a in soup.select('table[data-sd="family-relations"] a')]
    assert links == [qualified(HOSTILE[0], "<img src=x onerror=alert(1)>"), qualified(HOSTILE[0], "child | {x}")]
    members = [tr.td.get_text() for tr in soup.select('table[data-sd="family-members"] tbody tr')]
    assert members == list(HOSTILE)


def test_lint_reports_each_finding_once_per_family_and_near_members_on_their_own(tenants: Catalog) -> None:
    report = lint_families(tenants, detect(tenants))
    objects = [f.object for f in report.findings]
    assert not [o for o in objects if o.startswith("tenant_0002.")]  # no copy per member
    unindexed = [f for f in report.findings if f.rule == "fk-without-index"]
    on_family = [f for f in unindexed if f.object == "tenant_0001.customers.plan_id"]
    assert len(on_family) == 1 and "[family tenant_*: the same in all 300 schemas]" in on_family[0].message
    # the near-member's missing index leaves its foreign key unindexed: reported on it, alone
    assert [f.object for f in unindexed if f.object.startswith(NOINDEX)] == [f"{NOINDEX}.orders.customer_id"]
    assert "tenant_0001.orders.customer_id" not in [f.object for f in unindexed]
    whole = lint(tenants)  # without families: one copy per schema
    assert sum(f.rule == "fk-without-index" for f in whole.findings) > TENANTS
    assert len(report.findings) < len(whole.findings) / 50


def test_lint_command_and_a_bad_families_section(tenants: Catalog, tmp_path: Path) -> None:
    snap = tmp_path / "tenants.json"
    snapshot.save(tenants, snap)
    code, _ = run_cli("lint", "--snapshot", str(snap), "--rule", "fk-without-index", "--format", "json",
                      "--fail-on", "never")
    assert code == 0
    bad = tmp_path / "schemadocs.yml"
    bad.write_text("families:\n  min_members: 1\n", encoding="utf-8")
    code, err = run_cli("lint", "--snapshot", str(snap), "--config", str(bad))
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2 and len(lines) == 1 and "line 2" in lines[0] and "min_members" in lines[0]
    bad.write_text("families:\n  enabled: true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'enabled' in families"):
        load(bad)
    bad.write_text("families:\n  min_members: 5\n  include: ['tenant_*']\n  max_differences: 0\n", encoding="utf-8")
    assert from_project(load(bad)) == FamilySettings(min_members=5, include=("tenant_*",), max_differences=0)


def test_diff_says_a_new_tenant_joined_its_family(tenants: Catalog) -> None:
    new_ones = ("tenant_0300", EXTRA)
    old = dataclasses.replace(
        tenants, schemas=tuple(s for s in tenants.schemas if s.name not in new_ones),
        relations=tuple(r for r in tenants.relations if r.schema not in new_ones),
        sequences=tuple(s for s in tenants.sequences if s.schema not in new_ones))
    result = family_diff(diff(old, tenants), old, tenants)
    assert [describe(c) for c in result.changes] == ["schema tenant_0300 joined family tenant_*",
                                                     f"schema {EXTRA} joined family tenant_*"]
    assert "a near-member: extra column customers.nickname text" in result.changes[1].reason
    back = family_diff(diff(tenants, old), tenants, old)
    assert [describe(c) for c in back.changes] == ["schema tenant_0300 left family tenant_*",
                                                   f"schema {EXTRA} left family tenant_*"]
    assert "2 changes (2 breaking, 0 safe)" in render_text(back)


def test_a_database_without_families_is_unchanged(demo_catalog: Catalog, edge_catalog: Catalog) -> None:
    for catalog in (demo_catalog, edge_catalog):
        found = detect(catalog)
        assert not found
        assert collapse(catalog, found) is catalog  # the site is rendered from the very same catalog
        assert lint_families(catalog, found) == lint(catalog)
        assert family_diff(diff(catalog, catalog), catalog, catalog) == diff(catalog, catalog)


def test_lineage_traces_a_tenant_view_once_in_its_family_structure(tenants: Catalog, tmp_path: Path) -> None:
    from schemadocs.families.lineage import lineage_catalog
    from schemadocs.lineage.lineage_graph import lineage_graph
    from schemadocs.lineage.trace import parse_name, trace

    found = detect(tenants)
    shared, notes = lineage_catalog(tenants, found, "customers")  # a bare name: one relation in the structure
    tree = trace(lineage_graph(shared), parse_name(shared, "customers"), upstream=False)
    assert tree.to_text() == "tenant_0001.customers\n└─ tenant_0001.customer_totals\n"
    assert notes[0].startswith("tenant_0001 stands for the 300 schemas of family tenant_*")
    member, notes = lineage_catalog(tenants, found, "tenant_0042.customer_totals")  # a member: traced in itself
    assert member is tenants and "traced in tenant_0042 itself" in notes[0]
    tree = trace(lineage_graph(member), parse_name(member, "tenant_0042.customer_totals"), upstream=True)
    assert tree.to_text().splitlines()[1:] == ["├─ tenant_0042.customers", "└─ tenant_0042.orders"]


def test_the_schema_name_is_replaced_only_as_a_whole_prefix() -> None:
    from schemadocs.families.structure import _Rewriter

    rewrite = _Rewriter("s", "t")
    assert rewrite(b'{"schema":"s","x":"nextval(\'s.seq\'::regclass) FROM xs.a, s.b, \\"s\\".c"}') == \
        b'{"schema":"t","x":"nextval(\'t.seq\'::regclass) FROM xs.a, t.b, \\"s\\".c"}'
    quoted = _Rewriter('We"ird', "t")  # quoted as quote_ident quotes it, escaped as JSON escapes it
    assert quoted(b'{"ref_schema":"We\\"ird","d":"ON \\"We\\"\\"ird\\".t"}') == b'{"ref_schema":"t","d":"ON t.t"}'


def test_the_site_keeps_each_family_once_in_its_snapshot(tenants: Catalog, tenants_site: Path) -> None:
    from schemadocs.build import build_changes

    kept = tenants_site / "catalog.json"
    assert kept.read_bytes().startswith(b'{\n"format_version": 2,')  # compact: the members as what differs
    assert kept.stat().st_size * 5 < len(snapshot.dump_bytes(tenants))
    assert snapshot.load(kept) == tenants
    gone = ("tenant_0300", EXTRA)
    now = dataclasses.replace(
        tenants, schemas=tuple(s for s in tenants.schemas if s.name not in gone),
        relations=tuple(r for r in tenants.relations if r.schema not in gone),
        sequences=tuple(s for s in tenants.sequences if s.schema not in gone))
    changes = build_changes(now, tenants_site)  # --previous SITE: what the Changes page shows
    assert changes is not None and changes.this_build is not None
    assert [describe(c) for c in changes.this_build.changes] == ["schema tenant_0300 left family tenant_*",
                                                                 f"schema {EXTRA} left family tenant_*"]


def test_a_build_detects_the_families_once(tenants: Catalog, tenants_site: Path, tmp_path: Path) -> None:
    """A build with --previous detects this catalog's families once (the Changes page, the health
    checks, the pages and the snapshot share the result) and the previous catalog's once: counted
    by the profiler over a real render of the fixture's pages against the real previous site."""
    import cProfile
    import pstats

    from schemadocs.build import render_database
    from schemadocs.families import detect as detect_module

    gone = ("tenant_0300",)
    now = dataclasses.replace(
        tenants, schemas=tuple(s for s in tenants.schemas if s.name not in gone),
        relations=tuple(r for r in tenants.relations if r.schema not in gone),
        sequences=tuple(s for s in tenants.sequences if s.schema not in gone))
    profiler = cProfile.Profile()
    profiler.enable()
    part = render_database(now, tmp_path / "docs", previous=tenants_site)
    profiler.disable()
    calls = {(Path(file).name, name): stat[1] for (file, _, name), stat in pstats.Stats(profiler).stats.items()}
    assert calls[(Path(detect_module.__file__).name, "detect")] == 2  # the previous catalog's, and this one's
    assert part.changes is not None and part.changes.this_build is not None
    assert [describe(c) for c in part.changes.this_build.changes] == ["schema tenant_0300 left family tenant_*"]
    assert any(p.startswith("families/") for p in part.site.pages)
    assert part.files["catalog.json"].startswith('{\n"format_version": 2,')  # the family held once
