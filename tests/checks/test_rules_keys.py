"""The keys rules on model objects built directly (no database): planted defects and traps."""

from __future__ import annotations

from dataclasses import replace

from schemadocs.checks.finding import Level
from schemadocs.model import Constraint, ConstraintKind, Domain, RelationKind
from tests.checks.models import catalog, col, fk, found, idx, pk, table

W, E, I = Level.WARNING, Level.ERROR, Level.INFO
PARENT = table("parent", constraints=(pk("parent", "id"),), indexes=(idx("parent", "parent_pkey", "id", primary=True),))
TWO = (col("id", nullable=False), col("a"), col("b"))


def test_fk_without_index_needs_the_key_columns_leading_a_valid_full_index() -> None:
    key = (fk("k", ("a", "b"), "parent", ("id", "x")),)
    cat = catalog(
        PARENT,
        table("bare", TWO, constraints=key),
        table("elsewhere", TWO, constraints=key, indexes=(idx("elsewhere", "e_i", "id", "a", "b"),)),
        table("partial", TWO, constraints=key, indexes=(idx("partial", "p_i", "a", "b", where="(a > 0)"),)),
        table("invalid", TWO, constraints=key, indexes=(idx("invalid", "i_i", "a", "b", valid=False),)),
        table("half", TWO, constraints=key, indexes=(idx("half", "h_i", "a"),)),
        # traps: a composite index led by the key's columns, in either order
        table("led", TWO, constraints=key, indexes=(idx("led", "l_i", "b", "a", "id"),)),
        table("v", TWO, constraints=(), kind=RelationKind.VIEW))
    assert found(cat, "fk-without-index") == [
        ("fk-without-index", f"s.{t}.a,b", W) for t in ("bare", "elsewhere", "half", "invalid", "partial")]


def test_fk_without_index_on_partitions_is_checked_once_on_the_parent() -> None:
    key = fk("k", ("a",), "parent")
    clone = replace(key, inherited=True)
    served = table("served", TWO, constraints=(key,), kind=RelationKind.PARTITIONED_TABLE)
    unserved = table("unserved", TWO, constraints=(key,), kind=RelationKind.PARTITIONED_TABLE)
    cat = catalog(
        PARENT, served, unserved,
        table("served_1", TWO, constraints=(clone,), partition_of="served", indexes=(idx("served_1", "s1", "a"),)),
        table("served_2", TWO, constraints=(clone,), partition_of="served", indexes=(idx("served_2", "s2", "a", "b"),)),
        table("unserved_1", TWO, constraints=(clone,), partition_of="unserved", indexes=(idx("unserved_1", "u1", "a"),)),
        table("unserved_2", TWO, constraints=(clone,), partition_of="unserved"))
    assert found(cat, "fk-without-index") == [("fk-without-index", "s.unserved.a", W)]


def test_fk_type_mismatch_levels_and_domains() -> None:
    wide = table("wide", (col("id", "bigint", False), col("code", "character varying(40)")))
    cat = catalog(
        wide, PARENT,
        table("narrow", (col("id"), col("w", "integer"), col("code", "character varying(20)")),
              constraints=(fk("w", ("w",), "wide"), fk("c", ("code",), "wide", ("code",)))),
        table("wider", (col("id"), col("p", "bigint")), constraints=(fk("p", ("p",), "parent"),)),
        # traps: the same type, and a domain over the referenced type
        table("same", (col("id"), col("w", "bigint")), constraints=(fk("w", ("w",), "wide"),)),
        table("dom", (col("id"), col("p", "s.ident")), constraints=(fk("p", ("p",), "parent"),)),
        domains=(Domain(schema="s", name="ident", base_type="integer"),))
    assert found(cat, "fk-type-mismatch") == [
        ("fk-type-mismatch", "s.narrow.w", E), ("fk-type-mismatch", "s.wider.p", W),
        ("fk-type-mismatch", "s.narrow.code", I)]


def test_not_valid_constraint_once_on_the_parent() -> None:
    check = Constraint(name="positive", kind=ConstraintKind.CHECK, definition="CHECK (id > 0) NOT VALID",
                       validated=False)
    cat = catalog(table("p", constraints=(check,), kind=RelationKind.PARTITIONED_TABLE),
                  table("p_1", constraints=(replace(check, inherited=True),), partition_of="p"),
                  table("ok", constraints=(replace(check, validated=True),)))
    assert found(cat, "not-valid-constraint") == [("not-valid-constraint", "s.p.positive", W)]


def test_self_fk_without_delete_rule() -> None:
    cat = catalog(table("tree", TWO, constraints=(fk("up", ("a",), "tree"),)),
                  table("pruned", TWO, constraints=(fk("up", ("a",), "pruned", on_delete="CASCADE"),)),
                  table("other", TWO, constraints=(fk("up", ("a",), "tree"),)))
    assert found(cat, "self-fk-without-delete-rule") == [("self-fk-without-delete-rule", "s.tree.up", I)]


def test_duplicate_and_overlapping_foreign_keys() -> None:
    cat = catalog(PARENT, table("t", TWO, constraints=(
        fk("k1", ("a",), "parent"), fk("k2", ("a",), "parent"), fk("k3", ("a", "b"), "parent", ("id", "x")),
        fk("k4", ("b",), "parent", on_delete="CASCADE"))))
    assert found(cat, "duplicate-foreign-key", "overlapping-foreign-keys") == [
        ("duplicate-foreign-key", "s.t.k2", W), ("overlapping-foreign-keys", "s.t.k3", I),
        ("overlapping-foreign-keys", "s.t.k4", I)]


def test_nullable_composite_fk() -> None:
    key = (fk("k", ("a", "b"), "parent", ("id", "x")),)
    both = Constraint(name="both", kind=ConstraintKind.CHECK, definition="CHECK (num_nulls(a, b) = ANY (ARRAY[0, 2]))")
    cat = catalog(PARENT,
                  table("loose", TWO, constraints=key),
                  table("full", TWO, constraints=(replace(key[0], match="FULL"),)),
                  table("strict", (col("id"), col("a", nullable=False), col("b", nullable=False)), constraints=key),
                  table("checked", TWO, constraints=(*key, both)),
                  table("single", TWO, constraints=(fk("k", ("a",), "parent"),)))
    assert found(cat, "nullable-composite-fk") == [("nullable-composite-fk", "s.loose.a,b", W)]


def test_foreign_key_cycle_reported_once_self_references_are_not_cycles() -> None:
    cat = catalog(table("b", TWO, constraints=(fk("to_c", ("a",), "c"),)),
                  table("c", TWO, constraints=(fk("to_a", ("a",), "a"),)),
                  table("a", TWO, constraints=(fk("to_b", ("a",), "b"),)),
                  table("tree", TWO, constraints=(fk("up", ("a",), "tree"),)),
                  table("leaf", TWO, constraints=(fk("to_a", ("a",), "a"),)))
    assert found(cat, "foreign-key-cycle") == [("foreign-key-cycle", "s.a", I)]


def test_one_finding_per_object_when_keys_share_columns() -> None:
    other = table("other", (col("id", "bigint", False),))
    cat = catalog(PARENT, other, table("t", (col("id"), col("a", "smallint"), col("b", "smallint")), constraints=(
        fk("k1", ("a", "b"), "parent", ("id", "x")), fk("k2", ("a", "b"), "other", ("id", "x")),
        fk("k3", ("a",), "parent"), fk("k4", ("a",), "other"))))
    assert found(cat, "fk-without-index", "fk-type-mismatch", "nullable-composite-fk") == [
        ("fk-type-mismatch", "s.t.a", E), ("fk-without-index", "s.t.a", W), ("fk-without-index", "s.t.a,b", W),
        ("nullable-composite-fk", "s.t.a,b", W)]


def test_fk_without_index_a_partial_index_on_key_is_not_null_serves() -> None:
    key = (fk("k", ("a",), "parent"),)
    cat = catalog(PARENT,
                  table("not_null", TWO, constraints=key, indexes=(idx("not_null", "n", "a", where="(a IS NOT NULL)"),)),
                  table("other_col", TWO, constraints=key, indexes=(idx("other_col", "o", "a", where="(b IS NOT NULL)"),)))
    assert found(cat, "fk-without-index") == [("fk-without-index", "s.other_col.a", W)]


def test_nullable_composite_fk_reads_quoted_columns_in_the_check() -> None:
    cols = (col("id", nullable=False), col("A"), col("b"))
    key = fk("k", ("A", "b"), "parent", ("id", "x"))
    both = Constraint(name="both", kind=ConstraintKind.CHECK, definition='CHECK (num_nulls("A", b) = ANY (ARRAY[0, 2]))')
    cat = catalog(PARENT, table("checked", cols, constraints=(key, both)), table("loose", cols, constraints=(key,)))
    assert found(cat, "nullable-composite-fk") == [("nullable-composite-fk", 's.loose."A",b', W)]


def test_fk_without_index_fix_is_sql_and_not_concurrent_on_a_partitioned_table() -> None:
    from schemadocs.checks.config import Settings
    from schemadocs.checks.engine import lint
    key = (fk("k", ("a", "B"), "parent", ("id", "x")),)
    cols = (col("id", nullable=False), col("a"), col("B"))
    cat = catalog(PARENT, table("plain", cols, constraints=key),
                  table("parted", cols, constraints=key, kind=RelationKind.PARTITIONED_TABLE))
    fixes = {f.object: f.fix for f in lint(cat, Settings(rules=("fk-without-index",))).findings}
    assert fixes == {'s.plain.a,"B"': 'CREATE INDEX CONCURRENTLY ON s.plain (a, "B");',
                     's.parted.a,"B"': 'CREATE INDEX ON s.parted (a, "B");'}
