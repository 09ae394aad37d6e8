"""A catalog's graphs, built once for everything that asks questions of them.

In: a `Catalog`. Out: `Graphs`: the ER graph (foreign keys and inheritance, partitions rolled
up), the lineage graph (relations, columns and routines) and the lineage overview's layers.
Each edge's `kind` is an `edges.Edge`.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from schemadocs.lineage.er_graph import er_graph
from schemadocs.lineage.layers import Layers, layers
from schemadocs.lineage.lineage_graph import lineage_graph
from schemadocs.model import Catalog


@dataclass(frozen=True)
class Graphs:
    er: nx.MultiDiGraph
    lineage: nx.DiGraph
    layers: Layers


def build_graphs(catalog: Catalog) -> Graphs:
    """The ER graph, the lineage graph and the lineage layers of the catalog."""
    lineage = lineage_graph(catalog)
    return Graphs(er=er_graph(catalog), lineage=lineage, layers=layers(lineage))
