"""The safer recipe for a risky statement, as SQL with short comments, with the real names.

In: an `Observation` (its statement's SQL is parsed with pglast; what the statement was seen
to rewrite and scan decides whether a pattern applies) and the relations the migration created
before it (new tables need no care: nobody else uses them yet). Out: the recipe text, or None
when no pattern applies. The judge asks only for statements it rates medium or high.

The patterns (`PATTERNS`, quoted by the README):

| pattern | when | the safer recipe |
| --- | --- | --- |
| plain CREATE INDEX | on a table that existed before the migration | CREATE INDEX CONCURRENTLY, outside a transaction block |
| ADD FOREIGN KEY, validated | on an existing table | ADD ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction |
| ADD CHECK, validated | on an existing table | ADD ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction |
| SET NOT NULL | it scanned the table | a CHECK (col IS NOT NULL) NOT VALID, validated, then SET NOT NULL (no scan), then drop the CHECK |
| ALTER COLUMN ... TYPE | it rewrote the table | a new column, backfilled in batches, swapped in by renames |
| ADD COLUMN with a volatile default | it rewrote the table | add the column without it, set the default for new rows, backfill in batches |
| RENAME a table or a column | always (it breaks the application) | expand/contract: the new name beside a compatibility view or column, the old one dropped later |
| a lock that blocks reads or writes | no lock_timeout in force | `SET lock_timeout = '5s';` first, and retry the migration when it gives up |
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType

from schemadocs.model import quote_ident
from schemadocs.plan.model import Observation
from schemadocs.plan.statement_ast import deparse, parse, qualified, rangevar, unqualified
from schemadocs.render.escape import sql_comment

PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("plain CREATE INDEX", "on a table that existed before the migration",
     "CREATE INDEX CONCURRENTLY, outside a transaction block"),
    ("ADD FOREIGN KEY, validated", "on an existing table",
     "ADD ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction"),
    ("ADD CHECK, validated", "on an existing table",
     "ADD ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction"),
    ("SET NOT NULL", "it scanned the table",
     "a CHECK (col IS NOT NULL) NOT VALID, validated, then SET NOT NULL (no scan), then drop the CHECK"),
    ("ALTER COLUMN ... TYPE", "it rewrote the table", "a new column, backfilled in batches, swapped in by renames"),
    ("ADD COLUMN with a volatile default", "it rewrote the table",
     "add the column without it, set the default for new rows, backfill in batches"),
    ("RENAME a table or a column", "always (it breaks the application)",
     "expand/contract: the new name beside a compatibility view or column, the old one dropped later"),
    ("a lock that blocks reads or writes", "no lock_timeout in force",
     "SET lock_timeout = '5s'; first, and retry the migration when it gives up"),
)

LOCK_TIMEOUT = ("-- give up after 5 seconds instead of queueing every query on the table behind this lock;\n"
                "-- when it gives up, retry the migration (a long transaction was in the way)\n"
                "SET lock_timeout = '5s';")


def advise(o: Observation, *, created: frozenset[str] = frozenset()) -> str | None:
    """The recipe for `o`'s statement, or None when none of `PATTERNS` applies."""
    node = parse(o.statement.sql)
    seen = tuple(sorted({lk.relation for lk in o.locks} | set(o.rewrites) | set(o.scans)))
    recipes = [r for r in _recipes(node, o, seen, created) if r]
    if recipes and any(lk.blocks != "nothing" and lk.relation not in created for lk in o.locks) \
            and o.lock_timeout_ms == 0:
        recipes.insert(0, LOCK_TIMEOUT)
    elif not recipes and o.lock_timeout_ms == 0 and any(
            lk.blocks != "nothing" and lk.relation not in created for lk in o.locks):
        recipes.append(LOCK_TIMEOUT + "\n" + o.statement.sql.strip() + ";")
    return "\n\n".join(recipes) if recipes else None


def _recipes(node: ast.Node | None, o: Observation, seen: tuple[str, ...], created: frozenset[str]) -> Iterator[str]:
    if isinstance(node, ast.IndexStmt) and not node.concurrent:
        table = qualified(node.relation, seen)
        if table not in created:
            yield _concurrent_index(node, table)
    elif isinstance(node, ast.AlterTableStmt) and node.objtype is ObjectType.OBJECT_TABLE:
        table = qualified(node.relation, seen)
        if table in created:
            return
        for cmd in node.cmds or ():
            recipe = _COMMANDS.get(cmd.subtype)
            if recipe:
                yield recipe(table, node, cmd, o)
    elif isinstance(node, ast.RenameStmt) and node.relation is not None:
        table = qualified(node.relation, seen)
        if table in created:
            return
        if node.renameType is ObjectType.OBJECT_TABLE:
            yield _rename_table(table, node.newname)
        elif node.renameType is ObjectType.OBJECT_COLUMN and node.relationType is ObjectType.OBJECT_TABLE:
            yield _rename_column(table, node.subname, node.newname, o)


def _concurrent_index(node: ast.IndexStmt, table: str) -> str:
    written = node.relation
    node.concurrent, node.relation = True, rangevar(table)
    text = deparse(node)
    node.concurrent, node.relation = False, written  # the parsed AST is cached: leave it as written
    return ("-- build the index without blocking writes: CONCURRENTLY waits for running transactions\n"
            "-- and cannot run inside a transaction block, so give it a migration of its own (no BEGIN);\n"
            "-- if it fails it leaves an INVALID index behind: DROP INDEX CONCURRENTLY it and run this again\n"
            f"{text};")


def _add_constraint(table: str, stmt: ast.AlterTableStmt, cmd: ast.AlterTableCmd, o: Observation) -> str | None:
    con = cmd.def_
    if not isinstance(con, ast.Constraint) or con.contype not in (ConstrType.CONSTR_FOREIGN, ConstrType.CONSTR_CHECK) \
            or con.skip_validation:
        return None
    kind = "foreign key" if con.contype is ConstrType.CONSTR_FOREIGN else "check"
    name = con.conname or _default_name(table, con)
    named = ast.Constraint(**{**{k: getattr(con, k) for k in con}, "conname": name,
                              "skip_validation": True, "initially_valid": False})
    add = deparse(ast.AlterTableStmt(relation=stmt.relation, cmds=(ast.AlterTableCmd(
        subtype=AlterTableType.AT_AddConstraint, def_=named),), objtype=ObjectType.OBJECT_TABLE))
    what = ("both tables" if kind == "foreign key" else "the table")
    return (f"-- add the {kind} without checking the existing rows: a brief lock, no scan of {what};\n"
            "-- new and updated rows are checked from now on\n"
            f"{add};\n"
            "-- then, in a separate transaction (commit first), check the existing rows: VALIDATE takes\n"
            "-- SHARE UPDATE EXCLUSIVE on the table, which lets reads and writes go on while it scans\n"
            f"ALTER TABLE {table} VALIDATE CONSTRAINT {quote_ident(name)};")


def _default_name(table: str, con: ast.Constraint) -> str:
    base = unqualified(table).strip('"').replace('""', '"')
    if con.contype is ConstrType.CONSTR_FOREIGN:
        return f"{base}_{'_'.join(a.sval for a in con.fk_attrs or ())}_fkey"[:63]
    columns = sorted({f.sval for f in _column_refs(con.raw_expr)})
    return f"{base}_{'_'.join(columns) or 'row'}_check"[:63]


def _column_refs(node: object) -> Iterator[ast.String]:
    if isinstance(node, ast.ColumnRef):
        yield from (f for f in node.fields[-1:] if isinstance(f, ast.String))
    elif isinstance(node, ast.Node):
        for key in node:
            yield from _column_refs(getattr(node, key))
    elif isinstance(node, tuple):
        for item in node:
            yield from _column_refs(item)


def _set_not_null(table: str, stmt: ast.AlterTableStmt, cmd: ast.AlterTableCmd, o: Observation) -> str | None:
    if table not in o.scans:
        return None  # a validated CHECK (col IS NOT NULL) already let PostgreSQL skip the scan
    column = quote_ident(cmd.name)
    check = quote_ident(f"{unqualified(table).strip(chr(34))}_{cmd.name}_not_null"[:63])
    return ("-- prove the column has no NULLs without blocking traffic, then let SET NOT NULL use the proof\n"
            f"ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID;\n"
            "-- in a separate transaction: scans the table under SHARE UPDATE EXCLUSIVE (reads and writes go on)\n"
            f"ALTER TABLE {table} VALIDATE CONSTRAINT {check};\n"
            "-- PostgreSQL 12 and later skip the scan here, because the validated CHECK proves it\n"
            f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;\n"
            f"ALTER TABLE {table} DROP CONSTRAINT {check};")


def _alter_type(table: str, stmt: ast.AlterTableStmt, cmd: ast.AlterTableCmd, o: Observation) -> str | None:
    if table not in o.rewrites:
        return None  # binary-compatible: no rewrite, nothing to avoid
    column = quote_ident(cmd.name)
    new = quote_ident(f"{cmd.name}_new"[:63])
    old = quote_ident(f"{cmd.name}_old"[:63])
    definition: ast.ColumnDef = cmd.def_
    type_text = deparse(definition.typeName)
    if definition.collClause is not None:
        type_text += " " + deparse(definition.collClause)
    value = deparse(definition.raw_default) if definition.raw_default is not None else f"CAST({column} AS {type_text})"
    return ("-- change the type without rewriting the table under an ACCESS EXCLUSIVE lock: a new column,\n"
            "-- filled in small batches, swapped in by two renames\n"
            f"ALTER TABLE {table} ADD COLUMN {new} {type_text};\n"
            f"-- keep {sql_comment(new)} in step with {sql_comment(column)} for rows written meanwhile (a trigger, or the application)\n"
            "-- backfill one batch per transaction; repeat until it updates 0 rows\n"
            f"UPDATE {table} SET {new} = {value}\n"
            f" WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {new} IS NULL AND {column} IS NOT NULL LIMIT 10000));\n"
            "-- recreate on the new column the indexes, constraints and defaults of the old one (CONCURRENTLY),\n"
            "-- then swap, in one short transaction\n"
            f"ALTER TABLE {table} RENAME COLUMN {column} TO {old};\n"
            f"ALTER TABLE {table} RENAME COLUMN {new} TO {column};\n"
            f"-- later, once nothing uses it: ALTER TABLE {sql_comment(table)} DROP COLUMN {sql_comment(old)};")


def _add_column(table: str, stmt: ast.AlterTableStmt, cmd: ast.AlterTableCmd, o: Observation) -> str | None:
    definition: ast.ColumnDef = cmd.def_
    default = next((c for c in definition.constraints or () if c.contype is ConstrType.CONSTR_DEFAULT), None)
    if table not in o.rewrites or default is None:
        return None
    column = quote_ident(definition.colname)
    plain = ast.ColumnDef(colname=definition.colname, typeName=definition.typeName, collClause=definition.collClause)
    expression = deparse(default.raw_expr)
    not_null = any(c.contype is ConstrType.CONSTR_NOTNULL for c in definition.constraints or ())
    recipe = ("-- a volatile default is computed for every existing row, so PostgreSQL rewrites the table;\n"
              "-- add the column without it (no rewrite), give new rows the default, backfill the old ones\n"
              f"ALTER TABLE {table} ADD COLUMN {deparse(plain)};\n"
              f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {expression};\n"
              "-- backfill one batch per transaction; repeat until it updates 0 rows\n"
              f"UPDATE {table} SET {column} = {expression}\n"
              f" WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {column} IS NULL LIMIT 10000));")
    if not_null:
        recipe += ("\n-- then NOT NULL without a long lock: CHECK ... NOT VALID, VALIDATE, SET NOT NULL, DROP the CHECK")
    return recipe


def _rename_table(table: str, newname: str) -> str:
    schema = table[: len(table) - len(unqualified(table))]
    new = f"{schema}{quote_ident(newname)}"
    return ("-- expand/contract: the application still uses the old name until it is deployed again\n"
            f"ALTER TABLE {table} RENAME TO {quote_ident(newname)};\n"
            "-- a compatibility view under the old name: a simple view is updatable, so reads and writes go on\n"
            f"CREATE VIEW {table} AS SELECT * FROM {new};\n"
            f"-- once no code uses the old name, in a later migration: DROP VIEW {sql_comment(table)};")


def _rename_column(table: str, column: str, newname: str, o: Observation) -> str:
    old, new = quote_ident(column), quote_ident(newname)
    views = sorted({v for c in o.changes for v in c.breaks})
    lines = ["-- expand/contract instead of a rename the running application does not know about:",
             f"-- 1. add {sql_comment(new)} (the type of {sql_comment(old)}) and keep both in step (a trigger, or the application writes both)",
             f"ALTER TABLE {table} ADD COLUMN {new} /* the type of {sql_comment(old)} */;",
             "-- 2. backfill one batch per transaction; repeat until it updates 0 rows",
             f"UPDATE {table} SET {new} = {old}",
             f" WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {new} IS DISTINCT FROM {old} LIMIT 10000));",
             f"-- 3. move readers and writers to {sql_comment(new)}"
             + (f"; recreate the views that use {sql_comment(old)}: {sql_comment(', '.join(views))}" if views else ""),
             f"-- 4. later, once nothing uses it: ALTER TABLE {sql_comment(table)} DROP COLUMN {sql_comment(old)};"]
    return "\n".join(lines)


_Recipe = Callable[[str, ast.AlterTableStmt, ast.AlterTableCmd, Observation], "str | None"]
_COMMANDS: dict[AlterTableType, _Recipe] = {
    AlterTableType.AT_AddConstraint: _add_constraint,
    AlterTableType.AT_SetNotNull: _set_not_null,
    AlterTableType.AT_AlterColumnType: _alter_type,
    AlterTableType.AT_AddColumn: _add_column,
}
