"""Rules on column types."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.names import column_list, member
from schemadocs.checks.registry import Context, Hit, Needs, rule
from schemadocs.model import Column, Relation, RelationKind

_TABLE_TRAPS = ("Partitions are checked through their partitioned table; views take their types from what "
                "they read and foreign tables mirror a remote one, so neither is reported.")


@rule("json-column", level=Level.WARNING, category=Category.TYPES,
      title="A json column where jsonb is meant",
      why="json stores the text as given and re-parses it on every access; it has no equality, no GIN "
          "indexing and no containment operators. jsonb is what almost every use wants.",
      fix="ALTER TABLE s.t ALTER COLUMN c TYPE jsonb USING c::jsonb; (rewrites the table under lock).",
      traps="json is right when the exact text must be kept (key order, duplicate keys, whitespace): exclude "
            "such a column by object. " + _TABLE_TRAPS)
def json_column(ctx: Context) -> Iterator[Hit]:
    for r, c in _columns(ctx, lambda t: t in ("json", "json[]")):
        yield Hit(object=member(r, (c.name,)), subject=r.qname, message=f"{c.name} is {c.type}",
                  fix=f"ALTER TABLE {r.qname} ALTER COLUMN {column_list((c.name,))} TYPE "
                      f"{c.type.replace('json', 'jsonb')} USING {column_list((c.name,))}::"
                      f"{c.type.replace('json', 'jsonb')};")


@rule("timestamp-without-time-zone", level=Level.WARNING, category=Category.TYPES,
      title="A timestamp without time zone column",
      why="It stores a wall-clock reading with no zone: the same instant reads differently across sessions, "
          "servers and daylight saving changes. timestamptz stores the instant.",
      fix="SET timezone to the zone the values were written in, then ALTER TABLE s.t ALTER COLUMN c TYPE "
          "timestamptz; (rewrites the table under lock).",
      traps="A value that really is a local wall-clock time (an opening hour) is legitimate: exclude it by "
            "object. " + _TABLE_TRAPS)
def timestamp_without_time_zone(ctx: Context) -> Iterator[Hit]:
    for r, c in _columns(ctx, _is_timestamp):
        yield Hit(object=member(r, (c.name,)), subject=r.qname, message=f"{c.name} is {c.type}")


@lru_cache(maxsize=4096)
def _is_timestamp(spelled: str) -> bool:
    return bool(re.fullmatch(r"timestamp(\(\d+\))? without time zone(\[\])?", spelled))


@rule("money-column", level=Level.WARNING, category=Category.TYPES,
      title="A money column",
      why="money's fractional precision follows the lc_monetary setting, so values change meaning across "
          "servers and dumps; it holds one currency and rounds on division.",
      fix="ALTER TABLE s.t ALTER COLUMN c TYPE numeric(19, 4) USING c::numeric; (plus a currency column if "
          "needed).",
      traps=_TABLE_TRAPS)
def money_column(ctx: Context) -> Iterator[Hit]:
    for r, c in _columns(ctx, lambda t: t in ("money", "money[]")):
        yield Hit(object=member(r, (c.name,)), subject=r.qname, message=f"{c.name} is {c.type}")


@rule("char-column", level=Level.INFO, category=Category.TYPES,
      title="A char(n) column",
      why="char(n) pads with spaces, which are then ignored in some comparisons and kept in others; it is "
          "no faster than text or varchar and does not enforce a fixed length.",
      fix="ALTER TABLE s.t ALTER COLUMN c TYPE text; (add CHECK (length(c) = n) if the length matters).",
      traps="The internal single-byte \"char\" type is not char(n) and is not reported. " + _TABLE_TRAPS)
def char_column(ctx: Context) -> Iterator[Hit]:
    for r, c in _columns(ctx, _is_char):
        yield Hit(object=member(r, (c.name,)), subject=r.qname, message=f"{c.name} is {c.type}")


@lru_cache(maxsize=4096)
def _is_char(spelled: str) -> bool:
    return bool(re.fullmatch(r"(character(\(\d+\))?|bpchar)(\[\])?", spelled))


_REG_UPGRADE_BLOCKERS = {"regcollation", "regconfig", "regdictionary", "regnamespace", "regoper", "regoperator",
                         "regproc", "regprocedure"}
_REG_TYPES = _REG_UPGRADE_BLOCKERS | {"regclass", "regrole", "regtype"}


@rule("reg-type-column", level=Level.WARNING, category=Category.TYPES,
      title="A table column of a reg* (OID alias) type",
      why="reg* values are OIDs: they do not survive dump and restore into another database reliably, keep "
          "no dependency on the object they name, and most of them (all but regclass, regrole, regtype) "
          "make pg_upgrade refuse the cluster.",
      fix="Store the object's name as text (or name) instead: ALTER TABLE s.t ALTER COLUMN c TYPE text "
          "USING c::text;",
      traps="regclass, regrole and regtype do not block pg_upgrade and are reported at info level. " + _TABLE_TRAPS)
def reg_type_column(ctx: Context) -> Iterator[Hit]:
    for r, c in _columns(ctx, lambda t: t.removesuffix("[]") in _REG_TYPES):
        blocker = c.type.removesuffix("[]") in _REG_UPGRADE_BLOCKERS
        yield Hit(object=member(r, (c.name,)), subject=r.qname, level=None if blocker else Level.INFO,
                  message=f"{c.name} is {c.type}" + (" (pg_upgrade refuses tables with it)" if blocker else ""))


_INTEGERS = ("smallint", "integer", "bigint")


@rule("serial-key", level=Level.INFO, category=Category.TYPES,
      title="A primary key filled by a sequence default (serial) rather than an identity",
      why="serial is a default plus a separately owned sequence: its permissions, ownership and dumps are "
          "handled apart from the table. GENERATED ... AS IDENTITY is the standard, modern form.",
      fix="BEGIN; ALTER TABLE s.t ALTER COLUMN c DROP DEFAULT; DROP SEQUENCE s.t_c_seq; ALTER TABLE s.t ALTER "
          "COLUMN c ADD GENERATED BY DEFAULT AS IDENTITY (START WITH <max(c) + 1>); COMMIT;",
      traps="Only single-column primary keys of an integer type whose default is nextval(...) are reported; "
            "identity columns and keys set by the application are not. " + _TABLE_TRAPS)
def serial_key(ctx: Context) -> Iterator[Hit]:
    for r, c in ctx.index.key_columns:
        if c.identity is None and c.type in _INTEGERS and (c.default or "").startswith("nextval("):
            yield Hit(object=member(r, (c.name,)), subject=r.qname,
                      message=f"primary key {c.name} is filled by {c.default}")


@rule("integer-key-on-large-table", level=Level.WARNING, category=Category.TYPES, needs=Needs.STATISTICS,
      thresholds={"min_rows": 10_000_000},
      title="A 32-bit (or smaller) integer primary key on a large table",
      why="integer keys end at 2,147,483,647: a large, growing table reaches that, and then every insert "
          "fails. Widening the key later rewrites the table and every referencing one.",
      fix="ALTER TABLE s.t ALTER COLUMN c TYPE bigint; (rewrites under lock: on a busy table add a bigint "
          "column, backfill in batches, and swap), and widen the referencing columns with it.",
      traps="Only tables with at least min_rows estimated rows are reported (a small table with an integer "
            "key is fine); composite keys are not. " + _TABLE_TRAPS)
def integer_key_on_large_table(ctx: Context) -> Iterator[Hit]:
    # the large tables first: a pass over the tables alone, not over every column and constraint
    # (`key_columns`), which a database of many tenant schemas would make costly
    minimum = ctx.thresholds["min_rows"]
    for r in ctx.index.top_tables:
        if (rows := _rows(ctx, r)) < minimum or (pk := r.primary_key) is None or len(pk.columns) != 1:
            continue
        for c in r.columns:
            if c.name != pk.columns[0] or c.type not in ("smallint", "integer"):
                continue
            yield Hit(object=member(r, (c.name,)), subject=r.qname,
                      message=f"primary key {c.name} is {c.type} on about {rows} rows",
                      fix=f"ALTER TABLE {r.qname} ALTER COLUMN {column_list((c.name,))} TYPE bigint;")


def _rows(ctx: Context, r: Relation) -> int:
    """A table's estimated rows; for a partitioned table, its partitions' together."""
    if r.kind is RelationKind.PARTITIONED_TABLE:
        return sum(_rows(ctx, p) for p in ctx.catalog.partitions_of.get(r.qname, ()))
    return (r.stats.estimated_rows or 0) if r.stats else 0


def _columns(ctx: Context, wanted: Callable[[str], bool]) -> Iterator[tuple[Relation, Column]]:
    """Each column of a table (not a partition) whose type `wanted` accepts (each distinct type is
    asked once)."""
    types = {t for t in ctx.index.column_types_spelled if wanted(t)}
    return ((r, c) for r in ctx.index.top_tables for c in r.columns if c.type in types) if types else iter(())
