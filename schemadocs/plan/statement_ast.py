"""A migration statement's syntax, for the judge: its pglast AST and the tables it targets by name.

In: a `Statement`'s SQL and the relation names its `Observation` saw (quote_ident-qualified).
Out: the parsed statement (None when pglast cannot parse it alone), the quote_ident-qualified
name of a `RangeVar` as the observation spelled it (the search_path resolved), and the tables
a statement names as its target (ALTER TABLE, LOCK, DROP, TRUNCATE, RENAME, CREATE INDEX).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pglast import ast, parse_sql
from pglast.enums import ObjectType
from pglast.parser import ParseError
from pglast.stream import RawStream

from schemadocs.model import quote_ident


@lru_cache(maxsize=1024)
def parse(sql: str) -> ast.Node | None:
    """The statement's AST, or None when `sql` is not exactly one statement pglast can parse."""
    try:
        statements = parse_sql(sql)
    except ParseError:
        return None
    return statements[0].stmt if len(statements) == 1 else None


def deparse(node: ast.Node) -> str:
    """SQL text for a node (pglast's printer: identifiers quoted where PostgreSQL needs it)."""
    return RawStream()(node)


def qualified(rangevar: ast.RangeVar, seen: Iterable[str]) -> str:
    """The quote_ident-qualified name of `rangevar`: schema-qualified as written, else the one
    relation among `seen` (the names the observation reported) with that name, else unqualified."""
    name = quote_ident(rangevar.relname)
    if rangevar.schemaname:
        return f"{quote_ident(rangevar.schemaname)}.{name}"
    matches = sorted({s for s in seen if unqualified(s) == name})
    return matches[0] if len(matches) == 1 else name


def unqualified(name: str) -> str:
    """The last part of a quote_ident-qualified name (`s."a.b"` -> `"a.b"`)."""
    return parts(name)[-1]


def parts(name: str) -> tuple[str, ...]:
    """The dot-separated parts of a quote_ident-qualified name, each as written (quoted or not)."""
    found: list[str] = []
    i = 0
    while i <= len(name):
        if name.startswith('"', i):
            j = i + 1
            while j < len(name) and not (name[j] == '"' and not name.startswith('""', j)):
                j += 2 if name.startswith('""', j) else 1
            end = j + 1
        else:
            end = name.find(".", i)
            end = len(name) if end < 0 else end
        found.append(name[i:end])
        i = end + 1
    return tuple(found)


def rangevar(name: str) -> ast.RangeVar:
    """A `RangeVar` for a quote_ident-qualified name (so the printer quotes it again as needed)."""
    raw = [p[1:-1].replace('""', '"') if p.startswith('"') else p for p in parts(name)]
    return ast.RangeVar(schemaname=raw[-2] if len(raw) > 1 else None, relname=raw[-1], inh=True,
                        relpersistence="p")


def target_tables(node: ast.Node | None, seen: Iterable[str]) -> tuple[str, ...]:
    """The tables the statement names as its target, quote_ident-qualified, in the order written."""
    seen = tuple(seen)
    rangevars: list[ast.RangeVar] = []
    if isinstance(node, ast.AlterTableStmt) and node.objtype in (ObjectType.OBJECT_TABLE, None):
        rangevars.append(node.relation)
    elif isinstance(node, ast.RenameStmt) and node.relation is not None and ObjectType.OBJECT_TABLE in (
            node.renameType, node.relationType):
        rangevars.append(node.relation)
    elif isinstance(node, (ast.LockStmt, ast.TruncateStmt)):
        rangevars.extend(node.relations or ())
    elif isinstance(node, ast.IndexStmt):
        rangevars.append(node.relation)
    elif isinstance(node, ast.DropStmt) and node.removeType is ObjectType.OBJECT_TABLE:
        for names in node.objects or ():
            parts = [p.sval for p in names]
            rangevars.append(ast.RangeVar(schemaname=parts[-2] if len(parts) > 1 else None, relname=parts[-1]))
    names = [qualified(rv, seen) for rv in rangevars if rv is not None]
    return tuple(dict.fromkeys(names))
