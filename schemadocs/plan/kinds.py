"""What kind of statement a migration statement is, decided from pglast's parse tree.

In: one parsed statement (a pglast `ast.Node`, or SQL text for `kind_of`). Out: a `Kind`:
whether PostgreSQL accepts it inside a transaction block, why it must not run on the
throwaway copy at all (it changes the whole server, not one database: roles, databases,
tablespaces, ALTER SYSTEM, subscriptions, server files), and, for statements that run
outside a transaction, the locks PostgreSQL documents for them (relation names as written,
resolved by the observer), as their locks cannot be read from `pg_locks` while they run.
"""

from __future__ import annotations

from dataclasses import dataclass

from pglast import ast, parse_sql

from schemadocs.plan.model import LockMode

SUE = LockMode.SHARE_UPDATE_EXCLUSIVE


@dataclass(frozen=True)
class Target:
    """A relation named in the statement (SQL text such as `"s"."t"`), the mode PostgreSQL
    documents for it, and whether the table an index belongs to takes the same lock."""

    name: str
    mode: LockMode
    with_table: bool = False


@dataclass(frozen=True)
class Kind:
    transactional: bool = True
    server_wide: str | None = None  # why the statement is not run on the copy, if it isn't
    documented: tuple[Target, ...] = ()  # non-transactional statements: documented locks
    all_tables: bool = False  # VACUUM / CLUSTER without a table: every table of the database
    label: str = ""  # what to call it in a note: "CREATE INDEX CONCURRENTLY", "VACUUM", ...


def statement_kind(node: ast.Node) -> Kind:
    """The kind of one parsed statement (the `stmt` of a pglast RawStmt)."""
    if isinstance(node, ast.IndexStmt) and node.concurrent:
        return Kind(False, documented=(Target(_range(node.relation), SUE),), label="CREATE INDEX CONCURRENTLY")
    if isinstance(node, ast.DropStmt) and node.concurrent:
        return Kind(False, documented=tuple(Target(_dotted(o), SUE, True) for o in node.objects or ()),
                    label="DROP INDEX CONCURRENTLY")
    if isinstance(node, ast.ReindexStmt):
        concurrent = any(d.defname == "concurrently" for d in node.params or ())
        if node.relation is None:  # REINDEX SCHEMA / DATABASE / SYSTEM
            return Kind(False, all_tables=True, label="REINDEX")
        if concurrent:
            index = node.kind.name.endswith("INDEX") if hasattr(node.kind, "name") else False
            return Kind(False, documented=(Target(_range(node.relation), SUE, index),), label="REINDEX CONCURRENTLY")
        return Kind()
    if isinstance(node, ast.VacuumStmt) and node.is_vacuumcmd:
        full = any(d.defname == "full" for d in node.options or ())
        mode = LockMode.ACCESS_EXCLUSIVE if full else SUE
        rels = tuple(Target(_range(r.relation), mode) for r in node.rels or () if r.relation is not None)
        return Kind(False, documented=rels, all_tables=not rels, label="VACUUM FULL" if full else "VACUUM")
    if isinstance(node, ast.ClusterStmt) and node.relation is None:
        return Kind(False, all_tables=True, label="CLUSTER")
    if isinstance(node, SERVER_WIDE_NODES):
        transactional = not isinstance(node, NON_TRANSACTIONAL_NODES)
        if isinstance(node, ast.AlterDatabaseStmt):
            transactional = not any(d.defname == "tablespace" for d in node.options or ())
        return Kind(transactional, server_wide=SERVER_WIDE)
    if isinstance(node, ast.GrantStmt) and _object_type(node.objtype) in SHARED_OBJECTS:
        return Kind(server_wide=SERVER_WIDE)
    if isinstance(node, (ast.CommentStmt, ast.SecLabelStmt)) and _object_type(node.objtype) in SHARED_OBJECTS:
        return Kind(server_wide=SERVER_WIDE)
    if isinstance(node, ast.CopyStmt):
        return Kind(server_wide="COPY reads or writes a server file, a program or the client's data, "
                                "which the plan cannot supply")
    return Kind()


def kind_of(sql: str) -> Kind:
    """The kind of one statement given as SQL text (as `split` kept it)."""
    raw = parse_sql(sql)
    return statement_kind(raw[0].stmt) if raw else Kind()


SERVER_WIDE = ("it changes the whole server (roles, databases, tablespaces or its configuration), "
               "not the database the copy is of, so it is not run on the copy")
SERVER_WIDE_NODES = (
    ast.CreateRoleStmt, ast.AlterRoleStmt, ast.AlterRoleSetStmt, ast.DropRoleStmt, ast.GrantRoleStmt,
    ast.CreatedbStmt, ast.DropdbStmt, ast.AlterDatabaseStmt, ast.AlterDatabaseSetStmt,
    ast.AlterSystemStmt, ast.CreateTableSpaceStmt, ast.DropTableSpaceStmt, ast.AlterTableSpaceOptionsStmt,
    ast.CreateSubscriptionStmt, ast.AlterSubscriptionStmt, ast.DropSubscriptionStmt,
) + tuple(getattr(ast, n) for n in ("AlterDatabaseRefreshCollStmt",) if hasattr(ast, n))
NON_TRANSACTIONAL_NODES = (ast.CreatedbStmt, ast.DropdbStmt, ast.AlterSystemStmt, ast.CreateTableSpaceStmt,
                           ast.DropTableSpaceStmt, ast.CreateSubscriptionStmt, ast.DropSubscriptionStmt)
SHARED_OBJECTS = frozenset({"OBJECT_DATABASE", "OBJECT_TABLESPACE", "OBJECT_ROLE", "OBJECT_PARAMETER_ACL",
                            "OBJECT_SUBSCRIPTION"})


def _object_type(value: object) -> str:
    return getattr(value, "name", str(value))


def _range(rv: ast.RangeVar | None) -> str:
    if rv is None:
        return ""
    parts = [p for p in (rv.catalogname, rv.schemaname, rv.relname) if p]
    return ".".join(_quote(p) for p in parts)


def _dotted(names: object) -> str:
    parts = [n.sval for n in names] if isinstance(names, tuple) else [getattr(names, "sval", str(names))]
    return ".".join(_quote(p) for p in parts)


def _quote(part: str) -> str:
    return '"' + part.replace('"', '""') + '"'
