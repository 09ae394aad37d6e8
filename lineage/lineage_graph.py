"""The lineage graph: how data flows from base tables out to the analytics views.

In: a `Catalog`. Out: a networkx `DiGraph` whose edges run in the direction data flows.
Nodes are relation `QualifiedName`s, column `ColumnRef`s and routine `RoutineKey`s, every
one of them an object of the catalog. Edges carry `kind`:
- "reads": relation → the view or materialized view that reads it (PostgreSQL's pg_depend);
- "value": column → a view column whose value is computed from it;
- "filter": column → a view that uses it only in WHERE, JOIN, GROUP BY, ORDER BY, a window's
  PARTITION BY or ORDER BY, ...;
- "trigger": table → the function its trigger runs;
- "routine_reads" / "routine_writes": table → routine that reads it / routine → table it writes.
Partitions roll up to their root parent, columns included.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from schemadocs.lineage.edges import Edge
from schemadocs.lineage.er_graph import partition_root
from schemadocs.lineage.routine_lineage import routine_lineage
from schemadocs.model import Catalog, ColumnRef, QualifiedName, quote_ident


@dataclass(frozen=True, order=True)
class RoutineKey:
    schema: str
    name: str
    arguments: str

    def __str__(self) -> str:
        return f"{quote_ident(self.schema)}.{quote_ident(self.name)}({self.arguments})"


Node = QualifiedName | ColumnRef | RoutineKey


def lineage_graph(catalog: Catalog) -> nx.DiGraph:
    """Build the lineage graph (relations, columns and routines)."""
    graph = nx.DiGraph()

    def root(qname: QualifiedName) -> QualifiedName:
        return partition_root(catalog, qname)

    def col(ref: ColumnRef) -> ColumnRef:
        top = root(ref.relation)
        return ColumnRef(top.schema, top.name, ref.column)

    for rel in catalog.documented:
        graph.add_node(rel.qname, type="relation", kind=rel.kind)
        for c in rel.columns:
            graph.add_node(ColumnRef(rel.schema, rel.name, c.name), type="column", relation=rel.qname)
    for view in catalog.relations:
        if view.qname not in graph:
            continue
        for read in view.reads:
            if root(read.target) in graph and root(read.target) != view.qname:
                graph.add_edge(root(read.target), view.qname, kind=Edge.READS)
        for lineage in view.column_lineage:
            target = ColumnRef(view.schema, view.name, lineage.column)
            for source in map(col, lineage.sources):
                if source in graph and target in graph:
                    graph.add_edge(source, target, kind=Edge.VALUE)
        for source in map(col, view.filter_columns):
            if source in graph:
                graph.add_edge(source, view.qname, kind=Edge.FILTER)
    routines = {RoutineKey(f.schema, f.name, f.arguments): f for f in catalog.routines}
    for key in routines:
        graph.add_node(key, type="routine")
        for rel, trigger in catalog.triggers_calling.get(QualifiedName(key.schema, key.name), ()):
            if root(rel.qname) in graph:
                graph.add_edge(root(rel.qname), key, kind=Edge.TRIGGER, trigger=trigger.name)
    for key, routine in routines.items():
        found = routine_lineage(catalog, routine)
        for table in found.reads:
            if root(table) in graph:
                graph.add_edge(root(table), key, kind=Edge.ROUTINE_READS)
        for table in found.writes:
            if root(table) in graph:
                graph.add_edge(key, root(table), kind=Edge.ROUTINE_WRITES)
        graph.nodes[key]["unresolved"] = found.unresolved
    return graph
