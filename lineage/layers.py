"""The analytics layer as columns, left to right: base tables, then each level of views.

In: the lineage graph. Out: `Layers`: layer 0 holds the tables (and other non-view
relations) that views read; a view sits one layer right of the deepest relation it reads,
so a view over a view over a table lands in layer 2. Also the relation-level edges between
them, for drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from schemadocs.lineage.edges import Edge
from schemadocs.model import QualifiedName


@dataclass(frozen=True)
class Layers:
    layers: tuple[tuple[QualifiedName, ...], ...]
    edges: tuple[tuple[QualifiedName, QualifiedName], ...]


def layers(graph: nx.DiGraph) -> Layers:
    """Assign every relation that takes part in view lineage to a layer."""
    reads = nx.DiGraph((s, t) for s, t, k in graph.edges(data="kind") if k is Edge.READS)
    depth: dict[QualifiedName, int] = {}
    for node in nx.topological_sort(reads):  # views cannot form cycles
        depth[node] = max((depth[p] + 1 for p in reads.predecessors(node)), default=0)
    grouped: dict[int, list[QualifiedName]] = {}
    for node, d in depth.items():
        grouped.setdefault(d, []).append(node)
    return Layers(
        layers=tuple(tuple(sorted(grouped[d])) for d in sorted(grouped)),
        edges=tuple(sorted(reads.edges())),
    )
