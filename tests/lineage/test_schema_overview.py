"""The schema ER overview: one diagram with columns, one of names, or subject areas, by size."""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path

import networkx as nx
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from schemadocs.lineage.edges import Edge
from schemadocs.lineage.areas import schema_areas
from schemadocs.lineage.er_graph import er_graph
from schemadocs.model import Catalog, QualifiedName
from schemadocs.render import schema_context
from schemadocs.render.slugs import relation_page, schema_page
from tests.conftest import DEFAULT_MKDOCS, ROOT, build_in
from tests.sitecheck import check_links

Q = QualifiedName


def soup(site: Path, md_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / md_path.replace(".md", ".html")).read_text(encoding="utf-8"), "html.parser")


def diagram_targets(page: BeautifulSoup, md_path: str) -> set[str]:
    """The pages the diagram's nodes link to, as docs-dir paths."""
    folder = posixpath.dirname(md_path)
    return {posixpath.normpath(posixpath.join(folder, a["xlink:href"].split("#")[0])).replace(".html", ".md")
            for a in page.select(".sd-diagram svg a[xlink\\:href]")}


def test_a_small_schema_is_drawn_whole_with_columns(demo_site: Path, demo_catalog: Catalog) -> None:
    er = er_graph(demo_catalog)
    tables = {q for q in er if q.schema == "app"}
    assert 0 < len(tables) <= schema_context.DETAILED_MAX
    page = soup(demo_site, schema_page("app"))
    assert diagram_targets(page, schema_page("app")) >= {relation_page(q) for q in tables}
    assert page.select(".sd-diagram svg a[xlink\\:href*='#col-']"), "each table lists its columns"


def test_a_larger_schema_is_drawn_as_names(demo_catalog: Catalog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(schema_context, "DETAILED_MAX", 2)
    site = build_in(tmp_path, demo_catalog)
    page = soup(site, schema_page("app"))
    assert page.select(".sd-diagram svg") and not page.select(".sd-diagram svg a[xlink\\:href*='#col-']")
    tables = {q for q in er_graph(demo_catalog) if q.schema == "app"}
    assert diagram_targets(page, schema_page("app")) >= {relation_page(q) for q in tables}


def test_a_large_schema_is_split_into_subject_areas(demo_catalog: Catalog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(schema_context, "DETAILED_MAX", 2)
    monkeypatch.setattr(schema_context, "COMPACT_MAX", 4)
    monkeypatch.setattr(schema_context, "AREA_MAX", 3)
    site = build_in(tmp_path, demo_catalog)
    path = schema_page("app")
    page = soup(site, path)
    areas = [posixpath.normpath(posixpath.join("schemas/app", a["href"])).replace(".html", ".md")
             for a in page.select("table[data-sd=areas] a")]
    assert len(areas) >= 2
    assert diagram_targets(page, path) == set(areas), "the map's nodes are the areas"
    seen: list[str] = [a.text for a in page.select(".sd-unconnected a")]
    for area in areas:
        area_page = soup(site, area)
        listed = [a.text for a in area_page.select("table[data-sd=relations] a")]
        assert 0 < len(listed) <= 3
        drawn = diagram_targets(area_page, area)
        assert {relation_page(Q("app", name)) for name in listed} <= drawn
        seen += listed
    tables = sorted(q.name for q in er_graph(demo_catalog) if q.schema == "app")
    assert sorted(seen) == tables, "every table is in exactly one area or listed as unconnected"
    assert check_links(site).broken == []


qnames = st.integers(0, 29).map(lambda i: Q("s" if i < 25 else "t", f"t{i:02}"))


@settings(max_examples=60, deadline=None)
@given(edges=st.lists(st.tuples(qnames, qnames), max_size=80), limit=st.integers(2, 12))
def test_areas_partition_the_connected_tables(edges: list[tuple[QualifiedName, QualifiedName]], limit: int) -> None:
    er = nx.MultiDiGraph()
    er.add_nodes_from(Q("s", f"t{i:02}") for i in range(25))
    er.add_nodes_from(Q("t", f"t{i:02}") for i in range(25, 30))
    for n, (a, b) in enumerate(edges):
        er.add_edge(a, b, key=str(n), kind=Edge.FOREIGN_KEY)
    found = schema_areas(er, "s", limit)
    assert found == schema_areas(er, "s", limit), "deterministic"
    members = [q for area in found.areas for q in area.tables]
    assert len(members) == len(set(members)) and all(0 < len(a.tables) <= limit for a in found.areas)
    linked = {q for a, b in er.edges() if a != b and a.schema == b.schema == "s" for q in (a, b)}
    assert set(members) == linked and set(found.unconnected) == {q for q in er if q.schema == "s"} - linked
    area_of = {q: i for i, area in enumerate(found.areas) for q in area.tables}
    crossing = sum(1 for a, b in er.edges() if a.schema == b.schema == "s" and a != b and area_of[a] != area_of[b])
    assert sum(n for *_, n in found.links) == crossing


def test_areas_are_the_same_in_every_process(tmp_path: Path) -> None:
    """String hashes change per process (PYTHONHASHSEED): the areas must not."""
    import subprocess
    import sys
    script = (
        "import networkx as nx, random\n"
        "from schemadocs.lineage.areas import schema_areas\n"
        "from schemadocs.lineage.edges import Edge\n"
        "from schemadocs.model import QualifiedName as Q\n"
        "rng = random.Random(7); er = nx.MultiDiGraph()\n"
        "names = [Q('s', f'table_{i}') for i in range(400)]\n"
        "er.add_nodes_from(names)\n"
        "for n, t in enumerate(names[1:], 1):\n"
        "    for _ in range(2): er.add_edge(t, names[rng.randrange(n)], key=str(rng.random()), kind=Edge.FOREIGN_KEY)\n"
        "print([[str(q) for q in a.tables] for a in schema_areas(er, 's', 30).areas])\n"
    )
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": str(seed), "PATH": ""}, cwd=ROOT).stdout
               for seed in (1, 2, 3)}
    assert len(outputs) == 1 and outputs.pop().count("table_") == 400


def test_the_neighbourhood_diagram_reaches_the_configured_depth(demo_site: Path, demo_catalog: Catalog,
                                                               tmp_path: Path) -> None:
    from schemadocs.build import build
    er = er_graph(demo_catalog)
    center = Q("app", "order_items")
    one = set(nx.ego_graph(er.to_undirected(as_view=True), center, radius=1)) - {center}
    two = set(nx.ego_graph(er.to_undirected(as_view=True), center, radius=2)) - one - {center}
    assert one and two
    path = relation_page(center)
    shallow = diagram_targets(soup(demo_site, path), path)
    assert {relation_page(q) for q in one} <= shallow and not {relation_page(q) for q in two} & shallow
    (tmp_path / "site_src").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"INHERIT: {DEFAULT_MKDOCS}\n"
                                         "site_name: test\ndocs_dir: site_src\n", encoding="utf-8")
    build(demo_catalog, tmp_path / "site", tmp_path / "mkdocs.yml", er_depth=2)
    deep = diagram_targets(soup(tmp_path / "site", path), path)
    assert len(one | two) <= 20 and {relation_page(q) for q in one | two} <= deep


def test_a_large_schema_without_foreign_keys_says_so(edge_catalog: Catalog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(schema_context, "DETAILED_MAX", 0)
    monkeypatch.setattr(schema_context, "COMPACT_MAX", 0)
    no_fks = dataclasses.replace(edge_catalog, relations=tuple(
        dataclasses.replace(r, constraints=tuple(c for c in r.constraints if c not in r.foreign_keys))
        for r in edge_catalog.relations))
    site = build_in(tmp_path, no_fks)
    page = soup(site, schema_page("weird"))
    assert "there is no diagram to draw" in page.text and not page.select("table[data-sd=areas]")
    assert {a.text for a in page.select(".sd-unconnected a")}, "the tables are listed"
