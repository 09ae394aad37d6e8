"""Maintenance rules on model objects: sequences near exhaustion, wraparound age, tables never
analyzed, dead rows, cache hit rate; and that they are skipped without statistics."""

from __future__ import annotations

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.model import (
    Column, DatabaseStats, QualifiedName, Relation, RelationKind, Sequence, SequenceUse,
)
from tests.checks.helpers import catalog, found, stats, table

INT_MAX = 2**31 - 1


def seq(name: str, *, max_value: int = 2**63 - 1, owned: str | None = None, increment: int = 1,
        min_value: int = 1, cycle: bool = False) -> Sequence:
    return Sequence(schema="s", name=name, type="bigint", start=1, increment=increment, min_value=min_value,
                    max_value=max_value, cycle=cycle, owned_by=QualifiedName("s", "t") if owned else None,
                    owned_by_column=owned)


def test_sequence_near_exhaustion_uses_the_smaller_of_sequence_and_column_type() -> None:
    t = table("t", columns=(Column(name="id32", type="integer", nullable=False),
                            Column(name="id64", type="bigint", nullable=False)), stats=stats())
    sequences = (
        seq("narrow_column", owned="id32"),  # bigint sequence feeding an integer column
        seq("wide_column", owned="id64"),  # trap: same value, bigint column
        seq("own_max", max_value=1000),
        seq("almost_full", max_value=1000),
        seq("cycling", max_value=1000, cycle=True),  # trap: wraps by design
        seq("never_used", max_value=1000),  # trap: no last value
        seq("down", increment=-1, min_value=-1000, max_value=-1),
    )
    uses = (SequenceUse(schema="s", name="narrow_column", last_value=int(INT_MAX * 0.8)),
            SequenceUse(schema="s", name="wide_column", last_value=int(INT_MAX * 0.8)),
            SequenceUse(schema="s", name="own_max", last_value=760),
            SequenceUse(schema="s", name="almost_full", last_value=950),
            SequenceUse(schema="s", name="cycling", last_value=999),
            SequenceUse(schema="s", name="never_used", last_value=None),
            SequenceUse(schema="s", name="down", last_value=-800))
    cat = catalog(relations=(t,), sequences=sequences, database_stats=DatabaseStats(sequences=uses))
    assert found(cat, "sequence-near-exhaustion") == [
        ("s.almost_full", "error"), ("s.down", "warning"), ("s.narrow_column", "warning"), ("s.own_max", "warning")]


def test_wraparound_age_for_tables_and_the_database() -> None:
    cat = catalog(relations=(table("old", stats=stats(xid_age=1_200_000_000)),
                             table("ancient", stats=stats(xid_age=1_700_000_000)),
                             table("young", stats=stats(xid_age=300_000_000)),
                             table("v", kind=RelationKind.VIEW)),
                  database_stats=DatabaseStats(xid_age=1_700_000_000))
    assert found(cat, "xid-wraparound-age") == [("d", "error"), ("s.ancient", "error"), ("s.old", "warning")]


def test_never_analyzed_needs_reltuples_unknown_and_rows() -> None:
    cat = catalog(relations=(
        table("never", stats=stats(estimated_rows=None, live_rows=5000)),
        table("after_reset", stats=stats(estimated_rows=4000, live_rows=5000)),  # trap: analyzed once
        table("tiny", stats=stats(estimated_rows=None, live_rows=10)),  # trap: too small to matter
    ))
    assert found(cat, "table-never-analyzed") == [("s.never", "warning")]


def test_dead_rows_ratio_and_minimum() -> None:
    cat = catalog(relations=(
        table("bloated", stats=stats(live_rows=50_000, dead_rows=40_000)),
        table("busy_but_fine", stats=stats(live_rows=10_000_000, dead_rows=100_000)),
        table("small", stats=stats(live_rows=10, dead_rows=9_000)),
    ))
    assert found(cat, "dead-rows") == [("s.bloated", "warning")]


def test_cache_hit_rate() -> None:
    base = {"relations": (table("t", stats=stats()),)}
    assert found(catalog(**base, database_stats=DatabaseStats(blocks_hit=900_000, blocks_read=100_000)),
                 "low-cache-hit-rate") == [("d", "warning")]
    assert found(catalog(**base, database_stats=DatabaseStats(blocks_hit=999_000, blocks_read=1_000)),
                 "low-cache-hit-rate") == []
    assert found(catalog(**base, database_stats=DatabaseStats(blocks_hit=500, blocks_read=500)),
                 "low-cache-hit-rate") == []  # trap: a cold, fresh server


def test_materialized_views_never_populated() -> None:
    cat = catalog(relations=(table("pending", kind=RelationKind.MATERIALIZED_VIEW, populated=False),
                             table("ready", kind=RelationKind.MATERIALIZED_VIEW, populated=True),
                             table("t", populated=None)))
    assert found(cat, "materialized-view-not-populated") == [("s.pending", "warning")]


def test_statistics_rules_are_skipped_without_statistics() -> None:
    report = lint(catalog(relations=(table("t"),)), Settings())
    assert {"sequence-near-exhaustion", "xid-wraparound-age", "dead-rows", "low-cache-hit-rate",
            "table-never-analyzed", "table-bloat", "low-table-cache-hit-rate"} <= set(report.skipped_no_stats)


MB = 1024 * 1024
BODY = (Column(name="id", type="bigint", nullable=False), Column(name="body", type="text", nullable=False))


def test_table_bloat_compares_the_rows_needs_with_the_main_fork() -> None:
    # 100,000 rows of 212 data bytes: 24 + 216 + 4 = 244 bytes each, 33 to a page: about 23.3 MB
    def heap(name: str, main_size: int | None, **fields) -> Relation:
        fields.setdefault("columns", BODY)
        s = {"estimated_rows": 100_000, "row_width": 212, "main_size": main_size, "table_size": 200 * MB}
        s.update(fields.pop("stats", {}))
        return table(name, stats=stats(**s), **fields)
    cat = catalog(relations=(
        heap("bloated", 80 * MB),
        heap("healthy", 24 * MB),
        heap("toast_heavy", 24 * MB),  # trap: table_size (TOAST included) is ten times the heap
        heap("fillfactor_low", 50 * MB, options=("fillfactor=50",)),  # trap: half of each page left free
        heap("never_analyzed", 80 * MB, stats={"row_width": None}),  # trap: no pg_stats, no estimate
        heap("no_estimate", 80 * MB, stats={"estimated_rows": None}),
        heap("size_skipped", None),  # a size locked by a migration: not estimated
        heap("small", 8 * MB, stats={"estimated_rows": 1000}),  # trap: bloated, but under 10 MB
        heap("parent", None, kind=RelationKind.PARTITIONED_TABLE),  # trap: no storage
        heap("v", 80 * MB, kind=RelationKind.VIEW),
    ))
    assert found(cat, "table-bloat") == [("s.bloated", "warning")]


def test_table_bloat_counts_the_null_bitmap_only_with_a_nullable_column() -> None:
    from schemadocs.checks.rules.maintenance import expected_heap_bytes
    narrow = (Column(name="a", type="int", nullable=False),) * 9
    nullable = (*narrow[:8], Column(name="z", type="int", nullable=True))
    # 23-byte header alone aligns to 24; with a 2-byte bitmap (9 columns) to 32
    assert expected_heap_bytes(8168, 8, table("a", columns=narrow)) == 8168 * (24 + 8 + 4) // 8168 * 8192
    assert expected_heap_bytes(8168, 8, table("b", columns=nullable)) == 8168 * (32 + 8 + 4) // 8168 * 8192


def test_low_table_cache_hit_rate() -> None:
    cat = catalog(relations=(
        table("cold", stats=stats(heap_blocks_hit=800_000, heap_blocks_read=200_000)),
        table("warm", stats=stats(heap_blocks_hit=99_000_000, heap_blocks_read=200_000)),
        table("few_reads", stats=stats(heap_blocks_hit=1_000, heap_blocks_read=50_000)),  # trap: fresh server
        table("unread", stats=stats()),
        table("v", kind=RelationKind.VIEW),
    ))
    assert found(cat, "low-table-cache-hit-rate") == [("s.cold", "info")]
