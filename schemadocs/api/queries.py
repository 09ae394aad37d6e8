"""The questions an agent asks of a schema, answered as plain data over the model and its graphs.

In: `Sources` and a tool's arguments (names as `resolve.py` reads them). Out: JSON-ready
dicts: `search` (objects ranked by name, comment and column name), `describe` (the same
object data as the static JSON API, from `objects.py`), `relationships` (foreign keys in
and out over the ER graph, a virtual one marked), `lineage` (column lineage up or down,
value and filter kept apart), `impact` (what a change to a column or relation breaks:
`lineage/impact.py`, the same walk `diff` uses) and `health` (the findings of one object,
or the summary). `markdown.py` writes each as compact text; `mcp_server.py` serves them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from schemadocs.api.objects import Data, Sources, finding, relation_data, routine_data, type_data
from schemadocs.api.paths import ObjectKind
from schemadocs.api.resolve import Target, resolve
from schemadocs.errors import ConfigError
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.er_graph import partition_root
from schemadocs.lineage.impact import impact as column_impact
from schemadocs.lineage.impact import readers
from schemadocs.lineage.lineage_graph import Node, RoutineKey
from schemadocs.lineage.trace import Trace, trace
from schemadocs.model import ColumnRef, QualifiedName

KINDS = tuple(k.value for k in ObjectKind)
DIRECTIONS = ("upstream", "downstream")


def search(src: Sources, query: str, kind: str | None = None, limit: int = 20) -> Data:
    """Objects whose name, comment or column names hold the query's words, best first: a name
    equal to a word ranks over one starting with it, over one holding it, over a column name,
    over a comment; every word must match somewhere."""
    words = query.lower().split()
    if not words:
        raise ConfigError("pass a query: one or more words of a name, a column name or a comment")
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    hits = []
    for entry in _searchable(src):
        if kind is not None and entry["kind"] != kind:
            continue
        score, matched = 0, set()
        for word in words:
            best, where = _word_score(word, entry)
            if not best:
                break
            score += best
            matched |= where
        else:
            hits.append((-score, entry["kind"], entry["schema"], entry["name"], entry, sorted(matched)))
    hits.sort(key=lambda h: h[:4])
    results = [{**{k: v for k, v in e.items() if k not in ("columns", "comment_lower")}, "matched": m, "score": -s}
               for s, *_, e, m in hits[:max(1, limit)]]
    return {"query": query, "kind": kind, "total": len(hits), "results": results,
            "left_out": max(0, len(hits) - len(results))}


def describe(src: Sources, name: str) -> Data:
    """The object's full data, exactly as its `api/` JSON file holds it (a column names its relation)."""
    target = resolve(src, name)
    if target.kind is ObjectKind.RELATION:
        rel = src.catalog.relation(target.qname)
        assert rel is not None
        return relation_data(src, rel)
    if target.kind is ObjectKind.ROUTINE:
        return routine_data(src, target.qname)
    return type_data(src, src.types[target.qname])


def relationships(src: Sources, name: str, depth: int = 1) -> Data:
    """Foreign keys (and INHERITS) in and out of a relation, out to `depth` hops, nearest first."""
    target = resolve(src, name, (ObjectKind.RELATION,), columns=False)
    er = src.graphs.er
    start = partition_root(src.catalog, target.qname)
    depth = max(1, min(depth, 5))
    seen, ring, edges = {start: 0}, [start], []
    for hop in range(1, depth + 1):
        nxt = set()
        for q in ring:
            for s, t, data in sorted([*er.out_edges(q, data=True), *er.in_edges(q, data=True)], key=lambda e: (e[0], e[1])):
                other = t if s == q else s
                entry = _er_edge(s, t, data, hop)
                if entry not in edges:
                    edges.append(entry)
                if other not in seen:
                    seen[other] = hop
                    nxt.add(other)
        ring = sorted(nxt)
    outgoing = [e for e in edges if e["from"]["qualified_name"] == str(start) and e["hop"] == 1]
    incoming = [e for e in edges if e["to"]["qualified_name"] == str(start) and e["hop"] == 1]
    further = [e for e in edges if e not in outgoing and e not in incoming]
    return {"relation": str(target.qname), "depth": depth, "outgoing": outgoing, "incoming": incoming,
            "further": further, "in_er_graph": start in er}


def lineage(src: Sources, name: str, direction: str = "upstream", depth: int | None = 3) -> Data:
    """The lineage tree of a relation or column, one way, with what was reached by value and
    what only filters (WHERE, JOIN, GROUP BY, ...) listed apart."""
    if direction not in DIRECTIONS:
        raise ConfigError(f"direction must be upstream or downstream, not {direction!r}")
    target = resolve(src, name, (ObjectKind.RELATION,))
    node: Node = target.column_ref or target.qname
    node = _rolled_up(src, node)
    graph = src.graphs.lineage
    if node not in graph:
        raise ConfigError(f"{target} is not in the lineage graph (a partition's lineage is its parent's)")
    upstream = direction == "upstream"
    tree = trace(graph, node, upstream=upstream, depth=depth)
    value, filtered = _split(tree)
    if upstream:  # what filters the rows of the views on the way (FILTER edges point at views)
        views = [node.relation if isinstance(node, ColumnRef) else node, *(n for n in value if isinstance(n, QualifiedName))]
        filtered = {s for v in views if v in graph for s, _, k in graph.in_edges(v, data="kind") if k is Edge.FILTER}
    return {"name": str(node), "direction": direction, "depth": depth,
            "value": sorted(map(str, value)), "filter": sorted(map(str, filtered)),
            "tree": tree.to_json(), "text": tree.to_text(), "cut_by_depth": _more(tree)}


def impact(src: Sources, name: str) -> Data:
    """What a change to a column (drop, type change) or a relation (drop, rename) breaks."""
    target = resolve(src, name, (ObjectKind.RELATION,))
    catalog, graph = src.catalog, src.graphs.lineage
    rel = catalog.relation(target.qname)
    assert rel is not None
    ref = target.column_ref
    node = partition_root(catalog, rel.qname)
    data: Data = {"name": str(target), "kind": "column" if ref else "relation"}
    if ref is not None:
        hit = column_impact(catalog, ref)
        data["views_direct"] = [str(q) for q in hit.direct]
        data["views_transitive"] = [str(q) for q in hit.transitive]
        down = _rolled_up(src, ref)
        tree = trace(graph, down, upstream=False) if down in graph else Trace(node=down)
        value, filtered = _split(tree)
        data["value_downstream"] = sorted(str(n) for n in value if isinstance(n, ColumnRef))
        data["filter_downstream"] = sorted(str(n) for n in filtered if isinstance(n, QualifiedName))
        data["foreign_keys_referencing"] = [f"{other.qname}.{fk.name}" for other, fk in catalog.referenced_by.get(rel.qname, ())
                                            if ref.column in fk.ref_columns]
        data["foreign_keys_on"] = [fk.name for fk in rel.declared_foreign_keys if ref.column in fk.columns]
        data["indexes"] = [i.name for i in rel.indexes if ref.column in i.columns or ref.column in i.include_columns]
        data["constraints"] = [c.name for c in rel.constraints if ref.column in c.columns and c.kind != "foreign_key"]
    else:
        every = readers(catalog, [rel.qname])
        direct = {v.qname for v in catalog.read_by.get(rel.qname, ())}
        data["views_direct"] = [str(q) for q in sorted(direct)]
        data["views_transitive"] = [str(q) for q in sorted(every - direct)]
        data["foreign_keys_referencing"] = [f"{other.qname}.{fk.name}" for other, fk in catalog.referenced_by.get(rel.qname, ())]
    kinds = {Edge.ROUTINE_READS: "routines_reading", Edge.TRIGGER: "trigger_functions"}
    found: dict[str, set[str]] = {"routines_reading": set(), "routines_writing": set(), "trigger_functions": set()}
    if node in graph:
        for _, t, k in graph.out_edges(node, data="kind"):
            if k in kinds:
                found[kinds[k]].add(str(t))
        found["routines_writing"] = {str(s) for s, _, k in graph.in_edges(node, data="kind") if k is Edge.ROUTINE_WRITES}
    data.update({k: sorted(v) for k, v in found.items()})
    data["note"] = ("views: what PostgreSQL itself records (pg_depend), the set DROP ... CASCADE drops and ALTER ... TYPE "
                    "refuses over; routines: parsed from their bodies, which PostgreSQL does not check until they run")
    return data


def health(src: Sources, name: str | None = None, limit: int = 50) -> Data:
    """The findings of one relation or routine, or the summary: counts by level, category and
    rule, and the worst findings first."""
    if src.report is None:
        raise ConfigError("health checks were not run for this catalog")
    if name:
        target = resolve(src, name, (ObjectKind.RELATION, ObjectKind.ROUTINE))
        found = [f for f in src.findings.get(target.qname, ())
                 if target.column is None or f.object.startswith(str(target.column_ref))]
        return {"name": str(target), "findings": [finding(f) for f in found[:limit]],
                "left_out": max(0, len(found) - limit)}
    findings = src.report.findings
    return {"total": len(findings),
            "by_level": {level: n for level, n in Counter(f.level.value for f in findings).most_common()},
            "by_category": dict(sorted(Counter(f.category.value for f in findings).items())),
            "by_rule": dict(Counter(f.rule for f in findings).most_common()),
            "rules_run": len(src.report.rules_run), "skipped_no_stats": list(src.report.skipped_no_stats),
            "findings": [finding(f) for f in findings[:limit]], "left_out": max(0, len(findings) - limit)}


def _searchable(src: Sources) -> list[Data]:
    """One entry per object: what search compares (lower case) and what it shows."""
    entries: list[Data] = []
    for rel in src.catalog.documented:
        entries.append(_entry(src, ObjectKind.RELATION, rel.qname, rel.comment, [c.name for c in rel.columns],
                              relation_kind=rel.kind.value))
    for qname, overloads in src.routine_names.items():
        entries.append(_entry(src, ObjectKind.ROUTINE, qname, next((f.comment for f in overloads if f.comment), None), []))
    for t in src.types.values():
        entries.append(_entry(src, ObjectKind.TYPE, t.qname, t.comment, []))
    return entries


def _entry(src: Sources, kind: ObjectKind, qname: QualifiedName, comment: str | None, columns: list[str],
           **extra: str) -> Data:
    return {"kind": kind.value, "schema": qname.schema, "name": qname.name, "qualified_name": str(qname), **extra,
            "comment": (comment or "").strip().split("\n")[0][:200] or None, "links": src.links(kind, qname),
            "columns": [c.lower() for c in columns], "comment_lower": (comment or "").lower()}


def _word_score(word: str, entry: Data) -> tuple[int, set[str]]:
    name = entry["name"].lower()
    if name == word:
        return 100, {"name"}
    if name.startswith(word):
        return 60, {"name"}
    if word in name or word in entry["schema"].lower():
        return 40, {"name"}
    exact = [c for c in entry["columns"] if c == word]
    if exact:
        return 30, {f"column {c}" for c in exact}
    partial = [c for c in entry["columns"] if word in c]
    if partial:
        return 15, {f"column {c}" for c in partial[:5]}
    if word in entry["comment_lower"]:
        return 10, {"comment"}
    return 0, set()


def _er_edge(s: QualifiedName, t: QualifiedName, data: dict[str, Any], hop: int) -> Data:
    fk = data.get("fk")
    base = {"from": {"qualified_name": str(s)}, "to": {"qualified_name": str(t)}, "hop": hop}
    if fk is None:
        return {**base, "kind": Edge.INHERITS.value, "constraint": None, "virtual": False}
    return {**base, "kind": Edge.FOREIGN_KEY.value, "constraint": fk.name,
            "from": {"qualified_name": str(s), "columns": list(fk.columns)},
            "to": {"qualified_name": str(t), "columns": list(fk.ref_columns)},
            "on_delete": fk.on_delete, "virtual": fk.virtual}


def _rolled_up(src: Sources, node: QualifiedName | ColumnRef) -> QualifiedName | ColumnRef:
    """A partition's node is its root parent's (the lineage graph rolls partitions up)."""
    if isinstance(node, ColumnRef):
        root = partition_root(src.catalog, node.relation)
        return ColumnRef(root.schema, root.name, node.column)
    return partition_root(src.catalog, node)


def _split(tree: Trace) -> tuple[set[Node], set[Node]]:
    """The nodes of a lineage tree reached by value only, and those reached through a filter edge."""
    value: set[Node] = set()
    filtered: set[Node] = set()

    def walk(t: Trace, through_filter: bool) -> None:
        for child in t.children:
            f = through_filter or child.via == Edge.FILTER
            (filtered if f else value).add(child.node)
            walk(child, f)
    walk(tree, False)
    return value, filtered - value


def _more(tree: Trace) -> int:
    return tree.more + sum(_more(c) for c in tree.children)


__all__ = ["search", "describe", "relationships", "lineage", "impact", "health", "Target", "RoutineKey"]
