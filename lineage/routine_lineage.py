"""Which tables a SQL or PL/pgSQL function reads and writes, from a real parser (pglast).

In: the catalog and one `Routine` (its body is in the model). Out: `RoutineLineage`: the
relations it reads, the relations it writes (INSERT, UPDATE, DELETE, MERGE targets) and
what could not be resolved (dynamic SQL, names not found on the function's search_path,
bodies that do not parse). Nothing is guessed: an unqualified name is looked up on the
function's own `SET search_path`, or on PostgreSQL's default (`public`) when it has none,
and reported as unresolved when it is not there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pglast import parse_plpgsql
from pglast.parser import ParseError, parse_sql_json

from schemadocs.model import Catalog, QualifiedName, Routine

_ASSIGNMENT_MODES = (3, 4, 5)  # RAW_PARSE_PLPGSQL_ASSIGN1..3
_WRITE_STATEMENTS = ("InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt")


@dataclass(frozen=True)
class RoutineLineage:
    reads: tuple[QualifiedName, ...] = ()
    writes: tuple[QualifiedName, ...] = ()
    unresolved: tuple[str, ...] = ()


def routine_lineage(catalog: Catalog, routine: Routine) -> RoutineLineage:
    """Parse the routine's body and resolve every table it names."""
    if routine.language not in ("sql", "plpgsql") or not routine.definition:
        return RoutineLineage()
    unresolved: list[str] = []
    statements = list(_statements(routine, unresolved))
    reads: set[QualifiedName] = set()
    writes: set[QualifiedName] = set()
    path = _search_path(routine, catalog.search_path)
    for statement in statements:
        ctes = {n["ctename"] for n in _nodes(statement, "CommonTableExpr")}
        for kind in _WRITE_STATEMENTS:
            for stmt in _nodes(statement, kind):
                target = _resolve(catalog, stmt["relation"], path, set(), unresolved)
                if target:
                    writes.add(target)
        for range_var in _nodes(statement, "RangeVar"):
            target = _resolve(catalog, range_var, path, ctes, unresolved)
            if target:
                reads.add(target)
    return RoutineLineage(reads=tuple(sorted(reads)), writes=tuple(sorted(writes)),
                          unresolved=tuple(sorted(set(unresolved))))


def _statements(routine: Routine, unresolved: list[str]) -> Iterator[Any]:
    """Parsed SQL statements of the body (for PL/pgSQL: of every embedded query)."""
    if routine.language == "sql":
        yield from _parse(routine.definition or "", unresolved)
        return
    # The parser resolves types only in pg_catalog and public, so the header keeps the
    # parameter names (the body refers to them) and gives every type as text or record.
    arguments = ", ".join(_untyped(a) for a in _split_list(routine.arguments))
    header = (f"PROCEDURE f({arguments})" if routine.kind == "procedure"
              else f"FUNCTION f({arguments}) RETURNS {_untyped_return(routine.returns or 'void')}")
    source = f"CREATE {header} LANGUAGE plpgsql AS $schemadocs$\n{routine.definition}\n$schemadocs$"
    try:
        tree = parse_plpgsql(source)
    except ParseError as exc:
        unresolved.append(f"PL/pgSQL body does not parse: {exc}")
        return
    for node in _walk(tree):
        if "PLpgSQL_stmt_dynexecute" in node or "PLpgSQL_stmt_dynfors" in node:
            unresolved.append("dynamic SQL (EXECUTE) is not analysed")
        expr = node.get("PLpgSQL_expr")
        if isinstance(expr, dict) and expr.get("query"):
            query, mode = expr["query"], expr.get("parseMode", 0)
            if mode in _ASSIGNMENT_MODES:  # "target := expression": only the expression reads
                query = query.split(":=", 1)[1] if ":=" in query else query.split("=", 1)[-1]
            yield from _parse(query if mode == 0 else f"SELECT {query}", unresolved)


def _split_list(text: str) -> list[str]:
    """Split 'a int, b numeric(10,2)' at the commas outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif not quoted and c in "()":
            depth += 1 if c == "(" else -1
        elif not quoted and c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    return [*parts, tail] if tail else parts


def _untyped(argument: str) -> str:
    """'INOUT f_user_id uuid' → 'INOUT f_user_id text'; an unnamed argument → 'text'."""
    words = argument.split()
    mode = [words.pop(0)] if words and words[0].upper() in ("IN", "OUT", "INOUT", "VARIADIC") else []
    name = [words[0]] if len(words) > 1 else []
    variadic = mode == ["VARIADIC"]
    return " ".join([*mode, *name, "text[]" if variadic else "text"])


def _untyped_return(returns: str) -> str:
    if returns.startswith("TABLE("):
        return "TABLE(" + ", ".join(_untyped(c) for c in _split_list(returns[6:-1])) + ")"
    if returns.startswith("SETOF "):
        return "SETOF record"
    return returns if returns in ("void", "trigger", "event_trigger") else "record"


def _parse(sql: str, unresolved: list[str]) -> Iterator[Any]:
    try:
        yield from json.loads(parse_sql_json(sql)).get("stmts", [])
    except ParseError as exc:
        unresolved.append(f"statement does not parse ({exc}): {' '.join(sql.split())[:80]}")


def _resolve(catalog: Catalog, range_var: dict[str, Any], path: list[str], ctes: set[str],
             unresolved: list[str]) -> QualifiedName | None:
    name, schema = range_var.get("relname"), range_var.get("schemaname")
    if not name:
        return None
    if schema:
        qname = QualifiedName(schema, name)
        if catalog.relation(qname) is None and schema != "pg_catalog":
            unresolved.append(f"relation {qname} is not in the catalog")
        return qname if catalog.relation(qname) else None
    if name in ctes:
        return None
    for candidate in path:
        if catalog.relation(QualifiedName(candidate, name)):
            return QualifiedName(candidate, name)
    if not name.startswith("pg_"):
        unresolved.append(f"relation {name} is not on the search_path ({', '.join(path) or 'empty'})")
    return None


def _search_path(routine: Routine, default: str) -> list[str]:
    """The function's own SET search_path, else the one sessions start with."""
    value = next((v for k, _, v in (s.partition("=") for s in routine.settings) if k == "search_path"), default)
    return [p.strip().strip('"') for p in value.split(",") if p.strip() and p.strip() != '"$user"']


def _nodes(tree: Any, kind: str) -> Iterator[dict[str, Any]]:
    for node in _walk(tree):
        if kind in node and isinstance(node[kind], dict):
            yield node[kind]


def _walk(tree: Any) -> Iterator[dict[str, Any]]:
    todo = [tree]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            yield item
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
