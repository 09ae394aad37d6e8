"""Whole answers from the lineage graph: everything downstream of a node by depth, and the
base columns a view column ultimately comes from.

In: the lineage graph (`lineage_graph.py`) and a node. Out: `downstream_levels`, every node
reachable downstream (the edges `schemadocs lineage --downstream` follows), each at its
shortest distance, grouped by that distance; `base_sources`, the columns at the far end of
the value edges into a view column (columns nothing else computes). Both are the same walks
as `trace.py`, flattened, so a page can list them in full.
"""

from __future__ import annotations

import networkx as nx

from schemadocs.lineage.lineage_graph import Node
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.trace import DOWNSTREAM_KINDS
from schemadocs.model import ColumnRef


def downstream_levels(graph: nx.DiGraph, node: Node) -> tuple[tuple[Node, ...], ...]:
    """Everything downstream of `node`: level 1 reads it directly, level 2 reads level 1, ...;
    each node once, at its shortest distance, each level sorted (columns, relations, routines)."""
    seen, levels, frontier = {node}, [], [node]
    succ = graph.succ
    while frontier:
        found: set[Node] = set()
        for current in frontier:
            for target, data in succ.get(current, {}).items():
                if data["kind"] in DOWNSTREAM_KINDS and target not in seen:
                    found.add(target)
        if not found:
            break
        seen |= found
        ordered = sorted(found, key=_order)
        levels.append(tuple(ordered))
        frontier = ordered
    return tuple(levels)


def base_sources(graph: nx.DiGraph, column: ColumnRef) -> tuple[ColumnRef, ...]:
    """The columns `column`'s value ultimately comes from, following value edges upstream to
    columns with no value source of their own (base table columns, or a view's constant)."""
    pred = graph.pred
    seen, stack, found = {column}, [column], set()
    while stack:
        current = stack.pop()
        sources = [s for s, data in pred.get(current, {}).items() if data["kind"] is Edge.VALUE]
        if not sources and current != column:
            found.add(current)
        for s in sources:
            if s not in seen:
                seen.add(s)
                stack.append(s)
    return tuple(sorted(found))


def _order(node: Node) -> tuple[str, Node]:
    return (type(node).__name__, node)  # columns, relations and routines do not compare with each other
