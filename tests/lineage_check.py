"""Cross-check view lineage against PostgreSQL's own records (pg_depend), for any database.

For every view and materialized view, the union of its value sources and filter columns
must equal the set of columns pg_depend records for its rewrite rule. One allowance: a
whole-row reference (`t.*` used as a row value) makes PostgreSQL record a dependency on
the relation, not its columns, while lineage lists every column of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import psycopg

from schemadocs.introspect.node_tree import node_tree
from schemadocs.introspect.view_lineage import _walk_with_queries
from schemadocs.model import Catalog, ColumnRef, QualifiedName, quote_ident

PG_DEPEND = """
SELECT vn.nspname, v.relname, rn.nspname, rc.relname, a.attname, r.ev_action::text
FROM pg_rewrite r
JOIN pg_class v ON v.oid = r.ev_class AND v.relkind IN ('v', 'm')
JOIN pg_namespace vn ON vn.oid = v.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
     AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class AND d.refobjsubid > 0
LEFT JOIN pg_class rc ON rc.oid = d.refobjid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE vn.nspname !~ '^pg_' AND vn.nspname <> 'information_schema' AND r.rulename = '_RETURN'
"""


VIEWS = ("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE c.relkind IN ('v', 'm')")


def dropped_by_cascade(conn: psycopg.Connection, column: ColumnRef) -> set[QualifiedName]:
    """The views and materialized views PostgreSQL drops with DROP COLUMN ... CASCADE (rolled back)."""
    before = set(conn.execute(VIEWS).fetchall())
    conn.execute("SAVEPOINT cascade_probe")
    try:
        conn.execute(f"ALTER TABLE {column.relation} DROP COLUMN {quote_ident(column.column)} CASCADE")
        return {QualifiedName(*v) for v in before - set(conn.execute(VIEWS).fetchall())}
    finally:
        conn.execute("ROLLBACK TO SAVEPOINT cascade_probe")


@dataclass
class LineageCheck:
    views: int = 0
    edges_checked: int = 0
    mismatches: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def check_lineage(catalog: Catalog, dsn: str) -> LineageCheck:
    recorded: dict[QualifiedName, set[ColumnRef]] = defaultdict(set)
    actions: dict[QualifiedName, str] = {}
    with psycopg.connect(dsn) as conn:
        for vs, vn, rs, rn, col, action in conn.execute(PG_DEPEND):
            actions[QualifiedName(vs, vn)] = action
            if col is not None:
                recorded[QualifiedName(vs, vn)].add(ColumnRef(rs, rn, col))
        whole_row_oids = {view: _whole_row_relids(action) for view, action in actions.items()}
        names = dict(conn.execute("SELECT c.oid::int, n.nspname || '.' || c.relname FROM pg_class c "
                                  "JOIN pg_namespace n ON n.oid = c.relnamespace").fetchall())
    result = LineageCheck()
    for view in catalog.relations:
        if not view.kind.is_view:
            continue
        result.views += 1
        ours = {s for c in view.column_lineage for s in c.sources} | set(view.filter_columns)
        theirs = recorded.get(view.qname, set())
        result.edges_checked += len(theirs)
        whole = {names[o] for o in whole_row_oids.get(view.qname, set())}
        extra = {c for c in ours - theirs if f"{c.schema}.{c.name}" not in whole}
        missing = theirs - ours
        if extra or missing:
            result.mismatches.append(f"{view.qname}: ours only {sorted(map(str, extra))[:5]}, "
                                     f"pg_depend only {sorted(map(str, missing))[:5]}")
        result.unresolved += [f"{view.qname}: {u}" for u in view.lineage_unresolved]
    return result


def _whole_row_relids(action: str) -> set[int]:
    tree = node_tree(action)
    query = tree[0] if isinstance(tree, list) else tree
    found = set()
    for node, stack in _walk_with_queries(query, [query]):
        if node["_"] == "VAR" and int(node["varattno"]) == 0:
            level = len(stack) - 1 - int(node.get("varlevelsup") or 0)
            rte = stack[level]["rtable"][int(node["varno"]) - 1]
            if int(rte["rtekind"]) == 0:
                found.add(int(rte["relid"]))
    return found
