"""Rules on indexes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.index_key import (backs_constraint, concurrently, index_name, key_items,
                                         not_null_column, plain_key, serves, shape)
from schemadocs.checks.registry import Context, Hit, Needs, rule
from schemadocs.model import Index, Relation, RelationKind, quote_ident

_DROP_TRAPS = ("An index of a partition with the same key as one of its parent's is left to the parent (one "
               "attached to the parent's index cannot be dropped on its own); a partition's own indexes are "
               "checked.")


@rule("duplicate-index", level=Level.WARNING, category=Category.INDEXES,
      title="Two valid indexes with the same table, method, key, options and predicate",
      why="The second index doubles the write cost and the disk and cache it takes, and serves no query "
          "the first does not.",
      fix="DROP INDEX CONCURRENTLY s.i; (the one reported).",
      traps="Options count (opclass, collation, DESC, NULLS, INCLUDE, WITH, WHERE): indexes that differ in "
            "any of them are not duplicates. The one reported is never an index that backs a constraint, "
            "nor unique when the other is not; when both back constraints nothing is reported. " + _DROP_TRAPS)
def duplicate_index(ctx: Context) -> Iterator[Hit]:
    for r, own in ctx.index.shared_leads:
        if len(own) < 2 or len({i.columns for i in own}) == len(own):  # no two on the same columns
            continue
        alike: dict[tuple, list[Index]] = {}  # cheap first: same method, columns and predicate
        for i in own:
            if i.valid:
                alike.setdefault((i.method, i.columns, i.predicate), []).append(i)
        groups: dict[str, list[Index]] = {}
        for i in (i for candidates in alike.values() if len(candidates) > 1 for i in candidates):
            groups.setdefault(shape(i), []).append(i)
        for same in groups.values():
            keep, *others = sorted(same, key=lambda i: (not backs_constraint(r, i), not i.unique, i.name))
            for i in others:
                if not backs_constraint(r, i) and (keep.unique or not i.unique):
                    yield Hit(object=index_name(r, i), subject=r.qname,
                              message=f"index {i.name} duplicates {keep.name}",
                              fix=f"DROP INDEX {concurrently(r)}{index_name(r, i)};")


@rule("redundant-index", level=Level.WARNING, category=Category.INDEXES,
      title="A non-unique index whose key leads another valid index of the same method and predicate",
      why="The longer index answers every lookup the shorter one does, so the shorter one only costs "
          "writes, disk and cache.",
      fix="DROP INDEX CONCURRENTLY s.i; (the shorter one, reported).",
      traps="Only B-trees (where a key prefix serves the same lookups); options count per key item (a DESC "
            "or opclass item is not a prefix of a plain one); unique and constraint-backing indexes are "
            "never reported (a unique index that is a prefix of another still enforces uniqueness); an "
            "index with INCLUDE columns the longer one lacks is kept. " + _DROP_TRAPS)
def redundant_index(ctx: Context) -> Iterator[Hit]:
    for r, own in ctx.index.shared_leads:
        valid = [i for i in r.indexes if i.valid and i.method == "btree"]
        if len(valid) < 2 or len({i.columns[:1] for i in valid}) == len(valid):  # no two led by the same column
            continue
        own_ids = {id(i) for i in own}
        for short in valid:
            if short.unique or id(short) not in own_ids or backs_constraint(r, short):
                continue
            longer = next((i for i in valid if i is not short and i.predicate == short.predicate
                           and _leads(r, short, i)), None)
            if longer is not None:
                yield Hit(object=index_name(r, short), subject=r.qname,
                          message=f"index {short.name} is a leading prefix of {longer.name}",
                          fix=f"DROP INDEX {concurrently(r)}{index_name(r, short)};")


def _leads(r: Relation, short: Index, other: Index) -> bool:
    """True when `short`'s key items (options included) lead `other`'s and `other` has its INCLUDE
    columns too (the key columns are compared first: reading the items costs a parse, unless both
    indexes are plain column lists)."""
    n = len(short.columns)
    if other.columns[:n] != short.columns or short.nulls_not_distinct != other.nulls_not_distinct:
        return False
    if not set(short.include_columns) <= set(other.columns) | set(other.include_columns):
        return False
    if n == len(other.columns) and not set(short.include_columns) < set(other.include_columns):
        return False
    return (plain_key(r, short) and plain_key(r, other)) or key_items(other)[:n] == key_items(short)


@rule("invalid-index", level=Level.WARNING, category=Category.INDEXES,
      title="An index that is not valid (indisvalid is false)",
      why="A failed CREATE INDEX CONCURRENTLY leaves an invalid index: queries cannot use it but every "
          "write still maintains it (and a unique one still rejects duplicates).",
      fix="If no CREATE INDEX CONCURRENTLY is running (pg_stat_progress_create_index): DROP INDEX "
          "CONCURRENTLY s.i; then create it again, or REINDEX INDEX CONCURRENTLY s.i;",
      traps="A concurrent build still in progress also shows as invalid: the message says so. A partitioned "
            "table's index is invalid while some partition lacks an attached index.")
def invalid_index(ctx: Context) -> Iterator[Hit]:
    for r, i in ctx.index.invalid_indexes:
        if r.kind is RelationKind.PARTITIONED_TABLE:
            yield Hit(object=index_name(r, i), subject=r.qname,
                      message=f"partitioned index {i.name} is not valid: some partition has no index "
                              "attached to it",
                      fix="CREATE INDEX on each partition that lacks one, then ALTER INDEX "
                          f"{index_name(r, i)} ATTACH PARTITION <that index>;")
        else:
            yield Hit(object=index_name(r, i), subject=r.qname,
                      message=f"index {i.name} is not valid (a CREATE INDEX CONCURRENTLY may still be "
                              "running, or one failed)",
                      fix=f"REINDEX INDEX CONCURRENTLY {index_name(r, i)};")


@rule("unused-index", level=Level.INFO, category=Category.INDEXES, needs=Needs.STATISTICS,
      thresholds={"min_days": 30},
      title="An index never scanned since statistics were reset, long enough ago",
      why="An index no query uses still costs every insert and update, disk, cache and vacuum time.",
      fix="Check the replicas' counters too, then DROP INDEX CONCURRENTLY s.i; (keep its definition to "
          "recreate it).",
      traps="Only this server's counters are read: a replica may use the index. Not reported: unique and "
            "constraint-backing indexes, indexes that serve a foreign key, any index when the statistics "
            "were reset less than min_days before the read (or the reset time is unknown). " + _DROP_TRAPS)
def unused_index(ctx: Context) -> Iterator[Hit]:
    stats = ctx.catalog.database_stats
    if stats is None or not stats.stats_reset or not stats.read_at:
        return
    days = (datetime.fromisoformat(stats.read_at) - datetime.fromisoformat(stats.stats_reset)).total_seconds() / 86400
    if days < ctx.thresholds["min_days"]:
        return
    for r, own in ctx.index.own_indexes:
        fks = [fk.columns for fk in r.foreign_keys]
        for i in own:
            if i.scans == 0 and not i.unique and not backs_constraint(r, i) and not any(serves(i, c) for c in fks):
                yield Hit(object=index_name(r, i), subject=r.qname,
                          message=f"index {i.name} has not been scanned in the {int(days)} days since statistics "
                                  "were reset (this server's counters only; check replicas)",
                          fix=f"DROP INDEX CONCURRENTLY {index_name(r, i)};")


@rule("seq-scan-heavy-table", level=Level.INFO, category=Category.INDEXES, needs=Needs.STATISTICS,
      thresholds={"min_rows": 100_000, "min_seq_scans": 1000},
      title="A large table read mostly by sequential scans",
      why="Repeated full scans of a large table usually mean a query lacks an index; they cost I/O and "
          "push other data out of the cache.",
      fix="Find the queries (pg_stat_statements) and add the index they need: CREATE INDEX CONCURRENTLY ...",
      traps="Small tables (fewer than min_rows estimated rows) and tables with fewer than min_seq_scans "
            "sequential scans or more index scans than sequential ones are not reported; counters are this "
            "server's since their reset (a reporting job can explain them).")
def seq_scan_heavy_table(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.heaps:
        s = r.stats
        if r.kind is not RelationKind.TABLE or s.estimated_rows is None or s.seq_scans is None:
            continue
        if s.estimated_rows >= ctx.thresholds["min_rows"] and s.seq_scans >= ctx.thresholds["min_seq_scans"] \
                and s.seq_scans > (s.index_scans or 0):
            yield Hit(object=str(r.qname), subject=r.qname,
                      message=f"{s.seq_scans} sequential scans against {s.index_scans or 0} index scans on about "
                              f"{s.estimated_rows} rows")


@rule("btree-on-array", level=Level.WARNING, category=Category.INDEXES,
      title="A non-unique B-tree index led by an array column",
      why="A B-tree on an array serves only whole-array equality and ordering; containment and overlap "
          "(@>, &&, ANY) need a GIN index, and large arrays can exceed the B-tree row size limit.",
      fix="CREATE INDEX CONCURRENTLY ON s.t USING gin (c); then DROP INDEX CONCURRENTLY s.i;",
      traps="An array column later in a composite index (a sort or covering index) is there for ordering "
            "and is not reported; nor are unique and constraint-backing indexes (whole-array uniqueness is "
            "legitimate); expression keys are not typed and are skipped. " + _DROP_TRAPS)
def btree_on_array(ctx: Context) -> Iterator[Hit]:
    for r, i, lead in ctx.index.plain_btrees:
        if lead is not None and lead.endswith("[]"):
            yield Hit(object=index_name(r, i), subject=r.qname,
                      message=f"B-tree index {i.name} is led by the array column {i.columns[0]}")


@rule("index-on-boolean", level=Level.INFO, category=Category.INDEXES,
      title="A non-unique B-tree index whose only key column is boolean",
      why="Two values split a table in halves at best: the planner seldom uses such an index, yet every "
          "write maintains it. A partial index on the rare value serves the real query.",
      fix="CREATE INDEX CONCURRENTLY ON s.t (<useful column>) WHERE <flag>; then DROP INDEX CONCURRENTLY s.i;",
      traps="Unique indexes (one row per flag, e.g. a single default row), partial indexes (WHERE flag: the "
            "recommended form) and composite indexes where the boolean is one of several keys are not "
            "reported. " + _DROP_TRAPS)
def index_on_boolean(ctx: Context) -> Iterator[Hit]:
    for r, i, lead in ctx.index.plain_btrees:
        if lead == "boolean" and len(i.columns) == 1 and i.predicate is None:
            yield Hit(object=index_name(r, i), subject=r.qname,
                      message=f"index {i.name} has only the boolean column {i.columns[0]} as key")


@rule("redundant-not-null-predicate", level=Level.INFO, category=Category.INDEXES,
      title="A partial index WHERE c IS NOT NULL on a NOT NULL column",
      why="The predicate excludes nothing, but the planner can use the index only for queries that prove "
          "it, so it is easy to miss; it reads as if the column were nullable.",
      fix="CREATE INDEX CONCURRENTLY ... without the WHERE clause, then DROP INDEX CONCURRENTLY s.i;",
      traps="Only a predicate that is exactly one `column IS NOT NULL` is read; predicates combining it with "
            "others are not reported. " + _DROP_TRAPS)
def redundant_not_null_predicate(ctx: Context) -> Iterator[Hit]:
    partial = [(r, i, column) for r, i in ctx.index.partial_indexes
               if (column := not_null_column(i.predicate)) is not None]
    for r, i, column in partial:
        if _not_null(r, column):
            yield Hit(object=index_name(r, i), subject=r.qname,
                      message=f"index {i.name} has WHERE {quote_ident(column)} IS NOT NULL, but the column "
                              "is NOT NULL")


def _not_null(r: Relation, column: str) -> bool:
    """True when `r` has `column` and it is NOT NULL (a plain loop: faster than any() over a generator)."""
    for c in r.columns:
        if c.name == column:
            return not c.nullable
    return False


@rule("table-without-index", level=Level.INFO, category=Category.INDEXES,
      title="A table with no index at all",
      why="Every lookup, join, update and delete by key scans the whole table, and there is no primary key "
          "or unique constraint either.",
      fix="ALTER TABLE s.t ADD PRIMARY KEY (...); or CREATE INDEX CONCURRENTLY ON s.t (...);",
      traps="Partitions are checked through their partitioned table, which counts as indexed when it or "
            "any of its partitions has an index (each partition may carry its own); views and foreign "
            "tables cannot have indexes and are not reported.")
def table_without_index(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.top_tables:
        if not _any_index(ctx, r):
            yield Hit(object=str(r.qname), subject=r.qname, message=f"table {r.qname} has no index")


def _any_index(ctx: Context, r: Relation) -> bool:
    """True when the table or any of its partitions (at any depth) has an index."""
    return bool(r.indexes) or any(_any_index(ctx, p) for p in ctx.catalog.partitions_of.get(r.qname, ()))
