"""Table inheritance (INHERITS) is modelled like partitioning: the parents of a child in the
snapshot (in declaration order), "Inherits from" and "Inherited by" on the pages (linked), an
inheritance edge in the ER graph and its diagrams (drawn unlike a foreign key), and
`ALTER TABLE ... NO INHERIT` / `INHERIT` reported by `diff` and `check`; columns a parent
gives are marked.
Real PostgreSQL (tests/fixtures/inheritance.sql), built pages parsed.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from schemadocs import snapshot
from schemadocs.lineage.edges import Edge
from schemadocs.diff.diff import diff
from schemadocs.introspect.introspect import introspect
from schemadocs.lineage.areas import schema_graph
from schemadocs.lineage.er_graph import er_graph
from schemadocs.model import Catalog, QualifiedName
from schemadocs.render.diagrams import er_diagram
from schemadocs.render.slugs import relation_page
from tests.conftest import FIXTURES, build_in
from tests.render.test_site import html_of as page
from tests.sitecheck import check_links
from tests.test_cli import run

ANIMALS, TAGGED, BIRDS, FISH, FEEDINGS = (QualifiedName("zoo", n) for n in
                                          ("animals", "tagged", "birds", "Fish <b>x</b>", "feedings"))
SQL = (FIXTURES / "inheritance.sql").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def zoo(new_database) -> Catalog:
    return introspect(new_database(SQL, prefix="zoo"), stats=False)


@pytest.fixture(scope="module")
def zoo_site(zoo: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("zoo"), zoo)


def test_snapshot_holds_the_parents_in_declaration_order(zoo):
    assert zoo.relation(BIRDS).inherits == (ANIMALS, TAGGED)
    assert zoo.relation(FISH).inherits == (ANIMALS,)
    assert zoo.relation(ANIMALS).inherits == () and zoo.relation(FEEDINGS).inherits == ()
    assert [r.qname for r in zoo.inherited_by[ANIMALS]] == [FISH, BIRDS]
    text = snapshot.dumps(zoo)
    assert snapshot.loads(text) == zoo and snapshot.dumps(snapshot.loads(text)) == text


def test_a_snapshot_written_before_inheritance_was_recorded_still_loads(zoo):
    data = json.loads(snapshot.dumps(zoo))
    for rel in data["relations"]:
        del rel["inherits"]
        for column in rel["columns"]:
            del column["inherited"]
    old = snapshot.loads(json.dumps(data))
    assert all(r.inherits == () and not any(c.inherited for c in r.columns) for r in old.relations)
    assert [r.qname for r in old.relations] == [r.qname for r in zoo.relations]


def test_columns_from_a_parent_are_marked(zoo, zoo_site):
    assert [(c.name, c.inherited) for c in zoo.relation(BIRDS).columns] \
        == [("id", True), ("name", True), ("tag", True), ("wingspan", False)]
    assert not any(c.inherited for c in zoo.relation(ANIMALS).columns)
    rows = page(zoo_site, BIRDS).select("table[data-sd=columns] tbody tr")
    assert [(r["id"], "inherited" in [b.text for b in r.select(".sd-badge")]) for r in rows] \
        == [("col-id", True), ("col-name", True), ("col-tag", True), ("col-wingspan", False)]


def test_pages_link_child_and_parent(zoo_site):
    birds = page(zoo_site, BIRDS).select_one("p.sd-inherits")
    assert birds.text.startswith("Inherits from")
    assert [(a.text, a["href"]) for a in birds.select("a")] == [("animals", "animals.html"), ("tagged", "tagged.html")]
    children = page(zoo_site, ANIMALS).select("ul.sd-inherited-by a")
    assert [a.text for a in children] == ["Fish <b>x</b>", "birds"]  # the hostile name stays text
    assert page(zoo_site, ANIMALS).select("ul.sd-inherited-by b") == []
    assert page(zoo_site, TAGGED).select("ul.sd-inherited-by a")[0].text == "birds"
    assert page(zoo_site, FEEDINGS).select("p.sd-inherits, ul.sd-inherited-by") == []
    assert check_links(zoo_site).broken == []


def test_er_graph_has_inheritance_edges_distinct_from_foreign_keys(zoo, zoo_site):
    graph = er_graph(zoo)
    assert [d for d in graph.get_edge_data(BIRDS, ANIMALS).values()] == [{"kind": Edge.INHERITS, "owner": BIRDS}]
    assert graph.has_edge(BIRDS, TAGGED) and graph.has_edge(FISH, ANIMALS)
    assert all(d["kind"] is Edge.FOREIGN_KEY and "fk" in d for d in graph.get_edge_data(FEEDINGS, ANIMALS).values())
    fks = schema_graph(graph, "zoo")  # subject areas and their "N FKs" labels count foreign keys only
    assert sorted(fks.edges(data="fks")) == [(FEEDINGS, ANIMALS, 1)] or sorted(fks.edges(data="fks")) == [(ANIMALS, FEEDINGS, 1)]
    drawn = er_diagram(zoo, graph, ANIMALS, relation_page(ANIMALS))
    assert drawn.dot.count("arrowhead=empty") == 2  # birds and fish → animals; the FK from feedings is plain
    assert drawn.dot.count("label=inherits") == 2 and drawn.mermaid.count('==>|"inherits"|') == 2
    svg = page(zoo_site, BIRDS).select_one("svg.sd-er")
    assert svg is not None and "inherits" in [t.text for t in svg.select("g.edge text")]


def test_no_inherit_is_a_breaking_change_that_diff_and_check_report(new_database, tmp_path):
    dsn = new_database(SQL, prefix="zoo")
    committed = tmp_path / "catalog.json"
    assert run("snapshot", "--no-stats", "--dsn", dsn, "-o", str(committed)).returncode == 0
    before = snapshot.load(committed)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE zoo.birds NO INHERIT zoo.tagged")
    after = introspect(dsn, stats=False)
    changes = [(c.object, c.name, c.action.value, c.field, c.old, c.new, c.severity.value)
               for c in diff(before, after).changes]
    assert changes == [("table", "zoo.birds", "changed", "inherits", "zoo.tagged", None, "breaking")]
    assert "no longer see this table's rows" in diff(before, after).changes[0].reason
    assert "tagged" not in diff(before, after).changes[0].reason  # names go through old/new, escaped per format
    done = run("check", "--dsn", dsn, "--snapshot", str(committed))
    assert done.returncode == 1 and "zoo.tagged" in done.stdout
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE zoo.birds INHERIT zoo.tagged")
    again = introspect(dsn, stats=False)
    assert [(c.field, c.old, c.new, c.severity.value) for c in diff(after, again).changes] \
        == [("inherits", None, "zoo.tagged", "breaking")]
    assert diff(before, again).changes == ()
