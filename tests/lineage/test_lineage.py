"""ER and lineage graphs: every edge points at a real object; partitions roll up."""

from __future__ import annotations

from schemadocs.lineage.er_graph import er_graph, partition_root
import networkx as nx

from schemadocs.lineage.lineage_graph import lineage_graph
from schemadocs.model import QualifiedName

Q = QualifiedName


def test_er_edges_point_at_real_relations(demo_catalog, edge_catalog):
    for cat in (demo_catalog, edge_catalog):
        g = er_graph(cat)
        assert g.number_of_edges() > 0
        for source, target, data in g.edges(data=True):
            assert cat.relation(source) and cat.relation(target)
            assert cat.relation(source).partition_of is None and cat.relation(target).partition_of is None
            assert data["fk"].target in (target, *[r.qname for r in cat.relations if partition_root(cat, r.qname) == target])


def test_er_graph_has_composite_and_self_reference(demo_catalog):
    g = er_graph(demo_catalog)
    assert g.has_edge(Q("app", "order_items"), Q("app", "orders"))
    assert any(s == t for s, t in g.edges())


def test_partitions_roll_up(edge_catalog):
    leaf = next(r for r in edge_catalog.relations if r.partition_of and
                edge_catalog.relation(r.partition_of).partition_of)
    root = partition_root(edge_catalog, leaf.qname)
    assert edge_catalog.relation(root).partition_of is None
    assert leaf.qname not in er_graph(edge_catalog)


def test_lineage_up_and_down(demo_catalog):
    g = lineage_graph(demo_catalog)
    snap = Q("analytics", "tenant_scorecard_snapshot")
    ups = nx.ancestors(g, snap)
    assert Q("analytics", "tenant_scorecard") in ups and Q("app", "orders") in ups
    assert [n for n in g.predecessors(snap) if isinstance(n, QualifiedName)] == [Q("analytics", "tenant_scorecard")]
    assert snap in nx.descendants(g, Q("app", "order_items"))
    for source, target, kind in g.edges(data="kind"):
        if kind == "reads":
            assert demo_catalog.relation(source) and demo_catalog.relation(target).kind.is_view
