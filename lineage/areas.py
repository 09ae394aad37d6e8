"""Subject areas: a large schema's tables grouped by how their foreign keys cluster.

In: the ER graph (`er_graph.py`), a schema and a size limit. Out: `Area`s, each a sorted list
of at most `limit` tables that reference each other more than they reference the rest
(Louvain communities, seeded, so the same graph always gives the same areas; a community
still too large is split again, and one that won't split is cut along a breadth-first
walk). Tiny clusters are packed together, so a schema of many small islands doesn't become
hundreds of two-table areas. Tables with no foreign key to or from another table of the
schema are in no area: they are listed apart. Each area is named after its hub, the table
with the most foreign keys inside the schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from schemadocs.lineage.edges import Edge
from schemadocs.model import QualifiedName

MIN_AREA = 6  # clusters smaller than this are packed together
RESOLUTION = 0.5  # Louvain: below 1 favours fewer, larger communities (10k synthetic: 365 areas, not 567)


@dataclass(frozen=True)
class Area:
    hub: QualifiedName | None  # None for a pack of small clusters
    tables: tuple[QualifiedName, ...]  # sorted


@dataclass(frozen=True)
class SchemaAreas:
    areas: tuple[Area, ...]  # the hub-named ones by hub, then the packs
    unconnected: tuple[QualifiedName, ...]  # no foreign key within the schema
    links: tuple[tuple[int, int, int], ...]  # (area, area, foreign keys between them), area indexes


def schema_areas(er: nx.MultiDiGraph, schema: str, limit: int) -> SchemaAreas:
    """Group the tables of `schema` into subject areas of at most `limit` tables."""
    graph = schema_graph(er, schema)
    unconnected = tuple(sorted(q for q in graph if graph.degree(q) == 0))
    graph.remove_nodes_from(unconnected)
    found = _split(graph, sorted(graph), limit) if len(graph) else []
    small = [a for a in found if len(a) < MIN_AREA]
    areas = [Area(hub=_hub(graph, a), tables=tuple(a)) for a in found if len(a) >= MIN_AREA]
    areas.sort(key=lambda a: a.hub)  # type: ignore[arg-type, return-value]
    areas += [Area(hub=None, tables=tuple(sorted(pack))) for pack in _pack(small, limit)]
    where = {q: i for i, area in enumerate(areas) for q in area.tables}
    counts: dict[tuple[int, int], int] = {}
    for source, target, n in graph.edges(data="fks"):
        a, b = sorted((where[source], where[target]))
        if a != b:
            counts[a, b] = counts.get((a, b), 0) + n
    return SchemaAreas(areas=tuple(areas), unconnected=unconnected,
                       links=tuple((a, b, n) for (a, b), n in sorted(counts.items())))


def schema_graph(er: nx.MultiDiGraph, schema: str) -> nx.Graph:
    """The schema's tables, with an undirected edge per referencing pair ("fks": how many
    foreign keys join them). Self-references, other schemas and inheritance are left out."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(q for q in er if q.schema == schema))
    for source in list(graph):
        for target in er.successors(source):
            if target != source and target.schema == schema:
                fks = sum(d["kind"] is Edge.FOREIGN_KEY for d in er[source][target].values())
                if fks:
                    graph.add_edge(source, target, fks=fks + (graph.edges[source, target]["fks"] if graph.has_edge(source, target) else 0))
    return graph


def _split(graph: nx.Graph, nodes: list[QualifiedName], limit: int) -> list[list[QualifiedName]]:
    if len(nodes) <= limit:
        return [nodes]
    # Louvain walks sets of nodes, whose order follows the nodes' hashes: those of strings
    # change from one process to the next (PYTHONHASHSEED), and so would the areas. It runs on
    # integers instead, in a subgraph built in a fixed order (networkx's subgraph views
    # iterate over a set of the nodes).
    table = dict(enumerate(nodes))
    index = {q: i for i, q in table.items()}
    sub = nx.Graph()
    sub.add_nodes_from(table)
    sub.add_weighted_edges_from(((i, index[b], data["fks"]) for i, a in table.items() for b, data in graph.adj[a].items()
                                 if b in index and i < index[b]), weight="fks")
    found = nx.community.louvain_communities(sub, weight="fks", resolution=RESOLUTION, seed=0)
    parts = [sorted(table[i] for i in p) for p in found]
    if len(parts) == 1:  # one tight cluster: cut it along a breadth-first walk
        order = [table[i] for component in sorted(nx.connected_components(sub), key=min)
                 for i in nx.bfs_tree(sub, min(component))]
        parts = [sorted(order[i:i + limit]) for i in range(0, len(order), limit)]
    return [area for part in sorted(parts) for area in _split(graph, part, limit)]


def _hub(graph: nx.Graph, tables: Sequence[QualifiedName]) -> QualifiedName:
    return min(tables, key=lambda q: (-graph.degree(q, weight="fks"), q))


def _pack(small: list[list[QualifiedName]], limit: int) -> list[list[QualifiedName]]:
    """Small clusters packed in order into groups of at most `limit` tables."""
    packs: list[list[QualifiedName]] = []
    for cluster in small:
        if not packs or len(packs[-1]) + len(cluster) > limit:
            packs.append([])
        packs[-1].extend(cluster)
    return packs
