"""Rules on maintenance, from the statistics a snapshot holds: sequences near their end,
transaction-ID wraparound, tables never analyzed, dead rows, bloat, cache hit rates."""

from __future__ import annotations

import math
from collections.abc import Iterator

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import Context, Hit, Needs, rule
from schemadocs.model import Relation, Sequence, quote_ident

TYPE_RANGES = {"smallint": (-(2**15), 2**15 - 1), "integer": (-(2**31), 2**31 - 1), "bigint": (-(2**63), 2**63 - 1)}
STATS_TRAP = "Counters are this server's, since its statistics were last reset (a replica or a restore has its own). "


@rule("sequence-near-exhaustion", level=Level.WARNING, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"percent": 75, "error_percent": 90},
      title="A sequence or identity that has used more than a threshold of what it or its column's type can hold",
      why="When a sequence reaches its limit every INSERT fails (nextval: reached maximum value); when its "
          "column's type is narrower than the sequence, the INSERT fails earlier, on the type's range.",
      fix="Widen the column and the sequence: ALTER TABLE s.t ALTER COLUMN c TYPE bigint; ALTER SEQUENCE s.seq "
          "AS bigint; (the column change rewrites the table: plan it).",
      traps="The limit is the smaller of the sequence's own bound and its owning column's type; CYCLE sequences "
            "wrap by design and a sequence never used or not readable (no last value) is not reported. Level "
            "error above error_percent.")
def sequence_near_exhaustion(ctx: Context) -> Iterator[Hit]:
    stats = ctx.catalog.database_stats
    if stats is None:
        return
    last_values = {(u.schema, u.name): u.last_value for u in stats.sequences}
    for q in ctx.catalog.sequences:
        last = last_values.get((q.schema, q.name))
        if last is None or q.cycle:
            continue
        used = used_fraction(q, last, column_type(ctx, q)) * 100
        if used > ctx.thresholds["percent"]:
            yield Hit(object=str(q.qname), subject=q.owned_by,
                      level=Level.ERROR if used > ctx.thresholds["error_percent"] else None,
                      message=f"sequence {q.qname} has used {used:.1f}% of its range (last value {last})",
                      fix=_widen(q))


def used_fraction(q: Sequence, last: int, type_name: str | None) -> float:
    """How much of the sequence's range (bounded by its column's type) lies behind `last`."""
    low, high = TYPE_RANGES.get(type_name or "", (q.min_value, q.max_value))
    if q.increment > 0:
        end = min(q.max_value, high)
        return 1.0 if end <= q.min_value else (last - q.min_value) / (end - q.min_value)
    end = max(q.min_value, low)
    return 1.0 if end >= q.max_value else (q.max_value - last) / (q.max_value - end)


def column_type(ctx: Context, q: Sequence) -> str | None:
    """The type of the column that owns the sequence, if any."""
    rel = ctx.catalog.relation(q.owned_by) if q.owned_by else None
    col = next((c for c in rel.columns if c.name == q.owned_by_column), None) if rel else None
    return col.type if col else None


def _widen(q: Sequence) -> str:
    if q.owned_by is None or q.owned_by_column is None:
        return f"ALTER SEQUENCE {q.qname} AS bigint;"
    return (f"ALTER TABLE {q.owned_by} ALTER COLUMN {quote_ident(q.owned_by_column)} TYPE bigint; "
            f"ALTER SEQUENCE {q.qname} AS bigint;")


@rule("xid-wraparound-age", level=Level.WARNING, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"age": 1_000_000_000, "error_age": 1_600_000_000},
      title="A table or the database whose oldest unfrozen transaction ID is old (wraparound)",
      why="At about 2.1 billion transactions of age PostgreSQL stops accepting writes to prevent wraparound "
          "data loss; a large age means freezing (anti-wraparound vacuum) is not keeping up.",
      fix="VACUUM (FREEZE, VERBOSE) s.t; and find what holds it back (long transactions, prepared transactions, "
          "replication slots, autovacuum cancelled by locks).",
      traps="The age counts the TOAST table's relfrozenxid too; views and partitioned tables hold no rows and "
            "have no age. Level error above error_age.")
def xid_wraparound_age(ctx: Context) -> Iterator[Hit]:
    db = ctx.catalog.database_stats
    if db is not None and db.xid_age is not None and db.xid_age > ctx.thresholds["age"]:
        yield Hit(object=quote_ident(ctx.catalog.database), level=_age_level(ctx, db.xid_age),
                  message=f"database {ctx.catalog.database} has transaction-ID age {db.xid_age}",
                  fix="VACUUM (FREEZE); in the database, oldest tables first")
    for r in ctx.index.with_stats:
        age = r.stats.xid_age
        if age is not None and age > ctx.thresholds["age"]:
            yield Hit(object=str(r.qname), subject=r.qname, level=_age_level(ctx, age),
                      message=f"{r.kind.label} {r.qname} has transaction-ID age {age}",
                      fix=f"VACUUM (FREEZE, VERBOSE) {r.qname};")


def _age_level(ctx: Context, age: int) -> Level | None:
    return Level.ERROR if age > ctx.thresholds["error_age"] else None


@rule("table-never-analyzed", level=Level.WARNING, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"min_rows": 1000},
      title="A table with rows that has never been vacuumed or analyzed",
      why="Without statistics the planner guesses row counts and value distributions, and picks bad plans.",
      fix="ANALYZE s.t; and check why autovacuum skipped it (autovacuum disabled for it, or data loaded in "
          "the same transaction that created it).",
      traps="Only tables whose pg_class.reltuples is still -1 (never vacuumed, analyzed or indexed since being "
            "filled) count, so a statistics reset cannot cause a finding; tables with fewer than min_rows live "
            "rows are left out. " + STATS_TRAP)
def table_never_analyzed(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.heaps:
        s = r.stats
        if s is not None and s.estimated_rows is None and (s.live_rows or 0) >= ctx.thresholds["min_rows"]:
            yield Hit(object=str(r.qname), subject=r.qname, fix=f"ANALYZE {r.qname};",
                      message=f"{r.kind.label} {r.qname} has about {s.live_rows} rows and was never analyzed")


@rule("dead-rows", level=Level.WARNING, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"ratio": 0.2, "min_dead_rows": 10_000},
      title="A table where dead rows are a large share of all rows (bloat)",
      why="Dead rows take space and I/O until vacuum removes them; a high share means autovacuum is not "
          "keeping up or is blocked (long transactions, replication slots), and the table is bloating.",
      fix="VACUUM (VERBOSE, ANALYZE) s.t; then lower its autovacuum_vacuum_scale_factor "
          "(ALTER TABLE s.t SET (autovacuum_vacuum_scale_factor = 0.05)) and look for long transactions.",
      traps="Small tables (fewer than min_dead_rows dead rows) are left out. " + STATS_TRAP)
def dead_rows(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.heaps:
        dead, live = (r.stats.dead_rows or 0), (r.stats.live_rows or 0)
        if dead >= ctx.thresholds["min_dead_rows"] and dead / (dead + live) >= ctx.thresholds["ratio"]:
            yield Hit(object=str(r.qname), subject=r.qname, fix=f"VACUUM (VERBOSE, ANALYZE) {r.qname};",
                      message=f"{r.qname} has {dead} dead rows, {dead / (dead + live):.0%} of all its rows")


@rule("low-cache-hit-rate", level=Level.WARNING, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"rate": 0.99, "min_blocks": 100_000},
      title="The database reads a large share of its blocks from outside shared buffers",
      why="A hit rate below about 99% for an OLTP database usually means shared_buffers or memory is too "
          "small for the working set, or queries scan more than they need.",
      fix="Find the tables read most from disk (pg_statio_user_tables.heap_blks_read), add the missing indexes, "
          "and size shared_buffers and memory for the working set.",
      traps="Databases that read fewer than min_blocks blocks since the reset are left out (a fresh server "
            "starts cold). Reads served by the operating system's cache count as reads. " + STATS_TRAP)
def low_cache_hit_rate(ctx: Context) -> Iterator[Hit]:
    db = ctx.catalog.database_stats
    if db is None or db.blocks_hit is None or db.blocks_read is None:
        return
    total = db.blocks_hit + db.blocks_read
    if total >= ctx.thresholds["min_blocks"] and db.blocks_hit / total < ctx.thresholds["rate"]:
        yield Hit(object=quote_ident(ctx.catalog.database),
                  message=f"database {ctx.catalog.database} found {db.blocks_hit / total:.1%} of {total} "
                          "block reads in shared buffers")


@rule("table-bloat", level=Level.WARNING, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"min_bytes": 10_000_000, "min_ratio": 0.5},
      title="A table whose heap is much larger than its rows need (estimated bloat)",
      why="Space freed by deleted and updated rows stays in the table's files: scans read the empty pages and "
          "the cache holds them. VACUUM only marks the space reusable for new rows of the same table; it gives "
          "back to the operating system no more than the empty pages at the very end of the file.",
      fix="Rewrite the table: VACUUM (FULL, VERBOSE, ANALYZE) s.t; (holds an ACCESS EXCLUSIVE lock while it "
          "rewrites; it needs room for a copy) or, without the long lock, pg_repack --table=s.t; then find why "
          "it bloated (mass deletes, autovacuum not keeping up).",
      traps="An estimate, as the classic bloat queries make it: the size the estimated rows (reltuples) need, "
            "with the average row width from pg_stats (null_frac and avg_width), the 23-byte tuple header and "
            "null bitmap aligned to 8 bytes, the 4-byte item pointer, the 24-byte page header and the table's "
            "fillfactor (8 kB pages assumed), against the main fork alone (pg_relation_size, not TOAST, free "
            "space or visibility maps: a TOASTed value counts with its pointer in both). Tables with a column "
            "without pg_stats (never analyzed, or a column the role may not SELECT) or without a row estimate "
            "are not estimated; tables smaller than min_bytes are left out; partitioned tables have no storage "
            "(their partitions are estimated). The row count and widths are as of the last VACUUM or ANALYZE: "
            "a table that grew much since reads as bloated until it is analyzed again.")
def table_bloat(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.heaps:
        s = r.stats
        if s.main_size is None or s.row_width is None or s.estimated_rows is None:
            continue
        if s.main_size < max(ctx.thresholds["min_bytes"], 1):
            continue
        expected = expected_heap_bytes(s.estimated_rows, s.row_width, r)
        ratio = 1 - expected / s.main_size
        if ratio >= ctx.thresholds["min_ratio"]:
            yield Hit(object=str(r.qname), subject=r.qname, fix=f"VACUUM (FULL, VERBOSE, ANALYZE) {r.qname};",
                      message=f"{r.qname} is estimated {ratio:.0%} bloated: its heap takes {_mb(s.main_size)} "
                              f"where {s.estimated_rows} rows of about {s.row_width} bytes need about "
                              f"{_mb(expected)} (an estimate; plain VACUUM does not shrink it)")


PAGE, PAGE_HEADER, TUPLE_HEADER, ITEM_POINTER, MAXALIGN = 8192, 24, 23, 4, 8


def expected_heap_bytes(rows: int, row_width: int, r: Relation) -> int:
    """The main-fork size `rows` rows of `row_width` data bytes need in table `r` (its fillfactor)."""
    bitmap = (len(r.columns) + 7) // 8 if any(c.nullable for c in r.columns) else 0
    tuple_bytes = _align(TUPLE_HEADER + bitmap) + _align(row_width) + ITEM_POINTER
    per_page = PAGE * _fillfactor(r) // 100 - PAGE_HEADER
    return math.ceil(rows * tuple_bytes / per_page) * PAGE


def _align(n: int) -> int:
    return -(-n // MAXALIGN) * MAXALIGN


def _fillfactor(r: Relation) -> int:
    """The table's fillfactor from its reloptions (100 when not set)."""
    return next((int(o.split("=", 1)[1]) for o in r.options if o.startswith("fillfactor=")), 100)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


@rule("low-table-cache-hit-rate", level=Level.INFO, category=Category.MAINTENANCE, needs=Needs.STATISTICS,
      thresholds={"rate": 0.95, "min_reads": 100_000},
      title="A table whose heap blocks are often read from outside shared buffers",
      why="A table found in shared buffers less than about 95% of the time is read from the operating "
          "system's cache or disk: usually sequential scans of a table larger than memory, or a working set "
          "larger than shared_buffers.",
      fix="See how it is read: SELECT seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables WHERE relid = "
          "'s.t'::regclass; find the queries that scan it (pg_stat_statements), add the indexes they miss "
          "(see seq-scan-heavy-table), and size shared_buffers for the working set.",
      traps="Only the heap counts (heap_blks_hit and heap_blks_read, not its indexes or TOAST); tables with fewer "
            "than min_reads blocks read from outside shared buffers are left out (a fresh server starts cold). "
            "Reads served by the operating system's cache count as reads. " + STATS_TRAP)
def low_table_cache_hit_rate(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.heaps:
        hit, read = r.stats.heap_blocks_hit, r.stats.heap_blocks_read
        if hit is None or read is None or read < ctx.thresholds["min_reads"]:
            continue
        if hit / (hit + read) < ctx.thresholds["rate"]:
            yield Hit(object=str(r.qname), subject=r.qname,
                      message=f"{r.qname} found {hit / (hit + read):.1%} of {hit + read} heap block reads in "
                              "shared buffers")


@rule("materialized-view-not-populated", level=Level.WARNING, category=Category.MAINTENANCE,
      title="A materialized view created WITH NO DATA and never refreshed",
      why="Every query on it fails (materialized view has not been populated) until it is refreshed.",
      fix="REFRESH MATERIALIZED VIEW s.mv; (and schedule the refresh the view needs).",
      traps="Populated materialized views are never reported, however stale: staleness is not in the catalog.")
def materialized_view_not_populated(ctx: Context) -> Iterator[Hit]:
    for r in ctx.index.materialized_views:
        if r.populated is False:
            yield Hit(object=str(r.qname), subject=r.qname, fix=f"REFRESH MATERIALIZED VIEW {r.qname};",
                      message=f"materialized view {r.qname} has never been populated: queries on it fail")

