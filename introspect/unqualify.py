"""Deparsed SQL as a role that may use schema `public` reads it, whatever role reads it.

In: the name of a catalog query and its rows, read by a role for which PostgreSQL dropped
`public` from the pinned search_path (it does so silently when the role has no USAGE on
the schema, and the deparsing functions then qualify every name in `public`). Out: the
same rows with that `public.` qualifier taken out of the deparsed text (defaults, types,
constraint, index, trigger, policy and view definitions, routine signatures), so the
snapshot is byte-identical to the one a role with USAGE gets.

Only what the deparser adds is removed: the `public.` that starts a dotted name (never one
inside a quoted identifier or a string), the `public.` at the start of a reg* literal
(`'public.seq'::regclass`), and `OPERATOR(public.op)`, which becomes `op`; a relation named
like a CTE of the same text keeps it, as PostgreSQL qualifies such a name for every role.
Where a role with USAGE would also see `public.` for another reason (a name shadowed by
pg_catalog, a CTE of the same name in another scope only) or a table or alias is itself
named `public`, the text can still differ.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

Row = Any  # a named tuple: attribute access by column name


def unqualified_rows(name: str, rows: Sequence[Row]) -> Sequence[Row]:
    """The rows of query `name` with `public.` taken out of their deparsed text."""
    fix = _FIXES.get(name)
    return [fix(row) for row in rows] if fix else rows


def unqualify(sql: str | None, after: str | None = None) -> str | None:
    """Deparsed SQL without the `public.` qualifier; with `after`, only past that first bare word.

    `after="USING"` keeps the table of an index definition (`ON public.t USING ...`), which
    PostgreSQL qualifies for every role.
    """
    if sql is None or "public." not in sql:
        return sql
    start = 0
    if after is not None:
        found = next((m for m in _TOKEN.finditer(sql) if m.group("name") == after), None)
        if found is None:
            return sql
        start = found.end()
    # A relation named like a CTE is qualified for every role (ruleutils' generate_relation_name).
    ctes = {f"public.{name}" for name in _CTE.findall(_LITERAL.sub("''", sql))}

    def token(m: re.Match[str]) -> str:
        literal, name = m.group("literal"), m.group("name")
        if literal is not None and m.group("cast") and literal.startswith("'public."):
            return "'" + literal[len("'public."):] + m.group("cast")
        if m.group("operator") is not None:
            return m.group("operator")
        if name is not None and name.startswith("public.") and name not in ctes:
            return name[len("public."):]
        return m.group(0)

    return sql[:start] + _TOKEN.sub(token, sql[start:])


# One token at a time, left to right: a string literal (with the reg* cast that may follow
# it), OPERATOR(public.op), a dotted name (words and quoted identifiers; only its first part
# can be a schema), or any other character.
_PART = r'(?:[^\W\d][\w$]*|"(?:[^"]|"")*")'
_TOKEN = re.compile(rf"""
    (?P<literal>'(?:[^']|'')*')
    (?P<cast>::reg(?:class|type|procedure|proc|operator|oper|config|dictionary|collation)\b)?
  | OPERATOR\(public\.(?P<operator>[^()\s]+)\)
  | (?P<name>{_PART}(?:\.{_PART})*)
  | .
""", re.VERBOSE | re.DOTALL)
_LITERAL = re.compile(r"'(?:[^']|'')*'")
# A CTE as pg_get_viewdef writes it: `WITH [RECURSIVE] name[(columns)] AS [[NOT] MATERIALIZED] (`, or `, name ...`.
_CTE = re.compile(rf"""(?:\bWITH(?:\s+RECURSIVE)?|,)\s+({_PART})(?:\s*\((?:"(?:[^"]|"")*"|[^)"])*\))?
                       \s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(""", re.VERBOSE)


def _fields(*names: str) -> Callable[[Row], Row]:
    return lambda row: row._replace(**{n: unqualify(getattr(row, n)) for n in names})


def _index(row: Row) -> Row:
    return row._replace(
        definition=unqualify(row.definition, after="USING"), predicate=unqualify(row.predicate),
        texts=row.texts and [unqualify(t) for t in row.texts],  # expressions' text (plain columns come by attnum)
    )


def _second(field: str) -> Callable[[Row], Row]:
    """For `[name, deparsed]` pairs (domain constraints, composite type attributes)."""
    return lambda row: row._replace(**{field: [[n, unqualify(t)] for n, t in getattr(row, field)]})


def _domain(row: Row) -> Row:
    return _second("constraints")(row._replace(base_type=unqualify(row.base_type)))


_FIXES: dict[str, Callable[[Row], Row]] = {
    "columns": _fields("type", "default", "generated"),
    "constraints": _fields("definition"),
    "indexes": _index,
    "triggers": _fields("definition"),
    "policies": _fields("using", "with_check"),
    "relations": _fields("view_definition", "partition_key", "partition_bound"),
    "routines": _fields("arguments", "argument_types", "returns"),
    "sequences": _fields("type"),
    "domains": _domain,
    "composite_types": _second("attributes"),
}
