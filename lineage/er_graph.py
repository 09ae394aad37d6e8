"""The entity-relationship graph: which relation references which, by foreign key, and
which table inherits from which.

In: a `Catalog`. Out: a networkx `MultiDiGraph` whose nodes are the `QualifiedName`s of
tables (partitions rolled up into their root parent) and whose edges run from the
referencing relation to the referenced one, one per foreign key (key: constraint name,
data: `fk`, the `ForeignKey`), and from a child table to each parent it INHERITS from
(key: `INHERITS` and the parent, data: `inherits` True). Every edge points at a node that exists.
"""

from __future__ import annotations

import networkx as nx

from schemadocs.lineage.edges import Edge
from schemadocs.model import Catalog, QualifiedName


def er_graph(catalog: Catalog) -> nx.MultiDiGraph:
    """Build the FK and inheritance graph over tables, partitioned tables and foreign tables."""
    graph = nx.MultiDiGraph()
    for rel in catalog.documented:
        if not rel.kind.is_view:
            graph.add_node(rel.qname, relation=rel)
    for rel in catalog.relations:
        source = partition_root(catalog, rel.qname)
        for fk in rel.declared_foreign_keys:
            target = partition_root(catalog, fk.target)
            if source not in graph or target not in graph:
                continue
            graph.add_edge(source, target, key=f"{rel.qname}.{fk.name}", kind=Edge.FOREIGN_KEY, fk=fk, owner=rel.qname)
        for parent in rel.inherits:
            if rel.qname in graph and parent in graph:
                graph.add_edge(rel.qname, parent, key=f"INHERITS {parent}", kind=Edge.INHERITS, owner=rel.qname)
    return graph


def partition_root(catalog: Catalog, qname: QualifiedName) -> QualifiedName:
    """The top-level partitioned table a partition belongs to (itself if not a partition)."""
    seen = {qname}
    rel = catalog.relation(qname)
    while rel is not None and rel.partition_of is not None and rel.partition_of not in seen:
        seen.add(rel.partition_of)
        qname = rel.partition_of
        rel = catalog.relation(qname)
    return qname


def neighbours(graph: nx.MultiDiGraph, qname: QualifiedName, depth: int = 1) -> list[QualifiedName]:
    """Relations within `depth` hops (foreign keys or inheritance) of `qname`, either way: nearest first, then by name."""
    if qname not in graph:
        return []
    found: dict[QualifiedName, int] = {qname: 0}
    ring = [qname]
    for hop in range(1, depth + 1):
        ring = sorted({n for q in ring for n in (*graph.successors(q), *graph.predecessors(q))} - found.keys())
        found.update((q, hop) for q in ring)
    return sorted((q for q in found if q != qname), key=lambda q: (found[q], q))
