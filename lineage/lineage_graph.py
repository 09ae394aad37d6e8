"""The lineage graph: which views and materialized views read which relations.

In: a `Catalog`. Out: a networkx `DiGraph` whose nodes are relation `QualifiedName`s and
whose edges run in the direction data flows, from the relation read to the view reading it
(data: `columns`, the columns PostgreSQL recorded the view using). Partitions roll up to
their root parent. Only relations in the catalog become nodes.
"""

from __future__ import annotations

import networkx as nx

from lineage.er_graph import partition_root
from schemadocs.model import Catalog, QualifiedName


def lineage_graph(catalog: Catalog) -> nx.DiGraph:
    """Build the relation-level lineage graph."""
    graph = nx.DiGraph()
    for rel in catalog.relations:
        if rel.partition_of is None:
            graph.add_node(rel.qname, kind=rel.kind)
    for view in catalog.relations:
        for read in view.reads:
            source = partition_root(catalog, read.target)
            if source in graph and view.qname in graph and source != view.qname:
                known = graph.edges[source, view.qname]["columns"] if graph.has_edge(source, view.qname) else ()
                graph.add_edge(source, view.qname, columns=tuple(sorted(set(known) | set(read.columns))))
    return graph


def upstream(graph: nx.DiGraph, qname: QualifiedName, depth: int | None = None) -> list[QualifiedName]:
    """Everything `qname` reads from, directly or transitively (up to `depth` hops)."""
    return _reach(graph.reverse(copy=False), qname, depth)


def downstream(graph: nx.DiGraph, qname: QualifiedName, depth: int | None = None) -> list[QualifiedName]:
    """Everything that reads `qname`, directly or transitively (up to `depth` hops)."""
    return _reach(graph, qname, depth)


def _reach(graph: nx.DiGraph, qname: QualifiedName, depth: int | None) -> list[QualifiedName]:
    if qname not in graph:
        return []
    lengths = nx.single_source_shortest_path_length(graph, qname, cutoff=depth)
    return sorted(n for n in lengths if n != qname)
