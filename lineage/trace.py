"""Answer "where does this come from?" and "what reads this?" as a tree.

In: the catalog, its lineage graph and a name typed by a person (`schema.relation`,
`schema.relation.column`, quoted as in SQL). Out: a `Trace` tree, upstream back to base
tables or downstream out to the analytics views, as text or JSON-ready data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from schemadocs.lineage.edges import Edge
from schemadocs.lineage.lineage_graph import Node, RoutineKey
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, ColumnRef, QualifiedName

UPSTREAM_KINDS = {Edge.VALUE, Edge.READS, Edge.ROUTINE_WRITES}
DOWNSTREAM_KINDS = {Edge.VALUE, Edge.FILTER, Edge.READS, Edge.ROUTINE_WRITES, Edge.TRIGGER}


@dataclass
class Trace:
    node: Node
    via: str = ""  # the kind of edge that led here ("value", "filter", "reads", ...)
    children: list[Trace] = field(default_factory=list)
    more: int = 0  # children cut off by the depth limit

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": str(self.node), "type": _type(self.node)}
        if self.via:
            out["via"] = self.via
        out["children"] = [c.to_json() for c in self.children]
        if self.more:
            out["more"] = self.more
        return out

    def to_text(self) -> str:
        lines = [str(self.node)]
        self._lines(lines, "")
        return "\n".join(lines) + "\n"

    def _lines(self, lines: list[str], prefix: str) -> None:
        for i, child in enumerate(self.children):
            last = i == len(self.children) - 1 and not self.more
            tag = f"  ({child.via})" if child.via not in (Edge.VALUE, Edge.READS) else ""
            lines.append(f"{prefix}{'└─ ' if last else '├─ '}{child.node}{tag}")
            child._lines(lines, prefix + ("   " if last else "│  "))
        if self.more:
            lines.append(f"{prefix}└─ … {self.more} more beyond --depth")


def trace(graph: nx.DiGraph, node: Node, upstream: bool, depth: int | None = None) -> Trace:
    """The lineage tree of `node` in one direction, each object listed once per path."""
    return _trace(graph, node, upstream, depth, frozenset({node}))


def _trace(graph: nx.DiGraph, node: Node, upstream: bool, depth: int | None, path: frozenset[Node]) -> Trace:
    tree = Trace(node=node)
    edges = graph.in_edges(node, data="kind") if upstream else graph.out_edges(node, data="kind")
    kinds = UPSTREAM_KINDS if upstream else DOWNSTREAM_KINDS
    nexts = [((s if upstream else t), k) for s, t, k in edges if k in kinds and (s if upstream else t) not in path]
    nexts.sort(key=lambda pair: (type(pair[0]).__name__, pair[0], pair[1]))  # columns and relations do not compare
    if depth is not None and depth <= 0:
        tree.more = len(nexts)
        return tree
    for other, kind in nexts:
        child = _trace(graph, other, upstream, None if depth is None else depth - 1, path | {other})
        child.via = kind
        tree.children.append(child)
    return tree


def parse_name(catalog: Catalog, text: str) -> QualifiedName | ColumnRef:
    """`schema.relation` or `schema.relation.column` (or a unique `relation[.column]`), SQL-quoted."""
    parts = split_identifier(text)
    candidates: list[QualifiedName | ColumnRef] = []
    if len(parts) == 3:
        candidates.append(ColumnRef(*parts))
    if len(parts) == 2:
        candidates.append(QualifiedName(*parts))
        candidates += [ColumnRef(r.schema, r.name, parts[1]) for r in catalog.relations if r.name == parts[0]]
    if len(parts) == 1:
        candidates += [r.qname for r in catalog.relations if r.name == parts[0]]
    found = [c for c in candidates if _exists(catalog, c)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ConfigError(f"{text!r} names no relation or column in the catalog; use schema.relation or "
                          "schema.relation.column (quote mixed-case names: '\"Sales\".\"Orders\"')")
    raise ConfigError(f"{text!r} is ambiguous ({', '.join(map(str, found[:4]))}); qualify it with its schema")


def split_identifier(text: str) -> list[str]:
    """Split a dotted SQL name: unquoted parts are folded to lower case, "quoted" ones kept."""
    parts: list[str] = []
    i, current, quoted_any = 0, [], False
    while i <= len(text):
        c = text[i] if i < len(text) else "."
        if c == '"':
            end = i + 1
            while True:
                end = text.find('"', end)
                if end < 0:
                    raise ConfigError(f"unbalanced quote in {text!r}")
                if text[end + 1:end + 2] == '"':
                    end += 2
                    continue
                break
            current.append(text[i + 1:end].replace('""', '"'))
            quoted_any = True
            i = end + 1
            continue
        if c == ".":
            part = "".join(current)
            parts.append(part if quoted_any else part.strip().lower())
            current, quoted_any = [], False
        else:
            current.append(c)
        i += 1
    if any(p == "" for p in parts):
        raise ConfigError(f"{text!r} has an empty name part")
    return parts


def _exists(catalog: Catalog, node: QualifiedName | ColumnRef) -> bool:
    if isinstance(node, QualifiedName):
        return catalog.relation(node) is not None
    rel = catalog.relation(node.relation)
    return rel is not None and any(c.name == node.column for c in rel.columns)


def _type(node: Node) -> str:
    return {QualifiedName: "relation", ColumnRef: "column", RoutineKey: "routine"}[type(node)]
