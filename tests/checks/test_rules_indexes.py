"""The indexes rules on model objects built directly (no database): planted defects and traps."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemadocs import model
from schemadocs.checks.finding import Level
from schemadocs.model import Constraint, ConstraintKind, RelationKind
from tests.checks.models import catalog, col, fk, found, idx, pk, table

W, I = Level.WARNING, Level.INFO
COLS = (col("id", nullable=False), col("a"), col("b"), col("flag", "boolean"), col("tags", "text[]"))


def test_duplicate_index_drops_the_plain_one_never_a_constraint_or_unique_one() -> None:
    cat = catalog(
        table("t", COLS, constraints=(pk("t", "id"),), indexes=(
            idx("t", "t_pkey", "id", primary=True), idx("t", "t_id", "id"),
            idx("t", "u_ab", "a", "b", unique=True), idx("t", "ab", "a", "b"), idx("t", "ab2", "a", "b"),
            # traps: different options, predicate, method, INCLUDE; invalid
            idx("t", "a_desc", "a DESC"), idx("t", "a_pattern", "a text_pattern_ops"),
            idx("t", "a_where", "a", where="(b > 0)"), idx("t", "a_hash", "a", method="hash"),
            idx("t", "a_inc", "a", include=("b",)), idx("t", "ab_bad", "a", "b", valid=False))),
        # two constraint-backing twins: neither can be dropped
        table("k", COLS, constraints=(pk("k", "id"), Constraint(name="k_id_key", kind=ConstraintKind.UNIQUE,
                                                               columns=("id",))),
              indexes=(idx("k", "k_pkey", "id", primary=True), idx("k", "k_id_key", "id", unique=True))))
    assert found(cat, "duplicate-index") == [
        ("duplicate-index", "s.ab", W), ("duplicate-index", "s.ab2", W), ("duplicate-index", "s.t_id", W)]


def test_redundant_index_never_unique_and_options_count() -> None:
    cat = catalog(table("t", COLS, constraints=(pk("t", "id"),), indexes=(
        idx("t", "t_pkey", "id", primary=True), idx("t", "a", "a"), idx("t", "ab", "a", "b"),
        idx("t", "id_a", "id", "a"),
        # traps: a unique index that is a prefix of another; a DESC item; another predicate or method;
        # INCLUDE columns the longer one lacks
        idx("t", "u_b", "b", unique=True), idx("t", "b_a", "b", "a"),
        idx("t", "a_desc", "a DESC"), idx("t", "a_where", "a", where="(b > 0)"),
        idx("t", "a_hash", "a", method="hash"), idx("t", "a_inc", "a", include=("flag",)))))
    assert found(cat, "redundant-index") == [("redundant-index", "s.a", W)]


def test_index_rules_leave_partitions_to_their_parent() -> None:
    parent = table("p", COLS, kind=RelationKind.PARTITIONED_TABLE, indexes=(idx("p", "p_a", "a"),))
    part = table("p_1", COLS, partition_of="p", indexes=(idx("p_1", "p_1_a", "a"), idx("p_1", "p_1_a2", "a"),
                                                         idx("p_1", "p_1_ab", "a", "b")))
    assert found(catalog(parent, part), "duplicate-index", "redundant-index", "table-without-index") == []


def test_a_partitions_own_indexes_are_checked() -> None:
    parent = table("p", COLS, kind=RelationKind.PARTITIONED_TABLE, indexes=(idx("p", "p_a", "a"),))
    part = table("p_1", COLS, partition_of="p", indexes=(
        idx("p_1", "p_1_a", "a"), idx("p_1", "p_1_b", "b"), idx("p_1", "p_1_b2", "b"), idx("p_1", "p_1_ba", "b", "a")))
    assert found(catalog(parent, part), "duplicate-index", "redundant-index") == [
        ("duplicate-index", "s.p_1_b2", W), ("redundant-index", "s.p_1_b", W), ("redundant-index", "s.p_1_b2", W)]


def test_invalid_index_says_a_build_may_be_running() -> None:
    cat = catalog(table("t", COLS, indexes=(idx("t", "broken", "a", valid=False), idx("t", "fine", "b"))),
                  table("p", COLS, kind=RelationKind.PARTITIONED_TABLE, indexes=(idx("p", "p_a", "a", valid=False),)))
    assert found(cat, "invalid-index") == [("invalid-index", "s.broken", W), ("invalid-index", "s.p_a", W)]
    from schemadocs.checks.engine import lint
    from schemadocs.checks.config import Settings
    messages = [f.message for f in lint(cat, Settings(rules=("invalid-index",))).findings]
    assert "may still be running" in messages[0] and "partition" in messages[1]


def _database_stats(stats_reset: str | None, read_at: str) -> model.DatabaseStats:
    return model.DatabaseStats(stats_reset=stats_reset, read_at=read_at)


def _with_stats(cat: model.Catalog, stats: model.DatabaseStats) -> model.Catalog:
    return replace(cat, database_stats=stats)


@pytest.mark.parametrize("reset, expected", [
    ("2026-01-01T00:00:00+00:00", ["s.unused"]),
    ("2026-02-25T00:00:00+00:00", []),  # reset 4 days before the read: too recent to judge
    (None, []),  # reset time unknown
])
def test_unused_index_only_when_the_reset_is_old_enough(reset: str | None, expected: list[str]) -> None:
    base = catalog(
        table("parent", COLS),
        table("t", COLS, constraints=(pk("t", "id"), fk("to_parent", ("b",), "parent")), rows=10, indexes=(
            idx("t", "t_pkey", "id", primary=True, scans=0), idx("t", "unused", "a", scans=0),
            idx("t", "used", "a", "flag", scans=5), idx("t", "uniq", "flag", "a", unique=True, scans=0),
            idx("t", "for_fk", "b", "a", scans=0), idx("t", "unknown", "tags", scans=None))))
    cat = _with_stats(base, _database_stats(reset, "2026-03-01T00:00:00+00:00"))
    assert [o for _, o, _ in found(cat, "unused-index")] == expected


def test_seq_scan_heavy_table() -> None:
    cat = catalog(table("heavy", rows=500_000, seq_scans=5000, index_scans=10),
                  table("small", rows=50, seq_scans=5000, index_scans=0),
                  table("indexed", rows=500_000, seq_scans=5000, index_scans=90_000),
                  table("rare", rows=500_000, seq_scans=3, index_scans=0))
    assert found(cat, "seq-scan-heavy-table") == [("seq-scan-heavy-table", "s.heavy", I)]


def test_btree_on_array_and_boolean() -> None:
    cat = catalog(table("t", COLS, indexes=(
        idx("t", "on_tags", "tags"), idx("t", "on_flag", "flag"),
        # traps: GIN on the array, an array later in a sort index, unique boolean (one default row),
        # partial boolean, boolean in a composite
        idx("t", "tags_gin", "tags", method="gin"), idx("t", "sort", "a", "tags", "b"), idx("t", "one_default", "flag", unique=True, where="flag"),
        idx("t", "flag_partial", "flag", where="flag"), idx("t", "a_flag", "a", "flag"))))
    assert found(cat, "btree-on-array", "index-on-boolean") == [
        ("btree-on-array", "s.on_tags", W), ("index-on-boolean", "s.on_flag", I)]


def test_the_btree_of_an_exclusion_constraint_is_not_dropped() -> None:
    # EXCLUDE USING btree (flag WITH =): a non-unique B-tree that backs a constraint (the one kind there is)
    exclusion = Constraint(name="one_flag", kind=ConstraintKind.EXCLUSION, columns=("flag",),
                           definition="EXCLUDE USING btree (flag WITH =)")
    cat = catalog(table("t", COLS, constraints=(exclusion,),
                        indexes=(idx("t", "one_flag", "flag"), idx("t", "on_flag", "flag"))),
                  table("u", COLS, indexes=(idx("u", "one_flag_u", "flag"),)))
    assert found(cat, "index-on-boolean") == [
        ("index-on-boolean", "s.on_flag", I), ("index-on-boolean", "s.one_flag_u", I)]


def test_redundant_not_null_predicate() -> None:
    cat = catalog(table("t", COLS, indexes=(
        idx("t", "pointless", "a", where="(id IS NOT NULL)"),
        idx("t", "useful", "a", where="(b IS NOT NULL)"),
        idx("t", "combined", "a", where="((id IS NOT NULL) AND (b > 0))"))))
    assert found(cat, "redundant-not-null-predicate") == [("redundant-not-null-predicate", "s.pointless", I)]


def test_table_without_index() -> None:
    cat = catalog(table("bare"), table("keyed", indexes=(idx("keyed", "keyed_pkey", "id", primary=True),)),
                  table("p", kind=RelationKind.PARTITIONED_TABLE), table("p_1", partition_of="p"),
                  table("q", kind=RelationKind.PARTITIONED_TABLE), table("q_1", partition_of="q"),
                  table("q_2", partition_of="q", indexes=(idx("q_2", "q_2_id", "id"),)),
                  table("v", kind=RelationKind.VIEW), table("f", kind=RelationKind.FOREIGN_TABLE))
    assert found(cat, "table-without-index") == [("table-without-index", "s.bare", I), ("table-without-index", "s.p", I)]


def test_an_unreadable_definition_is_equal_to_no_other_index() -> None:
    odd = replace(idx("t", "odd", "a"), definition="CREATE INDEX odd ON s.t USING btree (a) WITH FROBNICATE")
    cat = catalog(table("t", COLS, indexes=(odd, idx("t", "plain", "a"), idx("t", "ab", "a", "b"))))
    assert found(cat, "duplicate-index", "redundant-index") == [("redundant-index", "s.plain", W)]
