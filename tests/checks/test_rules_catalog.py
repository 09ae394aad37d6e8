"""The keys, indexes and types rules on what introspection reads from a real PostgreSQL:
each category's planted defects give exactly the expected findings, its traps none."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import Needs, all_rules
from schemadocs.introspect.introspect import introspect

FIXTURES = Path(__file__).parent / "fixtures"
E, W, I = Level.ERROR, Level.WARNING, Level.INFO

EXPECTED = {
    Category.KEYS: {
        ("fk-type-mismatch", "k.child.big_ref", E), ("fk-type-mismatch", "k.child.code", I),
        ("fk-without-index", "k.child.parent_id", W), ("fk-without-index", "k.child.big_ref", W),
        ("fk-without-index", "k.child.code", W), ("fk-without-index", 'k."Odd ""name".parent_id', W),
        ("fk-without-index", "k.pair_ref.a,b", W), ("nullable-composite-fk", "k.pair_ref.a,b", W),
        ("not-valid-constraint", "k.child.positive", W), ("self-fk-without-delete-rule", "k.tree.tree_up_fkey", I),
        ("duplicate-foreign-key", "k.dup.d2", W), ("overlapping-foreign-keys", "k.ov.o2", I),
        ("foreign-key-cycle", "k.chicken", I), ("no-primary-key", "k.loose", W)},
    Category.INDEXES: {
        ("duplicate-index", "i.t_id", W), ("duplicate-index", "i.t_a_b_again", W), ("redundant-index", "i.t_a", W),
        ("index-on-boolean", "i.t_flag", I), ("btree-on-array", "i.t_tags", W),
        ("redundant-not-null-predicate", "i.t_note", I), ("invalid-index", "i.t_b_broken", W),
        ("table-without-index", "i.bare", I), ("redundant-index", "i.p_1_id", W)},
    Category.TYPES: {
        ("serial-key", "ty.t.id", I), ("json-column", "ty.t.doc", W), ("json-column", 'ty."Weird ""t"."Doc"', W),
        ("timestamp-without-time-zone", "ty.t.at", W), ("money-column", "ty.t.price", W),
        ("char-column", "ty.t.code", I), ("reg-type-column", "ty.t.fn", W), ("reg-type-column", "ty.t.rel", I)},
}


def _findings(new_database, category: Category, fixture: str) -> set[tuple[str, str, Level]]:
    catalog = introspect(new_database((FIXTURES / f"{category.value}_{fixture}.sql").read_text(encoding="utf-8")),
                         stats=False)
    ids = tuple(r.id for r in all_rules().values() if r.category is category)
    report = lint(catalog, Settings(rules=ids))
    assert set(report.skipped_no_stats) == {i for i in ids if all_rules()[i].needs is Needs.STATISTICS}
    return {(f.rule, f.object, f.level) for f in report.findings}


@pytest.mark.parametrize("category", list(EXPECTED), ids=lambda c: c.value)
def test_planted_defects_give_exactly_the_expected_findings(new_database, category: Category) -> None:
    assert _findings(new_database, category, "bad") == EXPECTED[category]


@pytest.mark.parametrize("category", list(EXPECTED), ids=lambda c: c.value)
def test_traps_give_no_finding(new_database, category: Category) -> None:
    assert _findings(new_database, category, "good") == set()


def test_integer_key_on_large_table_reads_the_row_estimate(new_database) -> None:
    # reltuples set by hand stands for a large table (loading 10 million rows would take minutes)
    dsn = new_database("""
        CREATE TABLE big_int (id integer PRIMARY KEY);
        CREATE TABLE big_bigint (id bigint PRIMARY KEY);
        CREATE TABLE small_int (id integer PRIMARY KEY);
        UPDATE pg_class SET reltuples = 20000000 WHERE oid IN ('big_int'::regclass, 'big_bigint'::regclass);
        UPDATE pg_class SET reltuples = 1000 WHERE oid = 'small_int'::regclass;
    """)
    report = lint(introspect(dsn), Settings(rules=("integer-key-on-large-table",)))
    assert [(f.object, f.level) for f in report.findings] == [("public.big_int.id", W)]
