"""Exact column lineage of a view, from PostgreSQL's own analysed query tree.

In: the parsed `pg_rewrite.ev_action` of a view or materialized view (see node_tree.py),
and the attribute names of the relations it can reference, by OID. Out: `ViewLineage`:
for each output column the columns of the directly read relations its value is computed
from, the columns it uses otherwise (WHERE, JOIN, GROUP BY, ORDER BY, a window's
PARTITION BY and ORDER BY keys, ...), and anything that could not be resolved. A window
function's value is read from its arguments only: its window keys, like GROUP BY keys, are
filter columns (unless the output expression also reads them elsewhere). Nothing is
guessed from SQL text: every Var in the tree is followed through joins, subqueries, CTEs
(recursive ones too), set operations, VALUES and functions in FROM down to a relation RTE,
which is where "direct" lineage stops.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Node = dict[str, Any]
ColumnKey = tuple[int, int]  # (relation OID, attnum)

RTE_RELATION, RTE_SUBQUERY, RTE_JOIN, RTE_FUNCTION, RTE_TABLEFUNC, RTE_VALUES, RTE_CTE = range(7)
RTE_NAMEDTUPLESTORE, RTE_RESULT, RTE_GROUP = 7, 8, 9
_NOT_USES = frozenset({"joinaliasvars", "eref", "alias", "rteperminfos", "_"})


@dataclass
class ViewLineage:
    columns: list[tuple[str, set[ColumnKey]]] = field(default_factory=list)
    filter: set[ColumnKey] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def view_lineage(tree: Any, attnums: Mapping[int, Mapping[int, str]]) -> ViewLineage:
    """Resolve one view's query tree (`ev_action` parsed: a one-element list of Query)."""
    query = tree[0] if isinstance(tree, list) else tree
    resolver = _Resolver(attnums)
    result = ViewLineage()
    for tle in query.get("targetList") or ():
        if tle.get("resjunk") != "true":
            result.columns.append((tle["resname"], resolver.output(query, int(tle["resno"]), [query])))
    used = resolver.all_uses(query, [query])
    result.filter = used - set().union(*(s for _, s in result.columns))
    result.unresolved = sorted(set(resolver.unresolved))
    return result


class _Resolver:
    def __init__(self, attnums: Mapping[int, Mapping[int, str]]) -> None:
        self.attnums = attnums
        self.unresolved: list[str] = []
        self._active: set[tuple[int, int]] = set()

    def output(self, query: Node, resno: int, stack: list[Node]) -> set[ColumnKey]:
        """Value sources of output column `resno` of `query` (the last item of `stack`)."""
        key = (id(query), resno)
        if key in self._active:  # a recursive CTE referring to itself
            return set()
        self._active.add(key)
        try:
            if query.get("setOperations") is not None:
                found: set[ColumnKey] = set()
                for rtindex in _leaves(query["setOperations"]):
                    branch = query["rtable"][rtindex - 1]["subquery"]
                    found |= self.output(branch, resno, [*stack, branch])
                return found
            for tle in query.get("targetList") or ():
                if int(tle["resno"]) == resno:
                    return self.value(tle["expr"], stack)
            return set()
        finally:
            self._active.discard(key)

    def value(self, expr: Any, stack: list[Node]) -> set[ColumnKey]:
        """Columns an expression's value is computed from (sub-selects: their output only)."""
        found: set[ColumnKey] = set()
        for node in _walk(expr, into_queries=False):
            kind = node["_"]
            if kind == "VAR":
                found |= self.var(node, stack)
            elif kind == "SUBLINK" and isinstance(node.get("subselect"), dict):
                sub = node["subselect"]
                for tle in sub.get("targetList") or ():
                    if tle.get("resjunk") != "true":
                        found |= self.output(sub, int(tle["resno"]), [*stack, sub])
        return found

    def var(self, var: Node, stack: list[Node]) -> set[ColumnKey]:
        level = len(stack) - 1 - int(var.get("varlevelsup") or 0)
        query, attno = stack[level], int(var["varattno"])
        rte = query["rtable"][int(var["varno"]) - 1]
        return self.rte_column(rte, attno, stack[: level + 1])

    def rte_column(self, rte: Node, attno: int, stack: list[Node]) -> set[ColumnKey]:
        kind = int(rte["rtekind"])
        if kind == RTE_RELATION:
            relid = int(rte["relid"])
            if attno > 0:
                return {(relid, attno)}
            if attno == 0:  # whole-row reference
                return {(relid, a) for a in self.attnums.get(relid, {})}
            return set()  # system column (ctid, xmin, ...)
        if kind == RTE_SUBQUERY:
            sub = rte["subquery"]
            resnos = [attno] if attno else [int(t["resno"]) for t in sub.get("targetList") or () if t.get("resjunk") != "true"]
            return set().union(*(self.output(sub, r, [*stack, sub]) for r in resnos))
        if kind == RTE_JOIN:
            aliases = rte.get("joinaliasvars") or []
            exprs = aliases if attno == 0 else aliases[attno - 1: attno]
            return set().union(*(self.value(e, stack) for e in exprs if e is not None))
        if kind in (RTE_FUNCTION, RTE_TABLEFUNC):
            return self.value(rte.get("functions") or rte.get("tablefunc"), stack)
        if kind == RTE_VALUES:
            rows = rte.get("values_lists") or []
            exprs = [row[attno - 1] if attno else row for row in rows]
            return self.value(exprs, stack)
        if kind == RTE_CTE:
            level = len(stack) - 1 - int(rte.get("ctelevelsup") or 0)
            cte = next((c for c in stack[level].get("cteList") or () if c["ctename"] == rte["ctename"]), None)
            if cte is None:
                self.unresolved.append(f"CTE {rte['ctename']} not found")
                return set()
            sub = cte["ctequery"]
            resnos = [attno] if attno else [int(t["resno"]) for t in sub.get("targetList") or () if t.get("resjunk") != "true"]
            return set().union(*(self.output(sub, r, [*stack[: level + 1], sub]) for r in resnos))
        if kind == RTE_GROUP:
            exprs = rte.get("groupexprs") or []
            return self.value(exprs if attno == 0 else exprs[attno - 1: attno], stack)
        if kind == RTE_RESULT:
            return set()
        self.unresolved.append(f"range table entry of kind {kind}")
        return set()

    def all_uses(self, query: Node, stack: list[Node]) -> set[ColumnKey]:
        """Every column the query tree uses anywhere: output, WHERE, JOIN, GROUP BY, ORDER BY..."""
        found: set[ColumnKey] = set()
        for node, depth_stack in _walk_with_queries(query, stack):
            if node["_"] == "VAR":
                found |= self.var(node, depth_stack)
        return found


def _leaves(setop: Node) -> Iterator[int]:
    if setop["_"] == "RANGETBLREF":
        yield int(setop["rtindex"])
        return
    yield from _leaves(setop["larg"])
    yield from _leaves(setop["rarg"])


def _walk(value: Any, into_queries: bool) -> Iterator[Node]:
    """Every node inside `value`, depth first, not entering nested queries unless asked."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            if item.get("_") == "QUERY" and not into_queries:
                continue
            yield item
            if item.get("_") == "SUBLINK":
                todo.append(item.get("testexpr"))
                continue
            todo.extend(v for k, v in item.items() if k not in _NOT_USES)
        elif isinstance(item, list):
            todo.extend(item)


def _walk_with_queries(query: Node, stack: list[Node]) -> Iterator[tuple[Node, list[Node]]]:
    """Every node of a query and its nested queries, with the query stack each lives in."""
    todo: list[tuple[Any, list[Node]]] = [(query, stack)]
    while todo:
        item, current = todo.pop()
        if isinstance(item, dict):
            if item.get("_") == "QUERY" and item is not current[-1]:
                current = [*current, item]
            yield item, current
            todo.extend((v, current) for k, v in item.items() if k not in _NOT_USES)
        elif isinstance(item, list):
            todo.extend((v, current) for v in item)
